// Scale: 100,000 cases and 1,000,000 messages (about 1 KB of fake ciphertext each) over 200
// advisors in 50 organisations, seeded in SQL. Then, against the real server process on it: the
// melder's thread and the advisor's inbox first page (server time, one request at a time), and
// EXPLAIN (ANALYZE) of every hot query as the server builds it — no sequential scan of a large
// table allowed.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { createSession } from '../../server/modules/sessions/service.ts';
import { insertMessage } from '../../server/modules/cases/repository.ts';
import { log, startRealServer, type BenchContext, type RealServer } from '../lib/context.ts';
import { BENCH_SECRET } from '../lib/fixtures.ts';
import { send } from '../lib/load.ts';
import { createBenchDatabase } from '../lib/pg.ts';
import { explain, hotQueries, retentionQueries, sampleIds, type Explained } from '../lib/query-plans.ts';
import { scaledSize, seedLargeDatabase } from '../lib/seed.ts';
import { percentile } from '../lib/stats.ts';

const THREAD_LENGTH = 20;

async function sequential(baseUrl: string, path: string, cookie: string, n: number): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(baseUrl);
  const out: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = await send(agent, url, { method: 'GET', path, headers: { cookie } });
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      out.push(performance.now() - t0);
    }
  } finally {
    agent.destroy();
  }
  return out;
}

const slug = (s: string) => s.toLowerCase().replace(/\(.*?\)/g, '').replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');

