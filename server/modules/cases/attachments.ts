// Encrypted files. The browser encrypts a file as a binary OpenPGP message and its name, type
// and size in a separate encrypted manifest. The server stores the ciphertext in fixed-size
// chunks as it streams in and streams it back out chunk by chunk: never whole in memory.
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database, SenderRole } from '../../db/database.ts';
import { AppError, InvalidInputError, NotFoundError } from '../../lib/errors.ts';
import { assertEncryptedTo } from './ciphertext.ts';
import { caseStoredBytes } from './repository.ts';

export const CHUNK_BYTES = 256 * 1024;

export class FileTooLargeError extends AppError {
  constructor(code: 'file_too_large' | 'case_quota_exceeded', limitBytes: number) {
    super(413, code, code === 'file_too_large'
      ? `A file may be at most ${Math.round(limitBytes / 1048576)} MB`
      : `The files of a case may be at most ${Math.round(limitBytes / 1048576)} MB together`);
  }
}

export async function createAttachment(
  db: Kysely<Database>,
  input: { caseId: string; uploaderRole: SenderRole; encryptedManifest: string; recipients: string[] },
): Promise<string> {
  await assertEncryptedTo({ armoredMessage: input.encryptedManifest }, input.recipients, 'file description');
  // Uploads abandoned before completion are removed here and by the retention job.
  await db.deleteFrom('attachments').where('case_id', '=', input.caseId).where('complete', '=', false)
    .where('created_at', '<', new Date(Date.now() - 24 * 3600_000)).execute();
  const row = await db
    .insertInto('attachments')
    .values({ case_id: input.caseId, uploader_role: input.uploaderRole, encrypted_manifest: input.encryptedManifest })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A binary OpenPGP message starts with a public-key session key packet (tag 1). */
function startsLikeEncryptedMessage(first: Uint8Array): boolean {
  const b = first[0];
  if (b === undefined) return false;
  if (b === 0xc1) return true; // new format, tag 1
  return (b & 0xc0) === 0x80 && ((b >> 2) & 0x0f) === 1; // old format, tag 1
}

export async function storeAttachmentContent(
  db: Kysely<Database>,
  input: { caseId: string; attachmentId: string; uploaderRole: SenderRole; body: AsyncIterable<Buffer | Uint8Array>; maxFileBytes: number; maxCaseBytes: number },
): Promise<number> {
  const att = await db.selectFrom('attachments').select(['id', 'complete', 'uploader_role']).where('id', '=', input.attachmentId).where('case_id', '=', input.caseId).executeTakeFirst();
  if (!att || att.uploader_role !== input.uploaderRole) throw new NotFoundError('attachment_not_found', 'File not found');
  if (att.complete) throw new AppError(409, 'attachment_complete', 'This file was uploaded already');
  const already = await caseStoredBytes(db, input.caseId);
  const allowed = Math.min(input.maxFileBytes, input.maxCaseBytes - already);
  await db.deleteFrom('attachment_chunks').where('attachment_id', '=', att.id).execute();

  let size = 0;
  let seq = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async (all: boolean) => {
    while (pendingBytes >= CHUNK_BYTES || (all && pendingBytes > 0)) {
      const joined = Buffer.concat(pending);
      const chunk = joined.subarray(0, CHUNK_BYTES);
      const rest = joined.subarray(chunk.length);
      if (seq === 0 && !startsLikeEncryptedMessage(chunk)) throw new InvalidInputError('malformed_ciphertext', 'The file is not an OpenPGP encrypted message');
      await db.insertInto('attachment_chunks').values({ attachment_id: att.id, seq, data: Buffer.from(chunk) }).execute();
      seq++;
      pending = rest.length ? [Buffer.from(rest)] : [];
      pendingBytes = rest.length;
    }
  };
  try {
    for await (const part of input.body) {
      size += part.length;
      if (size > allowed) {
        throw new FileTooLargeError(size > input.maxFileBytes ? 'file_too_large' : 'case_quota_exceeded', size > input.maxFileBytes ? input.maxFileBytes : input.maxCaseBytes);
      }
      pending.push(Buffer.from(part));
      pendingBytes += part.length;
      await flush(false);
    }
    await flush(true);
    if (size === 0) throw new InvalidInputError('empty_file', 'The file is empty');
  } catch (err) {
    await db.deleteFrom('attachments').where('id', '=', att.id).execute();
    throw err;
  }
  await db.updateTable('attachments').set({ size, chunk_count: seq, complete: true }).where('id', '=', att.id).execute();
  await db.updateTable('cases').set({ last_activity_at: new Date() }).where('id', '=', input.caseId).execute();
  return size;
}

export async function openAttachment(db: Kysely<Database>, caseId: string, attachmentId: string): Promise<{ size: number; stream: Readable }> {
  const att = await db.selectFrom('attachments').select(['id', 'size', 'chunk_count']).where('id', '=', attachmentId).where('case_id', '=', caseId).where('complete', '=', true).executeTakeFirst();
  if (!att) throw new NotFoundError('attachment_not_found', 'File not found');
  let seq = 0;
  const stream = new Readable({
    async read() {
      try {
        if (seq >= att.chunk_count) return void this.push(null);
        const row = await db.selectFrom('attachment_chunks').select('data').where('attachment_id', '=', att.id).where('seq', '=', seq).executeTakeFirst();
        if (!row) return void this.destroy(new Error('missing chunk'));
        seq++;
        this.push(Buffer.from(row.data));
      } catch (err) {
        this.destroy(err as Error);
      }
    },
  });
  return { size: Number(att.size), stream };
}
