// What the annual report counts: the organisation's cases whose contents still exist, plus the
// anonymised statistics rows retention left behind for cases it emptied (never both for one
// case). Each becomes the same record of calendar days, so both count alike.
import { sql, type Kysely } from 'kysely';
import type { CaseKind, Database } from '../../db/database.ts';
import { withCompliance } from '../organisations/tables.ts';
import { dayOf, yearOfDay } from './days.ts';

export interface ReportRegistration {
  behaviour: string[];
  help: string[];
  outcome: string | null;
}

export interface StatRecord {
  kind: CaseKind;
  category: string;
  registration: ReportRegistration | null;
  receivedDay: string;
  acknowledgedDay: string;
  firstReplyDay: string | null;
  feedbackDueDay: string | null;
  feedbackGivenDay: string | null;
}

/** Only the registration's fixed-list fields; `referredTo` (free text) never reaches a report. */
export function reportRegistration(raw: unknown): ReportRegistration | null {
  const r = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown> | null;
  if (!r || typeof r !== 'object') return null;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return { behaviour: list(r.behaviour), help: list(r.help), outcome: typeof r.outcome === 'string' ? r.outcome : null };
}

const day = (d: Date | string | null) => (d === null ? null : dayOf(d));

export async function loadRecords(db: Kysely<Database>, organisationId: string, years: number[]): Promise<StatRecord[]> {
  const first = Math.min(...years);
  const last = Math.max(...years);
  // A day of margin either side: the exact cut is by the Dutch calendar day, below.
  const from = new Date(Date.UTC(first, 0, 1) - 86400_000);
  const to = new Date(Date.UTC(last + 1, 0, 1) + 86400_000);
  const live = await db
    .selectFrom('cases')
    .select(['kind', 'category', 'registration', 'created_at', 'acknowledged_at', 'first_reply_at', 'feedback_due_at', 'feedback_given_at'])
    .where('organisation_id', '=', organisationId)
    .where('content_deleted_at', 'is', null)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .execute();
  const kept = await withCompliance(db)
    .selectFrom('case_statistics')
    .select(['kind', 'category', 'registration'])
    .select([
      sql<string>`to_char(received_on, 'YYYY-MM-DD')`.as('received'),
      sql<string>`to_char(acknowledged_on, 'YYYY-MM-DD')`.as('acknowledged'),
      sql<string | null>`to_char(first_reply_on, 'YYYY-MM-DD')`.as('first_reply'),
      sql<string | null>`to_char(feedback_due_on, 'YYYY-MM-DD')`.as('feedback_due'),
      sql<string | null>`to_char(feedback_given_on, 'YYYY-MM-DD')`.as('feedback_given'),
    ])
    .where('organisation_id', '=', organisationId)
    .where('received_on', '>=', `${first}-01-01`)
    .where('received_on', '<=', `${last}-12-31`)
    .execute();
  const records: StatRecord[] = [
    ...live.map((c) => ({
      kind: c.kind,
      category: c.category,
      registration: reportRegistration(c.registration),
      receivedDay: dayOf(c.created_at),
      acknowledgedDay: dayOf(c.acknowledged_at),
      firstReplyDay: day(c.first_reply_at),
      feedbackDueDay: day(c.feedback_due_at),
      feedbackGivenDay: day(c.feedback_given_at),
    })),
    ...kept.map((s) => ({
      kind: s.kind,
      category: s.category,
      registration: reportRegistration(s.registration),
      receivedDay: s.received,
      acknowledgedDay: s.acknowledged,
      firstReplyDay: s.first_reply,
      feedbackDueDay: s.feedback_due,
      feedbackGivenDay: s.feedback_given,
    })),
  ];
  return records.filter((r) => years.includes(yearOfDay(r.receivedDay)));
}
