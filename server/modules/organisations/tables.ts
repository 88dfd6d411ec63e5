// Tables of migration 2026_11_22_2000 (organisation settings and compliance). Their interfaces
// live here until the shared Database interface has them; `withCompliance(db)` adds them to a
// Kysely instance or transaction (same connection, no copy).
import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';
import type { CaseKind, Database } from '../../db/database.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A calendar day, `YYYY-MM-DD`; select it with to_char (drivers parse `date` differently). */
type Day = ColumnType<string, string, string>;
type NullableDay = ColumnType<string | null, string | null | undefined, string | null>;

export interface SetupTokenTable {
  id: Generated<number>;
  token: string;
  created_at: Timestamp;
}

export interface OrganisationSettingsTable {
  organisation_id: string;
  logo_data_url: string | null;
  accent_colour: string | null;
  introduction_nl: Generated<string>;
  introduction_en: Generated<string>;
  procedure_nl: Generated<string>;
  procedure_en: Generated<string>;
  /** JSON array of authority keys the admin switched off (new authorities show by default). */
  authorities_disabled: ColumnType<unknown, string | undefined, string>;
  report_threshold: Generated<number>;
  updated_at: Timestamp;
}

export interface OrganisationCategoriesTable {
  organisation_id: string;
  kind: CaseKind;
  key: string;
  label_nl: string;
  label_en: string;
  hidden: Generated<boolean>;
  created_at: Timestamp;
}

export interface JaarverslagRecommendationsTable {
  organisation_id: string;
  year: number;
  text: string;
  updated_at: Timestamp;
}

export interface CaseStatisticsTable {
  id: Generated<string>;
  organisation_id: string;
  kind: CaseKind;
  category: string;
  registration: ColumnType<unknown | null, string | null | undefined, string | null>;
  received_on: Day;
  acknowledged_on: Day;
  first_reply_on: NullableDay;
  feedback_due_on: NullableDay;
  feedback_given_on: NullableDay;
  closed_on: NullableDay;
}

// A type alias (not an interface): withTables<T> needs T to have an implicit index signature.
export type ComplianceTables = {
  setup_token: SetupTokenTable;
  organisation_settings: OrganisationSettingsTable;
  organisation_categories: OrganisationCategoriesTable;
  jaarverslag_recommendations: JaarverslagRecommendationsTable;
  case_statistics: CaseStatisticsTable;
};

export type ComplianceDatabase = Database & ComplianceTables;
export type ComplianceDb = Kysely<ComplianceDatabase> | Transaction<ComplianceDatabase>;
type AnyDb = Kysely<Database> | Transaction<Database>;

export function withCompliance(db: Transaction<Database>): Transaction<ComplianceDatabase>;
export function withCompliance(db: Kysely<Database>): Kysely<ComplianceDatabase>;
export function withCompliance(db: AnyDb): ComplianceDb {
  return db.withTables<ComplianceTables>() as ComplianceDb;
}
