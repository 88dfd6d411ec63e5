// Addresses and keys typed by an admin: an organisation's slug (its public page /<slug>) and a
// new category's key, suggested from a name and checked the way the server checks them.
import { reservedSegments } from '../router.svelte.ts';
import { SLUG_PATTERN } from './routes.ts';

function ascii(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** "Gemeente 's-Hertogenbosch" → "gemeente-s-hertogenbosch". */
export function suggestSlug(name: string): string {
  return ascii(name)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/g, '');
}

export type SlugProblem = 'empty' | 'invalid' | 'reserved';

export function slugProblem(slug: string): SlugProblem | null {
  if (slug === '') return 'empty';
  if (!SLUG_PATTERN.test(slug)) return 'invalid';
  if (reservedSegments.has(slug)) return 'reserved';
  return null;
}

/** "Online pesten" → "online_pesten" (lower-case letters and _, at most 48). */
export function suggestCategoryKey(label: string): string {
  return ascii(label)
    .replace(/[^a-z]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 48)
    .replace(/_+$/g, '');
}

export const CATEGORY_KEY_PATTERN = /^[a-z_]{1,48}$/;
