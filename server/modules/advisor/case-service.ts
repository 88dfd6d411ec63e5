// The advisor's work on their cases: the inbox, the thread, replies and private notes, status,
// registration and files. Only the assigned advisor reaches a case; for anyone else every case
// route answers 404 case_not_found, exactly as for a case that does not exist.
import { audit } from '../audit/service.ts';
import { organisationCategories } from '../organisations/categories.ts';
import type { Kysely } from 'kysely';
import type { Account, Case, CaseStatus, Database, Message } from '../../db/database.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../../lib/errors.ts';
import { assertEncryptedTo, WrongRecipientsError } from '../cases/ciphertext.ts';
import * as cases from '../cases/repository.ts';
import { caseState, CaseClosedError } from '../melder/service.ts';
import * as repo from './repository.ts';
import { validateRegistration } from './registration.ts';
import type {
  AdvisorCaseState, AdvisorMessage, AdvisorThreadResponse, InboxQuery, InboxResponse, PostAdvisorMessageBody, Registration,
} from './schema.ts';

export const DEFAULT_PAGE_SIZE = 25;

export class CaseNotFoundError extends NotFoundError {
  constructor() {
    super('case_not_found', 'Case not found');
  }
}
export class InvalidTransitionError extends ConflictError {
  constructor(from: CaseStatus, to: CaseStatus, reason?: string) {
    super('invalid_transition', reason ?? `A case cannot go from "${from}" to "${to}"`);
  }
}
export class NoteRecipientsError extends InvalidInputError {
  constructor() {
    super('wrong_recipients', 'A note must be encrypted to you alone');
  }
}
export class FeedbackNotApplicableError extends InvalidInputError {
  constructor() {
    super('feedback_not_applicable', 'Only a reply on a misstand report can be marked as the feedback on follow-up');
  }
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export async function requireAssignedCase(db: Kysely<Database>, accountId: string, caseId: string): Promise<Case> {
  const c = await repo.findAssignedCase(db, accountId, caseId);
  if (!c) throw new CaseNotFoundError();
  return c;
}

export async function advisorCaseState(db: Kysely<Database>, c: Case): Promise<AdvisorCaseState> {
  const state = await caseState(db, c);
  return {
    ...state,
    status: c.status,
    id: c.id,
    reference: c.reference,
    registration: (c.registration as Registration | null) ?? null,
  };
}

function toAdvisorMessage(m: Message): AdvisorMessage {
  return {
    id: m.id,
    senderRole: m.sender_role,
    kind: m.kind,
    ciphertext: m.ciphertext,
    createdAt: iso(m.created_at)!,
    readAt: iso(m.read_at),
  };
}

// --- inbox ---------------------------------------------------------------------------------

export async function inbox(db: Kysely<Database>, accountId: string, q: InboxQuery, now = new Date()): Promise<InboxResponse> {
  const page = q.page ? Number(q.page) : 1;
  const pageSize = q.pageSize ? Number(q.pageSize) : DEFAULT_PAGE_SIZE;
  const { rows, total } = await repo.listInbox(
    db,
    accountId,
    { organisationSlug: q.organisation, status: q.status, kind: q.kind },
    { limit: pageSize, offset: (page - 1) * pageSize },
    now,
  );
  return {
    cases: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      organisation: { slug: r.organisation_slug, name: r.organisation_name },
      kind: r.kind,
      category: r.category,
      status: r.status,
      unread: Number(r.unread),
      firstReplyDueAt: iso(r.first_reply_due_at)!,
      firstReplyAt: iso(r.first_reply_at),
      feedbackDueAt: iso(r.feedback_due_at),
      feedbackGivenAt: iso(r.feedback_given_at),
      lastActivityAt: iso(r.last_activity_at)!,
      urgency: repo.URGENCY_BY_RANK[Number(r.urgency_rank)] ?? 'ok',
    })),
    total,
    page,
    pageSize,
  };
}

// --- one case ------------------------------------------------------------------------------

/** Reading writes nothing: marking the melder's messages read is a separate, explicit call. */
export async function getCase(db: Kysely<Database>, accountId: string, caseId: string): Promise<AdvisorThreadResponse> {
  const c = await requireAssignedCase(db, accountId, caseId);
  await audit(db, { actorType: 'staff', actorId: accountId, organisationId: c.organisation_id, caseId: c.id, action: 'case.opened' });
  const [state, messages, attachments] = await Promise.all([
    advisorCaseState(db, c),
    repo.listMessagesForAdvisor(db, c.id, accountId),
    cases.listAttachments(db, c.id),
  ]);
  return {
    case: state,
    messages: messages.map(toAdvisorMessage),
    attachments: attachments
      .filter((a) => a.complete)
      .map((a) => ({ id: a.id, uploaderRole: a.uploader_role, encryptedManifest: a.encrypted_manifest, size: Number(a.size), createdAt: iso(a.created_at)! })),
  };
}

const isClosed = (c: Case) => c.status === 'afgesloten' || c.status === 'overgedragen';

