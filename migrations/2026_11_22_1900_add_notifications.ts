// What each advisor has been emailed about, so the notification job never sends an item twice:
// one row per (advisor, case, item) — or per (advisor, message) for a new melder message. A row
// is a claim first (claimed_at) and sent once the mail went out (sent_at); a claim left unsent
// by a crashed run is taken over after a while. Also an index for unread melder messages, which
// the inbox counts and the job looks for. Frozen in time: no imports from app code.
import { sql, type Kysely } from 'kysely';

const UP = `
    CREATE TABLE advisor_notifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      item text NOT NULL CHECK (item IN ('new_case', 'new_message', 'first_reply_due_soon', 'first_reply_overdue', 'feedback_due_soon', 'feedback_overdue')),
      message_id uuid REFERENCES messages(id) ON DELETE CASCADE,
      claimed_at timestamptz NOT NULL,
      sent_at timestamptz,
      CHECK ((item = 'new_message') = (message_id IS NOT NULL))
    );
    CREATE UNIQUE INDEX advisor_notifications_case_item_idx ON advisor_notifications (account_id, case_id, item) WHERE message_id IS NULL;
    CREATE UNIQUE INDEX advisor_notifications_message_idx ON advisor_notifications (account_id, message_id) WHERE message_id IS NOT NULL;
    CREATE INDEX advisor_notifications_unsent_idx ON advisor_notifications (claimed_at) WHERE sent_at IS NULL;
    CREATE INDEX messages_unread_melder_idx ON messages (case_id) WHERE sender_role = 'melder' AND read_at IS NULL
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP.split(/;\s*\n/).map((x) => x.trim()).filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS messages_unread_melder_idx`.execute(db);
  await sql`DROP TABLE IF EXISTS advisor_notifications`.execute(db);
}
