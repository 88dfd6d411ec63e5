// UI text for the whole app. nl.json is the source of truth; en.json has exactly the same keys
// (checked at compile time below). The chosen language is remembered in localStorage only —
// never in a cookie, because the only cookie Klankbord may set is the session cookie (I4).
// A part of the app that is a lazily loaded chunk (the advisor's pages) keeps its namespace in
// a catalog pair of its own (e.g. advisor/nl.json + advisor/en.json) and registers it when its
// chunk loads, so the public pages do not download text they never show.
import en from './en.json';
import nl from './nl.json';
import type advisorEn from './advisor/en.json';
import type advisorNl from './advisor/nl.json';
import type staffEn from './staff/en.json';
import type staffNl from './staff/nl.json';

export type Locale = 'nl' | 'en';
export const locales: readonly Locale[] = ['nl', 'en'];

/** Namespaces that arrive with a lazily loaded chunk (see registerCatalog). */
type LazyCatalog = typeof advisorNl & typeof staffNl;
type Catalog = typeof nl & LazyCatalog;
type Namespace = keyof Catalog & string;
/** Every key as `namespace.key`, e.g. `org.start_report`. */
export type MessageKey = { [N in Namespace]: `${N}.${keyof Catalog[N] & string}` }[Namespace];
export type MessageParams = Record<string, string | number>;

// Fails to compile when en.json lacks a key of nl.json or has one nl.json lacks.
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const catalogsMatch: SameShape<typeof nl, typeof en> = true;
const lazyCatalogsMatch: SameShape<typeof advisorNl, typeof advisorEn> = true;
const staffCatalogsMatch: SameShape<typeof staffNl, typeof staffEn> = true;
void catalogsMatch;
void lazyCatalogsMatch;
void staffCatalogsMatch;

type Texts = Record<string, Record<string, string> | undefined>;
const catalogs: Record<Locale, Texts> = { nl: { ...nl }, en: { ...en } };
const STORAGE_KEY = 'klankbord.lang';
const FALLBACK: Locale = 'nl';

function isLocale(value: unknown): value is Locale {
  return value === 'nl' || value === 'en';
}

// localStorage throws in some privacy modes; the app must still work, just without memory.
function readSavedLocale(): Locale | null {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLocale(saved) ? saved : null;
  } catch {
    return null;
  }
}

function saveLocale(locale: Locale): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered; the switch still works for this page view.
  }
}

function lookup(locale: Locale, key: string): string | undefined {
  const dot = key.indexOf('.');
  if (dot < 0) return undefined;
  return catalogs[locale][key.slice(0, dot)]?.[key.slice(dot + 1)];
}

function interpolate(text: string, params: MessageParams | undefined): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export class I18n {
  locale = $state<Locale>(FALLBACK);
  /** Bumped when a lazily loaded catalog arrives, so text rendered before it updates. */
  #catalogVersion = $state(0);

  constructor(initial: Locale = readSavedLocale() ?? FALLBACK) {
    this.locale = initial;
    this.#applyToDocument();
  }

  /** Translate `key`; falls back to Dutch, then to the key itself so a gap is visible, not blank. */
  t = (key: MessageKey, params?: MessageParams): string => {
    void this.#catalogVersion;
    const text = lookup(this.locale, key) ?? lookup(FALLBACK, key) ?? key;
    return interpolate(text, params);
  };

  /** Adds the namespaces of a lazily loaded chunk (both languages, same keys: see LazyCatalog). */
  registerCatalog(catalog: Record<Locale, Partial<LazyCatalog>>): void {
    for (const locale of locales) Object.assign(catalogs[locale], catalog[locale]);
    this.#catalogVersion++;
  }

  setLocale(locale: Locale): void {
    if (locale === this.locale) return;
    this.locale = locale;
    saveLocale(locale);
    this.#applyToDocument();
  }

  #applyToDocument(): void {
    if (typeof document !== 'undefined') document.documentElement.lang = this.locale;
  }
}

/** The app's one language state. Components call `i18n.t(...)`; reading it tracks the locale. */
export const i18n = new I18n();
export const t = i18n.t;
