// How a deadline stands today: met, overdue, due soon (first reply within 2 days, feedback
// within 14 — the same windows as the server's urgency and reminders), or in time.
const DAY = 86_400_000;

export type DeadlineState = 'met' | 'overdue' | 'due_soon' | 'ok';

export interface Deadline {
  state: DeadlineState;
  /** The due date, or when it was met. */
  at: string;
  /** Whole days from today to the due date (negative when overdue). */
  days: number;
}

function startOfDay(time: number): number {
  const d = new Date(time);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export function deadline(dueAt: string | null, metAt: string | null, soonDays: number, now = Date.now()): Deadline | null {
  if (metAt) return { state: 'met', at: metAt, days: 0 };
  if (!dueAt) return null;
  const due = new Date(dueAt).getTime();
  const days = Math.round((startOfDay(due) - startOfDay(now)) / DAY);
  const state: DeadlineState = due < now ? 'overdue' : due - now <= soonDays * DAY ? 'due_soon' : 'ok';
  return { state, at: dueAt, days };
}

export const FIRST_REPLY_SOON_DAYS = 2;
export const FEEDBACK_SOON_DAYS = 14;

/** The two legal clocks of a case: the first personal reply, and (misstand) the feedback on follow-up. */
export function caseDeadlines(c: {
  firstReplyDueAt: string;
  firstReplyAt: string | null;
  feedbackDueAt: string | null;
  feedbackGivenAt: string | null;
}, now = Date.now()): { firstReply: Deadline | null; feedback: Deadline | null } {
  return {
    firstReply: deadline(c.firstReplyDueAt, c.firstReplyAt, FIRST_REPLY_SOON_DAYS, now),
    feedback: deadline(c.feedbackDueAt, c.feedbackGivenAt, FEEDBACK_SOON_DAYS, now),
  };
}
