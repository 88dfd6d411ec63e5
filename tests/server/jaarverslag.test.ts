import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseKind, Database } from '../../server/db/database.ts';
import { addMonths } from '../../server/modules/cases/deadlines.ts';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { withCompliance } from '../../server/modules/organisations/tables.ts';
import { updateSettings } from '../../server/modules/organisations/settings.ts';
import { buildJaarverslag } from '../../server/modules/jaarverslag/service.ts';
import { suppress, type Constraint } from '../../server/modules/jaarverslag/suppression.ts';
import type { JaarverslagReport } from '../../server/modules/jaarverslag/schema.ts';
import { createSession } from '../../server/modules/sessions/service.ts';
import { databaseKinds } from '../helpers/db.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createActiveAdvisor } from '../helpers/actors.ts';

// ---------------------------------------------------------------------------------------------
// An independent check that no hidden cell can be recomputed: the report's tables are read back
// as linear equations (rows add up to totals, columns too, the same kind total appears in three
// tables, a difference is this year minus last year). A hidden cell is recomputable from the
// shown numbers iff some combination of the equations involves it and no other hidden cell —
// i.e. iff dropping its column lowers the rank of the equations restricted to hidden cells.
// Written separately from the server's suppression code, on purpose.

type Cell = number | string;

function matrixRank(rows: number[][]): number {
  const m = rows.map((r) => r.slice());
  let rank = 0;
  const cols = m[0]?.length ?? 0;
  for (let c = 0; c < cols; c++) {
    const p = m.findIndex((r, i) => i >= rank && Math.abs(r[c]!) > 1e-9);
    if (p < 0) continue;
    [m[rank], m[p]] = [m[p]!, m[rank]!];
    for (let i = 0; i < m.length; i++) {
      if (i !== rank && Math.abs(m[i]![c]!) > 1e-9) {
        const f = m[i]![c]! / m[rank]![c]!;
        m[i] = m[i]!.map((v, j) => v - f * m[rank]![j]!);
      }
    }
    rank++;
  }
  return rank;
}

class EquationSystem {
  private values = new Map<string, Cell>();
  private equations: Map<string, number>[] = [];

  /** Declares a cell; the same id from two tables must show the same thing. */
  cell(id: string, value: Cell) {
    const before = this.values.get(id);
    if (before !== undefined) expect(value, `cell ${id} shown differently in two tables`).toEqual(before);
    this.values.set(id, value);
  }

  /** total = Σ parts */
  sum(total: string, parts: string[]) {
    const eq = new Map<string, number>([[total, 1]]);
    for (const p of parts) eq.set(p, (eq.get(p) ?? 0) - 1);
    this.equations.push(eq);
  }

  /** diff = a − b */
  difference(diff: string, a: string, b: string) {
    this.equations.push(new Map([[diff, 1], [a, -1], [b, 1]]));
  }

  hidden(): string[] {
    return [...this.values].filter(([, v]) => typeof v === 'string').map(([id]) => id);
  }

  /** Hidden cells that the shown numbers determine. */
  recomputable(): string[] {
    const hidden = this.hidden();
    const matrix = (cols: string[]) => this.equations.map((eq) => cols.map((c) => eq.get(c) ?? 0));
    const full = matrixRank(matrix(hidden));
    return hidden.filter((x) => matrixRank(matrix(hidden.filter((h) => h !== x))) < full);
  }

  /** Every equation whose cells are all shown must hold (the report is consistent). */
  checkShownEquations() {
    for (const eq of this.equations) {
      if ([...eq.keys()].every((id) => typeof this.values.get(id) === 'number')) {
        const total = [...eq].reduce((s, [id, coef]) => s + coef * (this.values.get(id) as number), 0);
        expect(total).toBe(0);
      }
    }
  }
}

