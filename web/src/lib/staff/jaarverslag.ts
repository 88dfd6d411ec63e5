// What a chart shows where the jaarverslag hides a count: the same marker as the table ("<5" or
// "x"), found in the table the chart repeats (the server builds both from one layout, in the same
// order). A chart never says more than its table; when the two cannot be matched, "–".
import type { Jaarverslag, JaarverslagTable } from '../api/compliance.ts';

export const UNKNOWN_MARKER = '–';

function marker(table: JaarverslagTable | undefined, rowKey: string, rowIndex: number, column: number): string {
  const row = table?.rows[rowIndex];
  if (!row || row.key !== rowKey) return UNKNOWN_MARKER;
  const cell = row.cells[column];
  return typeof cell === 'string' ? cell : UNKNOWN_MARKER;
}

/** Markers for the quarter chart, per series (kind) and quarter. */
export function quarterMarkers(report: Jaarverslag): string[][] {
  const table = report.tables.find((t) => t.id === 'quarters');
  return report.charts.quarters.series.map((series) => {
    const rowIndex = table?.rows.findIndex((r) => r.key === series.key) ?? -1;
    return series.values.map((_, quarter) => marker(table, series.key, rowIndex, quarter));
  });
}

/** Markers for one kind's category chart, per category (the year's column of its table). */
export function categoryMarkers(report: Jaarverslag, kind: string): string[] {
  const table = report.tables.find((t) => t.id === `categories_${kind}`);
  const chart = report.charts.categories.find((c) => c.kind === kind);
  const year = table?.columns.findIndex((c) => c.key === 'year') ?? -1;
  return (chart?.labels ?? []).map((label, i) => {
    const row = table?.rows[i];
    return row && row.label.nl === label.nl && year >= 0 ? marker(table, row.key, i, year) : UNKNOWN_MARKER;
  });
}
