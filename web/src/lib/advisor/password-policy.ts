// Checks a new advisor password before it is used: at least 12 characters and nothing an
// attacker tries first — a common password or a variation of one, long runs of one character,
// sequences (abcd, 1234, qwerty), or the advisor's own email, name or organisation. It also
// gives a rough strength (0–4) for the meter. The real protection is Argon2id; this only stops
// the guesses that come first in every list.
import { COMMON_PASSWORDS } from './common-passwords.ts';

export const MIN_PASSWORD_LENGTH = 12;

export type PasswordProblem = 'too_short' | 'common' | 'repeated' | 'sequence' | 'personal';

export interface PasswordContext {
  email?: string;
  name?: string;
  organisations?: string[];
}

export interface PasswordCheck {
  /** The first reason the password is refused, or null when it may be used. */
  problem: PasswordProblem | null;
  /** 0 (refused) … 4 (strong). */
  strength: 0 | 1 | 2 | 3 | 4;
}

const common = new Set(COMMON_PASSWORDS);
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', $: 's', '!': 'i', '|': 'l' };
const ROWS = ['abcdefghijklmnopqrstuvwxyz', '01234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'azertyuiop', 'qwertzuiop', '1qaz2wsx3edc'];

function lower(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** The word behind a variation: symbols/digits around it dropped, look-alike digits read as letters. */
function baseWords(password: string): string[] {
  const plain = lower(password);
  const stripped = plain.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const unleet = [...plain].map((c) => LEET[c] ?? c).join('');
  const letters = plain.replace(/[^\p{L}]/gu, '');
  const unleetLetters = unleet.replace(/[^\p{L}]/gu, '');
  const digits = plain.replace(/\D/g, '');
  return [plain, plain.replace(/\s+/g, ''), stripped, unleet, letters, unleetLetters, digits.length === plain.length ? digits : ''].filter((w) => w !== '');
}

/** Whether `word` is a common password repeated (welkomwelkom) or on its own. */
function isCommonWord(word: string): boolean {
  if (common.has(word)) return true;
  for (let size = 3; size <= word.length / 2; size++) {
    if (word.length % size !== 0) continue;
    const unit = word.slice(0, size);
    if (unit.repeat(word.length / size) === word && common.has(unit)) return true;
  }
  return false;
}

/** Characters that are part of a run of 3+ steps along a keyboard row or the alphabet, or repeats. */
function patternCharacters(password: string): { sequence: number; repeated: number } {
  const chars = [...lower(password)];
  const inSequence = new Array<boolean>(chars.length).fill(false);
  const inRepeat = new Array<boolean>(chars.length).fill(false);
  const step = (a: string, b: string) =>
    ROWS.some((row) => {
      const i = row.indexOf(a);
      const j = row.indexOf(b);
      return i >= 0 && j >= 0 && Math.abs(i - j) === 1;
    });
  for (let i = 0; i + 2 < chars.length; i++) {
    const [a, b, c] = [chars[i]!, chars[i + 1]!, chars[i + 2]!];
    if (a === b && b === c) inRepeat[i] = inRepeat[i + 1] = inRepeat[i + 2] = true;
    else if (step(a, b) && step(b, c)) inSequence[i] = inSequence[i + 1] = inSequence[i + 2] = true;
  }
  return { sequence: inSequence.filter(Boolean).length, repeated: inRepeat.filter(Boolean).length };
}

function personalWords(context: PasswordContext): string[] {
  const words = new Set<string>(['klankbord']);
  const email = lower(context.email ?? '').trim();
  const local = email.split('@')[0] ?? '';
  if (local.length >= 3) words.add(local.replace(/[^\p{L}\p{N}]/gu, ''));
  for (const part of local.split(/[^\p{L}\p{N}]+/u)) if (part.length >= 4) words.add(part);
  const domain = (email.split('@')[1] ?? '').split('.')[0] ?? '';
  if (domain.length >= 4) words.add(domain);
  for (const text of [context.name ?? '', ...(context.organisations ?? [])]) {
    const all = lower(text).replace(/[^\p{L}\p{N}]/gu, '');
    if (all.length >= 4) words.add(all);
    for (const part of lower(text).split(/[^\p{L}\p{N}]+/u)) if (part.length >= 4) words.add(part);
  }
  return [...words].filter((w) => w.length >= 3);
}

function poolSize(password: string): number {
  let pool = 0;
  if (/[a-z]/.test(password)) pool += 26;
  if (/[A-Z]/.test(password)) pool += 26;
  if (/\d/.test(password)) pool += 10;
  if (/[^A-Za-z0-9]/.test(password)) pool += 33;
  return Math.max(pool, 10);
}

export function checkPassword(password: string, context: PasswordContext = {}): PasswordCheck {
  const length = [...password].length;
  const distinct = new Set(lower(password)).size;
  const { sequence, repeated } = patternCharacters(password);
  // Characters that add real uncertainty: the rest are predictable runs.
  const effective = Math.max(0, length - sequence - repeated);
  const bits = effective * Math.log2(poolSize(password)) * Math.min(1, distinct / 8);
  const strength: PasswordCheck['strength'] = bits < 40 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4;

  let problem: PasswordProblem | null = null;
  if (length < MIN_PASSWORD_LENGTH) problem = 'too_short';
  else if (distinct < 5 || /(.)\1{3,}/u.test(password) || repeated > length / 2) problem = 'repeated';
  else if (baseWords(password).some(isCommonWord)) problem = 'common';
  else if (effective < 8 || sequence > length / 2) problem = 'sequence';
  else {
    const flat = baseWords(password);
    if (personalWords(context).some((word) => flat.some((w) => w.includes(word)))) problem = 'personal';
  }
  return { problem, strength: problem ? 0 : strength };
}
