// Query code for cases, messages and attachments, shared by the melder and advisor modules.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Case, Database, Message, MessageKind, NewCase, SenderRole } from '../../db/database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertCase(db: Db, values: NewCase): Promise<Case> {
  return db.insertInto('cases').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findCaseByCodeDigest(db: Db, codeDigest: string): Promise<Case | undefined> {
  return db.selectFrom('cases').selectAll().where('code_digest', '=', codeDigest).executeTakeFirst();
}

export async function findCaseById(db: Db, id: string): Promise<Case | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertMessage(
  db: Db,
  values: { caseId: string; senderRole: SenderRole; senderAccountId: string | null; kind: MessageKind; ciphertext: string },
): Promise<Message> {
  // One statement: the message and the case's last activity are stored together or not at all,
  // in one round trip.
  return db
    .with('m', (q) =>
      q
        .insertInto('messages')
        .values({ case_id: values.caseId, sender_role: values.senderRole, sender_account_id: values.senderAccountId, kind: values.kind, ciphertext: values.ciphertext })
        .returningAll(),
    )
    .with('u', (q) =>
      q
        .updateTable('cases')
        .set({ last_activity_at: sql<Date>`(select created_at from m)` })
        .where('id', '=', values.caseId)
        .returning('id'),
    )
    .selectFrom('m')
    .selectAll()
    .executeTakeFirstOrThrow() as Promise<Message>;
}

/** Messages both parties see (advisor notes excluded). */
export async function listSharedMessages(db: Db, caseId: string): Promise<Message[]> {
  return db.selectFrom('messages').selectAll().where('case_id', '=', caseId).where('kind', '!=', 'note').orderBy('created_at').orderBy('id').execute();
}

export async function markMessagesRead(db: Db, caseId: string, fromRole: SenderRole, now: Date): Promise<number> {
  const r = await db
    .updateTable('messages')
    .set({ read_at: now })
    .where('case_id', '=', caseId)
    .where('sender_role', '=', fromRole)
    .where('kind', '!=', 'note')
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface AttachmentRow {
  id: string;
  uploader_role: SenderRole;
  encrypted_manifest: string;
  size: string;
  complete: boolean;
  created_at: Date;
}

export async function listAttachments(db: Db, caseId: string): Promise<AttachmentRow[]> {
  return db
    .selectFrom('attachments')
    .select(['id', 'uploader_role', 'encrypted_manifest', 'size', 'complete', 'created_at'])
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .execute();
}

export async function caseStoredBytes(db: Db, caseId: string): Promise<number> {
  const r = await db
    .selectFrom('attachments')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('size'), eb.val('0')).as('total'))
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  return Number(r.total);
}
