// Server throughput on PostgreSQL over loopback, against a bare baseline measured in the same
// run: GET a 20-message thread and POST a 4 KB message at 50 connections. The real server runs
// as its own process (npm start's entry, LOG_LEVEL=warn); the bare one too; the load generator
// runs here. Real and bare runs alternate, so drift and noise hit both alike.
import os from 'node:os';
import path from 'node:path';
import { insertMessage } from '../../server/modules/cases/repository.ts';
import { assertEncryptedTo } from '../../server/modules/cases/ciphertext.ts';
import { log, startRealServer, startTsProcess, type BenchContext, type Child, type RealServer } from '../lib/context.ts';
import { BENCH_SECRET, ciphertextOfSize, makeMelderKey, openCases, setupOrganisation, type BenchCase } from '../lib/fixtures.ts';
import { runLoad, type LoadRequest, type LoadResult } from '../lib/load.ts';
import { createBenchDatabase } from '../lib/pg.ts';
import { cpuSeconds, cpuSecondsOf } from '../lib/proc.ts';

const CONNECTIONS = 50;
const CASES = 50;
const THREAD_LENGTH = 20;
const MESSAGE_BYTES = 4096;

type SideName = 'real' | 'bare' | 'bare_queries';

interface Side {
  name: SideName;
  pid: number;
  baseUrl: string;
  request: (i: number) => LoadRequest;
}

