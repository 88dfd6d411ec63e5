// Argon2 isolation. Melder logins verify an argon2id hash (server/lib/argon.ts: at most 2 at a
// time, 64 waiting, then 503 busy). Measured: /api/health latency while 20 real logins a second
// run (each from its own loopback address, as from many people), and the server's peak resident
// memory while 100 logins arrive at once.
import http from 'node:http';
import { log, startRealServer, type BenchContext, type RealServer } from '../lib/context.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectPglite } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { BENCH_SECRET, makeMelderKey, openCaseNoDb, openCases, setupOrganisation, SLUG, type BenchCase } from '../lib/fixtures.ts';
import { nextAddress } from '../lib/addresses.ts';
import { probe, send } from '../lib/load.ts';
import { createBenchDatabase } from '../lib/pg.ts';
import { memStatus, resetPeak, sampleRss } from '../lib/proc.ts';
import { percentile } from '../lib/stats.ts';
import { hashLoginKey, verifyLoginKey } from '../../server/lib/argon.ts';

const CASES = 30;
const LOGINS_PER_SECOND = 20;
const BURST = 100;

function login(baseUrl: string, c: BenchCase): Promise<{ status: number; ms: number }> {
  const agent = new http.Agent({ keepAlive: false, localAddress: nextAddress() });
  const body = Buffer.from(JSON.stringify({ organisationSlug: SLUG, caseCode: c.caseCode, loginKey: c.loginKey }));
  const t0 = performance.now();
  return send(agent, new URL(baseUrl), { method: 'POST', path: '/api/melder/session', body })
    .then((r) => ({ status: r.status, ms: performance.now() - t0 }))
    .catch(() => ({ status: 0, ms: performance.now() - t0 }))
    .finally(() => agent.destroy());
}

async function burst(ctx: BenchContext, server: RealServer, nextCase: () => BenchCase, db: string, idSuffix: string): Promise<void> {
  const { rec } = ctx;
  const peak: number[] = [];
  const growth: number[] = [];
  const burstSeconds: number[] = [];
  const accepted: number[] = [];
  const healthDuring: number[] = [];
  let canReset = true;
  for (let run = 0; run < ctx.runs; run++) {
    await new Promise((r) => setTimeout(r, 500));
    const before = memStatus(server.pid).rssMB;
    canReset = resetPeak(server.pid) && canReset;
    const sampler = sampleRss(server.pid, 5);
    const t0 = performance.now();
    let finished = false;
    const health: number[] = [];
    const prober = (async () => {
      while (!finished) {
        const r = await probe(server.baseUrl, '/api/health', 10, 200);
        health.push(...r.latencies);
      }
    })();
    const done = await Promise.all(Array.from({ length: BURST }, () => login(server.baseUrl, nextCase())));
    burstSeconds.push((performance.now() - t0) / 1000);
    finished = true;
    await prober;
    healthDuring.push(percentile(health, 99));
    const s = sampler.stop();
    const top = Math.max(s.maxRssMB, canReset ? s.hwmMB : 0);
    peak.push(top);
    growth.push(top - before);
    accepted.push(done.filter((d) => d.status === 200).length);
    const statuses = done.reduce<Record<number, number>>((m, d) => ({ ...m, [d.status]: (m[d.status] ?? 0) + 1 }), {});
    if (run === 0) rec.note(`${db}: 100 concurrent logins, answers: ${JSON.stringify(statuses)} (200 = logged in; 503 busy = argon2 queue full by design: 2 running + 64 waiting); RSS before the first burst ${before.toFixed(0)} MB`);
  }
  rec.add({ id: `argon.burst_peak_rss${idSuffix}`, label: `server peak RSS during 100 concurrent logins (${db})`, unit: 'MB', better: 'lower', runs: peak, target: { op: '<', value: 600 } });
  rec.add({ id: `argon.burst_rss_growth${idSuffix}`, label: `server RSS growth during 100 concurrent logins (${db})`, unit: 'MB', better: 'lower', runs: growth });
  rec.add({ id: `argon.burst_seconds${idSuffix}`, label: `100 concurrent logins: time until the last answer (${db})`, unit: 's', better: 'lower', runs: burstSeconds });
  rec.add({ id: `argon.burst_health_p99${idSuffix}`, label: `/api/health p99 during the 100-login burst (${db})`, unit: 'ms', better: 'lower', runs: healthDuring });
  rec.add({ id: `argon.burst_accepted${idSuffix}`, label: `100 concurrent logins: logged in, the rest 503 busy (${db})`, unit: 'of 100', better: 'higher', runs: accepted });
  if (!canReset) rec.note('VmHWM could not be reset (/proc/<pid>/clear_refs): peaks are from 5 ms RSS sampling only');
}

