// Melder credentials. The case code is 16 random digits (shown 4-4-4-4), an identifier; the
// passphrase is the secret: 24 letters from a 23-letter alphabet without look-alikes
// (no i, l, o), 108 bits from the CSPRNG, shown in groups of four, typed case-insensitively
// with or without the hyphens. Letters only, so a phone keyboard never switches layout.
import { randomInt } from 'node:crypto';

export const PASSPHRASE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz';
export const PASSPHRASE_LENGTH = 24;
export const PASSPHRASE_BITS = PASSPHRASE_LENGTH * Math.log2(PASSPHRASE_ALPHABET.length);

export function generateCaseCode(): string {
  let digits = '';
  for (let i = 0; i < 16; i++) digits += String(randomInt(10));
  // A leading zero is fine: codes are strings everywhere.
  return digits;
}

export function formatCaseCode(digits: string): string {
  return digits.replace(/(\d{4})(?=\d)/g, '$1-');
}

export function normaliseCaseCode(input: string): string {
  return input.replace(/\D/g, '');
}

export function generatePassphrase(): string {
  let out = '';
  for (let i = 0; i < PASSPHRASE_LENGTH; i++) {
    if (i > 0 && i % 4 === 0) out += '-';
    out += PASSPHRASE_ALPHABET[randomInt(PASSPHRASE_ALPHABET.length)];
  }
  return out;
}
