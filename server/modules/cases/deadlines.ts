// Deadlines of the Wet bescherming klokkenluiders and the organisation's own service level
// (DESIGN.md "Case lifecycle"): a misstand gets a first reply within 7 days and feedback within
// 3 months of the acknowledgement; ongewenst gedrag within the organisation's first-reply days.
import type { CaseKind } from '../../db/database.ts';

export const MISSTAND_FIRST_REPLY_DAYS = 7;
export const MISSTAND_FEEDBACK_MONTHS = 3;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86400_000);
}

export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

export function deadlinesFor(kind: CaseKind, acknowledgedAt: Date, organisationFirstReplyDays: number) {
  if (kind === 'misstand') {
    return {
      firstReplyDueAt: addDays(acknowledgedAt, MISSTAND_FIRST_REPLY_DAYS),
      feedbackDueAt: addMonths(acknowledgedAt, MISSTAND_FEEDBACK_MONTHS),
    };
  }
  return { firstReplyDueAt: addDays(acknowledgedAt, organisationFirstReplyDays), feedbackDueAt: null };
}
