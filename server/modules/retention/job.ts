// Runs retention hourly inside the server (DESIGN.md: jobs run in every instance under a
// PostgreSQL advisory lock, so any number of instances is safe). The first run comes five minutes
// after start-up; runs never overlap within a process; close waits for a run in flight.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { runRetention } from './service.ts';

export interface RetentionJobOptions {
  intervalMs?: number;
  firstRunAfterMs?: number;
}

export const RETENTION_INTERVAL_MS = 3600_000;
export const RETENTION_FIRST_RUN_MS = 5 * 60_000;

export default fp(async function retentionJob(app: FastifyInstance, opts: RetentionJobOptions) {
  const intervalMs = opts.intervalMs ?? RETENTION_INTERVAL_MS;
  let first: NodeJS.Timeout | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let closing = false;

  const tick = () => {
    if (running || closing) return;
    running = runRetention(app.db, new Date())
      .then((r) => {
        if (r.casesEmptied || r.reservations || r.sessions || r.uploads) {
          app.log.info({ casesEmptied: r.casesEmptied, reservations: r.reservations, sessions: r.sessions, uploads: r.uploads }, 'retention');
        }
      })
      .catch((err: Error & { code?: string }) => {
        app.log.warn({ err: { type: err?.name, code: err?.code } }, 'retention run failed');
      })
      .finally(() => {
        running = null;
      });
  };

  app.addHook('onReady', async () => {
    first = setTimeout(() => {
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    }, opts.firstRunAfterMs ?? RETENTION_FIRST_RUN_MS);
    first.unref();
  });
  app.addHook('onClose', async () => {
    closing = true;
    clearTimeout(first);
    clearInterval(timer);
    await running;
  });
}, { name: 'retention-job' });