function systemOf(report: JaarverslagReport): EquationSystem {
  const sys = new EquationSystem();
  const table = (id: string) => report.tables.find((t) => t.id === id)!;
  const col = (t: { columns: { key: string }[] }, key: string) => t.columns.findIndex((c) => c.key === key);
  const kinds: CaseKind[] = ['ongewenst_gedrag', 'misstand'];
  // Tables with this year / previous / difference columns; `alias` maps a row to a shared cell.
  const compared = (id: string, alias: (rowKey: string) => string, totalOf?: string) => {
    const t = table(id);
    for (const r of t.rows) {
      const base = alias(r.key);
      sys.cell(`Y:${base}`, r.cells[col(t, 'year')]!);
      sys.cell(`P:${base}`, r.cells[col(t, 'previous')]!);
      sys.cell(`D:${base}`, r.cells[col(t, 'difference')]!);
      sys.difference(`D:${base}`, `Y:${base}`, `P:${base}`);
    }
    if (totalOf) {
      const parts = t.rows.filter((r) => !r.total).map((r) => alias(r.key));
      for (const y of ['Y', 'P']) sys.sum(`${y}:${totalOf}`, parts.map((p) => `${y}:${p}`));
    }
  };
  compared('kinds', (k) => (k === 'total' ? 'total' : `kind:${k}`), 'total');
  for (const k of kinds) compared(`categories_${k}`, (key) => (key === 'total' ? `kind:${k}` : `cat:${k}:${key}`), `kind:${k}`);
  compared('help', (h) => `help:${h}`);
  compared('outcome', (o) => (o === 'total' ? 'outcome:total' : `outcome:${o}`), 'outcome:total');
  for (const [id, y] of [['quarters', 'Y'], ['quarters_previous', 'P']] as const) {
    const t = table(id);
    const rowId = (rk: string, ck: string) => {
      const r = rk === 'total' ? 'total' : `kind:${rk}`;
      return ck === 'total' ? `${y}:${r}` : `${y}:${r}:${ck}`;
    };
    for (const r of t.rows) t.columns.forEach((c, i) => sys.cell(rowId(r.key, c.key), r.cells[i]!));
    for (const r of t.rows) sys.sum(rowId(r.key, 'total'), ['q1', 'q2', 'q3', 'q4'].map((q) => rowId(r.key, q)));
    for (const c of t.columns) sys.sum(rowId('total', c.key), kinds.map((k) => rowId(k, c.key)));
  }
  return sys;
}

// ---------------------------------------------------------------------------------------------

