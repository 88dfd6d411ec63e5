// Retention: the contents of a case closed longer ago than its organisation's retention period
// are deleted — messages, files and their chunks, the melder's keys and login hash, the
// registration — and an anonymised statistics row (kind, category, the registration's fixed
// lists, dates rounded to the day; no reference, no advisor, no case id) is kept for annual
// reports. The case row stays as a marker (content_deleted_at) for the meldingenregister, its
// code digest replaced so that it no longer matches the melder's code. Also cleaned: expired
// credential reservations, expired or idle sessions, uploads never completed within a day.
// One run at a time across all instances (a PostgreSQL session advisory lock).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { audit } from '../audit/service.ts';
import { reportRegistration } from '../jaarverslag/data.ts';
import { dayOf } from '../jaarverslag/days.ts';
import { withCompliance } from '../organisations/tables.ts';
import { IDLE_MS } from '../sessions/service.ts';

/** Any constant; the same on every instance. */
export const RETENTION_LOCK_KEY = 4_711_030_261_122;
export const ABANDONED_UPLOAD_MS = 24 * 3600_000;
const BATCH = 100;

export interface RetentionRun {
  /** false when another run held the lock: this one did nothing. */
  ran: boolean;
  casesEmptied: number;
  reservations: number;
  sessions: number;
  uploads: number;
}

const day = (d: Date | string | null) => (d === null ? null : dayOf(d));

/** Empties one case, if it is still due; all or nothing. */
async function emptyCase(trx: Transaction<Database>, caseId: string, now: Date): Promise<boolean> {
  const c = await trx.selectFrom('cases').selectAll().where('id', '=', caseId).where('content_deleted_at', 'is', null).where('status', '=', 'afgesloten').forUpdate().executeTakeFirst();
  if (!c) return false;
  const reg = reportRegistration(c.registration);
  await withCompliance(trx).insertInto('case_statistics').values({
    organisation_id: c.organisation_id,
    kind: c.kind,
    category: c.category,
    registration: reg ? JSON.stringify(reg) : null,
    received_on: dayOf(c.created_at),
    acknowledged_on: dayOf(c.acknowledged_at),
    first_reply_on: day(c.first_reply_at),
    feedback_due_on: day(c.feedback_due_at),
    feedback_given_on: day(c.feedback_given_at),
    closed_on: day(c.closed_at),
  }).execute();
  await trx.deleteFrom('attachments').where('case_id', '=', c.id).execute(); // chunks cascade
  await trx.deleteFrom('messages').where('case_id', '=', c.id).execute();
  await trx.deleteFrom('sessions').where('case_id', '=', c.id).execute();
  await trx
    .updateTable('cases')
    .set({
      login_key_hash: null,
      melder_public_key: null,
      melder_locked_private_key: null,
      registration: null,
      code_digest: `deleted:${c.id}`,
      content_deleted_at: now,
    })
    .where('id', '=', c.id)
    .execute();
  await audit(trx, { actorType: 'system', caseId: c.id, action: 'retention.case_deleted' }, now);
  return true;
}

async function runUnlocked(db: Kysely<Database>, now: Date): Promise<Omit<RetentionRun, 'ran'>> {
  let casesEmptied = 0;
  const done = new Set<string>();
  for (;;) {
    const due = await db
      .selectFrom('cases as c')
      .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
      .select('c.id')
      .where('c.status', '=', 'afgesloten')
      .where('c.content_deleted_at', 'is', null)
      .where(sql<boolean>`c.closed_at < ${now}::timestamptz - make_interval(days => o.retention_days)`)
      .orderBy('c.closed_at')
      .limit(BATCH)
      .execute();
    const todo = due.filter((d) => !done.has(d.id));
    if (todo.length === 0) break;
    for (const { id } of todo) {
      done.add(id);
      if (await db.transaction().execute((trx) => emptyCase(trx, id, now))) casesEmptied++;
    }
  }
  const reservations = await db.deleteFrom('credential_reservations').where('expires_at', '<', now).executeTakeFirst();
  const sessions = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', now), eb('last_seen_at', '<', new Date(now.getTime() - IDLE_MS))]))
    .executeTakeFirst();
  const uploads = await db
    .deleteFrom('attachments')
    .where('complete', '=', false)
    .where('created_at', '<', new Date(now.getTime() - ABANDONED_UPLOAD_MS))
    .executeTakeFirst();
  return {
    casesEmptied,
    reservations: Number(reservations.numDeletedRows),
    sessions: Number(sessions.numDeletedRows),
    uploads: Number(uploads.numDeletedRows),
  };
}

/**
 * One retention run at `now`. Holds a session-level advisory lock on one connection for the
 * whole run (each case is emptied in its own short transaction on that connection); a second
 * run meanwhile — in this process or another instance — returns { ran: false } at once.
 */
export async function runRetention(db: Kysely<Database>, now = new Date()): Promise<RetentionRun> {
  return db.connection().execute(async (conn) => {
    const lock = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(${sql.lit(RETENTION_LOCK_KEY)}) AS locked`.execute(conn);
    if (!lock.rows[0]?.locked) return { ran: false, casesEmptied: 0, reservations: 0, sessions: 0, uploads: 0 };
    try {
      return { ran: true, ...(await runUnlocked(conn, now)) };
    } finally {
      await sql`SELECT pg_advisory_unlock(${sql.lit(RETENTION_LOCK_KEY)})`.execute(conn);
    }
  });
}