/** What a reply must be encrypted to: the melder and the assigned advisor. */
export function caseRecipients(c: Case, advisor: Account): string[] {
  return [c.melder_public_key ?? '', advisor.public_key ?? ''];
}

export async function postMessage(db: Kysely<Database>, advisor: Account, caseId: string, body: PostAdvisorMessageBody, now = new Date()) {
  const c = await requireAssignedCase(db, advisor.id, caseId);
  if (isClosed(c)) throw new CaseClosedError();
  if (body.kind === 'note') {
    if (body.isFeedback) throw new FeedbackNotApplicableError();
    try {
      await assertEncryptedTo({ armoredMessage: body.ciphertext }, [advisor.public_key ?? ''], 'note');
    } catch (err) {
      throw err instanceof WrongRecipientsError ? new NoteRecipientsError() : err;
    }
  } else {
    if (body.isFeedback && c.kind !== 'misstand') throw new FeedbackNotApplicableError();
    await assertEncryptedTo({ armoredMessage: body.ciphertext }, caseRecipients(c, advisor));
  }
  const message = await db.transaction().execute(async (trx) => {
    const m = await cases.insertMessage(trx, { caseId: c.id, senderRole: 'advisor', senderAccountId: advisor.id, kind: body.kind, ciphertext: body.ciphertext });
    if (body.kind === 'message') {
      // The first personal reply is recorded once; it also takes a new case into treatment.
      await trx
        .updateTable('cases')
        .set((eb) => ({
          first_reply_at: eb.fn.coalesce('first_reply_at', eb.val(now)),
          status: eb.case().when('status', '=', 'nieuw').then(eb.val<CaseStatus>('in_behandeling')).else(eb.ref('status')).end(),
          ...(body.isFeedback ? { feedback_given_at: eb.fn.coalesce('feedback_given_at', eb.val(now)) } : {}),
        }))
        .where('id', '=', c.id)
        .execute();
    }
    return m;
  });
  return { message: toAdvisorMessage(message), case: await advisorCaseState(db, (await repo.findAssignedCase(db, advisor.id, c.id))!) };
}

export async function markMelderMessagesRead(db: Kysely<Database>, accountId: string, caseId: string, now = new Date()): Promise<number> {
  const c = await requireAssignedCase(db, accountId, caseId);
  return cases.markMessagesRead(db, c.id, 'melder', now);
}

const TRANSITIONS: Partial<Record<CaseStatus, CaseStatus[]>> = {
  nieuw: ['in_behandeling'],
  in_behandeling: ['nazorg', 'afgesloten'],
  nazorg: ['afgesloten'],
  afgesloten: ['nazorg'],
};

export async function changeStatus(db: Kysely<Database>, accountId: string, caseId: string, to: CaseStatus, now = new Date()): Promise<AdvisorCaseState> {
  const c = await requireAssignedCase(db, accountId, caseId);
  if (!TRANSITIONS[c.status]?.includes(to)) throw new InvalidTransitionError(c.status, to);
  // A melder who ended the case keeps regie: the advisor cannot reopen it for nazorg.
  if (c.status === 'afgesloten' && c.closed_by === 'melder') {
    throw new InvalidTransitionError(c.status, to, 'The melder ended this case; it cannot be reopened');
  }
  const closing = to === 'afgesloten';
  const r = await db
    .updateTable('cases')
    .set({ status: to, closed_at: closing ? now : null, closed_by: closing ? 'advisor' : null, last_activity_at: now })
    .where('id', '=', c.id)
    .where('status', '=', c.status) // a concurrent change (e.g. the melder ending the case) wins
    .executeTakeFirst();
  const updated = (await repo.findAssignedCase(db, accountId, c.id))!;
  if (Number(r.numUpdatedRows) !== 1) throw new InvalidTransitionError(updated.status, to);
  await audit(db, { actorType: 'staff', actorId: accountId, organisationId: c.organisation_id, caseId: c.id, action: 'case.status_changed', detail: { from: c.status, to } }, now);
  return advisorCaseState(db, updated);
}

export async function setRegistration(db: Kysely<Database>, accountId: string, caseId: string, body: Registration): Promise<Registration> {
  const c = await requireAssignedCase(db, accountId, caseId);
  // Behaviour keys: the organisation's categories of this kind (hidden ones excluded), as the melder saw them.
  const registration = validateRegistration(c.kind, body, (await organisationCategories(db, c.organisation_id))[c.kind]);
  await db.updateTable('cases').set({ registration: JSON.stringify(registration) }).where('id', '=', c.id).execute();
  await audit(db, { actorType: 'staff', actorId: accountId, organisationId: c.organisation_id, caseId: c.id, action: 'case.registration_changed', detail: { fields: Object.keys(registration).sort() } });
  return registration;
}

export async function requireOpenAssignedCase(db: Kysely<Database>, accountId: string, caseId: string): Promise<Case> {
  const c = await requireAssignedCase(db, accountId, caseId);
  if (isClosed(c)) throw new CaseClosedError();
  return c;
}
