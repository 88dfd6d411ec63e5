// Runs the advisor notifications every minute inside the server (DESIGN.md: jobs run in every
// instance under a PostgreSQL advisory lock). Off, and said so once at start-up, when SMTP_URL
// is not set. Runs never overlap within a process; close waits for a run in flight.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createSmtpMailer, type Mailer } from '../modules/notifications/mailer.ts';
import { runNotifications } from '../modules/notifications/service.ts';

export interface NotificationJobOptions {
  intervalMs?: number;
  /** Tests may pass their own; otherwise SMTP through SMTP_URL. */
  mailer?: Mailer;
}

export const NOTIFICATION_INTERVAL_MS = 60_000;

export default fp(async function notificationJob(app: FastifyInstance, opts: NotificationJobOptions) {
  const { smtpUrl, mailFrom, publicUrl } = app.config;
  if (!smtpUrl && !opts.mailer) {
    app.addHook('onReady', async () => {
      app.log.info('email is off (SMTP_URL is not set): advisors get no notifications');
    });
    return;
  }
  const mailer = opts.mailer ?? createSmtpMailer({ smtpUrl: smtpUrl!, from: mailFrom });
  const intervalMs = opts.intervalMs ?? NOTIFICATION_INTERVAL_MS;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;

  const tick = () => {
    if (running) return;
    running = runNotifications(app.db, mailer, new Date(), { publicUrl, log: app.log })
      .then((r) => {
        if (r.emails || r.failed) app.log.info({ emails: r.emails, items: r.items, failed: r.failed }, 'notifications');
      })
      .catch((err: Error & { code?: string }) => {
        app.log.warn({ err: { type: err?.name, code: err?.code } }, 'notification run failed');
      })
      .finally(() => {
        running = null;
      });
  };

  app.addHook('onReady', async () => {
    timer = setInterval(tick, intervalMs);
    timer.unref();
    app.log.info({ everySeconds: Math.round(intervalMs / 1000) }, 'email notifications to advisors are on');
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
    mailer.close();
  });
}, { name: 'notification-job' });
