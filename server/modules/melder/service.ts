// The melder's side: credentials, the case, login, the thread and files. The server stores
// only ciphertext and never sees the passphrase; it checks ciphertexts' recipients without
// decrypting.
import { customAlphabet } from 'nanoid';
import type { Kysely } from 'kysely';
import type { Case, Database, Message } from '../../db/database.ts';
import { AppError, ConflictError, InvalidInputError, NotFoundError, UnauthorizedError } from '../../lib/errors.ts';
import { formatCaseCode, generateCaseCode, generatePassphrase, normaliseCaseCode } from '../../lib/credentials.ts';
import { hashLoginKey, verifyLoginKey } from '../../lib/argon.ts';
import { keyedDigest } from '../../lib/tokens.ts';
import { requireOrganisation } from '../organisations/service.ts';
import { isOrganisationCategory } from '../organisations/categories.ts';
import { deadlinesFor } from '../cases/deadlines.ts';
import { assertEncryptedTo, encryptionKeyIds } from '../cases/ciphertext.ts';
import * as cases from '../cases/repository.ts';
import * as hot from './hot-path.ts';
import type { CaseState, CreateCaseBody, ThreadResponse } from './schema.ts';

export const RESERVATION_MINUTES = 30;
const newReference = customAlphabet('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', 8);

export class ReservationError extends AppError {
  constructor() {
    super(409, 'reservation_invalid', 'This case code is not reserved (it expired or was used); start again to get a new one');
  }
}
export class AdvisorUnavailableError extends InvalidInputError {
  constructor() {
    super('advisor_unavailable', 'This advisor cannot take reports for this organisation right now; choose another');
  }
}
export class LoginFailedError extends UnauthorizedError {
  constructor() {
    super('login_failed', 'The case code or passphrase is not right');
  }
}
export class CaseClosedError extends ConflictError {
  constructor() {
    super('case_closed', 'This case has been ended; no new messages can be added');
  }
}

const codeDigest = (secret: Buffer, caseCode: string) => keyedDigest(secret, 'case-code', normaliseCaseCode(caseCode));

export async function issueCredentials(db: Kysely<Database>, secret: Buffer, slug: string, now = new Date()) {
  const org = await requireOrganisation(db, slug);
  await db.deleteFrom('credential_reservations').where('expires_at', '<', now).execute();
  const expiresAt = new Date(now.getTime() + RESERVATION_MINUTES * 60_000);
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = generateCaseCode();
    const digest = codeDigest(secret, code);
    const taken = await cases.findCaseByCodeDigest(db, digest);
    if (taken) continue;
    const inserted = await db
      .insertInto('credential_reservations')
      .values({ code_digest: digest, organisation_id: org.id, expires_at: expiresAt, created_at: now })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) continue;
    return { caseCode: formatCaseCode(code), passphrase: generatePassphrase(), expiresAt: expiresAt.toISOString() };
  }
  throw new AppError(503, 'busy', 'Could not reserve a case code; try again');
}

