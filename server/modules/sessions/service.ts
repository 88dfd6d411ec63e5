// Sessions for melders and staff: a random bearer token in an HttpOnly, SameSite=Strict cookie;
// only its SHA-256 digest is stored. 30 minutes idle; 12 hours at most.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { digestToken, randomToken } from '../../lib/tokens.ts';

export const IDLE_MS = 30 * 60_000;
export const MAX_MS = 12 * 3600_000;
export const TOUCH_AFTER_MS = 30_000;

export type SessionSubject = { subject: 'melder'; caseId: string } | { subject: 'staff'; accountId: string };

export interface ActiveSession {
  tokenDigest: string;
  subject: 'melder' | 'staff';
  caseId: string | null;
  accountId: string | null;
}

export async function createSession(db: Kysely<Database>, who: SessionSubject, now = new Date()): Promise<string> {
  const token = randomToken();
  await db
    .insertInto('sessions')
    .values({
      token_digest: digestToken(token),
      subject: who.subject,
      case_id: who.subject === 'melder' ? who.caseId : null,
      account_id: who.subject === 'staff' ? who.accountId : null,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + MAX_MS),
    })
    .execute();
  return token;
}

export async function findSession(db: Kysely<Database>, token: string, now = new Date()): Promise<ActiveSession | null> {
  if (!token || token.length > 100) return null;
  const digest = digestToken(token);
  const row = await db.selectFrom('sessions').selectAll().where('token_digest', '=', digest).executeTakeFirst();
  if (!row) return null;
  const idle = now.getTime() - new Date(row.last_seen_at).getTime();
  if (now >= new Date(row.expires_at) || idle > IDLE_MS) {
    await db.deleteFrom('sessions').where('token_digest', '=', digest).execute();
    return null;
  }
  if (idle > TOUCH_AFTER_MS) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('token_digest', '=', digest).execute();
  }
  return { tokenDigest: digest, subject: row.subject, caseId: row.case_id, accountId: row.account_id };
}

export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_digest', '=', digestToken(token)).execute();
}

export async function deleteSessionsOfAccount(db: Kysely<Database>, accountId: string): Promise<void> {
  await db.deleteFrom('sessions').where('account_id', '=', accountId).execute();
}
