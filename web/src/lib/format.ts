// Dates, sizes and credentials formatted for the user's language (Intl, no libraries).
import type { Locale } from './i18n/i18n.svelte.ts';

const intlLocale: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB' };

/** "22 november 2026" / "22 November 2026"; with `time` also "om 17:55" / "at 17:55". */
export function formatDate(iso: string, locale: Locale, options: { time?: boolean } = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(intlLocale[locale], {
    dateStyle: 'long',
    ...(options.time ? { timeStyle: 'short' } : {}),
  }).format(date);
}

/** "1,2 MB" / "1.2 MB". */
export function formatBytes(bytes: number, locale: Locale): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(intlLocale[locale], { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

/** Splits a credential into its groups: "1234-5678-…" → ["1234", "5678", …]. */
export function credentialGroups(credential: string): string[] {
  return credential.split(/[\s-]+/).filter((group) => group !== '');
}

/** The letters of a passphrase without separators, lower-case: how it is compared. */
export function passphraseLetters(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** The digits of a case code typed with or without spaces or hyphens. */
export function caseCodeDigits(text: string): string {
  return text.normalize('NFKC').replace(/[^0-9]/g, '');
}

/** "15 mrt 2026" / "15 Mar 2026": a compact date for tables and lists. */
export function formatShortDate(iso: string, locale: Locale, options: { time?: boolean } = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(intlLocale[locale], {
    dateStyle: 'medium',
    ...(options.time ? { timeStyle: 'short' } : {}),
  }).format(date);
}
