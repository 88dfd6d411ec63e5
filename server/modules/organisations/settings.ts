// An organisation's settings beyond its name: profile (logo, accent colour), public texts in
// Markdown, the external authorities switched off, and the annual report's threshold. One row
// per organisation, created on first change; an organisation without a row has the defaults.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { AUTHORITY_KEYS } from './authorities.ts';
import { withCompliance } from './tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const DEFAULT_REPORT_THRESHOLD = 5;
export const MIN_REPORT_THRESHOLD = 3;

export interface PublicTexts {
  introduction: string;
  procedure: string;
}

export interface OrganisationSettings {
  logoDataUrl: string | null;
  accentColour: string | null;
  texts: { nl: PublicTexts; en: PublicTexts };
  authoritiesDisabled: string[];
  reportThreshold: number;
}

export const DEFAULT_SETTINGS: OrganisationSettings = {
  logoDataUrl: null,
  accentColour: null,
  texts: { nl: { introduction: '', procedure: '' }, en: { introduction: '', procedure: '' } },
  authoritiesDisabled: [],
  reportThreshold: DEFAULT_REPORT_THRESHOLD,
};

function parseList(v: unknown): string[] {
  const list = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}

export async function getSettings(db: Db, organisationId: string): Promise<OrganisationSettings> {
  const row = await withCompliance(db as Kysely<Database>)
    .selectFrom('organisation_settings')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  if (!row) return structuredClone(DEFAULT_SETTINGS);
  return {
    logoDataUrl: row.logo_data_url,
    accentColour: row.accent_colour,
    texts: {
      nl: { introduction: row.introduction_nl, procedure: row.procedure_nl },
      en: { introduction: row.introduction_en, procedure: row.procedure_en },
    },
    authoritiesDisabled: parseList(row.authorities_disabled).filter((k) => (AUTHORITY_KEYS as string[]).includes(k)),
    reportThreshold: row.report_threshold,
  };
}

export interface SettingsPatch {
  logoDataUrl?: string | null;
  accentColour?: string | null;
  texts?: { nl: PublicTexts; en: PublicTexts };
  authoritiesDisabled?: string[];
  reportThreshold?: number;
}

/** Writes the given fields (others keep their value), creating the row when needed. */
export async function updateSettings(db: Db, organisationId: string, patch: SettingsPatch, now = new Date()): Promise<void> {
  const values: Record<string, unknown> = { updated_at: now };
  if (patch.logoDataUrl !== undefined) values.logo_data_url = patch.logoDataUrl;
  if (patch.accentColour !== undefined) values.accent_colour = patch.accentColour;
  if (patch.texts) {
    values.introduction_nl = patch.texts.nl.introduction;
    values.procedure_nl = patch.texts.nl.procedure;
    values.introduction_en = patch.texts.en.introduction;
    values.procedure_en = patch.texts.en.procedure;
  }
  if (patch.authoritiesDisabled) values.authorities_disabled = JSON.stringify([...new Set(patch.authoritiesDisabled)].sort());
  if (patch.reportThreshold !== undefined) values.report_threshold = Math.max(MIN_REPORT_THRESHOLD, patch.reportThreshold);
  await withCompliance(db as Kysely<Database>)
    .insertInto('organisation_settings')
    .values({ organisation_id: organisationId, ...values } as never)
    .onConflict((oc) => oc.column('organisation_id').doUpdateSet(values as never))
    .execute();
}
