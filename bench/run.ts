// `npm run bench`: measures the paths people feel against this machine's limits and writes
// bench/results/<date>.json and .md, compared with the previous results file. Never part of
// `npm test`. Options: --only a,b (sections), --runs N, --quick (short runs, for trying the
// bench itself), --scale F (fraction of the 100k-case database), --profile (V8 CPU profiles of
// the servers into bench/results/tmp/prof).
import './lib/env.ts';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_PATH } from '../tests/helpers/browser.ts';
import { log, type BenchContext } from './lib/context.ts';
import { describeMachine } from './lib/machine.ts';
import { dropLeftovers, findPostgres } from './lib/pg.ts';
import { compare, previousResultsFile, writeResults, type BenchResults } from './lib/report.ts';
import { Recorder } from './lib/results.ts';
import { buildWebSnapshot } from './lib/web.ts';
import { argon } from './sections/argon.ts';
import { browserPaths } from './sections/browser.ts';
import { bundle } from './sections/bundle.ts';
import { files } from './sections/files.ts';
import { scale } from './sections/scale.ts';
import { startup } from './sections/startup.ts';
import { throughput } from './sections/throughput.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, 'results');
const TMP = path.join(RESULTS, 'tmp');
/** Sections that have not started by then are skipped, so the whole run stays under 15 minutes. */
const BUDGET_MS = 14 * 60_000;

const SECTIONS: Array<{ id: string; title: string; run: (ctx: BenchContext) => Promise<void> }> = [
  { id: 'startup', title: 'Start-up: `npm start` to healthy', run: startup },
  { id: 'throughput', title: 'Server throughput on PostgreSQL (50 connections) vs a bare baseline', run: throughput },
  { id: 'argon', title: 'Argon2 isolation: health while logins run; memory under a login burst', run: argon },
  { id: 'files', title: 'Files: 50 MB encrypted upload and download', run: files },
  { id: 'bundle', title: 'Bundle: JavaScript loaded for /<org-slug>', run: bundle },
  { id: 'browser', title: 'Browser paths in Chromium through the real UI', run: browserPaths },
  { id: 'scale', title: 'Scale: 100,000 cases and 1,000,000 messages on PostgreSQL', run: scale },
];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const started = Date.now();
  mkdirSync(TMP, { recursive: true });
  const quick = process.argv.includes('--quick');
  const only = arg('only')?.split(',');
  const runs = Number(arg('runs') ?? process.env.BENCH_RUNS ?? (quick ? 2 : 5));
  const rec = new Recorder();
  const pgUrl = await findPostgres();
  if (pgUrl) {
    const dropped = await dropLeftovers(pgUrl);
    if (dropped.length) log(`dropped ${dropped.length} database(s) left by an earlier, interrupted bench`);
  } else log('no PostgreSQL answers: the PostgreSQL figures are not measured');
  const machine = await describeMachine(pgUrl, CHROMIUM_PATH);
  log(`${machine.cores} cores, ${machine.cpuModel}, ${machine.memoryGB} GB; Node ${machine.node}, PostgreSQL ${machine.postgres ?? '—'}; load ${machine.loadAverageAtStart.join(' ')}`);

  const ctx: BenchContext = {
    rec, pgUrl, webDir: null, chromiumPath: CHROMIUM_PATH, tmpDir: TMP, runs, quick,
    scale: Number(arg('scale') ?? (quick ? 0.1 : 1)),
    profile: process.argv.includes('--profile'),
  };
  const wanted = SECTIONS.filter((s) => !only || only.includes(s.id));
  if (wanted.some((s) => s.id === 'bundle' || s.id === 'browser')) {
    const t0 = Date.now();
    try {
      ctx.webDir = path.join(TMP, 'web');
      await buildWebSnapshot(ctx.webDir);
      log(`web app built into ${path.relative(process.cwd(), ctx.webDir)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      ctx.webDir = null;
      log(`building the web app failed: ${err instanceof Error ? err.message : err}`);
    }
  }

  for (const s of wanted) {
    rec.enter(s.id);
    const info = { id: s.id, title: s.title, seconds: 0, loadBefore: os.loadavg().map((x) => Math.round(x * 100) / 100), notes: [] as string[] };
    rec.sections.push(info);
    if (Date.now() - started > BUDGET_MS) {
      rec.note('skipped: the run had used its 14-minute budget before this section');
      continue;
    }
    log(`— ${s.title}`);
    const t0 = Date.now();
    try {
      await s.run(ctx);
    } catch (err) {
      (info as { error?: string }).error = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      log(`section ${s.id} failed: ${err instanceof Error ? err.stack : err}`);
    }
    info.seconds = (Date.now() - t0) / 1000;
  }

  const d = new Date();
  const stem = `${d.toISOString().slice(0, 10)}-${d.toISOString().slice(11, 16).replace(':', '')}`;
  const results: BenchResults = {
    date: d.toISOString().replace(/\.\d+Z$/, 'Z'),
    machine, runsPerFigure: runs, totalSeconds: (Date.now() - started) / 1000,
    sections: rec.sections, figures: rec.figures, comparison: null,
  };
  const previous = previousResultsFile(RESULTS, `${stem}.json`);
  if (previous) results.comparison = compare(results, previous);
  // Partial or quick runs are for trying the bench: kept out of bench/results, never "previous".
  const partial = quick || !!only || runs < 5;
  const written = writeResults(partial ? TMP : RESULTS, stem, results);
  log(`wrote ${path.relative(process.cwd(), written.json)} and ${path.relative(process.cwd(), written.md)} in ${Math.round(results.totalSeconds)} s`);
  const c = results.comparison;
  if (c) {
    if (c.regressions.length) {
      log(`REGRESSIONS against ${c.previousFile}:`);
      for (const x of c.regressions) log(`  ${x.label}: ${x.previous.toFixed(2)} → ${x.current.toFixed(2)} ${x.unit} (${Math.round(x.worseBy * 100)} % worse)`);
    } else log(`no regressions against ${c.previousFile}`);
  }
  const missed = rec.figures.filter((f) => f.pass === false);
  if (missed.length) log(`targets missed: ${missed.map((f) => f.label).join('; ')}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