/** The same burst on the default `npm start` set-up: embedded PGlite in the server process. */
async function pgliteBurst(ctx: BenchContext): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kb-bench-pglite-'));
  let server: RealServer | undefined;
  try {
    // Organisation and advisor written before the server opens the data folder (PGlite is one process's).
    const handle = await connectPglite(path.join(dataDir, 'pglite'));
    await migrateToLatest(handle.db);
    const advisor = await setupOrganisation(handle.db);
    await handle.close();
    server = await startRealServer(ctx, { SESSION_SECRET: BENCH_SECRET, DATA_DIR: dataDir }, 'argon-pglite');
    const key = await makeMelderKey();
    const cases: BenchCase[] = [];
    for (let i = 0; i < 10; i++) cases.push(await openCaseNoDb(server.baseUrl, advisor, key));
    let next = 0;
    await burst(ctx, server, () => cases[next++ % cases.length]!, 'PGlite', '_pglite');
  } finally {
    await server?.stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function argon(ctx: BenchContext): Promise<void> {
  const { rec } = ctx;
  if (!ctx.pgUrl) {
    rec.skip({ id: 'argon.health_p99', label: '/api/health p99 during 20 logins/s', unit: 'ms', better: 'lower', reason: 'no PostgreSQL answers', target: { op: '<', value: 25 } });
    return;
  }
  const seconds = ctx.quick ? 2 : 5;
  const database = await createBenchDatabase(ctx.pgUrl, 'argon');
  let server: RealServer | undefined;
  try {
    const advisor = await setupOrganisation(database.handle.db);
    server = await startRealServer(ctx, { DATABASE_URL: database.url, SESSION_SECRET: BENCH_SECRET }, 'argon');
    log(`creating ${CASES} cases through the API…`);
    const cases = await openCases(server.baseUrl, database.handle.db, advisor, await makeMelderKey(), CASES);
    let next = 0;
    const nextCase = () => cases[next++ % cases.length]!;
    rec.note(`${seconds} s per run; logins are real melder logins (POST /api/melder/session, argon2id verify) on ${CASES} cases, each from its own loopback address; /api/health probed 100 times a second on its own schedule`);

    // First, on the fresh server: 100 logins at once — peak memory, and how the argon2 queue
    // answers. (Later runs start from memory the allocator kept from the first.)
    await burst(ctx, server, nextCase, 'PostgreSQL', '');
    // The physical cost of one verification with the server's parameters, here in this process.
    const hash = await hashLoginKey('A'.repeat(43));
    const verifyMs: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      await verifyLoginKey(hash, 'A'.repeat(43));
      verifyMs.push(performance.now() - t0);
    }
    rec.add({ id: 'argon.verify_ms', label: 'one argon2id verification (server parameters, 19 MiB, t=2)', unit: 'ms', better: 'lower', runs: verifyMs });

    const idle = await probe(server.baseUrl, '/api/health', 10, 2000);
    rec.add({ id: 'argon.health_idle_p99', label: '/api/health p99, no logins', unit: 'ms', better: 'lower', runs: [percentile(idle.latencies, 99)], note: 'one run, for reference' });

    const healthP50: number[] = [];
    const healthP99: number[] = [];
    const loginP50: number[] = [];
    const loginP99: number[] = [];
    const achieved: number[] = [];
    let failed = 0;
    for (let run = 0; run < ctx.runs; run++) {
      const logins: Promise<{ status: number; ms: number }>[] = [];
      const start = performance.now();
      const scheduler = (async () => {
        for (let k = 0; k < LOGINS_PER_SECOND * seconds; k++) {
          const wait = start + (k * 1000) / LOGINS_PER_SECOND - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          logins.push(login(server!.baseUrl, nextCase()));
        }
      })();
      const health = await probe(server.baseUrl, '/api/health', 10, seconds * 1000);
      await scheduler;
      const done = await Promise.all(logins);
      const elapsed = (performance.now() - start) / 1000;
      const ok = done.filter((d) => d.status === 200);
      failed += done.length - ok.length + health.failures;
      healthP50.push(percentile(health.latencies, 50));
      healthP99.push(percentile(health.latencies, 99));
      loginP50.push(percentile(ok.map((d) => d.ms), 50));
      loginP99.push(percentile(ok.map((d) => d.ms), 99));
      achieved.push(ok.length / elapsed);
      const statuses = done.reduce<Record<number, number>>((m, d) => ({ ...m, [d.status]: (m[d.status] ?? 0) + 1 }), {});
      if (ok.length !== done.length) rec.note(`run ${run + 1}: login answers ${JSON.stringify(statuses)}`);
    }
    rec.add({ id: 'argon.health_p99', label: '/api/health p99 during 20 logins/s', unit: 'ms', better: 'lower', runs: healthP99, target: { op: '<', value: 25 } });
    rec.add({ id: 'argon.health_p50', label: '/api/health p50 during 20 logins/s', unit: 'ms', better: 'lower', runs: healthP50 });
    rec.add({ id: 'argon.login_p50', label: 'melder login p50 at 20 logins/s', unit: 'ms', better: 'lower', runs: loginP50 });
    rec.add({ id: 'argon.login_p99', label: 'melder login p99 at 20 logins/s', unit: 'ms', better: 'lower', runs: loginP99 });
    rec.add({ id: 'argon.logins_per_s', label: 'successful logins per second (offered 20)', unit: '/s', better: 'higher', runs: achieved });
    if (failed) rec.note(`${failed} logins or health probes failed in the 20/s runs`);

  } finally {
    await server?.stop().catch(() => {});
    await database.drop().catch((err) => log(`dropping ${database.name} failed: ${err}`));
  }
  await pgliteBurst(ctx);
}
