// A quick probe, not part of `npm run bench`: server and PostgreSQL CPU per request for health,
// the melder's thread and a post, on the real server and on the bare baseline, at 10
// connections (CONN=n to change). `node --import tsx bench/probe-overhead.ts`; ONLY_GET=1 or
// ONLY_POST=1 for one route, PROF=1 for V8 profiles in bench/results/tmp/prof/probe, KEEP=1 to
// keep the database (for pgbench) and stop after seeding.
import { insertMessage } from '../server/modules/cases/repository.ts';
import { startRealServer, startTsProcess, type BenchContext } from './lib/context.ts';
import { BENCH_SECRET, ciphertextOfSize, makeMelderKey, openCases, setupOrganisation } from './lib/fixtures.ts';
import { runLoad, type LoadRequest } from './lib/load.ts';
import { createBenchDatabase, findPostgres } from './lib/pg.ts';
import { cpuSeconds, cpuSecondsOf } from './lib/proc.ts';

const pgUrl = (await findPostgres())!;
const ctx = { tmpDir: 'bench/results/tmp', profile: !!process.env.PROF } as unknown as BenchContext;
const database = await createBenchDatabase(pgUrl, 'probe');
const db = database.handle.db;
const advisor = await setupOrganisation(db);
const server = await startRealServer(ctx, { DATABASE_URL: database.url, SESSION_SECRET: BENCH_SECRET }, 'probe');
const bare = await startTsProcess('bench/baseline-server.ts', { DATABASE_URL: database.url }, '/health', process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=bench/results/tmp/prof/probe-bare'] : []);
try {
  const key = await makeMelderKey();
  const cases = await openCases(server.baseUrl, db, advisor, key, 50);
  const ciphertext = await ciphertextOfSize(4096, key, advisor);
  for (const c of cases) for (let m = 1; m < 20; m++) await insertMessage(db, { caseId: c.caseId, senderRole: m % 2 ? 'advisor' : 'melder', senderAccountId: m % 2 ? advisor.accountId : null, kind: 'message', ciphertext });
  const body = Buffer.from(JSON.stringify({ kind: 'message', ciphertext }));
  const probes: Array<[string, number, string, (i: number) => LoadRequest, number]> = [
    ['real health', server.pid, server.baseUrl, () => ({ method: 'GET', path: '/api/health' }), 200],
    ['bare health', bare.pid, bare.baseUrl, () => ({ method: 'GET', path: '/health' }), 200],
    ['real GET thread', server.pid, server.baseUrl, (i) => ({ method: 'GET', path: '/api/melder/case', headers: { cookie: cases[i % 50]!.cookie } }), 200],
    ['bare GET thread', bare.pid, bare.baseUrl, (i) => ({ method: 'GET', path: '/thread', headers: { 'x-case-id': cases[i % 50]!.caseId } }), 200],
    ['real POST', server.pid, server.baseUrl, (i) => ({ method: 'POST', path: '/api/melder/messages', body, headers: { cookie: cases[i % 50]!.cookie } }), 201],
    ['bare POST', bare.pid, bare.baseUrl, (i) => ({ method: 'POST', path: '/messages', body, headers: { 'x-case-id': cases[i % 50]!.caseId } }), 201],
  ];
  if (process.env.KEEP) {
    console.log('DB', database.url, JSON.stringify(cases.slice(0, 3)));
    await server.stop();
    await bare.stop();
    process.exit(0);
  }
  const connections = Number(process.env.CONN ?? 10);
  for (const round of (process.env.ONLY_POST ? [3, 3, 3, 3] : process.env.ONLY_GET ? [2, 2, 2, 2] : [1, 2, 3])) {
    for (const [name, pid, baseUrl, request, expectStatus] of probes.filter((p) => (round === 3) === p[0].includes('POST') && (!process.env.ONLY_GET || p[0].includes('GET')))) {
      let c0 = 0, p0 = 0, cpu = 0, pg = 0;
      const r = await runLoad({ baseUrl, connections, durationMs: 2000, warmupMs: 500, request, expectStatus, onWindow: (e) => {
        if (e === 'start') { c0 = cpuSeconds(pid); p0 = cpuSecondsOf('postgres'); } else { cpu = cpuSeconds(pid) - c0; pg = cpuSecondsOf('postgres') - p0; }
      } });
      if (round !== 1) console.log(`${name.padEnd(16)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1)} p90 ${r.p90.toFixed(1)} p99 ${r.p99.toFixed(1).padStart(6)} max ${r.max.toFixed(0)} ms  server ${(cpu * 1000 / r.requests).toFixed(3)} ms/req  pg ${(pg * 1000 / r.requests).toFixed(3)} ms/req  unexpected ${r.unexpected}  ${(r.bytesIn / r.requests / 1024).toFixed(1)} KiB/resp`);
    }
  }
} finally {
  await server.stop(); await bare.stop(); await database.drop();
}
