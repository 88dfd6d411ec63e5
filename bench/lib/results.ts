// The figures of one benchmark run: each has an id that stays the same between runs (so a later
// run can compare), a unit, which direction is better, the per-run values with their median and
// spread, and optionally a target. A figure that could not be measured says why.
import { summarise, type Summary } from './stats.ts';

export type Better = 'lower' | 'higher';

export interface Target {
  op: '<' | '<=' | '>=' | '>';
  value: number;
}

export interface Figure {
  id: string;
  section: string;
  label: string;
  unit: string;
  better: Better;
  summary: Summary | null;
  target?: Target;
  /** Median meets the target (undefined without a target or measurement). */
  pass?: boolean;
  note?: string;
  /** Set when not measured: why. */
  notMeasured?: string;
}

export interface SectionInfo {
  id: string;
  title: string;
  seconds: number;
  loadBefore: number[];
  notes: string[];
  error?: string;
}

export function meets(value: number, t: Target): boolean {
  switch (t.op) {
    case '<': return value < t.value;
    case '<=': return value <= t.value;
    case '>=': return value >= t.value;
    case '>': return value > t.value;
  }
}

export class Recorder {
  readonly figures: Figure[] = [];
  readonly sections: SectionInfo[] = [];
  #section = 'general';

  enter(section: string): void {
    this.#section = section;
  }

  get section(): string {
    return this.#section;
  }

  add(input: { id: string; label: string; unit: string; better: Better; runs: number[]; target?: Target; note?: string }): Figure {
    const summary = summarise(input.runs);
    const figure: Figure = {
      id: input.id,
      section: this.#section,
      label: input.label,
      unit: input.unit,
      better: input.better,
      summary,
      ...(input.target ? { target: input.target, pass: meets(summary.median, input.target) } : {}),
      ...(input.note ? { note: input.note } : {}),
    };
    this.figures.push(figure);
    const spread = `${fmt(summary.min)}–${fmt(summary.max)}`;
    const verdict = figure.pass === undefined ? '' : figure.pass ? '  ✓ target' : '  ✗ MISSES target';
    console.log(`[bench]   ${input.label}: ${fmt(summary.median)} ${input.unit} (${spread}, n=${summary.n})${verdict}`);
    return figure;
  }

  skip(input: { id: string; label: string; unit: string; better: Better; reason: string; target?: Target }): void {
    this.figures.push({
      id: input.id, section: this.#section, label: input.label, unit: input.unit, better: input.better, summary: null,
      notMeasured: input.reason, ...(input.target ? { target: input.target } : {}),
    });
    console.log(`[bench]   ${input.label}: not measured — ${input.reason}`);
  }

  note(text: string): void {
    const s = this.sections.find((x) => x.id === this.#section);
    if (s) s.notes.push(text);
    console.log(`[bench]   note: ${text}`);
  }
}

export function fmt(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}