export async function throughput(ctx: BenchContext): Promise<void> {
  const { rec } = ctx;
  if (!ctx.pgUrl) {
    for (const op of ['get', 'post']) {
      rec.skip({ id: `throughput.${op}.rps`, label: `${op.toUpperCase()} requests/s`, unit: 'req/s', better: 'higher', reason: 'no PostgreSQL answers' });
    }
    return;
  }
  const durationMs = ctx.quick ? 1500 : 2500;
  const database = await createBenchDatabase(ctx.pgUrl, 'tp');
  let server: RealServer | undefined;
  let bare: Child | undefined;
  try {
    const db = database.handle.db;
    const advisor = await setupOrganisation(db);
    server = await startRealServer(ctx, { DATABASE_URL: database.url, SESSION_SECRET: BENCH_SECRET }, 'throughput-real');
    const profArgs = ctx.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ctx.tmpDir, 'prof', 'throughput-bare')}`] : [];
    bare = await startTsProcess('bench/baseline-server.ts', { DATABASE_URL: database.url }, '/health', profArgs);

    const key = await makeMelderKey();
    log(`creating ${CASES} cases through the API…`);
    const cases: BenchCase[] = await openCases(server.baseUrl, db, advisor, key, CASES);
    const ciphertext = await ciphertextOfSize(MESSAGE_BYTES, key, advisor);
    // Threads of exactly 20 messages (the report + 19), half from the advisor.
    for (const c of cases) {
      for (let m = 1; m < THREAD_LENGTH; m++) {
        const fromAdvisor = m % 2 === 1;
        await insertMessage(db, { caseId: c.caseId, senderRole: fromAdvisor ? 'advisor' : 'melder', senderAccountId: fromAdvisor ? advisor.accountId : null, kind: 'message', ciphertext });
      }
    }
    const caseOf = (i: number) => cases[i % cases.length]!;
    const postBody = Buffer.from(JSON.stringify({ kind: 'message', ciphertext }));
    // The recipient check (OpenPGP packet parsing, no decryption) is pure CPU in the request path.
    const inspectMs: number[] = [];
    for (let run = 0; run < ctx.runs; run++) {
      const t0 = performance.now();
      for (let k = 0; k < 200; k++) await assertEncryptedTo({ armoredMessage: ciphertext }, [key.publicKey, advisor.publicKey]);
      inspectMs.push((performance.now() - t0) / 200);
    }
    rec.add({ id: 'throughput.recipient_check_ms', label: 'recipient check of one 4 KB message (server code, in the bench process)', unit: 'ms', better: 'lower', runs: inspectMs });
    rec.note(`${CONNECTIONS} connections, ${CASES} cases (one per connection), threads of ${THREAD_LENGTH} messages of ${ciphertext.length} bytes armored ciphertext; ${durationMs / 1000} s per run after 0.5 s warm-up; server pool 10 connections, baseline pool 10`);

    const sides = (op: 'get' | 'post'): Side[] => [
      {
        name: 'real', pid: server!.pid, baseUrl: server!.baseUrl,
        request: op === 'get'
          ? (i) => ({ method: 'GET', path: '/api/melder/case', headers: { cookie: caseOf(i).cookie } })
          : (i) => ({ method: 'POST', path: '/api/melder/messages', body: postBody, headers: { cookie: caseOf(i).cookie } }),
      },
      {
        name: 'bare', pid: bare!.pid, baseUrl: bare!.baseUrl,
        request: op === 'get'
          ? (i) => ({ method: 'GET', path: '/thread', headers: { 'x-case-id': caseOf(i).caseId } })
          : (i) => ({ method: 'POST', path: '/messages', body: postBody, headers: { 'x-case-id': caseOf(i).caseId } }),
      },
      {
        name: 'bare_queries', pid: bare!.pid, baseUrl: bare!.baseUrl,
        request: op === 'get'
          ? (i) => ({ method: 'GET', path: '/thread-full', headers: { cookie: caseOf(i).cookie } })
          : (i) => ({ method: 'POST', path: '/messages-full', body: postBody, headers: { cookie: caseOf(i).cookie } }),
      },
    ];

    for (const op of ['get', 'post'] as const) {
      const label = op === 'get' ? 'GET thread (20 messages)' : 'POST message (4 KB)';
      const expectStatus = op === 'get' ? 200 : 201;
      const results: Record<SideName, LoadResult[]> = { real: [], bare: [], bare_queries: [] };
      const cpuPerRequest: Record<SideName, number[]> = { real: [], bare: [], bare_queries: [] };
      const pgCpuPerRequest: Record<SideName, number[]> = { real: [], bare: [], bare_queries: [] };
      // Where the two cores went during the real server's runs (cores busy on average).
      const share = { server: [] as number[], postgres: [] as number[], generator: [] as number[] };
      // A short warm-up of each (JIT, pools, caches), then alternating measured runs.
      for (const side of sides(op)) {
        await runLoad({ baseUrl: side.baseUrl, connections: CONNECTIONS, durationMs: 1000, warmupMs: 0, request: side.request, expectStatus });
      }
      for (let run = 0; run < ctx.runs; run++) {
        const order = sides(op);
        for (let k = 0; k < run % order.length; k++) order.push(order.shift()!);
        for (const side of order) {
          let cpu0 = NaN;
          let cpu = NaN;
          let pg0 = NaN;
          let pgCpu = NaN;
          let gen0 = process.cpuUsage();
          const r = await runLoad({
            baseUrl: side.baseUrl, connections: CONNECTIONS, durationMs, warmupMs: 500, request: side.request, expectStatus,
            onWindow: (edge) => {
              if (edge === 'start') {
                cpu0 = cpuSeconds(side.pid);
                pg0 = cpuSecondsOf('postgres');
                gen0 = process.cpuUsage();
                return;
              }
              cpu = cpuSeconds(side.pid) - cpu0;
              pgCpu = cpuSecondsOf('postgres') - pg0;
              if (side.name !== 'real') return;
              const gen = process.cpuUsage(gen0);
              share.server.push(cpu / (durationMs / 1000));
              share.postgres.push(pgCpu / (durationMs / 1000));
              share.generator.push((gen.user + gen.system) / 1e6 / (durationMs / 1000));
            },
          });
          results[side.name].push(r);
          cpuPerRequest[side.name].push(r.requests ? (cpu * 1000) / r.requests : NaN);
          pgCpuPerRequest[side.name].push(r.requests ? (pgCpu * 1000) / r.requests : NaN);
          const bad = Object.entries(r.statuses).filter(([s]) => Number(s) !== expectStatus);
          if (bad.length || r.errors) rec.note(`${label} ${side.name} run ${run + 1}: unexpected answers ${JSON.stringify(Object.fromEntries(bad))}, ${r.errors} connection errors`);
        }
      }
      const real = results.real;
      const base = results.bare;
      rec.add({ id: `throughput.${op}.rps`, label: `${label}: requests/s`, unit: 'req/s', better: 'higher', runs: real.map((r) => r.rps) });
      rec.add({ id: `throughput.${op}.p50`, label: `${label}: p50`, unit: 'ms', better: 'lower', runs: real.map((r) => r.p50) });
      rec.add({ id: `throughput.${op}.p99`, label: `${label}: p99`, unit: 'ms', better: 'lower', runs: real.map((r) => r.p99), target: { op: '<', value: 50 } });
      rec.add({ id: `throughput.${op}.bare_rps`, label: `${label}: bare baseline requests/s`, unit: 'req/s', better: 'higher', runs: base.map((r) => r.rps) });
      rec.add({ id: `throughput.${op}.bare_p99`, label: `${label}: bare baseline p99`, unit: 'ms', better: 'lower', runs: base.map((r) => r.p99) });
      rec.add({
        id: `throughput.${op}.ratio`, label: `${label}: ratio to bare baseline`, unit: '×', better: 'higher',
        runs: real.map((r, i) => r.rps / (base[i]?.rps ?? NaN)), target: { op: '>=', value: 0.6 },
      });
      rec.add({ id: `throughput.${op}.cpu_ms`, label: `${label}: server CPU per request`, unit: 'ms', better: 'lower', runs: cpuPerRequest.real });
      rec.add({ id: `throughput.${op}.bare_cpu_ms`, label: `${label}: bare baseline CPU per request`, unit: 'ms', better: 'lower', runs: cpuPerRequest.bare });
      rec.add({ id: `throughput.${op}.pg_cpu_ms`, label: `${label}: PostgreSQL CPU per request (all backends)`, unit: 'ms', better: 'lower', runs: pgCpuPerRequest.real });
      rec.add({ id: `throughput.${op}.bare_pg_cpu_ms`, label: `${label}: bare baseline, PostgreSQL CPU per request`, unit: 'ms', better: 'lower', runs: pgCpuPerRequest.bare });
      rec.add({ id: `throughput.${op}.bare_queries_rps`, label: `${label}: bare with the real route's queries, requests/s`, unit: 'req/s', better: 'higher', runs: results.bare_queries.map((r) => r.rps) });
      rec.add({ id: `throughput.${op}.bare_queries_cpu_ms`, label: `${label}: bare with the real route's queries, CPU per request`, unit: 'ms', better: 'lower', runs: cpuPerRequest.bare_queries });
      const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
      rec.note(`${label}, real server runs: cores busy on average — server ${avg(share.server).toFixed(2)}, PostgreSQL (all backends) ${avg(share.postgres).toFixed(2)}, load generator ${avg(share.generator).toFixed(2)} (machine: ${os.cpus().length} cores)`);
      const non2xx = real.reduce((s, r) => s + r.unexpected + r.errors, 0);
      const rateLimited = real.reduce((s, r) => s + (r.statuses['429'] ?? 0), 0);
      rec.note(`${label}: ${non2xx} unexpected answers or errors over all real runs (429 rate-limited: ${rateLimited})`);
    }
  } finally {
    await server?.stop().catch(() => {});
    await bare?.stop().catch(() => {});
    await database.drop().catch((err) => log(`dropping ${database.name} failed: ${err}`));
  }
}
