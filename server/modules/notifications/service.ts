// The notification run: per advisor, everything new since they were last told — new cases, new
// melder messages, deadline reminders (first reply due within 2 days, feedback within 14 days,
// overdue) — claimed under a PostgreSQL advisory lock and sent as ONE email saying only how many
// items wait. Claim, send, mark sent: a failed send releases its claims for the next run; a
// claim orphaned by a crash is taken over after CLAIM_STALE_MS. Several instances, or two runs
// at once, never send an item twice.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { FEEDBACK_SOON_DAYS, FIRST_REPLY_SOON_DAYS } from '../advisor/repository.ts';
import { notificationEmail, type Mailer } from './mailer.ts';
import * as repo from './repository.ts';

/** Any constant; the same on every instance. */
export const NOTIFICATION_LOCK_KEY = 4_711_020_261_122;
export const CLAIM_STALE_MS = 15 * 60_000;

export interface NotificationRun {
  /** false when another run held the lock: this one did nothing. */
  ran: boolean;
  emails: number;
  items: number;
  failed: number;
}

interface Logger {
  warn(obj: object, msg: string): void;
}

function reminders(c: repo.DeadlineCandidate, now: Date): repo.PendingItem[] {
  const out: repo.PendingItem[] = [];
  const done = new Set(c.notified);
  const check = (dueAt: Date | null, given: Date | null, soonDays: number, prefix: 'first_reply' | 'feedback') => {
    if (!dueAt || given) return;
    const due = new Date(dueAt).getTime();
    const overdue = `${prefix}_overdue` as const;
    const soon = `${prefix}_due_soon` as const;
    if (due <= now.getTime()) {
      if (!done.has(overdue)) out.push({ accountId: c.accountId, email: c.email, caseId: c.caseId, item: overdue, messageId: null });
    } else if (due <= now.getTime() + soonDays * 86400_000 && !done.has(soon) && !done.has(overdue)) {
      out.push({ accountId: c.accountId, email: c.email, caseId: c.caseId, item: soon, messageId: null });
    }
  };
  check(c.firstReplyDueAt, c.firstReplyAt, FIRST_REPLY_SOON_DAYS, 'first_reply');
  check(c.feedbackDueAt, c.feedbackGivenAt, FEEDBACK_SOON_DAYS, 'feedback');
  return out;
}

export async function runNotifications(
  db: Kysely<Database>,
  mailer: Mailer,
  now: Date,
  options: { publicUrl: string; log?: Logger },
): Promise<NotificationRun> {
  const ndb = repo.withNotifications(db);
  // Claim under a transaction-scoped advisory lock: short (no mail is sent while it is held) and
  // released by COMMIT/ROLLBACK even if this process dies. A second run meanwhile skips.
  const claimed = await ndb.transaction().execute(async (trx) => {
    const lock = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(${sql.lit(NOTIFICATION_LOCK_KEY)}) AS locked`.execute(trx);
    if (!lock.rows[0]?.locked) return null;
    await repo.releaseStaleClaims(trx, new Date(now.getTime() - CLAIM_STALE_MS));
    const replyHorizon = new Date(now.getTime() + FIRST_REPLY_SOON_DAYS * 86400_000);
    const feedbackHorizon = new Date(now.getTime() + FEEDBACK_SOON_DAYS * 86400_000);
    const [cases, messages, deadlines] = [
      await repo.pendingNewCases(trx),
      await repo.pendingMessages(trx),
      await repo.deadlineCandidates(trx, replyHorizon, feedbackHorizon),
    ];
    const pending = [...cases, ...messages, ...deadlines.flatMap((c) => reminders(c, now))];
    if (pending.length === 0) return [];
    const emailOf = new Map(pending.map((p) => [p.accountId, p.email]));
    return (await repo.claim(trx, pending, now)).map((c) => ({ ...c, email: emailOf.get(c.accountId)! }));
  });
  if (claimed === null) return { ran: false, emails: 0, items: 0, failed: 0 };

  const byAdvisor = new Map<string, { email: string; ids: string[] }>();
  for (const c of claimed) {
    const entry = byAdvisor.get(c.accountId) ?? { email: c.email, ids: [] };
    entry.ids.push(c.id);
    byAdvisor.set(c.accountId, entry);
  }
  const run: NotificationRun = { ran: true, emails: 0, items: 0, failed: 0 };
  for (const { email, ids } of byAdvisor.values()) {
    const { subject, text } = notificationEmail(ids.length, options.publicUrl);
    try {
      await mailer.send({ to: email, subject, text });
    } catch (err) {
      // Released, so the next run tries again. The log holds no address and no content.
      await repo.releaseClaims(ndb, ids);
      run.failed++;
      options.log?.warn({ err: { type: (err as Error)?.name, code: (err as { code?: string })?.code } }, 'notification email failed');
      continue;
    }
    await repo.markSent(ndb, ids, now);
    run.emails++;
    run.items += ids.length;
  }
  return run;
}
