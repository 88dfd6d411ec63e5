// TOTP (RFC 6238 over RFC 4226 HOTP): SHA-1, 6 digits, 30-second steps — what every
// authenticator app reads from an otpauth:// QR code. The browser generates the secret; the
// server only verifies codes and remembers the last step used, so a code works once.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one (clock drift, slow typing). */
export const TOTP_WINDOW = 1;
/** 20 random bytes = 160 bits, the RFC 4226 recommendation; 32 base32 characters. */
export const TOTP_SECRET_BYTES = 20;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decodes RFC 4648 base32 (case-insensitive, padding optional); null when malformed. */
export function decodeBase32(input: string): Buffer | null {
  const s = input.toUpperCase().replace(/=+$/, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of s) {
    const v = BASE32.indexOf(ch);
    if (v < 0) return null;
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function encodeBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** A secret as the browser must send it: exactly 20 bytes in base32 (32 characters). */
export function isValidTotpSecret(secret: string): boolean {
  return /^[A-Za-z2-7]{32}$/.test(secret) && decodeBase32(secret)?.length === TOTP_SECRET_BYTES;
}

export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** RFC 4226 HOTP value of `counter`, as a zero-padded decimal string. */
export function hotp(key: Buffer, counter: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** TOTP_DIGITS).padStart(TOTP_DIGITS, '0');
}

export function totpCode(secretBase32: string, now: Date): string {
  const key = decodeBase32(secretBase32);
  if (!key) throw new Error('malformed TOTP secret');
  return hotp(key, totpStep(now));
}

/**
 * The step a code belongs to, when it is valid at `now` (±TOTP_WINDOW steps) and later than
 * `lastStep` (a code is used once); otherwise null. Constant-time comparison per step.
 */
export function verifyTotp(secretBase32: string, code: string, now: Date, lastStep: number | null = null): number | null {
  const key = decodeBase32(secretBase32);
  if (!key || !/^\d{6}$/.test(code)) return null;
  const current = totpStep(now);
  let matched: number | null = null;
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    const ok = timingSafeEqual(Buffer.from(hotp(key, step)), Buffer.from(code));
    if (ok && (lastStep === null || step > lastStep)) matched = step;
  }
  return matched;
}
