// Writes a run's figures as JSON and as a Markdown summary, and compares them with the previous
// results file: a figure whose median got more than 15 % worse is named a regression.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Machine } from './machine.ts';
import { fmt, type Figure, type SectionInfo } from './results.ts';

export const REGRESSION_THRESHOLD = 0.15;

/** Changes smaller than this (per unit) are noise, whatever their percentage (0.01 → 0.012 ms). */
const NOISE_FLOOR: Record<string, number> = { ms: 0.5, s: 0.2, MB: 5, KB: 1, 'MB/s': 2, 'req/s': 20 };

export interface BenchResults {
  date: string;
  machine: Machine;
  runsPerFigure: number;
  totalSeconds: number;
  sections: SectionInfo[];
  figures: Figure[];
  comparison: Comparison | null;
}

export interface Change {
  id: string;
  label: string;
  unit: string;
  previous: number;
  current: number;
  /** Positive = worse. */
  worseBy: number;
}

export interface Comparison {
  previousFile: string;
  previousDate: string;
  sameMachine: boolean;
  previousLoad: number[];
  regressions: Change[];
  improvements: Change[];
  compared: number;
}

export function previousResultsFile(dir: string, exclude: string): string | null {
  const files = readdirSync(dir).filter((f) => /^\d{4}-\d{2}-\d{2}.*\.json$/.test(f) && f !== exclude).sort();
  return files.length ? path.join(dir, files[files.length - 1]!) : null;
}

export function compare(current: BenchResults, previousFile: string): Comparison {
  const prev = JSON.parse(readFileSync(previousFile, 'utf8')) as BenchResults;
  const byId = new Map(prev.figures.map((f) => [f.id, f]));
  const regressions: Change[] = [];
  const improvements: Change[] = [];
  let compared = 0;
  for (const f of current.figures) {
    const p = byId.get(f.id);
    const cur = f.summary?.median;
    const old = p?.summary?.median;
    if (cur === undefined || old === undefined || !Number.isFinite(cur) || !Number.isFinite(old) || old === 0) continue;
    compared++;
    if (Math.abs(cur - old) < (NOISE_FLOOR[f.unit] ?? 0)) continue;
    const worseBy = f.better === 'lower' ? (cur - old) / Math.abs(old) : (old - cur) / Math.abs(old);
    const change = { id: f.id, label: f.label, unit: f.unit, previous: old, current: cur, worseBy };
    if (worseBy > REGRESSION_THRESHOLD) regressions.push(change);
    else if (worseBy < -REGRESSION_THRESHOLD) improvements.push(change);
  }
  const m = prev.machine;
  const sameMachine = m.cores === current.machine.cores && m.cpuModel === current.machine.cpuModel && m.memoryGB === current.machine.memoryGB;
  return { previousFile: path.basename(previousFile), previousDate: prev.date, sameMachine, previousLoad: m.loadAverageAtStart, regressions, improvements, compared };
}

const targetText = (f: Figure) => (f.target ? `${f.target.op} ${f.target.value} ${f.unit}` : '');

export function toMarkdown(r: BenchResults): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`# Klankbord benchmark — ${r.date}`, '');
  out.push(`- **Machine:** ${m.cores} cores, ${m.cpuModel}, ${m.memoryGB} GB memory, ${m.kernel}`);
  out.push(`- **Versions:** Node ${m.node}, PostgreSQL ${m.postgres ?? '—'}, ${m.chromium ?? 'Chromium —'}`);
  out.push(`- **Code:** commit ${m.commit ?? '?'}${m.dirty ? ' with uncommitted changes' : ''}`);
  out.push(`- **Load average at start:** ${m.loadAverageAtStart.join(' / ')} (1/5/15 min; other work on the machine shows here)`);
  out.push(`- **Runs:** ${r.runsPerFigure} per figure unless n says otherwise; median, spread = min–max and interquartile range; total time ${Math.round(r.totalSeconds)} s`, '');
  const misses = r.figures.filter((f) => f.pass === false);
  const unmeasured = r.figures.filter((f) => f.notMeasured);
  out.push('## Targets', '');
  const withTarget = r.figures.filter((f) => f.target);
  out.push('| Figure | Median | Target | |', '|---|---:|---|---|');
  for (const f of withTarget) {
    out.push(`| ${f.label} | ${f.summary ? `${fmt(f.summary.median)} ${f.unit}` : '—'} | ${targetText(f)} | ${f.notMeasured ? `not measured: ${f.notMeasured}` : f.pass ? 'met' : '**missed**'} |`);
  }
  out.push('', `${withTarget.length - misses.length - unmeasured.filter((f) => f.target).length} met, ${misses.length} missed, ${unmeasured.filter((f) => f.target).length} not measured.`, '');
  if (r.comparison) {
    const c = r.comparison;
    out.push(`## Compared with ${c.previousFile}`, '');
    if (!c.sameMachine) out.push('_The previous run was on a different machine; differences say little._', '');
    out.push(`Load average at start: ${c.previousLoad.join(' / ')} then, ${m.loadAverageAtStart.join(' / ')} now — with other work on the machine, latencies move more than code does.`, '');
    out.push(`${c.compared} figures compared; worse by more than ${REGRESSION_THRESHOLD * 100} % is a regression (changes under 0.5 ms, 0.2 s, 5 MB or 1 KB are ignored as noise).`, '');
    if (c.regressions.length) {
      out.push('**Regressions:**', '');
      for (const x of c.regressions) out.push(`- ${x.label}: ${fmt(x.previous)} → ${fmt(x.current)} ${x.unit} (${Math.round(x.worseBy * 100)} % worse)`);
    } else out.push('No regressions.');
    if (c.improvements.length) {
      out.push('', 'Improvements:', '');
      for (const x of c.improvements) out.push(`- ${x.label}: ${fmt(x.previous)} → ${fmt(x.current)} ${x.unit} (${Math.round(-x.worseBy * 100)} % better)`);
    }
    out.push('');
  } else {
    out.push('## Compared with', '', 'No previous results file: nothing to compare with.', '');
  }
  for (const s of r.sections) {
    out.push(`## ${s.title}`, '');
    out.push(`_${Math.round(s.seconds)} s; load average before: ${s.loadBefore.join(' / ')}_`, '');
    if (s.error) out.push(`**Failed:** ${s.error}`, '');
    const figs = r.figures.filter((f) => f.section === s.id);
    if (figs.length) {
      out.push('| Figure | Median | Spread (min–max) | IQR | n | Target |', '|---|---:|---:|---:|---:|---|');
      for (const f of figs) {
        if (!f.summary) {
          out.push(`| ${f.label} | — | | | 0 | ${targetText(f)} not measured: ${f.notMeasured} |`);
          continue;
        }
        const sm = f.summary;
        const verdict = f.pass === undefined ? '' : f.pass ? ' ✓' : ' ✗ **missed**';
        out.push(`| ${f.label} | ${fmt(sm.median)} ${f.unit} | ${fmt(sm.min)}–${fmt(sm.max)} | ${fmt(sm.q1)}–${fmt(sm.q3)} | ${sm.n} | ${targetText(f)}${verdict} |`);
      }
      out.push('');
    }
    for (const n of s.notes) out.push(`- ${n}`);
    if (s.notes.length) out.push('');
  }
  return out.join('\n');
}

export function writeResults(dir: string, stem: string, r: BenchResults): { json: string; md: string } {
  const json = path.join(dir, `${stem}.json`);
  const md = path.join(dir, `${stem}.md`);
  writeFileSync(json, JSON.stringify(r, null, 2) + '\n');
  writeFileSync(md, toMarkdown(r));
  return { json, md };
}
