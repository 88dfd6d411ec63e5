// Start-up: `npm start` (exactly that command) until /api/health answers 200 — on PGlite with a
// fresh DATA_DIR, again on that same data (a restart), and on PostgreSQL with a fresh database.
// The web app is built beforehand, so a run measures start-up, not a build; a run that had to
// build anyway (web/ changed meanwhile) is left out and said so.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureWebBuilt } from '../../server/web-build.ts';
import { freePort } from '../../tests/helpers/private-postgres.ts';
import { log, type BenchContext } from '../lib/context.ts';
import { BENCH_SECRET } from '../lib/fixtures.ts';
import { createBenchDatabase } from '../lib/pg.ts';
import { memStatus } from '../lib/proc.ts';

interface StartResult {
  seconds: number;
  rssMB: number;
  built: boolean;
}

/** Descendant pids of `pid` (npm → sh → node). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number) => {
    let children: number[] = [];
    try {
      children = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      /* gone */
    }
    for (const c of children) {
      out.push(c);
      visit(c);
    }
  };
  visit(pid);
  return out;
}

/** The node process running server/start.ts (not the shell npm runs it through). */
function serverPid(npmPid: number): number | null {
  for (const p of descendants(npmPid).reverse()) {
    try {
      const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      if (path.basename(argv[0] ?? '') === 'node' && argv.includes('server/start.ts')) return p;
    } catch {
      /* gone */
    }
  }
  return null;
}

async function npmStart(env: Record<string, string>): Promise<StartResult> {
  const port = await freePort();
  const output: string[] = [];
  const t0 = performance.now();
  const child = spawn('npm', ['start'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so npm, sh and node stop together
  });
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 15_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        resolve();
      }
    });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited: ${output.join('')}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/health`);
        await res.arrayBuffer();
        if (res.status === 200) break;
      } catch {
        /* not up yet */
      }
      if (performance.now() - t0 > 120_000) throw new Error(`npm start did not become healthy: ${output.join('')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 300));
    const pid = serverPid(child.pid!);
    const rssMB = pid ? memStatus(pid).rssMB : NaN;
    return { seconds, rssMB, built: output.join('').includes('building the web app') };
  } finally {
    await stop();
  }
}

export async function startup(ctx: BenchContext): Promise<void> {
  const { rec } = ctx;
  const t0 = performance.now();
  let built = false;
  await ensureWebBuilt(() => {
    built = true;
  });
  if (built) log(`built dist/web first (${((performance.now() - t0) / 1000).toFixed(1)} s), so the runs measure start-up only`);

  const fresh: StartResult[] = [];
  const again: StartResult[] = [];
  let rebuilt = 0;
  for (let run = 0; run < ctx.runs; run++) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kb-bench-start-'));
    try {
      const a = await npmStart({ DATA_DIR: dataDir });
      const b = await npmStart({ DATA_DIR: dataDir });
      if (a.built || b.built) rebuilt++;
      if (!a.built) fresh.push(a);
      if (!b.built) again.push(b);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  rec.add({ id: 'startup.pglite_fresh', label: 'npm start → healthy, PGlite, fresh DATA_DIR', unit: 's', better: 'lower', runs: fresh.map((r) => r.seconds) });
  rec.add({ id: 'startup.pglite_restart', label: 'npm start → healthy, PGlite, existing data (restart)', unit: 's', better: 'lower', runs: again.map((r) => r.seconds) });
  rec.add({ id: 'startup.pglite_rss', label: 'server RSS just after start, PGlite', unit: 'MB', better: 'lower', runs: fresh.map((r) => r.rssMB) });

  if (ctx.pgUrl) {
    const pgRuns: StartResult[] = [];
    for (let run = 0; run < ctx.runs; run++) {
      const database = await createBenchDatabase(ctx.pgUrl, 'start', { migrate: false, max: 1 });
      const dataDir = mkdtempSync(path.join(tmpdir(), 'kb-bench-start-'));
      try {
        await database.handle.close();
        const r = await npmStart({ DATABASE_URL: database.url, SESSION_SECRET: BENCH_SECRET, DATA_DIR: dataDir });
        if (r.built) rebuilt++;
        else pgRuns.push(r);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
        await database.drop().catch(() => {});
      }
    }
    rec.add({ id: 'startup.postgres_fresh', label: 'npm start → healthy, PostgreSQL, fresh database', unit: 's', better: 'lower', runs: pgRuns.map((r) => r.seconds) });
    rec.add({ id: 'startup.postgres_rss', label: 'server RSS just after start, PostgreSQL', unit: 'MB', better: 'lower', runs: pgRuns.map((r) => r.rssMB) });
  } else {
    rec.skip({ id: 'startup.postgres_fresh', label: 'npm start → healthy, PostgreSQL, fresh database', unit: 's', better: 'lower', reason: 'no PostgreSQL answers' });
  }
  rec.note('from spawning `npm start` to the first 200 from /api/health (polled every 20 ms); fresh = empty data folder or database, so it includes creating the database and running every migration');
  if (rebuilt) rec.note(`${rebuilt} run(s) left out: web/ changed during the bench and npm start rebuilt the web app`);
}
