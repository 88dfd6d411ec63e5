// Statistical disclosure control for the annual report: no small count may be shown, nor
// recomputed from what is shown.
//
// The input is a set of named cells with counts and the additive constraints between them,
// "total = part + part + …" (a kind's total is the sum of its categories and also of its
// quarters; a quarter's total is the sum over kinds; the grand total is the sum of the kinds
// and of the quarters; the registered total is the sum of the outcomes). The algorithm:
//
//  1. Primary suppression: every cell below the threshold is hidden (shown "<5").
//  2. Complementary suppression, group rule: a constraint (its total and its parts together)
//     with exactly ONE hidden cell gives that cell away by subtraction. So hide one more cell
//     of that constraint: the smallest visible part, or the total when no other part is
//     visible. Repeat until no constraint has exactly one hidden cell — hiding a cell can
//     expose it in another constraint it belongs to (a kind total sits in three).
//  3. Audit across constraints: the group rule defeats subtraction within one constraint, but
//     combining several (a row and a column of the quarter table, or the category and quarter
//     tables through their shared kind total) can still isolate a hidden cell. Exactly: with
//     the constraints as rows of a matrix over the hidden cells, a hidden cell x can be
//     recomputed from the visible cells if and only if the unit vector of x lies in that
//     matrix's row space — i.e. iff removing x's column lowers the matrix's rank. For the first
//     such cell, hide the smallest visible cell that shares a constraint with it (the total if
//     none of the parts is visible), then go back to step 2. Every round hides at least one more
//     cell, so this ends — at worst with every cell hidden.
//
// Cells hidden in steps 2–3 are shown "x" (CBS's mark for "geheim"). Year-over-year differences
// are shown only where both years' cells are visible, so they add nothing that the visible
// cells do not already say. Multi-answer counts (help given) sum to nothing and only need step 1.
// Known limit: this protects against recomputation by linear arithmetic (subtraction and
// addition across the tables). Bounds reasoning ("these hidden cells add up to 0, so each is 0")
// is not ruled out by the audit.

export type Visibility = 'visible' | 'below' | 'hidden';

export interface Constraint {
  total: string;
  parts: string[];
}

const EPS = 1e-9;

/** Rank of a dense matrix (rows × cols), by Gaussian elimination with partial pivoting. */
export function rank(matrix: number[][]): number {
  const m = matrix.map((r) => [...r]);
  const rows = m.length;
  const cols = rows ? m[0]!.length : 0;
  let r = 0;
  for (let c = 0; c < cols && r < rows; c++) {
    let pivot = r;
    for (let i = r + 1; i < rows; i++) if (Math.abs(m[i]![c]!) > Math.abs(m[pivot]![c]!)) pivot = i;
    if (Math.abs(m[pivot]![c]!) < EPS) continue;
    [m[r], m[pivot]] = [m[pivot]!, m[r]!];
    for (let i = 0; i < rows; i++) {
      if (i === r) continue;
      const f = m[i]![c]! / m[r]![c]!;
      if (f !== 0) for (let j = c; j < cols; j++) m[i]![j]! -= f * m[r]![j]!;
    }
    r++;
  }
  return r;
}

/** The hidden cells that the visible ones determine through the constraints (linear inference). */
export function recomputableCells(constraints: Constraint[], hidden: Set<string>): string[] {
  const hiddenList = [...hidden];
  const row = (c: Constraint, cols: string[]) => cols.map((id) => (id === c.total ? 1 : 0) - c.parts.filter((p) => p === id).length);
  const relevant = constraints.filter((c) => [c.total, ...c.parts].some((id) => hidden.has(id)));
  const full = rank(relevant.map((c) => row(c, hiddenList)));
  return hiddenList.filter((x) => {
    const others = hiddenList.filter((id) => id !== x);
    return rank(relevant.map((c) => row(c, others))) < full;
  });
}

export function suppress(values: ReadonlyMap<string, number>, constraints: Constraint[], threshold: number): Map<string, Visibility> {
  const state = new Map<string, Visibility>();
  for (const [id, v] of values) state.set(id, v < threshold ? 'below' : 'visible');
  const isHidden = (id: string) => state.get(id) !== 'visible';
  const valueOf = (id: string) => values.get(id) ?? 0;
  const smallestVisible = (ids: string[]) =>
    ids.filter((id) => !isHidden(id)).sort((a, b) => valueOf(a) - valueOf(b) || a.localeCompare(b))[0];

  /** One more cell to hide in constraint c (which exposes a hidden cell): a part, else its total. */
  const complementOf = (c: Constraint, exposed: string): string | undefined =>
    smallestVisible(c.parts.filter((p) => p !== exposed)) ?? (!isHidden(c.total) ? c.total : undefined);

  for (;;) {
    // Step 2: group rule, to a fixed point.
    let changed = true;
    while (changed) {
      changed = false;
      for (const c of constraints) {
        const members = [c.total, ...c.parts];
        const hiddenMembers = members.filter(isHidden);
        if (hiddenMembers.length !== 1) continue;
        const extra = complementOf(c, hiddenMembers[0]!);
        if (extra) {
          state.set(extra, 'hidden');
          changed = true;
        }
      }
    }
    // Step 3: audit across constraints.
    const hidden = new Set([...state.keys()].filter(isHidden));
    const exposed = recomputableCells(constraints, hidden)[0];
    if (!exposed) return state;
    const candidates = constraints
      .filter((c) => c.total === exposed || c.parts.includes(exposed))
      .map((c) => complementOf(c, exposed))
      .filter((id): id is string => !!id);
    const extra = smallestVisible(candidates) ?? smallestVisible([...values.keys()]);
    if (!extra) return state; // everything is hidden already
    state.set(extra, 'hidden');
  }
}