async function advisorForCase(db: Kysely<Database>, organisationId: string, advisorId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('accounts as a', 'a.id', 'm.account_id')
    .select(['a.id', 'a.name', 'a.public_key', 'm.available'])
    .where('m.organisation_id', '=', organisationId)
    .where('m.account_id', '=', advisorId)
    .where('m.role', '=', 'advisor')
    .where('m.active', '=', true)
    .where('a.status', '=', 'active')
    .executeTakeFirst();
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

type Party = { org: { slug: string; name: string }; advisor: { id: string; name: string; public_key: string | null } };
type StateColumns = Pick<
  Case,
  | 'status' | 'kind' | 'category' | 'melder_public_key' | 'created_at' | 'acknowledged_at' | 'first_reply_due_at'
  | 'first_reply_at' | 'feedback_due_at' | 'feedback_given_at' | 'closed_at' | 'closed_by'
>;

function stateOf(c: StateColumns, { org, advisor }: Party): CaseState {
  return {
    status: c.status,
    kind: c.kind,
    category: c.category,
    organisation: org,
    advisor: { id: advisor.id, name: advisor.name, publicKey: advisor.public_key ?? '' },
    melderPublicKey: c.melder_public_key ?? '',
    createdAt: iso(c.created_at)!,
    acknowledgedAt: iso(c.acknowledged_at)!,
    firstReplyDueAt: iso(c.first_reply_due_at)!,
    firstReplyAt: iso(c.first_reply_at),
    feedbackDueAt: iso(c.feedback_due_at),
    feedbackGivenAt: iso(c.feedback_given_at),
    closedAt: iso(c.closed_at),
    closedBy: c.closed_by,
  };
}

export async function caseState(db: Kysely<Database>, c: Case): Promise<CaseState> {
  const [org, advisor] = await Promise.all([
    db.selectFrom('organisations').select(['slug', 'name']).where('id', '=', c.organisation_id).executeTakeFirstOrThrow(),
    db.selectFrom('accounts').select(['id', 'name', 'public_key']).where('id', '=', c.advisor_id).executeTakeFirstOrThrow(),
  ]);
  return stateOf(c, { org, advisor });
}

/** The case with its organisation and advisor in one query (the melder's hot path). */
async function requireCaseWithParties(db: Kysely<Database>, caseId: string): Promise<{ c: Case } & Party> {
  const row = await db
    .selectFrom('cases as c')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .innerJoin('accounts as a', 'a.id', 'c.advisor_id')
    .selectAll('c')
    .select(['o.slug as org_slug', 'o.name as org_name', 'a.name as advisor_name', 'a.public_key as advisor_public_key'])
    .where('c.id', '=', caseId)
    .executeTakeFirst();
  if (!row || row.content_deleted_at) throw new NotFoundError('case_not_found', 'Case not found');
  const { org_slug, org_name, advisor_name, advisor_public_key, ...c } = row;
  return { c, org: { slug: org_slug, name: org_name }, advisor: { id: c.advisor_id, name: advisor_name, public_key: advisor_public_key } };
}

export async function createCase(db: Kysely<Database>, secret: Buffer, body: CreateCaseBody, now = new Date()) {
  const org = await requireOrganisation(db, body.organisationSlug);
  if (!(await isOrganisationCategory(db, org.id, body.kind, body.category))) throw new InvalidInputError('invalid_category', 'Unknown category for this kind of report');
  const advisor = await advisorForCase(db, org.id, body.advisorId);
  if (!advisor || !advisor.available || !advisor.public_key) throw new AdvisorUnavailableError();
  await encryptionKeyIds(body.melderPublicKey);
  await assertEncryptedTo({ armoredMessage: body.report }, [body.melderPublicKey, advisor.public_key], 'report');
  if (!/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(body.melderLockedPrivateKey)) {
    throw new InvalidInputError('invalid_private_key', 'The locked private key is not an armored OpenPGP private key');
  }
  const loginKeyHash = await hashLoginKey(body.loginKey);
  const digest = codeDigest(secret, body.caseCode);
  const { firstReplyDueAt, feedbackDueAt } = deadlinesFor(body.kind, now, org.first_reply_days);
  const created = await db.transaction().execute(async (trx) => {
    // The reservation is used once: deleting it is the claim.
    const claimed = await trx
      .deleteFrom('credential_reservations')
      .where('code_digest', '=', digest)
      .where('organisation_id', '=', org.id)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(claimed.numDeletedRows) !== 1) throw new ReservationError();
    const c = await cases.insertCase(trx, {
      organisation_id: org.id,
      code_digest: digest,
      reference: `K-${newReference()}`,
      kind: body.kind,
      category: body.category,
      advisor_id: advisor.id,
      login_key_hash: loginKeyHash,
      melder_public_key: body.melderPublicKey,
      melder_locked_private_key: body.melderLockedPrivateKey,
      created_at: now,
      acknowledged_at: now,
      first_reply_due_at: firstReplyDueAt,
      feedback_due_at: feedbackDueAt,
      last_activity_at: now,
    });
    await cases.insertMessage(trx, { caseId: c.id, senderRole: 'melder', senderAccountId: null, kind: 'report', ciphertext: body.report });
    return c;
  });
  return { caseId: created.id, state: await caseState(db, created) };
}

export async function login(db: Kysely<Database>, secret: Buffer, body: { organisationSlug: string; caseCode: string; loginKey: string }) {
  const c = await cases.findCaseByCodeDigest(db, codeDigest(secret, body.caseCode));
  const org = c ? await db.selectFrom('organisations').select('slug').where('id', '=', c.organisation_id).executeTakeFirst() : undefined;
  // Always one argon2 verification, so an unknown code and a wrong key take the same time.
  const ok = await verifyLoginKey(c && org?.slug === body.organisationSlug ? c.login_key_hash : null, body.loginKey);
  if (!c || !ok || c.content_deleted_at || !c.melder_locked_private_key) throw new LoginFailedError();
  return { caseId: c.id, lockedPrivateKey: c.melder_locked_private_key, state: await caseState(db, c) };
}

