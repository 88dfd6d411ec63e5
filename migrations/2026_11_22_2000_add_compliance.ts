// Organisation and compliance: the one-time setup token, each organisation's settings (profile,
// public texts in Markdown, external authorities switched off, annual-report threshold), its
// categories (renamed, hidden or added defaults), the advisor's recommendations per annual
// report, and the anonymised statistics rows that retention leaves behind when it deletes a
// case's contents. Frozen in time: no imports from app code.
import { sql, type Kysely } from 'kysely';

const UP = `
    CREATE TABLE setup_token (
      id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      token text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE organisation_settings (
      organisation_id uuid PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
      logo_data_url text CHECK (logo_data_url IS NULL OR length(logo_data_url) <= 300000),
      accent_colour text CHECK (accent_colour IS NULL OR accent_colour ~ '^#[0-9a-f]{6}$'),
      introduction_nl text NOT NULL DEFAULT '' CHECK (length(introduction_nl) <= 20000),
      introduction_en text NOT NULL DEFAULT '' CHECK (length(introduction_en) <= 20000),
      procedure_nl text NOT NULL DEFAULT '' CHECK (length(procedure_nl) <= 20000),
      procedure_en text NOT NULL DEFAULT '' CHECK (length(procedure_en) <= 20000),
      authorities_disabled jsonb NOT NULL DEFAULT '[]'::jsonb,
      report_threshold integer NOT NULL DEFAULT 5 CHECK (report_threshold BETWEEN 3 AND 99),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE organisation_categories (
      organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('ongewenst_gedrag', 'misstand')),
      key text NOT NULL CHECK (key ~ '^[a-z_]{1,48}$'),
      label_nl text NOT NULL CHECK (length(label_nl) BETWEEN 1 AND 100),
      label_en text NOT NULL CHECK (length(label_en) BETWEEN 1 AND 100),
      hidden boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organisation_id, kind, key)
    );

    CREATE TABLE jaarverslag_recommendations (
      organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
      text text NOT NULL CHECK (length(text) <= 10000),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organisation_id, year)
    );

    CREATE TABLE case_statistics (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('ongewenst_gedrag', 'misstand')),
      category text NOT NULL,
      registration jsonb,
      received_on date NOT NULL,
      acknowledged_on date NOT NULL,
      first_reply_on date,
      feedback_due_on date,
      feedback_given_on date,
      closed_on date
    );
    CREATE INDEX case_statistics_organisation_idx ON case_statistics (organisation_id, received_on);

    CREATE INDEX cases_retention_idx ON cases (closed_at) WHERE status = 'afgesloten' AND content_deleted_at IS NULL
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP.split(/;\s*\n/).map((x) => x.trim()).filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS cases_retention_idx`.execute(db);
  await sql`DROP TABLE IF EXISTS case_statistics, jaarverslag_recommendations, organisation_categories, organisation_settings, setup_token`.execute(db);
}
