// The meldingenregister (Wbk): every misstand case of an organisation with its dates and status.
// Any advisor of the organisation may see and export it — it is the employer's record — but it
// holds no content and no category, and never the melder's case code.
import type { Kysely } from 'kysely';
import type { Database, Organisation } from '../../db/database.ts';
import { toCsv } from './csv.ts';
import type { RegisterEntry, RegisterResponse } from './schema.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export async function registerEntries(db: Kysely<Database>, organisationId: string): Promise<RegisterEntry[]> {
  const rows = await db
    .selectFrom('cases')
    .select([
      'reference', 'created_at', 'acknowledged_at', 'first_reply_due_at', 'first_reply_at', 'feedback_due_at', 'feedback_given_at',
      'status', 'closed_at', 'content_deleted_at',
    ])
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', 'misstand')
    .orderBy('created_at')
    .orderBy('reference')
    .execute();
  return rows.map((r) => ({
    reference: r.reference,
    receivedAt: iso(r.created_at)!,
    acknowledgedAt: iso(r.acknowledged_at)!,
    firstReplyDueAt: iso(r.first_reply_due_at)!,
    firstReplyAt: iso(r.first_reply_at),
    feedbackDueAt: iso(r.feedback_due_at),
    feedbackGivenAt: iso(r.feedback_given_at),
    status: r.status,
    closedAt: iso(r.closed_at),
    contentDeletedAt: iso(r.content_deleted_at),
  }));
}

export async function register(db: Kysely<Database>, org: Organisation): Promise<RegisterResponse> {
  return { organisation: { slug: org.slug, name: org.name }, entries: await registerEntries(db, org.id) };
}

const HEADINGS = {
  nl: ['referentie', 'ontvangen', 'ontvangst_bevestigd', 'eerste_reactie_uiterlijk', 'eerste_reactie', 'terugkoppeling_uiterlijk', 'terugkoppeling_gegeven', 'status', 'afgesloten', 'inhoud_verwijderd'],
  en: ['reference', 'received', 'acknowledged', 'first_reply_due', 'first_reply', 'feedback_due', 'feedback_given', 'status', 'closed', 'contents_deleted'],
};

export function registerCsv(entries: RegisterEntry[], lang: 'nl' | 'en' = 'nl'): string {
  return toCsv([
    HEADINGS[lang],
    ...entries.map((e) => [
      e.reference, e.receivedAt, e.acknowledgedAt, e.firstReplyDueAt, e.firstReplyAt, e.feedbackDueAt, e.feedbackGivenAt, e.status, e.closedAt,
      e.contentDeletedAt,
    ]),
  ]);
}
