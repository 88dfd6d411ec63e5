// The documents inside the melder's ciphertexts. The server never sees these shapes: it stores
// OpenPGP messages whose text is one of these as JSON. The advisor's screens read the same
// shapes, so they live here, in one place, with defensive parsing (anything may have been
// written by an older or a hostile client).

export const WISHES = ['listening_ear', 'advice', 'informal_solution', 'formal_complaint_support', 'misstand_investigation'] as const;
export type Wish = (typeof WISHES)[number];

export const CONTACTS = ['portal', 'phone', 'meeting'] as const;
export type Contact = (typeof CONTACTS)[number];

export interface Identity {
  name?: string;
  role?: string;
  phone?: string;
  email?: string;
}

/** The report: the text of the first message of a case (kind `report`). */
export interface ReportDocument {
  version: 1;
  what: string;
  when?: string;
  where?: string;
  who?: string;
  wishes: Wish[];
  contact: Contact;
  contactDetails?: string;
  identity?: Identity;
}

/** A changed "what I want": the text of a message of kind `wishes`. */
export interface WishesDocument {
  wishes: Wish[];
  contact: Contact;
  contactDetails?: string;
}

/** What an encrypted file manifest says about the file. */
export interface FileManifest {
  name: string;
  type: string;
  size: number;
}

/** Limits the UI enforces before anything is encrypted (the server limits the ciphertext). */
export const LIMITS = {
  what: 20_000,
  short: 500,
  message: 20_000,
  contactDetails: 500,
  identityField: 200,
} as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function parseWishes(value: unknown): Wish[] {
  if (!Array.isArray(value)) return [];
  return WISHES.filter((wish) => value.includes(wish));
}

function parseContact(value: unknown): Contact {
  return CONTACTS.find((contact) => contact === value) ?? 'portal';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads a report; text that is not a report JSON document is shown as the `what`. */
export function parseReport(text: string): ReportDocument {
  const value = parseJson(text);
  if (!isRecord(value) || typeof value.what !== 'string') return { version: 1, what: text, wishes: [], contact: 'portal' };
  const identity = isRecord(value.identity)
    ? {
        name: optionalText(value.identity.name),
        role: optionalText(value.identity.role),
        phone: optionalText(value.identity.phone),
        email: optionalText(value.identity.email),
      }
    : undefined;
  const hasIdentity = identity && Object.values(identity).some((v) => v !== undefined);
  return {
    version: 1,
    what: value.what,
    when: optionalText(value.when),
    where: optionalText(value.where),
    who: optionalText(value.who),
    wishes: parseWishes(value.wishes),
    contact: parseContact(value.contact),
    contactDetails: optionalText(value.contactDetails),
    identity: hasIdentity ? identity : undefined,
  };
}

/** Reads a `wishes` message; null when it is not one. */
export function parseWishesDocument(text: string): WishesDocument | null {
  const value = parseJson(text);
  if (!isRecord(value) || !Array.isArray(value.wishes)) return null;
  return { wishes: parseWishes(value.wishes), contact: parseContact(value.contact), contactDetails: optionalText(value.contactDetails) };
}

/** Reads a file manifest; null when it is not one. */
export function parseManifest(text: string): FileManifest | null {
  const value = parseJson(text);
  if (!isRecord(value) || typeof value.name !== 'string') return null;
  return {
    name: value.name,
    type: typeof value.type === 'string' ? value.type : '',
    size: typeof value.size === 'number' ? value.size : 0,
  };
}

/** Drops empty optional fields so the ciphertext carries only what the melder wrote. */
export function compactReport(report: ReportDocument): ReportDocument {
  const identity = report.identity
    ? Object.fromEntries(Object.entries(report.identity).filter(([, v]) => typeof v === 'string' && v.trim() !== ''))
    : undefined;
  const out: ReportDocument = { version: 1, what: report.what.trim(), wishes: [...report.wishes], contact: report.contact };
  const when = optionalText(report.when?.trim());
  const where = optionalText(report.where?.trim());
  const who = optionalText(report.who?.trim());
  const details = report.contact === 'portal' ? undefined : optionalText(report.contactDetails?.trim());
  if (when) out.when = when;
  if (where) out.where = where;
  if (who) out.who = who;
  if (details) out.contactDetails = details;
  if (identity && Object.keys(identity).length > 0) out.identity = identity;
  return out;
}
