// The annual report as an A4 PDF (pdfkit): title, organisation and year, the tables, bar charts
// drawn as vector shapes (hidden counts draw no bar, only their mark), the indicators and the
// advisor's recommendations. Dutch by default, English with ?lang=en. The standard PDF fonts
// only know Windows-1252, so other characters are replaced rather than drawn as garbage.
import PDFDocument from 'pdfkit';
import type { JaarverslagReport, ReportTable } from './schema.ts';

type Lang = 'nl' | 'en';

const WORDS = {
  nl: {
    title: 'Jaarverslag vertrouwenspersoon', made: 'Gemaakt op', legend: (b: string, t: number) => `${b}: minder dan ${t} meldingen; x: verborgen zodat een klein aantal niet terug te rekenen is.`,
    quartersChart: 'Meldingen per kwartaal', categoriesChart: 'Per categorie', indicators: 'Kengetallen', current: 'Dit jaar', previous: 'Vorig jaar',
    notShown: 'niet getoond', recommendations: 'Aanbevelingen aan het management', none: '(geen aanbevelingen ingevuld)', page: 'Pagina',
  },
  en: {
    title: 'Annual report of the confidential adviser', made: 'Made on', legend: (b: string, t: number) => `${b}: fewer than ${t} reports; x: hidden so that a small count cannot be recomputed.`,
    quartersChart: 'Reports per quarter', categoriesChart: 'Per category', indicators: 'Indicators', current: 'This year', previous: 'Last year',
    notShown: 'not shown', recommendations: 'Recommendations to management', none: '(no recommendations written)', page: 'Page',
  },
};

const COLOURS = ['#2f5d8a', '#c47f2c'];
const GREY = '#666666';
const LINE = '#bbbbbb';
const WIN1252_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';

/** Keeps what the standard fonts can draw (Windows-1252); anything else becomes "?". */
export function pdfSafe(text: string): string {
  return text
    .replace(/≤/g, '<=').replace(/≥/g, '>=').replace(/→/g, '->')
    .replace(/[^\n\t\x20-\x7e\xa0-\xff]/gu, (ch) => (WIN1252_EXTRA.includes(ch) ? ch : '?'));
}

