// Query code of the notification job: what each advisor has not been told about yet, and the
// claims that make sure nothing is told twice. The advisor_notifications table comes from
// migration 2026_11_22_1900; its interface lives here until the shared Database has it.
import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';

export type NotificationItem =
  | 'new_case' | 'new_message' | 'first_reply_due_soon' | 'first_reply_overdue' | 'feedback_due_soon' | 'feedback_overdue';

export interface AdvisorNotificationsTable {
  id: Generated<string>;
  account_id: string;
  case_id: string;
  item: NotificationItem;
  message_id: string | null;
  claimed_at: ColumnType<Date, Date, Date>;
  sent_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export type NotificationsDatabase = Database & { advisor_notifications: AdvisorNotificationsTable };
type Db = Kysely<NotificationsDatabase> | Transaction<NotificationsDatabase>;

export const withNotifications = (db: Kysely<Database>) => db.withTables<{ advisor_notifications: AdvisorNotificationsTable }>();

export interface PendingItem {
  accountId: string;
  email: string;
  caseId: string;
  item: NotificationItem;
  messageId: string | null;
}

/** Cases that can still need the advisor: contents kept, not closed or handed over, advisor active. */
function openCases(db: Db) {
  return db
    .selectFrom('cases as c')
    .innerJoin('accounts as a', 'a.id', 'c.advisor_id')
    .where('a.status', '=', 'active')
    .where('c.content_deleted_at', 'is', null)
    .where('c.status', 'not in', ['afgesloten', 'overgedragen']);
}

/** New cases whose report the advisor has neither read nor been told about. */
export async function pendingNewCases(db: Db): Promise<PendingItem[]> {
  const rows = await openCases(db)
    .select(['c.id as caseId', 'c.advisor_id as accountId', 'a.email'])
    .where('c.status', '=', 'nieuw')
    .where((eb) => eb.exists(
      eb.selectFrom('messages as m').select('m.id').whereRef('m.case_id', '=', 'c.id').where('m.kind', '=', 'report').where('m.read_at', 'is', null),
    ))
    .where((eb) => eb.not(eb.exists(
      eb.selectFrom('advisor_notifications as n').select('n.id')
        .whereRef('n.case_id', '=', 'c.id').whereRef('n.account_id', '=', 'c.advisor_id').where('n.item', '=', 'new_case'),
    )))
    .execute();
  return rows.map((r) => ({ ...r, item: 'new_case' as const, messageId: null }));
}

/** Unread melder messages (after the report) the advisor has not been told about. */
export async function pendingMessages(db: Db): Promise<PendingItem[]> {
  const rows = await openCases(db)
    .innerJoin('messages as m', 'm.case_id', 'c.id')
    .select(['c.id as caseId', 'c.advisor_id as accountId', 'a.email', 'm.id as messageId'])
    .where('m.sender_role', '=', 'melder')
    .where('m.read_at', 'is', null)
    .where('m.kind', 'in', ['message', 'wishes'])
    .where((eb) => eb.not(eb.exists(
      eb.selectFrom('advisor_notifications as n').select('n.id').whereRef('n.message_id', '=', 'm.id').whereRef('n.account_id', '=', 'c.advisor_id'),
    )))
    .execute();
  return rows.map((r) => ({ ...r, item: 'new_message' as const }));
}

export interface DeadlineCandidate {
  caseId: string;
  accountId: string;
  email: string;
  firstReplyDueAt: Date;
  firstReplyAt: Date | null;
  feedbackDueAt: Date | null;
  feedbackGivenAt: Date | null;
  notified: NotificationItem[];
}

/** Open cases with a deadline that is near or past, with the reminders already sent for them. */
export async function deadlineCandidates(db: Db, replyHorizon: Date, feedbackHorizon: Date): Promise<DeadlineCandidate[]> {
  const rows = await openCases(db)
    .select([
      'c.id as caseId', 'c.advisor_id as accountId', 'a.email', 'c.first_reply_due_at as firstReplyDueAt', 'c.first_reply_at as firstReplyAt',
      'c.feedback_due_at as feedbackDueAt', 'c.feedback_given_at as feedbackGivenAt',
    ])
    .where((eb) => eb.or([
      eb.and([eb('c.first_reply_at', 'is', null), eb('c.first_reply_due_at', '<=', replyHorizon)]),
      eb.and([eb('c.feedback_given_at', 'is', null), eb('c.feedback_due_at', '<=', feedbackHorizon)]),
    ]))
    .execute();
  if (rows.length === 0) return [];
  const notified = await db
    .selectFrom('advisor_notifications')
    .select(['case_id', 'account_id', 'item'])
    .where('case_id', 'in', rows.map((r) => r.caseId))
    .where('message_id', 'is', null)
    .execute();
  return rows.map((r) => ({
    ...r,
    notified: notified.filter((n) => n.case_id === r.caseId && n.account_id === r.accountId).map((n) => n.item),
  }));
}

/** Claims items for sending; returns only the ones this call claimed (no double claims). */
export async function claim(db: Db, items: PendingItem[], now: Date): Promise<Array<{ id: string; accountId: string }>> {
  const caseItems = items.filter((i) => i.messageId === null);
  const messageItems = items.filter((i) => i.messageId !== null);
  const values = (list: PendingItem[]) =>
    list.map((i) => ({ account_id: i.accountId, case_id: i.caseId, item: i.item, message_id: i.messageId, claimed_at: now }));
  const claimed: Array<{ id: string; account_id: string }> = [];
  if (caseItems.length) {
    claimed.push(...await db.insertInto('advisor_notifications').values(values(caseItems))
      .onConflict((oc) => oc.columns(['account_id', 'case_id', 'item']).where('message_id', 'is', null).doNothing())
      .returning(['id', 'account_id'])
      .execute());
  }
  if (messageItems.length) {
    claimed.push(...await db.insertInto('advisor_notifications').values(values(messageItems))
      .onConflict((oc) => oc.columns(['account_id', 'message_id']).where('message_id', 'is not', null).doNothing())
      .returning(['id', 'account_id'])
      .execute());
  }
  return claimed.map((c) => ({ id: c.id, accountId: c.account_id }));
}

/** Claims older than `before` that were never sent (a run that crashed) are released. */
export async function releaseStaleClaims(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('advisor_notifications').where('sent_at', 'is', null).where('claimed_at', '<', before).execute();
}

export async function markSent(db: Db, ids: string[], now: Date): Promise<void> {
  if (ids.length) await db.updateTable('advisor_notifications').set({ sent_at: now }).where('id', 'in', ids).execute();
}

export async function releaseClaims(db: Db, ids: string[]): Promise<void> {
  if (ids.length) await db.deleteFrom('advisor_notifications').where('id', 'in', ids).execute();
}