export async function scale(ctx: BenchContext): Promise<void> {
  const { rec } = ctx;
  if (!ctx.pgUrl) {
    rec.skip({ id: 'scale.melder_thread_p99', label: 'melder thread (20 messages), server time p99', unit: 'ms', better: 'lower', reason: 'no PostgreSQL answers', target: { op: '<', value: 50 } });
    return;
  }
  const size = scaledSize(ctx.scale);
  const database = await createBenchDatabase(ctx.pgUrl, 'scale', { max: 4 });
  let server: RealServer | undefined;
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    const db = database.handle.db;
    log(`seeding ${size.cases.toLocaleString('en-US')} cases, ${(size.cases * size.messagesPerCase).toLocaleString('en-US')} messages…`);
    const steps: string[] = [];
    const t0 = performance.now();
    await seedLargeDatabase(db, size, (step, ms) => steps.push(`${step} ${(ms / 1000).toFixed(1)} s`));
    const seedSeconds = (performance.now() - t0) / 1000;
    rec.add({ id: 'scale.seed_seconds', label: `seeding ${size.cases.toLocaleString('en-US')} cases and ${(size.cases * size.messagesPerCase).toLocaleString('en-US')} messages`, unit: 's', better: 'lower', runs: [seedSeconds], note: 'seeded once' });
    const sizes = await pool.query(`SELECT relname, n_live_tup, pg_size_pretty(pg_total_relation_size(relid)) AS size FROM pg_stat_user_tables WHERE relname IN ('cases','messages','attachments','attachment_chunks','sessions') ORDER BY relname`);
    rec.note(`seeded once (${steps.join(', ')}); ${size.organisations} organisations, ${size.advisors} advisors; tables: ${sizes.rows.map((r) => `${r.relname} ${Number(r.n_live_tup).toLocaleString('en-US')} rows ${r.size}`).join(', ')}`);

    // The measured case: a thread of exactly 20 shared messages, a melder session and its advisor's.
    const melderToken = 'placeholder';
    const ids = await sampleIds(pool, melderToken);
    const shared = Number((await pool.query(`SELECT count(*) FROM messages WHERE case_id = $1 AND kind <> 'note'`, [ids.caseId])).rows[0].count);
    for (let i = shared; i < THREAD_LENGTH; i++) {
      await insertMessage(db, { caseId: ids.caseId, senderRole: i % 2 ? 'advisor' : 'melder', senderAccountId: i % 2 ? ids.advisorId : null, kind: 'message', ciphertext: 'x'.repeat(1000) });
    }
    ids.sessionToken = await createSession(db, { subject: 'melder', caseId: ids.caseId });
    const staffToken = await createSession(db, { subject: 'staff', accountId: ids.advisorId });
    const advisorCases = Number((await pool.query('SELECT count(*) FROM cases WHERE advisor_id = $1', [ids.advisorId])).rows[0].count);

    server = await startRealServer(ctx, { DATABASE_URL: database.url, SESSION_SECRET: BENCH_SECRET }, 'scale');
    const n = ctx.quick ? 30 : 100;
    const paths = [
      { id: 'melder_thread', label: `melder thread (${THREAD_LENGTH} messages), GET /api/melder/case`, path: '/api/melder/case', cookie: `kb_session=${ids.sessionToken}`, target: true },
      { id: 'inbox', label: `advisor inbox first page (${advisorCases} cases), GET /api/advisor/cases`, path: '/api/advisor/cases', cookie: `kb_session=${staffToken}`, target: true },
      { id: 'advisor_case', label: 'advisor opens a case, GET /api/advisor/cases/:id', path: `/api/advisor/cases/${ids.caseId}`, cookie: `kb_session=${staffToken}`, target: false },
    ];
    for (const p of paths) {
      await sequential(server.baseUrl, p.path, p.cookie, 20);
      const p50: number[] = [];
      const p99: number[] = [];
      for (let run = 0; run < ctx.runs; run++) {
        const lat = await sequential(server.baseUrl, p.path, p.cookie, n);
        p50.push(percentile(lat, 50));
        p99.push(percentile(lat, 99));
      }
      rec.add({ id: `scale.${p.id}_p50`, label: `${p.label}: p50`, unit: 'ms', better: 'lower', runs: p50 });
      rec.add({ id: `scale.${p.id}_p99`, label: `${p.label}: p99`, unit: 'ms', better: 'lower', runs: p99, ...(p.target ? { target: { op: '<' as const, value: 50 } } : {}) });
    }
    rec.note(`server time = request to last byte over loopback, one request at a time, ${n} requests per run after 20 warm-up requests`);

    // EXPLAIN ANALYZE of every hot query, as the server compiles it.
    const explained: Array<{ name: string; queries: Explained[] }> = [];
    let withSeqScan = 0;
    for (const hq of hotQueries(ids)) {
      const compiled = await hq.capture();
      const runs: Explained[][] = [];
      for (let run = 0; run < ctx.runs; run++) runs.push(await Promise.all(compiled.map((c) => explain(pool, c, hq.writes))));
      const last = runs[runs.length - 1]!;
      explained.push({ name: hq.name, queries: last });
      const seq = [...new Set(last.flatMap((e) => e.seqScans))];
      if (seq.length) withSeqScan++;
      rec.add({
        id: `scale.sql.${slug(hq.name)}`, label: `SQL: ${hq.name}`, unit: 'ms', better: 'lower',
        runs: runs.map((r) => r.reduce((s, e) => s + e.executionMs, 0)),
        ...(seq.length ? { note: `Seq Scan on ${seq.join(', ')}` } : {}),
      });
      rec.note(`plan of “${hq.name}”: ${last.map((e) => e.nodes.join(' → ')).join(' | ')}${seq.length ? `  **Seq Scan on ${seq.join(', ')}**` : ''}`);
    }
    for (const rq of retentionQueries(ids)) {
      const [compiled] = await rq.capture();
      const runs: Explained[] = [];
      for (let run = 0; run < ctx.runs; run++) runs.push(await explain(pool, compiled!, true));
      const last = runs[runs.length - 1]!;
      explained.push({ name: rq.name, queries: [last] });
      const slow = last.triggers.filter((t) => t.ms > 1).map((t) => `${t.name} on ${t.relation} ${t.ms.toFixed(1)} ms × ${t.calls}`);
      rec.add({ id: `scale.sql.${slug(rq.name)}`, label: `SQL: ${rq.name}`, unit: 'ms', better: 'lower', runs: runs.map((e) => e.executionMs) });
      rec.note(`${rq.name}: ${last.executionMs.toFixed(1)} ms; triggers over 1 ms: ${slow.length ? slow.join(', ') : 'none'}`);
    }
    rec.add({ id: 'scale.seq_scans', label: 'hot queries with a Seq Scan on a large table', unit: 'queries', better: 'lower', runs: [withSeqScan], target: { op: '<=', value: 0 } });
    writeFileSync(path.join(ctx.tmpDir, 'plans.json'), JSON.stringify(explained, null, 2));
    rec.note('SQL figures are PostgreSQL execution time from EXPLAIN ANALYZE (sum over the queries of that step); full plans in bench/results/tmp/plans.json');
  } finally {
    await server?.stop().catch(() => {});
    await pool.end().catch(() => {});
    await database.drop().catch((err) => log(`dropping ${database.name} failed: ${err}`));
  }
}