export async function requireCase(db: Kysely<Database>, caseId: string): Promise<Case> {
  const c = await cases.findCaseById(db, caseId);
  if (!c || c.content_deleted_at) throw new NotFoundError('case_not_found', 'Case not found');
  return c;
}

export function toThreadMessage(m: Message) {
  return {
    id: m.id,
    senderRole: m.sender_role,
    kind: m.kind as 'report' | 'message' | 'wishes',
    ciphertext: m.ciphertext,
    createdAt: iso(m.created_at)!,
    readAt: iso(m.read_at),
  };
}

export async function getThread(db: Kysely<Database>, caseId: string): Promise<ThreadResponse> {
  const { c, ...parties } = await requireCaseWithParties(db, caseId);
  const [messages, attachments] = await Promise.all([cases.listSharedMessages(db, c.id), cases.listAttachments(db, c.id)]);
  return {
    case: stateOf(c, parties),
    messages: messages.map(toThreadMessage),
    attachments: attachments
      .filter((a) => a.complete)
      .map((a) => ({ id: a.id, uploaderRole: a.uploader_role, encryptedManifest: a.encrypted_manifest, size: Number(a.size), createdAt: iso(a.created_at)! })),
  };
}

const partiesOf = (row: hot.HotCaseRow): Party => ({
  org: { slug: row.org_slug, name: row.org_name },
  advisor: { id: row.advisor_id, name: row.advisor_name, public_key: row.advisor_public_key },
});

/**
 * The thread as the API's JSON for a live melder session, in one round trip; null when there is
 * no such session or case (the caller then takes the ordinary path for the exact error).
 */
export async function threadJson(db: Kysely<Database>, token: string, now = new Date()): Promise<string | null> {
  const t = await hot.melderThread(db, token, now);
  if (!t) return null;
  // Plain objects with exactly the schema's fields, through the engine's own JSON.stringify,
  // which escapes long ciphertext faster than the schema serialiser's character loop.
  return JSON.stringify({
    case: stateOf(t.row, partiesOf(t.row)),
    messages: t.messages,
    attachments: t.attachments.map((a) => ({ ...a, size: Number(a.size) })),
  });
}

/**
 * Posts the melder's message for a live melder session in two round trips (session and case;
 * the insert) and returns the response body's JSON; null when there is no such session or case.
 */
export async function postMessageJson(
  db: Kysely<Database>,
  token: string,
  body: { kind: 'message' | 'wishes'; ciphertext: string },
  now = new Date(),
): Promise<string | null> {
  const c = await hot.melderCase(db, token, now);
  if (!c) return null;
  if (c.status === 'afgesloten') throw new CaseClosedError();
  await assertEncryptedTo({ armoredMessage: body.ciphertext }, [c.melder_public_key ?? '', c.advisor_public_key ?? '']);
  const message = await hot.insertMessage(db, { caseId: c.id, senderRole: 'melder', senderAccountId: null, kind: body.kind, ciphertext: body.ciphertext });
  return JSON.stringify({ message });
}

async function recipientsOf(db: Kysely<Database>, c: Case): Promise<string[]> {
  const advisor = await db.selectFrom('accounts').select('public_key').where('id', '=', c.advisor_id).executeTakeFirstOrThrow();
  return [c.melder_public_key ?? '', advisor.public_key ?? ''];
}

export async function postMelderMessage(db: Kysely<Database>, caseId: string, body: { kind: 'message' | 'wishes'; ciphertext: string }) {
  const { c, advisor } = await requireCaseWithParties(db, caseId);
  if (c.status === 'afgesloten') throw new CaseClosedError();
  await assertEncryptedTo({ armoredMessage: body.ciphertext }, [c.melder_public_key ?? '', advisor.public_key ?? '']);
  const m = await cases.insertMessage(db, { caseId, senderRole: 'melder', senderAccountId: null, kind: body.kind, ciphertext: body.ciphertext });
  return toThreadMessage(m);
}

export async function markAdvisorMessagesRead(db: Kysely<Database>, caseId: string, now = new Date()) {
  await requireCase(db, caseId);
  await cases.markMessagesRead(db, caseId, 'advisor', now);
}

export async function endCaseByMelder(db: Kysely<Database>, caseId: string, now = new Date()) {
  const c = await requireCase(db, caseId);
  if (c.status !== 'afgesloten') {
    await db.updateTable('cases').set({ status: 'afgesloten', closed_at: now, closed_by: 'melder', last_activity_at: now }).where('id', '=', caseId).execute();
  }
  return caseState(db, await requireCase(db, caseId));
}

export { recipientsOf };
