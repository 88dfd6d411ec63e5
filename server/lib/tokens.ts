// Random tokens and their digests. Only digests of bearer tokens are stored, so a database dump
// holds no usable session or invite.
import { createHash, createHmac, randomBytes } from 'node:crypto';

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function digestToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Keyed digest for identifiers of low entropy (case codes), so a dump cannot be searched. */
export function keyedDigest(secret: Buffer, purpose: string, value: string): string {
  return createHmac('sha256', secret).update(purpose).update('\u0000').update(value).digest('hex');
}
