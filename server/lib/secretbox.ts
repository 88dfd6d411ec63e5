// Server-side secrets at rest (the advisors' TOTP secrets): AES-256-GCM under a key derived with
// HKDF-SHA-256 from SESSION_SECRET and a purpose, so a database dump alone reveals nothing and
// a key for one purpose never opens another. The associated data binds a sealed value to its
// row (e.g. the account id), so copying it to another row makes it unreadable.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretboxError extends Error {
  constructor() {
    super('sealed value cannot be opened (wrong key, wrong row or tampered)');
    this.name = 'SecretboxError';
  }
}

function keyFor(secret: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'klankbord/secretbox/v1', purpose, 32));
}

/** Seals `plaintext`; the result is `v1.<base64url(iv | ciphertext | tag)>`. */
export function seal(secret: Buffer, purpose: string, plaintext: string, associatedData = ''): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret, purpose), iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

export function open(secret: Buffer, purpose: string, sealed: string, associatedData = ''): string {
  const [version, data] = sealed.split('.');
  if (version !== VERSION || !data) throw new SecretboxError();
  const raw = Buffer.from(data, 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretboxError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(secret, purpose), raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretboxError();
  }
}
