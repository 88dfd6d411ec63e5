// Query code of the advisor module: invites, accounts, the inbox and the advisor's view of a case.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Account, Case, CaseKind, CaseStatus, Database, Message, MembershipRole } from '../../db/database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface InviteRow {
  id: string;
  account_id: string;
  expires_at: Date;
  used_at: Date | null;
  email: string;
  name: string;
  status: Account['status'];
}

export async function findInviteByDigest(db: Db, tokenDigest: string): Promise<InviteRow | undefined> {
  return db
    .selectFrom('invites as i')
    .innerJoin('accounts as a', 'a.id', 'i.account_id')
    .select(['i.id', 'i.account_id', 'i.expires_at', 'i.used_at', 'a.email', 'a.name', 'a.status'])
    .where('i.token_digest', '=', tokenDigest)
    .executeTakeFirst();
}

/** Marks the invite used; false when another request used it first (or it expired meanwhile). */
export async function claimInvite(db: Db, inviteId: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('invites')
    .set({ used_at: now })
    .where('id', '=', inviteId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface ActivationValues {
  publicKey: string;
  lockedPrivateKey: string;
  recoveryLockedPrivateKey: string;
  loginKeyHash: string;
  recoveryLoginKeyHash: string;
  totpSecretEncrypted: string;
  totpLastStep: number;
}

export async function activateAccount(db: Db, accountId: string, v: ActivationValues, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('accounts')
    .set({
      status: 'active',
      public_key: v.publicKey,
      locked_private_key: v.lockedPrivateKey,
      recovery_locked_private_key: v.recoveryLockedPrivateKey,
      login_key_hash: v.loginKeyHash,
      recovery_login_key_hash: v.recoveryLoginKeyHash,
      totp_secret_encrypted: v.totpSecretEncrypted,
      totp_last_step: v.totpLastStep,
      activated_at: now,
    })
    .where('id', '=', accountId)
    .where('status', '=', 'invited')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findAccountByEmail(db: Db, email: string): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findAccountById(db: Db, id: string): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records the TOTP step used; false when this or a later step was used already (a replay). */
export async function useTotpStep(db: Db, accountId: string, step: number): Promise<boolean> {
  const r = await db
    .updateTable('accounts')
    .set({ totp_last_step: step })
    .where('id', '=', accountId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setPassword(db: Db, accountId: string, loginKeyHash: string, lockedPrivateKey: string): Promise<void> {
  await db.updateTable('accounts').set({ login_key_hash: loginKeyHash, locked_private_key: lockedPrivateKey }).where('id', '=', accountId).execute();
}

export async function deleteSessionsOfAccountExcept(db: Db, accountId: string, keepTokenDigest: string): Promise<void> {
  await db.deleteFrom('sessions').where('account_id', '=', accountId).where('token_digest', '!=', keepTokenDigest).execute();
}

export interface MembershipRow {
  slug: string;
  name: string;
  role: MembershipRole;
}

export async function listMemberships(db: Db, accountId: string): Promise<MembershipRow[]> {
  return db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select(['o.slug', 'o.name', 'm.role'])
    .where('m.account_id', '=', accountId)
    .where('m.active', '=', true)
    .orderBy('o.name')
    .orderBy('m.role')
    .execute();
}

// --- cases ---------------------------------------------------------------------------------

/** The case when it is assigned to this advisor and its contents still exist; else undefined. */
export async function findAssignedCase(db: Db, accountId: string, caseId: string): Promise<Case | undefined> {
  return db
    .selectFrom('cases')
    .selectAll()
    .where('id', '=', caseId)
    .where('advisor_id', '=', accountId)
    .where('content_deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Shared messages plus this advisor's own notes, oldest first. */
export async function listMessagesForAdvisor(db: Db, caseId: string, accountId: string): Promise<Message[]> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('case_id', '=', caseId)
    .where((eb) => eb.or([eb('kind', '!=', 'note'), eb('sender_account_id', '=', accountId)]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export interface InboxFilter {
  organisationSlug?: string | undefined;
  status?: CaseStatus | undefined;
  kind?: CaseKind | undefined;
}

export interface InboxRow {
  id: string;
  reference: string;
  organisation_slug: string;
  organisation_name: string;
  kind: CaseKind;
  category: string;
  status: CaseStatus;
  unread: string | number;
  first_reply_due_at: Date;
  first_reply_at: Date | null;
  feedback_due_at: Date | null;
  feedback_given_at: Date | null;
  last_activity_at: Date;
  urgency_rank: number;
}

export const FIRST_REPLY_SOON_DAYS = 2;
export const FEEDBACK_SOON_DAYS = 14;
export const URGENCY_BY_RANK = ['overdue', 'due_soon', 'ok', 'done'] as const;

function inboxBase(db: Db, accountId: string, f: InboxFilter) {
  let q = db
    .selectFrom('cases as c')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .where('c.advisor_id', '=', accountId)
    .where('c.content_deleted_at', 'is', null);
  if (f.organisationSlug) q = q.where('o.slug', '=', f.organisationSlug);
  if (f.status) q = q.where('c.status', '=', f.status);
  if (f.kind) q = q.where('c.kind', '=', f.kind);
  return q;
}

/**
 * One page of the advisor's cases, most urgent first: overdue, due soon, then by the earliest
 * open deadline, then by last activity. The WHERE clause is the advisor (cases_advisor_idx);
 * urgency is computed per row against `now`, the page cut in SQL.
 */
export async function listInbox(
  db: Db,
  accountId: string,
  filter: InboxFilter,
  page: { limit: number; offset: number },
  now: Date,
): Promise<{ rows: InboxRow[]; total: number }> {
  const replySoon = new Date(now.getTime() + FIRST_REPLY_SOON_DAYS * 86400_000);
  const feedbackSoon = new Date(now.getTime() + FEEDBACK_SOON_DAYS * 86400_000);
  // An open deadline: the first reply not given yet, or (misstand) the feedback not given yet.
  const replyOpen = sql`(c.first_reply_at IS NULL)`;
  const feedbackOpen = sql`(c.feedback_due_at IS NOT NULL AND c.feedback_given_at IS NULL)`;
  const closed = sql`(c.status IN ('afgesloten', 'overgedragen'))`;
  const urgencyRank = sql<number>`CASE
      WHEN ${closed} THEN 3
      WHEN (${replyOpen} AND c.first_reply_due_at <= ${now}) OR (${feedbackOpen} AND c.feedback_due_at <= ${now}) THEN 0
      WHEN (${replyOpen} AND c.first_reply_due_at <= ${replySoon}) OR (${feedbackOpen} AND c.feedback_due_at <= ${feedbackSoon}) THEN 1
      ELSE 2 END`;
  const nextDue = sql<Date | null>`CASE WHEN ${closed} THEN NULL ELSE LEAST(
      CASE WHEN ${replyOpen} THEN c.first_reply_due_at END,
      CASE WHEN ${feedbackOpen} THEN c.feedback_due_at END) END`;

  const base = inboxBase(db, accountId, filter);
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    base
      .select([
        'c.id', 'c.reference', 'o.slug as organisation_slug', 'o.name as organisation_name', 'c.kind', 'c.category', 'c.status',
        'c.first_reply_due_at', 'c.first_reply_at', 'c.feedback_due_at', 'c.feedback_given_at', 'c.last_activity_at',
      ])
      .select((eb) =>
        eb
          .selectFrom('messages as m')
          .select(eb.fn.countAll<string>().as('n'))
          .whereRef('m.case_id', '=', 'c.id')
          .where('m.sender_role', '=', 'melder')
          .where('m.read_at', 'is', null)
          .as('unread'),
      )
      .select(urgencyRank.as('urgency_rank'))
      .select(nextDue.as('next_due_at'))
      .orderBy('urgency_rank')
      .orderBy('next_due_at', (ob) => ob.asc().nullsLast())
      .orderBy('c.last_activity_at', 'desc')
      .orderBy('c.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
  ]);
  return { rows: rows as unknown as InboxRow[], total: Number(count.total) };
}