describe('suppression (property): no hidden cell of a two-way table with totals can be recomputed', () => {
  it('holds for random 5×5 tables and thresholds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat(14), { minLength: 5, maxLength: 5 }), { minLength: 5, maxLength: 5 }),
        fc.integer({ min: 3, max: 6 }),
        (grid, threshold) => {
          const values = new Map<string, number>();
          const constraints: Constraint[] = [];
          grid.forEach((row, i) => {
            row.forEach((v, j) => values.set(`c${i}${j}`, v));
            values.set(`r${i}`, row.reduce((a, b) => a + b, 0));
            constraints.push({ total: `r${i}`, parts: row.map((_, j) => `c${i}${j}`) });
          });
          for (let j = 0; j < 5; j++) {
            values.set(`k${j}`, grid.reduce((s, r) => s + r[j]!, 0));
            constraints.push({ total: `k${j}`, parts: grid.map((_, i) => `c${i}${j}`) });
          }
          values.set('t', [...values].filter(([id]) => id.startsWith('r')).reduce((s, [, v]) => s + v, 0));
          constraints.push({ total: 't', parts: grid.map((_, i) => `r${i}`) }, { total: 't', parts: [0, 1, 2, 3, 4].map((j) => `k${j}`) });
          const state = suppress(values, constraints, threshold);
          const sys = new EquationSystem();
          for (const [id, v] of values) {
            if (v < threshold) expect(state.get(id)).toBe('below');
            sys.cell(id, state.get(id) === 'visible' ? v : 'hidden');
          }
          for (const c of constraints) sys.sum(c.total, c.parts);
          expect(sys.recomputable()).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe.each(databaseKinds)('jaarverslag on %s', (kind) => {
  let t: TestApp;
  let db: Kysely<Database>;
  let orgId: string;
  let advisorId: string;
  let cookie: string;
  let otherCookie: string;
  let refs = 0;

  interface Fixture {
    kind: CaseKind;
    category: string;
    received: string; // ISO instant
    replyDays?: number;
    ackDays?: number;
    feedback?: 'in_time' | 'late' | 'none';
    registration?: { behaviour: string[]; help: string[]; outcome: string; referredTo?: string };
    /** Kept only as an anonymised statistics row (its case emptied by retention). */
    asStatistics?: boolean;
    organisationId?: string;
  }

  const dayOf = (d: Date) => d.toISOString().slice(0, 10);

  async function addCase(f: Fixture) {
    const received = new Date(f.received);
    const ack = new Date(received.getTime() + (f.ackDays ?? 0) * 86400_000);
    const reply = f.replyDays === undefined ? null : new Date(received.getTime() + f.replyDays * 86400_000);
    const feedbackDue = f.kind === 'misstand' ? addMonths(ack, 3) : null;
    const feedbackGiven = !feedbackDue || !f.feedback || f.feedback === 'none' ? null
      : f.feedback === 'in_time' ? new Date(feedbackDue.getTime() - 5 * 86400_000) : new Date(feedbackDue.getTime() + 5 * 86400_000);
    const registration = f.registration ? JSON.stringify(f.registration) : null;
    const organisation_id = f.organisationId ?? orgId;
    await db.insertInto('cases').values({
      organisation_id, code_digest: `test-${randomUUID()}`, reference: `K-J${String(++refs).padStart(7, '0')}`, kind: f.kind, category: f.category,
      advisor_id: advisorId, status: f.asStatistics ? 'afgesloten' : 'in_behandeling', registration: f.asStatistics ? null : registration,
      created_at: received, acknowledged_at: ack, first_reply_due_at: new Date(ack.getTime() + 7 * 86400_000), first_reply_at: reply,
      feedback_due_at: feedbackDue, feedback_given_at: feedbackGiven, last_activity_at: received,
      closed_at: f.asStatistics ? received : null, content_deleted_at: f.asStatistics ? new Date() : null,
    }).execute();
    if (f.asStatistics) {
      await withCompliance(db).insertInto('case_statistics').values({
        organisation_id, kind: f.kind, category: f.category, registration,
        received_on: dayOf(received), acknowledged_on: dayOf(ack), first_reply_on: reply && dayOf(reply),
        feedback_due_on: feedbackDue && dayOf(feedbackDue), feedback_given_on: feedbackGiven && dayOf(feedbackGiven), closed_on: dayOf(received),
      }).execute();
    }
  }

  const at = (year: number, quarter: number, i: number) => `${year}-${String((quarter - 1) * 3 + 2).padStart(2, '0')}-${String(10 + i).padStart(2, '0')}T10:00:00Z`;
  const many = (n: number, f: (i: number) => Fixture) => Array.from({ length: n }, (_, i) => f(i));

  beforeAll(async () => {
    t = await createTestApp(kind);
    db = t.database.db;
    const org = await createOrganisation(db, { slug: 'acme', name: 'Acme BV' });
    const other = await createOrganisation(db, { slug: 'other', name: 'Other NV' });
    orgId = org.id;
    const anna = await createActiveAdvisor(db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna' });
    const olga = await createActiveAdvisor(db, { organisationSlug: 'other', email: 'olga@example.org', name: 'Olga' });
    advisorId = anna.accountId;
    cookie = `kb_session=${await createSession(db, { subject: 'staff', accountId: anna.accountId })}`;
    otherCookie = `kb_session=${await createSession(db, { subject: 'staff', accountId: olga.accountId })}`;
    // The organisation shows only two categories per kind; werkdruk is hidden but has reports.
    for (const [k, keys] of [['ongewenst_gedrag', ['seksuele_intimidatie', 'agressie_geweld', 'intimidatie', 'werkdruk', 'anders']], ['misstand', ['belangenverstrengeling', 'misbruik_bevoegdheid', 'gevaar_gezondheid_veiligheid_milieu', 'schending_regels', 'anders']]] as const) {
      for (const key of keys) {
        await withCompliance(db).insertInto('organisation_categories').values({ organisation_id: orgId, kind: k, key, label_nl: key, label_en: key, hidden: true }).execute();
      }
    }
    const og = 'ongewenst_gedrag' as const;
    const m = 'misstand' as const;
    const fixtures: Fixture[] = [
      // 2026 — ongewenst gedrag: pesten 10 (Q1 3, Q2 4, Q3 3), discriminatie 6 (2, 2, 1, 1), werkdruk 2 (Q2)
      // The first pesten case arrives at 00:30 on 1 January in Amsterdam (still 2025 in UTC).
      { kind: og, category: 'pesten', received: '2025-12-31T23:30:00Z', replyDays: 1, registration: { behaviour: ['pesten'], help: ['listening_ear', 'advice'], outcome: 'resolved' } },
      ...many(2, (i) => ({ kind: og, category: 'pesten', received: at(2026, 1, i), replyDays: 1, registration: { behaviour: ['pesten'], help: ['listening_ear', 'advice'], outcome: 'resolved' } })),
      ...many(4, (i) => ({ kind: og, category: 'pesten', received: at(2026, 2, i), replyDays: 1, ...(i < 3 ? { registration: { behaviour: ['pesten'], help: ['listening_ear', 'advice'], outcome: 'resolved' } } : {}) })),
      ...many(3, (i) => ({ kind: og, category: 'pesten', received: at(2026, 3, i), replyDays: 1 })),
      ...many(2, (i) => ({ kind: og, category: 'discriminatie', received: at(2026, 1, i), replyDays: 2, ...(i === 0 ? { registration: { behaviour: ['discriminatie'], help: ['advice', 'mediation'], outcome: 'partly_resolved' } } : {}) })),
      ...many(2, (i) => ({ kind: og, category: 'discriminatie', received: at(2026, 2, i), replyDays: 2 })),
      { kind: og, category: 'discriminatie', received: at(2026, 3, 0), replyDays: 2 },
      { kind: og, category: 'discriminatie', received: at(2026, 4, 0), replyDays: 2 },
      ...many(2, (i) => ({ kind: og, category: 'werkdruk', received: at(2026, 2, i), replyDays: 5 })),
      // 2026 — misstand: fraude 7 (Q1 3, Q2 2, Q3 2), corruptie 3 (Q1 1, Q3 2)
      ...many(3, (i) => ({ kind: m, category: 'fraude', received: at(2026, 1, i), replyDays: 3, feedback: i === 0 ? 'late' as const : 'in_time' as const,
        ...(i < 2 ? { registration: { behaviour: ['fraude'], help: ['referral'], outcome: 'referred', referredTo: 'Bedrijfsarts Geheimhouding' } } : {}) })),
      ...many(2, (i) => ({ kind: m, category: 'fraude', received: at(2026, 2, i), replyDays: 3, feedback: 'in_time' as const })),
      ...many(2, (i) => ({ kind: m, category: 'fraude', received: at(2026, 3, i), replyDays: 3, feedback: 'in_time' as const })),
      { kind: m, category: 'corruptie', received: at(2026, 1, 5), replyDays: 6, ackDays: 9, feedback: 'in_time' },
      ...many(2, (i) => ({ kind: m, category: 'corruptie', received: at(2026, 3, 5 + i), replyDays: 6, feedback: i === 0 ? 'none' as const : 'in_time' as const })),
      // 2025 — pesten 5 (Q1; three only as statistics rows), fraude 6 (Q2; two as statistics rows), corruptie 1 (Q4)
      ...many(5, (i) => ({ kind: og, category: 'pesten', received: at(2025, 1, i), replyDays: 2, asStatistics: i < 3, registration: { behaviour: ['pesten'], help: ['listening_ear'], outcome: 'resolved' } })),
      ...many(6, (i) => ({ kind: m, category: 'fraude', received: at(2025, 2, i), replyDays: 2, feedback: i < 4 ? 'in_time' as const : 'late' as const, asStatistics: i < 2 })),
      { kind: m, category: 'corruptie', received: at(2025, 4, 0), replyDays: 2, feedback: 'in_time' },
      // Not counted: 1 January 2027 in Amsterdam, 2024, another organisation
      { kind: og, category: 'pesten', received: '2026-12-31T23:30:00Z', replyDays: 1 },
      ...many(4, (i) => ({ kind: og, category: 'pesten', received: at(2024, 2, i), replyDays: 1 })),
      ...many(6, (i) => ({ kind: m, category: 'fraude', received: at(2026, 1, i), organisationId: other.id })),
    ];
    for (const f of fixtures) await addCase(f);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const report = () => buildJaarverslag(db, { id: orgId, slug: 'acme', name: 'Acme BV' } as never, { year: 2026, now: new Date('2027-01-15T12:00:00Z') });
  const tableOf = (r: JaarverslagReport, id: string) => {
    const tbl = r.tables.find((x) => x.id === id)!;
    return Object.fromEntries(tbl.rows.map((row) => [row.key, row.cells]));
  };

  it('counts every figure right, with small counts and recomputable ones hidden', async () => {
    const r = await report();
    expect(r.threshold).toBe(5);
    expect(r.markers).toEqual({ below: '<5', hidden: 'x' });
    expect(tableOf(r, 'kinds')).toEqual({ ongewenst_gedrag: [18, 5, 13], misstand: [10, 7, 3], total: [28, 12, 16] });
    expect(tableOf(r, 'categories_ongewenst_gedrag')).toEqual({
      pesten: [10, 5, 5], discriminatie: ['x', '<5', 'x'], werkdruk: ['<5', '<5', 'x'], total: [18, 5, 13],
    });
    expect(r.tables.find((x) => x.id === 'categories_ongewenst_gedrag')!.rows.map((x) => x.key)).toEqual(['pesten', 'discriminatie', 'werkdruk', 'total']);
    expect(tableOf(r, 'categories_misstand')).toEqual({ fraude: ['x', 'x', 'x'], corruptie: ['<5', '<5', 'x'], total: [10, 7, 3] });
    expect(tableOf(r, 'quarters')).toEqual({
      ongewenst_gedrag: ['x', 'x', '<5', '<5', 18], misstand: ['<5', '<5', '<5', '<5', 10], total: [9, 10, 'x', '<5', 28],
    });
    expect(tableOf(r, 'quarters_previous')).toEqual({
      ongewenst_gedrag: ['x', '<5', '<5', '<5', 5], misstand: ['<5', 'x', '<5', '<5', 7], total: [5, 6, '<5', '<5', 12],
    });
    expect(tableOf(r, 'help')).toEqual({
      listening_ear: [6, 5, 1], advice: [7, '<5', 'x'], referral: ['<5', '<5', 'x'], mediation: ['<5', '<5', 'x'],
      formal_complaint_support: ['<5', '<5', 'x'], misstand_investigation: ['<5', '<5', 'x'],
    });
    expect(tableOf(r, 'outcome')).toEqual({
      resolved: [6, 5, 1], partly_resolved: ['<5', '<5', 'x'], not_resolved: ['<5', '<5', 'x'], referred: ['<5', '<5', 'x'],
      melder_stopped: ['<5', '<5', 'x'], unknown: ['<5', '<5', 'x'], total: [9, 5, 4],
    });
    expect(Object.fromEntries(r.indicators.map((i) => [i.key, [i.current, i.previous]]))).toEqual({
      first_reply_median_days: [2, 2],
      misstand_acknowledged_within_7_days: [90, 100],
      misstand_feedback_within_3_months: [80, 71],
    });
    expect(r.charts.quarters.series.map((s) => s.values)).toEqual([[null, null, null, null], [null, null, null, null]]);
    expect(r.charts.categories.map((c) => c.values)).toEqual([[10, null, null], [null, null]]);
    // Free text of a registration never reaches a report.
    expect(JSON.stringify(r)).not.toContain('Bedrijfsarts');
  });

  it('no hidden cell can be recovered by subtraction, within or across tables and years', async () => {
    const r = await report();
    const sys = systemOf(r);
    sys.checkShownEquations();
    expect(sys.hidden().length).toBeGreaterThan(20);
    expect(sys.recomputable()).toEqual([]);
    // With a higher threshold, too.
    const high = await buildJaarverslag(db, { id: orgId, slug: 'acme', name: 'Acme BV' } as never, { year: 2026, threshold: 8, now: new Date('2027-01-15T12:00:00Z') });
    expect(high.markers.below).toBe('<8');
    systemOf(high).checkShownEquations();
    expect(systemOf(high).recomputable()).toEqual([]);
  });

  it('a lower organisation threshold shows more; a request can raise but never lower it', async () => {
    await updateSettings(db, orgId, { reportThreshold: 3 });
    try {
      const r = await report();
      expect(r.threshold).toBe(3);
      expect(tableOf(r, 'categories_misstand')).toEqual({ fraude: [7, 'x', 'x'], corruptie: [3, '<3', 'x'], total: [10, 7, 3] });
      expect(systemOf(r).recomputable()).toEqual([]);
    } finally {
      await updateSettings(db, orgId, { reportThreshold: 5 });
    }
    const res = await t.app.inject({ method: 'GET', url: '/api/advisor/organisations/acme/jaarverslag?year=2026&threshold=3', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json().threshold).toBe(5);
    const bad = await t.app.inject({ method: 'GET', url: '/api/advisor/organisations/acme/jaarverslag?year=2026&threshold=2', headers: { cookie } });
    expect(bad.statusCode).toBe(400);
  });

  it('only advisors of the organisation reach the report; others get 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/advisor/organisations/acme/jaarverslag?year=2026', headers: { cookie: otherCookie } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('organisation_not_found');
    expect((await t.app.inject({ method: 'GET', url: '/api/advisor/organisations/acme/jaarverslag.pdf?year=2026' })).statusCode).toBe(401);
    const ok = await t.app.inject({ method: 'GET', url: '/api/advisor/organisations/acme/jaarverslag?year=2026', headers: { cookie } });
    expect(ok.statusCode).toBe(200);
    expect(tableOf(ok.json(), 'kinds').total).toEqual([28, 12, 16]);
  });

  it('stores the recommendations per year and puts them in the CSV and PDF downloads, audited', async () => {
    const text = '=Meer voorlichting geven; "aanspreekpunt" per afdeling.\nTweede regel.';
    const put = await t.app.inject({ method: 'PUT', url: '/api/advisor/organisations/acme/jaarverslag/2026/recommendations', headers: { cookie }, payload: { text } });
    expect(put.statusCode).toBe(200);
    const tooLong = await t.app.inject({ method: 'PUT', url: '/api/advisor/organisations/acme/jaarverslag/2026/recommendations', headers: { cookie }, payload: { text: 'x'.repeat(10_001) } });
    expect(tooLong.statusCode).toBe(400);
    const json = await t.app.inject({ method: 'GET', url: '/api/advisor/organisations/acme/jaarverslag?year=2026', headers: { cookie } });
    expect(json.json().recommendations).toBe(text);

    const csv = await t.app.inject({ method: 'GET', url: '/api/advisor/organisations/acme/jaarverslag.csv?year=2026', headers: { cookie } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="jaarverslag-acme-2026.csv"');
    expect(csv.body).toContain('"Meldingen per soort"');
    expect(csv.body).toContain('"Vermoeden van een misstand";10;7;3');
    expect(csv.body).toContain('"Fraude";"x";"x";"x"');
    // Formula-safe and quoted: the leading = gets a quote, inner quotes are doubled.
    expect(csv.body).toContain(`"'=Meer voorlichting geven; ""aanspreekpunt"" per afdeling.\nTweede regel."`);
    const en = await t.app.inject({ method: 'GET', url: '/api/advisor/organisations/acme/jaarverslag.csv?year=2026&lang=en', headers: { cookie } });
    expect(en.body).toContain('"Suspected wrongdoing";10;7;3');

    const pdf = await t.app.inject({ method: 'GET', url: '/api/advisor/organisations/acme/jaarverslag.pdf?year=2026', headers: { cookie } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe('attachment; filename="jaarverslag-acme-2026.pdf"');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBeGreaterThan(3000);
    const pdfEn = await t.app.inject({ method: 'GET', url: '/api/advisor/organisations/acme/jaarverslag.pdf?year=2026&lang=en', headers: { cookie } });
    expect(pdfEn.statusCode).toBe(200);

    const events = await db.selectFrom('audit_events').select(['action', 'detail']).where('organisation_id', '=', orgId).where('action', 'in', ['report.exported', 'report.recommendations_changed']).orderBy('id').execute();
    expect(events.map((e) => [e.action, (e.detail as { format?: string }).format ?? null])).toEqual([
      ['report.recommendations_changed', null], ['report.exported', 'csv'], ['report.exported', 'csv'], ['report.exported', 'pdf'], ['report.exported', 'pdf'],
    ]);
    expect(JSON.stringify(events)).not.toContain('voorlichting');
  });
});
