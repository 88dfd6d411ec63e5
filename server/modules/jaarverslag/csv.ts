// The annual report as CSV: a heading block, then each table as a block (title line, column
// headings, rows), the indicators and the recommendations, separated by empty lines. Hidden
// counts stay "<5" / "x": the CSV carries exactly what the JSON and PDF show.
import { toCsv, type CsvValue } from '../register/csv.ts';
import type { JaarverslagReport } from './schema.ts';

type Lang = 'nl' | 'en';

const WORDS = {
  nl: { title: 'Jaarverslag vertrouwenspersoon', threshold: 'Aantallen onder', hidden: 'x = verborgen om een klein aantal te beschermen', indicators: 'Kengetallen', current: 'dit jaar', previous: 'vorig jaar', recommendations: 'Aanbevelingen', hiddenValue: 'niet getoond (te weinig meldingen)' },
  en: { title: 'Annual report of the confidential adviser', threshold: 'Counts below', hidden: 'x = hidden to protect a small count', indicators: 'Indicators', current: 'this year', previous: 'last year', recommendations: 'Recommendations', hiddenValue: 'not shown (too few reports)' },
};

export function jaarverslagCsv(report: JaarverslagReport, lang: Lang = 'nl'): string {
  const w = WORDS[lang];
  const rows: CsvValue[][] = [
    [w.title, report.organisation.name, report.year],
    [`${w.threshold} ${report.threshold}: ${report.markers.below}; ${w.hidden}`],
  ];
  for (const t of report.tables) {
    rows.push([]);
    rows.push([t.title[lang]]);
    rows.push(['', ...t.columns.map((c) => c.label[lang])]);
    for (const r of t.rows) rows.push([r.label[lang], ...r.cells]);
  }
  rows.push([], [w.indicators], ['', w.current, w.previous]);
  for (const i of report.indicators) rows.push([i.label[lang], i.current ?? w.hiddenValue, i.previous ?? w.hiddenValue]);
  rows.push([], [w.recommendations], [report.recommendations]);
  return toCsv(rows);
}
