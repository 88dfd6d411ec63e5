// The first schema: organisations, staff accounts (advisors and admins) with their memberships,
// credential reservations, cases, messages, attachments in chunks, sessions and audit events.
// Frozen in time: no imports from app code. SQL kept to what PostgreSQL 15 supports.
import { sql, type Kysely } from 'kysely';

const UP = `
    CREATE TABLE organisations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$'),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      first_reply_days integer NOT NULL DEFAULT 7 CHECK (first_reply_days BETWEEN 1 AND 90),
      retention_days integer NOT NULL DEFAULT 365 CHECK (retention_days BETWEEN 30 AND 3650),
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE accounts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL UNIQUE CHECK (email = lower(email)),
      name text NOT NULL,
      status text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'active', 'deactivated')),
      public_key text,
      locked_private_key text,
      recovery_locked_private_key text,
      login_key_hash text,
      recovery_login_key_hash text,
      totp_secret_encrypted text,
      totp_last_step bigint,
      created_at timestamptz NOT NULL DEFAULT now(),
      activated_at timestamptz
    );

    CREATE TABLE memberships (
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('advisor', 'admin')),
      affiliation text NOT NULL DEFAULT 'internal' CHECK (affiliation IN ('internal', 'external')),
      introduction text NOT NULL DEFAULT '',
      available boolean NOT NULL DEFAULT true,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, organisation_id, role)
    );
    CREATE INDEX memberships_organisation_idx ON memberships (organisation_id, role);

    CREATE TABLE invites (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      token_digest text NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE credential_reservations (
      code_digest text PRIMARY KEY,
      organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX credential_reservations_expiry_idx ON credential_reservations (expires_at);

    CREATE TABLE cases (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organisation_id uuid NOT NULL REFERENCES organisations(id),
      code_digest text NOT NULL UNIQUE,
      reference text NOT NULL UNIQUE,
      kind text NOT NULL CHECK (kind IN ('ongewenst_gedrag', 'misstand')),
      category text NOT NULL,
      advisor_id uuid NOT NULL REFERENCES accounts(id),
      status text NOT NULL DEFAULT 'nieuw'
        CHECK (status IN ('nieuw', 'in_behandeling', 'nazorg', 'afgesloten', 'overgedragen')),
      login_key_hash text,
      melder_public_key text,
      melder_locked_private_key text,
      registration jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      acknowledged_at timestamptz NOT NULL DEFAULT now(),
      first_reply_due_at timestamptz NOT NULL,
      first_reply_at timestamptz,
      feedback_due_at timestamptz,
      feedback_given_at timestamptz,
      closed_at timestamptz,
      closed_by text CHECK (closed_by IN ('melder', 'advisor')),
      last_activity_at timestamptz NOT NULL DEFAULT now(),
      content_deleted_at timestamptz
    );
    CREATE INDEX cases_advisor_idx ON cases (advisor_id, status, last_activity_at DESC);
    CREATE INDEX cases_organisation_idx ON cases (organisation_id, created_at);

    CREATE TABLE messages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      sender_role text NOT NULL CHECK (sender_role IN ('melder', 'advisor')),
      sender_account_id uuid REFERENCES accounts(id),
      kind text NOT NULL CHECK (kind IN ('report', 'message', 'wishes', 'note')),
      ciphertext text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      read_at timestamptz
    );
    CREATE INDEX messages_case_idx ON messages (case_id, created_at);

    CREATE TABLE attachments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      message_id uuid REFERENCES messages(id) ON DELETE SET NULL,
      uploader_role text NOT NULL CHECK (uploader_role IN ('melder', 'advisor')),
      encrypted_manifest text NOT NULL,
      size bigint NOT NULL DEFAULT 0,
      chunk_count integer NOT NULL DEFAULT 0,
      complete boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE INDEX attachments_case_idx ON attachments (case_id, created_at);

    CREATE TABLE attachment_chunks (
      attachment_id uuid NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
      seq integer NOT NULL,
      data bytea NOT NULL,
      PRIMARY KEY (attachment_id, seq)
    );

    CREATE TABLE sessions (
      token_digest text PRIMARY KEY,
      subject text NOT NULL CHECK (subject IN ('melder', 'staff')),
      case_id uuid REFERENCES cases(id) ON DELETE CASCADE,
      account_id uuid REFERENCES accounts(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      CHECK ((subject = 'melder' AND case_id IS NOT NULL) OR (subject = 'staff' AND account_id IS NOT NULL))
    );
    CREATE INDEX sessions_expiry_idx ON sessions (expires_at);

    CREATE TABLE audit_events (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      actor_type text NOT NULL,
      actor_id uuid,
      organisation_id uuid,
      case_id uuid,
      action text NOT NULL,
      detail jsonb NOT NULL DEFAULT '{}'::jsonb,
      prev_hash text NOT NULL,
      hash text NOT NULL
    );
    CREATE INDEX audit_events_case_idx ON audit_events (case_id);
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  // One statement at a time: prepared statements (PGlite, pg with parameters) take one command.
  for (const statement of UP.split(/;\s*\n/).map((x) => x.trim()).filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS audit_events, sessions, attachment_chunks, attachments, messages, cases, credential_reservations, invites, memberships, accounts, organisations`.execute(db);
}
