// Indexes for lookups by a foreign key that had none, found by the benchmark (bench/, issue 7)
// on 100,000 cases: without them each of these is a sequential scan of a table that only grows.
// - sessions by account: "log out everywhere", password change, recovery (DELETE … WHERE
//   account_id = …) and ON DELETE CASCADE from accounts;
// - sessions by case, attachments by message, advisor notifications by case and by message:
//   the ON DELETE CASCADE / SET NULL checks PostgreSQL runs once per deleted row when a case or
//   its messages are deleted (retention, erasure) — measured at 20,000 cases: 70 ms per deleted
//   case without them, 0.5 ms with them, and growing with the tables.
// Partial where the column is mostly NULL. Plain CREATE INDEX (migrations run in a transaction):
// it blocks writes to these tables while it builds, a second or two at this size.
// Frozen in time: no imports from app code.
import { sql, type Kysely } from 'kysely';

const UP = `
    CREATE INDEX sessions_account_idx ON sessions (account_id) WHERE account_id IS NOT NULL;
    CREATE INDEX sessions_case_idx ON sessions (case_id) WHERE case_id IS NOT NULL;
    CREATE INDEX attachments_message_idx ON attachments (message_id) WHERE message_id IS NOT NULL;
    CREATE INDEX advisor_notifications_case_idx ON advisor_notifications (case_id);
    CREATE INDEX advisor_notifications_message_only_idx ON advisor_notifications (message_id) WHERE message_id IS NOT NULL
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP.split(/;\s*\n/).map((x) => x.trim()).filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS advisor_notifications_message_only_idx, advisor_notifications_case_idx, attachments_message_idx, sessions_case_idx, sessions_account_idx`.execute(db);
}
