// The categories an organisation offers per kind of report: the defaults (DOMAIN.md, keys in
// cases/categories.ts) with their nl/en labels, which the admin may rename or hide, plus the
// organisation's own additions. Only overrides and additions are stored
// (organisation_categories); `undisclosed` ("wil ik niet zeggen") is always allowed and
// cannot be changed.
import type { Kysely, Transaction } from 'kysely';
import type { CaseKind, Database } from '../../db/database.ts';
import { DEFAULT_CATEGORIES, UNDISCLOSED } from '../cases/categories.ts';
import { withCompliance } from './tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const CASE_KINDS: CaseKind[] = ['ongewenst_gedrag', 'misstand'];

export interface Label {
  nl: string;
  en: string;
}

export const DEFAULT_CATEGORY_LABELS: Record<CaseKind, Record<string, Label>> = {
  ongewenst_gedrag: {
    pesten: { nl: 'Pesten', en: 'Bullying' },
    discriminatie: { nl: 'Discriminatie', en: 'Discrimination' },
    seksuele_intimidatie: { nl: 'Seksuele intimidatie', en: 'Sexual harassment' },
    agressie_geweld: { nl: 'Agressie en geweld', en: 'Aggression and violence' },
    intimidatie: { nl: 'Intimidatie', en: 'Intimidation' },
    werkdruk: { nl: 'Werkdruk', en: 'Work pressure' },
    anders: { nl: 'Anders', en: 'Other' },
  },
  misstand: {
    fraude: { nl: 'Fraude', en: 'Fraud' },
    corruptie: { nl: 'Corruptie', en: 'Corruption' },
    belangenverstrengeling: { nl: 'Belangenverstrengeling', en: 'Conflict of interest' },
    misbruik_bevoegdheid: { nl: 'Misbruik van bevoegdheid', en: 'Abuse of authority' },
    gevaar_gezondheid_veiligheid_milieu: {
      nl: 'Gevaar voor volksgezondheid, veiligheid of milieu',
      en: 'Danger to public health, safety or the environment',
    },
    schending_regels: { nl: 'Schending van regels', en: 'Breach of rules' },
    anders: { nl: 'Anders', en: 'Other' },
  },
};

export const UNDISCLOSED_LABEL: Label = { nl: 'Wil ik niet zeggen', en: 'Prefer not to say' };

export interface OrganisationCategory {
  key: string;
  label: Label;
  hidden: boolean;
  /** false for the defaults, true for the organisation's own additions. */
  custom: boolean;
}

export type CategoriesByKind = Record<CaseKind, OrganisationCategory[]>;

/** Every category of the organisation, hidden ones included: defaults first, then additions. */
export async function listOrganisationCategories(db: Db, organisationId: string): Promise<CategoriesByKind> {
  const rows = await withCompliance(db as Kysely<Database>)
    .selectFrom('organisation_categories')
    .select(['kind', 'key', 'label_nl', 'label_en', 'hidden'])
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at')
    .orderBy('key')
    .execute();
  const out = { ongewenst_gedrag: [], misstand: [] } as CategoriesByKind;
  for (const kind of CASE_KINDS) {
    const own = new Map(rows.filter((r) => r.kind === kind).map((r) => [r.key, r]));
    for (const key of DEFAULT_CATEGORIES[kind]) {
      const o = own.get(key);
      const label = DEFAULT_CATEGORY_LABELS[kind][key] ?? { nl: key, en: key };
      out[kind].push({ key, label: o ? { nl: o.label_nl, en: o.label_en } : label, hidden: o?.hidden ?? false, custom: false });
      own.delete(key);
    }
    for (const o of own.values()) out[kind].push({ key: o.key, label: { nl: o.label_nl, en: o.label_en }, hidden: o.hidden, custom: true });
  }
  return out;
}

/** The category keys a melder may choose per kind (visible ones; `undisclosed` is always allowed too). */
export async function organisationCategories(db: Db, organisationId: string): Promise<Record<CaseKind, string[]>> {
  const all = await listOrganisationCategories(db, organisationId);
  return {
    ongewenst_gedrag: all.ongewenst_gedrag.filter((c) => !c.hidden).map((c) => c.key),
    misstand: all.misstand.filter((c) => !c.hidden).map((c) => c.key),
  };
}

/** What the melder's create-case check asks: a visible category of this organisation, or `undisclosed`. */
export async function isOrganisationCategory(db: Db, organisationId: string, kind: CaseKind, category: string): Promise<boolean> {
  if (category === UNDISCLOSED) return true;
  return (await organisationCategories(db, organisationId))[kind].includes(category);
}

/** A label for any key seen in data (also hidden or since-removed ones). */
export function labelOf(categories: CategoriesByKind, kind: CaseKind, key: string): Label {
  if (key === UNDISCLOSED) return UNDISCLOSED_LABEL;
  return categories[kind].find((c) => c.key === key)?.label ?? DEFAULT_CATEGORY_LABELS[kind][key] ?? { nl: key, en: key };
}
