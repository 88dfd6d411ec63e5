// Small statistics for benchmark figures: percentiles of one run's latencies, and the median and
// spread of a figure over several runs.

/** Linear-interpolated percentile of sorted values (p in 0..100). */
export function percentileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

export function percentile(values: readonly number[], p: number): number {
  return percentileSorted([...values].sort((x, y) => x - y), p);
}

export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
  runs: number[];
}

/** Median and spread of one figure over several runs. */
export function summarise(runs: readonly number[]): Summary {
  const finite = runs.filter((x) => Number.isFinite(x));
  const sorted = [...finite].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: percentileSorted(sorted, 50),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
    q1: percentileSorted(sorted, 25),
    q3: percentileSorted(sorted, 75),
    runs: finite.map((x) => round(x)),
  };
}

export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
