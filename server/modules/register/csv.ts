// CSV for spreadsheets (Dutch Excel reads `;` as the separator): every text cell quoted, quotes
// doubled, so a `;`, quote or line break inside a value can never split a cell; a text cell
// starting with = + - @ (or a tab or carriage return) gets a leading ' so a spreadsheet never
// runs it as a formula. Numbers we computed ourselves are written as they are. UTF-8 with BOM.
export type CsvValue = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function toCsv(rows: CsvValue[][]): string {
  return '\uFEFF' + rows.map((r) => r.map(csvCell).join(';')).join('\r\n') + '\r\n';
}
