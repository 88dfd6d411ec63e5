// The recovery key: 16 random bytes plus a 4-byte checksum (the first bytes of their SHA-256),
// written as 32 Crockford base32 characters in 8 groups of 4 — no I, L, O or U to mistake.
// Reading it back ignores case, spaces and hyphens and takes O for 0 and I or L for 1; the
// checksum catches a typo before anything is sent.

import { CROCKFORD as ALPHABET, decodeBase32, encodeBase32 } from '../base32.ts';

const KEY_BYTES = 16;
const CHECK_BYTES = 4;
const CHARS = ((KEY_BYTES + CHECK_BYTES) * 8) / 5;

export type RecoveryKeyProblem = 'length' | 'characters' | 'checksum';

export type ParsedRecoveryKey = { ok: true; bytes: Uint8Array } | { ok: false; problem: RecoveryKeyProblem; count: number };

async function checksum(bytes: Uint8Array): Promise<Uint8Array> {
  const digest = await crypto.subtle.digest('SHA-256', new Uint8Array(bytes));
  return new Uint8Array(digest).slice(0, CHECK_BYTES);
}

/** The characters of a typed recovery key, canonical: upper-case, no separators, O→0, I/L→1. */
export function recoveryKeyCharacters(text: string): string {
  return text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-–—_.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

/** "ABCD-EFGH-…" for 16 key bytes. */
export async function formatRecoveryKey(bytes: Uint8Array): Promise<string> {
  if (bytes.length !== KEY_BYTES) throw new RangeError('A recovery key has 16 bytes');
  const all = new Uint8Array(KEY_BYTES + CHECK_BYTES);
  all.set(bytes);
  all.set(await checksum(bytes), KEY_BYTES);
  return (encodeBase32(all, ALPHABET).match(/.{4}/g) ?? []).join('-');
}

/** A new random recovery key: its bytes and its text form. */
export async function generateRecoveryKey(): Promise<{ bytes: Uint8Array; text: string }> {
  const bytes = crypto.getRandomValues(new Uint8Array(KEY_BYTES));
  return { bytes, text: await formatRecoveryKey(bytes) };
}

/** Reads a typed recovery key back into its 16 bytes, or says what is wrong with it. */
export async function parseRecoveryKey(text: string): Promise<ParsedRecoveryKey> {
  const chars = recoveryKeyCharacters(text);
  if (chars.length !== CHARS) return { ok: false, problem: 'length', count: chars.length };
  if (![...chars].every((c) => ALPHABET.includes(c))) return { ok: false, problem: 'characters', count: chars.length };
  const all = decodeBase32(chars, ALPHABET);
  const bytes = all.slice(0, KEY_BYTES);
  const expected = await checksum(bytes);
  if (!expected.every((b, i) => b === all[KEY_BYTES + i])) return { ok: false, problem: 'checksum', count: chars.length };
  return { ok: true, bytes };
}

/** The last `groups` groups of a formatted key, for the retype check. */
export function lastGroups(formatted: string, groups: number): string {
  return formatted.split('-').slice(-groups).join('-');
}

export const RECOVERY_KEY_LENGTH = CHARS;
