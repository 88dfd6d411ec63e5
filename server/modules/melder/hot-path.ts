// The melder's two busiest requests — read the thread, post a message — each in as few database
// round trips as the work allows, because on a small machine round trips are most of a request's
// cost (bench/results: the throughput section).
//
// - The session check (valid, not idle, not expired; touched at most every 30 s) and the case
//   with its organisation and advisor are one call of a stored function whose plans PostgreSQL
//   keeps per connection (planning the four-table join was most of its CPU per request).
// - Rows come back already in the API's shape (camelCase names, timestamps as ISO text), so the
//   route can hand plain objects to JSON.stringify. The select lists name exactly the fields the
//   response schema names — tests/server/melder.test.ts checks the shape strictly. (Building the
//   JSON in PostgreSQL was tried: json_agg's escaping of 80 KB of ciphertext tripled
//   PostgreSQL's CPU per request.)
//
// These functions only cover the success path. When they find nothing (no session, an expired
// or idle one, a deleted case), the caller falls back to the ordinary code path, which gives
// exactly the same errors (and clean-up) as before.
import { sql, type Kysely } from 'kysely';
import type { Case, Database } from '../../db/database.ts';
import { digestToken } from '../../lib/tokens.ts';
import { IDLE_MS, TOUCH_AFTER_MS } from '../sessions/service.ts';

/**
 * The session's case with its organisation and advisor, when the token is a live melder session;
 * touches the session as findSession would. One statement: the stored function
 * melder_session_case (migrations/2026_11_22_2200_*), whose plans PostgreSQL keeps.
 */
function sessionCase(token: string, now: Date) {
  const digest = digestToken(token);
  const idleSince = new Date(now.getTime() - IDLE_MS);
  const touchBefore = new Date(now.getTime() - TOUCH_AFTER_MS);
  return sql<HotCaseRow>`SELECT * FROM melder_session_case(${digest}, ${now}, ${idleSince}, ${touchBefore})`;
}

export type HotCaseRow = Pick<
  Case,
  | 'id' | 'status' | 'kind' | 'category' | 'melder_public_key' | 'created_at' | 'acknowledged_at' | 'first_reply_due_at'
  | 'first_reply_at' | 'feedback_due_at' | 'feedback_given_at' | 'closed_at' | 'closed_by'
> & { org_slug: string; org_name: string; advisor_id: string; advisor_name: string; advisor_public_key: string | null };


/** A message as the API shows it (ThreadMessage); timestamps already as ISO text. */
export interface ThreadMessageRow {
  id: string;
  senderRole: 'melder' | 'advisor';
  kind: 'report' | 'message' | 'wishes';
  ciphertext: string;
  createdAt: string;
  readAt: string | null;
}
/** A complete file as the API shows it (ThreadAttachment). */
export interface ThreadAttachmentRow {
  id: string;
  uploaderRole: 'melder' | 'advisor';
  encryptedManifest: string;
  size: string;
  createdAt: string;
}

export type HotThread = { row: HotCaseRow; messages: ThreadMessageRow[]; attachments: ThreadAttachmentRow[] };

type ThreadRow =
  | { part: 'c'; state: Record<string, unknown> }
  | { part: 'm'; id: string; role: 'melder' | 'advisor'; kind: 'report' | 'message' | 'wishes'; body: string; created_at: string; read_at: string | null }
  | { part: 'a'; id: string; role: 'melder' | 'advisor'; body: string; size: string; created_at: string };

/**
 * The case, its shared messages and its complete files, for a live melder session; or null.
 * One statement: melder_thread (migrations/2026_11_22_2200_*).
 */
export async function melderThread(db: Kysely<Database>, token: string, now = new Date()): Promise<HotThread | null> {
  if (!token || token.length > 100) return null;
  const digest = digestToken(token);
  const { rows } = await sql<ThreadRow>`
    SELECT part, id, role, kind, body, size, created_at, read_at, state
    FROM melder_thread(${digest}, ${now}, ${new Date(now.getTime() - IDLE_MS)}, ${new Date(now.getTime() - TOUCH_AFTER_MS)})`.execute(db);
  const head = rows[0];
  if (head?.part !== 'c') return null;
  const messages: ThreadMessageRow[] = [];
  const attachments: ThreadAttachmentRow[] = [];
  for (const r of rows) {
    if (r.part === 'm') messages.push({ id: r.id, senderRole: r.role, kind: r.kind, ciphertext: r.body, createdAt: r.created_at, readAt: r.read_at });
    else if (r.part === 'a') attachments.push({ id: r.id, uploaderRole: r.role, encryptedManifest: r.body, size: r.size, createdAt: r.created_at });
  }
  // The state comes as JSON: its timestamps are text, which stateOf() reads like Dates.
  return { row: head.state as unknown as HotCaseRow, messages, attachments };
}

/** The case with both parties' public keys, for a live melder session; or null. */
export async function melderCase(db: Kysely<Database>, token: string, now = new Date()): Promise<HotCaseRow | null> {
  if (!token || token.length > 100) return null;
  const { rows } = await sessionCase(token, now).execute(db);
  return rows[0] ?? null;
}

/**
 * Stores a message and the case's last activity in one statement (add_thread_message); returns
 * the stored message as the API shows it (ThreadMessage).
 */
export async function insertMessage(
  db: Kysely<Database>,
  values: { caseId: string; senderRole: 'melder' | 'advisor'; senderAccountId: string | null; kind: 'message' | 'wishes'; ciphertext: string },
): Promise<ThreadMessageRow> {
  const { rows } = await sql<{ id: string; created_at: string; read_at: null }>`
    SELECT id, created_at, read_at
    FROM add_thread_message(${values.caseId}, ${values.senderRole}, ${values.senderAccountId}, ${values.kind}, ${values.ciphertext})`.execute(db);
  const m = rows[0]!;
  return { id: m.id, senderRole: values.senderRole, kind: values.kind, ciphertext: values.ciphertext, createdAt: m.created_at, readAt: m.read_at };
}