export async function jaarverslagPdf(report: JaarverslagReport, lang: Lang = 'nl'): Promise<Buffer> {
  const w = WORDS[lang];
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 56, right: 56 },
    bufferPages: true,
    info: { Title: `${w.title} ${report.year} — ${report.organisation.name}`, Author: 'Klankbord' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const ensureSpace = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage();
  };
  /** A heading kept on one page with the first `keepWith` points of what follows it. */
  const heading = (text: string, size = 13, keepWith = 0) => {
    ensureSpace(size * 3 + keepWith);
    doc.moveDown(0.6).font('Helvetica-Bold').fontSize(size).fillColor('black').text(pdfSafe(text), left, doc.y, { width });
    doc.moveDown(0.3);
  };

  // Title block
  doc.font('Helvetica-Bold').fontSize(20).text(pdfSafe(`${w.title} ${report.year}`), left, doc.y, { width });
  doc.font('Helvetica').fontSize(13).text(pdfSafe(report.organisation.name), { width });
  doc.moveDown(0.3).fontSize(9).fillColor(GREY)
    .text(pdfSafe(`${w.made} ${report.generatedAt.slice(0, 10)}. ${w.legend(report.markers.below, report.threshold)}`), { width });
  doc.fillColor('black');

  const table = (t: ReportTable) => {
    const rowH = 16;
    heading(t.title[lang], 11, rowH * 3);
    const labelW = Math.min(260, width * 0.5);
    const colW = (width - labelW) / t.columns.length;
    const drawHeader = () => {
      const y = doc.y;
      doc.font('Helvetica-Bold').fontSize(9);
      t.columns.forEach((c, i) => doc.text(pdfSafe(c.label[lang]), left + labelW + i * colW, y + 3, { width: colW - 4, align: 'right' }));
      doc.moveTo(left, y + rowH).lineTo(left + width, y + rowH).strokeColor(LINE).lineWidth(0.5).stroke();
      doc.y = y + rowH;
    };
    ensureSpace(rowH * 3);
    drawHeader();
    for (const r of t.rows) {
      const label = pdfSafe(r.label[lang]);
      doc.font(r.total ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
      const h = Math.max(rowH, doc.heightOfString(label, { width: labelW - 6 }) + 5);
      if (doc.y + h > bottom()) {
        doc.addPage();
        drawHeader();
        doc.font(r.total ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
      }
      const y = doc.y;
      if (r.total) doc.moveTo(left, y).lineTo(left + width, y).strokeColor('black').lineWidth(0.7).stroke();
      doc.fillColor('black').text(label, left, y + 3, { width: labelW - 6 });
      r.cells.forEach((c, i) => doc.text(String(c), left + labelW + i * colW, y + 3, { width: colW - 4, align: 'right' }));
      doc.y = y + h;
    }
    doc.x = left;
  };

  /** Vertical bars; null values draw no bar but their mark (hidden). */
  const barChart = (title: string, groups: string[], series: { label: string; values: (number | null)[] }[], marks: (string | null)[][]) => {
    const chartH = 150;
    heading(title, 11, chartH + 40);
    const top = doc.y;
    const max = Math.max(1, ...series.flatMap((s) => s.values.map((v) => v ?? 0)));
    const plotW = width;
    const groupW = plotW / groups.length;
    const barW = Math.min(28, (groupW - 10) / series.length);
    const base = top + chartH;
    doc.moveTo(left, base).lineTo(left + plotW, base).strokeColor(GREY).lineWidth(0.7).stroke();
    groups.forEach((g, gi) => {
      const gx = left + gi * groupW + (groupW - barW * series.length) / 2;
      series.forEach((s, si) => {
        const v = s.values[gi] ?? null;
        const x = gx + si * barW;
        if (v !== null && v > 0) {
          const h = (v / max) * (chartH - 14);
          doc.rect(x + 1, base - h, barW - 2, h).fill(COLOURS[si % COLOURS.length]!);
        }
        const mark = v !== null ? String(v) : (marks[si]?.[gi] ?? 'x');
        const labelY = base - (v !== null ? (v / max) * (chartH - 14) : 0) - 11;
        doc.fillColor('black').font('Helvetica').fontSize(7).text(mark, x, labelY, { width: barW, align: 'center' });
      });
      doc.fontSize(8).text(pdfSafe(g), left + gi * groupW, base + 4, { width: groupW, align: 'center', height: 22, ellipsis: true });
    });
    // Legend
    let lx = left;
    const ly = base + 28;
    series.forEach((s, si) => {
      doc.rect(lx, ly, 8, 8).fill(COLOURS[si % COLOURS.length]!);
      doc.fillColor('black').fontSize(8).text(pdfSafe(s.label), lx + 12, ly, { lineBreak: false });
      lx += 24 + doc.widthOfString(pdfSafe(s.label));
    });
    doc.x = left;
    doc.y = ly + 16;
  };

  const byId = (id: string) => report.tables.find((t) => t.id === id);
  const quarters = byId('quarters');
  barChart(
    `${w.quartersChart} ${report.year}`,
    report.charts.quarters.labels.map((l) => l[lang]),
    report.charts.quarters.series.map((s) => ({ label: s.label[lang], values: s.values })),
    report.charts.quarters.series.map((s) => quarters?.rows.find((r) => r.key === s.key)?.cells.slice(0, 4).map(String) ?? []),
  );
  for (const t of report.tables) table(t);
  for (const c of report.charts.categories) {
    const t = byId(`categories_${c.kind}`);
    const kindLabel = byId('kinds')?.rows.find((r) => r.key === c.kind)?.label[lang] ?? c.kind;
    barChart(
      `${kindLabel}: ${w.categoriesChart.toLowerCase()} ${report.year}`,
      c.labels.map((l) => l[lang]),
      [{ label: String(report.year), values: c.values }],
      [t?.rows.filter((r) => !r.total).map((r) => String(r.cells[0])) ?? []],
    );
  }

  heading(w.indicators, 11);
  doc.font('Helvetica').fontSize(9);
  for (const i of report.indicators) {
    ensureSpace(28);
    const fmt = (v: number | null) => (v === null ? w.notShown : i.unit === 'percent' ? `${v}%` : String(v));
    doc.fillColor('black').text(pdfSafe(`${i.label[lang]}: ${w.current.toLowerCase()} ${fmt(i.current)}; ${w.previous.toLowerCase()} ${fmt(i.previous)}`), left, doc.y, { width });
    doc.moveDown(0.2);
  }

  heading(w.recommendations, 11);
  doc.font('Helvetica').fontSize(10).fillColor('black').text(pdfSafe(report.recommendations.trim() || w.none), left, doc.y, { width });

  // Page numbers
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const m = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).fillColor(GREY)
      .text(pdfSafe(`${report.organisation.name} — ${report.year} — ${w.page} ${i + 1}/${range.count}`), left, doc.page.height - 36, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = m;
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
