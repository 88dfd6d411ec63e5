// The anonymised annual report (jaarverslag) of an organisation for a year, made by one of its
// advisors: counts per kind and category, per quarter, help given and outcome, each against the
// previous year; the median days to a first reply; for misstand reports the share acknowledged
// within 7 days and given feedback within 3 months; and the advisor's recommendations. Small
// counts are suppressed (suppression.ts) so no figure points to a person.
import type { Kysely } from 'kysely';
import type { CaseKind, Database, Organisation } from '../../db/database.ts';
import { HELP_KINDS, OUTCOMES } from '../advisor/schema.ts';
import { UNDISCLOSED } from '../cases/categories.ts';
import { CASE_KINDS, labelOf, listOrganisationCategories, type Label } from '../organisations/categories.ts';
import { getSettings, MIN_REPORT_THRESHOLD } from '../organisations/settings.ts';
import { withCompliance } from '../organisations/tables.ts';
import { loadRecords, type StatRecord } from './data.ts';
import { dayOf, daysBetween, quarterOfDay, yearOfDay } from './days.ts';
import {
  HELP_LABELS, INDICATOR_LABELS, KIND_LABELS, OUTCOME_LABELS, QUARTER_LABELS, REGISTERED_LABEL, TABLE_TITLES, TOTAL_LABEL, yearColumns,
} from './labels.ts';
import { suppress, type Constraint, type Visibility } from './suppression.ts';
import type { JaarverslagReport, ReportTable } from './schema.ts';

const QUARTERS = [1, 2, 3, 4];

type Count = number | string;

/** The row keys of the report, the same for both years so that they can be compared. */
interface Layout {
  categories: Record<CaseKind, string[]>;
  help: string[];
  outcomes: string[];
}

/** One year's figures after suppression. */
interface YearFigures {
  value(id: string): number;
  visible(id: string): boolean;
  show(id: string): Count;
}

// Cell ids of one year's system of counts.
const ids = {
  total: 'total',
  kind: (k: CaseKind) => `kind:${k}`,
  category: (k: CaseKind, key: string) => `cat:${k}:${key}`,
  quarter: (k: CaseKind, q: number) => `q:${k}:${q}`,
  quarterTotal: (q: number) => `qt:${q}`,
  help: (h: string) => `help:${h}`,
  outcome: (o: string) => `outcome:${o}`,
  outcomeTotal: 'outcome:total',
};

function yearFigures(records: StatRecord[], layout: Layout, threshold: number): YearFigures {
  const values = new Map<string, number>();
  const add = (id: string, n = 1) => values.set(id, (values.get(id) ?? 0) + n);
  // Every cell exists, zeros included, so the table's shape never depends on the data.
  add(ids.total, 0);
  add(ids.outcomeTotal, 0);
  for (const k of CASE_KINDS) {
    add(ids.kind(k), 0);
    for (const key of layout.categories[k]) add(ids.category(k, key), 0);
    for (const q of QUARTERS) add(ids.quarter(k, q), 0);
  }
  for (const q of QUARTERS) add(ids.quarterTotal(q), 0);
  for (const h of layout.help) add(ids.help(h), 0);
  for (const o of layout.outcomes) add(ids.outcome(o), 0);

  for (const r of records) {
    const q = quarterOfDay(r.receivedDay);
    add(ids.total);
    add(ids.kind(r.kind));
    add(ids.category(r.kind, r.category));
    add(ids.quarter(r.kind, q));
    add(ids.quarterTotal(q));
    if (r.registration) {
      for (const h of new Set(r.registration.help)) add(ids.help(h));
      if (r.registration.outcome) {
        add(ids.outcome(r.registration.outcome));
        add(ids.outcomeTotal);
      }
    }
  }

  const constraints: Constraint[] = [
    { total: ids.total, parts: CASE_KINDS.map(ids.kind) },
    { total: ids.total, parts: QUARTERS.map(ids.quarterTotal) },
    ...QUARTERS.map((q) => ({ total: ids.quarterTotal(q), parts: CASE_KINDS.map((k) => ids.quarter(k, q)) })),
    ...CASE_KINDS.map((k) => ({ total: ids.kind(k), parts: QUARTERS.map((q) => ids.quarter(k, q)) })),
    ...CASE_KINDS.map((k) => ({ total: ids.kind(k), parts: layout.categories[k].map((key) => ids.category(k, key)) })),
    { total: ids.outcomeTotal, parts: layout.outcomes.map(ids.outcome) },
  ].filter((c) => c.parts.length > 0);

  const state: Map<string, Visibility> = suppress(values, constraints, threshold);
  return {
    value: (id) => values.get(id) ?? 0,
    visible: (id) => state.get(id) === 'visible',
    show: (id) => {
      const s = state.get(id);
      return s === 'visible' ? (values.get(id) ?? 0) : s === 'below' ? `<${threshold}` : 'x';
    },
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Medians and shares, hidden (null) over fewer cases than the threshold. */
function indicators(records: StatRecord[], threshold: number, misstandTotalShown: boolean, today: string) {
  const replies = records.filter((r) => r.firstReplyDay).map((r) => daysBetween(r.receivedDay, r.firstReplyDay!));
  const misstand = records.filter((r) => r.kind === 'misstand');
  const acknowledged = misstand.filter((r) => daysBetween(r.receivedDay, r.acknowledgedDay) <= 7).length;
  // Feedback counts once it was given or its due day has passed; the others are still running.
  const feedbackDue = misstand.filter((r) => r.feedbackDueDay && (r.feedbackGivenDay || r.feedbackDueDay < today));
  const feedbackInTime = feedbackDue.filter((r) => r.feedbackGivenDay && r.feedbackGivenDay <= r.feedbackDueDay!).length;
  const percent = (n: number, of: number) => Math.round((100 * n) / of);
  // A share over a hidden misstand total would hint at that total, so it is hidden with it.
  return {
    first_reply_median_days: replies.length >= threshold ? Math.round(median(replies) * 10) / 10 : null,
    misstand_acknowledged_within_7_days: misstandTotalShown && misstand.length >= threshold ? percent(acknowledged, misstand.length) : null,
    misstand_feedback_within_3_months: misstandTotalShown && feedbackDue.length >= threshold ? percent(feedbackInTime, feedbackDue.length) : null,
  };
}

export interface BuildOptions {
  year: number;
  /** Can raise the organisation's threshold for this report, never lower it. */
  threshold?: number | undefined;
  now?: Date;
}

export async function buildJaarverslag(db: Kysely<Database>, org: Organisation, opts: BuildOptions): Promise<JaarverslagReport> {
  const now = opts.now ?? new Date();
  const year = opts.year;
  const previousYear = year - 1;
  const settings = await getSettings(db, org.id);
  const threshold = Math.max(MIN_REPORT_THRESHOLD, settings.reportThreshold, opts.threshold ?? 0);
  const [records, categories, recommendations] = await Promise.all([
    loadRecords(db, org.id, [previousYear, year]),
    listOrganisationCategories(db, org.id),
    getRecommendations(db, org.id, year),
  ]);

  // Rows: the organisation's visible categories, plus any category with reports in either year.
  const seen = (f: (r: StatRecord) => string[]) => [...new Set(records.flatMap(f))];
  const layout: Layout = {
    categories: {
      ongewenst_gedrag: [] as string[],
      misstand: [] as string[],
    },
    help: [...HELP_KINDS, ...seen((r) => r.registration?.help ?? []).filter((h) => !(HELP_KINDS as readonly string[]).includes(h)).sort()],
    outcomes: [...OUTCOMES, ...seen((r) => (r.registration?.outcome ? [r.registration.outcome] : [])).filter((o) => !(OUTCOMES as readonly string[]).includes(o)).sort()],
  };
  for (const k of CASE_KINDS) {
    const inData = new Set(records.filter((r) => r.kind === k).map((r) => r.category));
    const keys = categories[k].filter((c) => !c.hidden || inData.has(c.key)).map((c) => c.key);
    const others = [...inData].filter((key) => !keys.includes(key) && key !== UNDISCLOSED).sort();
    layout.categories[k] = [...keys, ...others, ...(inData.has(UNDISCLOSED) ? [UNDISCLOSED] : [])];
  }

  const recordsOf = (y: number) => records.filter((r) => yearOfDay(r.receivedDay) === y);
  const cur = yearFigures(recordsOf(year), layout, threshold);
  const prev = yearFigures(recordsOf(previousYear), layout, threshold);

  const compare = (id: string): Count[] => [
    cur.show(id),
    prev.show(id),
    cur.visible(id) && prev.visible(id) ? cur.value(id) - prev.value(id) : 'x',
  ];
  const row = (key: string, label: Label, id: string, total = false) => ({ key, label, total, cells: compare(id) });
  const quarterTable = (f: YearFigures, y: number, id: string): ReportTable => ({
    id,
    title: TABLE_TITLES.quarters(y),
    columns: [...QUARTER_LABELS.map((label, i) => ({ key: `q${i + 1}`, label })), { key: 'total', label: TOTAL_LABEL }],
    rows: [
      ...CASE_KINDS.map((k) => ({ key: k, label: KIND_LABELS[k], total: false, cells: [...QUARTERS.map((q) => f.show(ids.quarter(k, q))), f.show(ids.kind(k))] })),
      { key: 'total', label: TOTAL_LABEL, total: true, cells: [...QUARTERS.map((q) => f.show(ids.quarterTotal(q))), f.show(ids.total)] },
    ],
  });

  const tables: ReportTable[] = [
    {
      id: 'kinds',
      title: TABLE_TITLES.kinds,
      columns: yearColumns(year),
      rows: [...CASE_KINDS.map((k) => row(k, KIND_LABELS[k], ids.kind(k))), row('total', TOTAL_LABEL, ids.total, true)],
    },
    ...CASE_KINDS.map((k) => ({
      id: `categories_${k}`,
      title: TABLE_TITLES.categories(k),
      columns: yearColumns(year),
      rows: [
        ...layout.categories[k].map((key) => row(key, labelOf(categories, k, key), ids.category(k, key))),
        row('total', TOTAL_LABEL, ids.kind(k), true),
      ],
    })),
    quarterTable(cur, year, 'quarters'),
    quarterTable(prev, previousYear, 'quarters_previous'),
    {
      id: 'help',
      title: TABLE_TITLES.help,
      columns: yearColumns(year),
      rows: layout.help.map((h) => row(h, HELP_LABELS[h] ?? { nl: h, en: h }, ids.help(h))),
    },
    {
      id: 'outcome',
      title: TABLE_TITLES.outcome,
      columns: yearColumns(year),
      rows: [
        ...layout.outcomes.map((o) => row(o, OUTCOME_LABELS[o] ?? { nl: o, en: o }, ids.outcome(o))),
        row('total', REGISTERED_LABEL, ids.outcomeTotal, true),
      ],
    },
  ];

  const today = dayOf(now);
  const curIndicators = indicators(recordsOf(year), threshold, cur.visible(ids.kind('misstand')), today);
  const prevIndicators = indicators(recordsOf(previousYear), threshold, prev.visible(ids.kind('misstand')), today);
  const indicatorList = (Object.keys(INDICATOR_LABELS) as (keyof typeof INDICATOR_LABELS)[]).map((key) => ({
    key,
    label: INDICATOR_LABELS[key],
    unit: key === 'first_reply_median_days' ? ('days' as const) : ('percent' as const),
    current: curIndicators[key],
    previous: prevIndicators[key],
  }));

  const chartValue = (id: string) => (cur.visible(id) ? cur.value(id) : null);
  return {
    organisation: { slug: org.slug, name: org.name },
    year,
    previousYear,
    threshold,
    generatedAt: now.toISOString(),
    markers: { below: `<${threshold}`, hidden: 'x' },
    tables,
    indicators: indicatorList,
    charts: {
      quarters: {
        labels: QUARTER_LABELS,
        series: CASE_KINDS.map((k) => ({ key: k, label: KIND_LABELS[k], values: QUARTERS.map((q) => chartValue(ids.quarter(k, q))) })),
      },
      categories: CASE_KINDS.map((k) => ({
        kind: k,
        labels: layout.categories[k].map((key) => labelOf(categories, k, key)),
        values: layout.categories[k].map((key) => chartValue(ids.category(k, key))),
      })),
    },
    recommendations,
  };
}

export async function getRecommendations(db: Kysely<Database>, organisationId: string, year: number): Promise<string> {
  const row = await withCompliance(db)
    .selectFrom('jaarverslag_recommendations')
    .select('text')
    .where('organisation_id', '=', organisationId)
    .where('year', '=', year)
    .executeTakeFirst();
  return row?.text ?? '';
}

export async function setRecommendations(db: Kysely<Database>, organisationId: string, year: number, text: string, now = new Date()): Promise<void> {
  await withCompliance(db)
    .insertInto('jaarverslag_recommendations')
    .values({ organisation_id: organisationId, year, text, updated_at: now })
    .onConflict((oc) => oc.columns(['organisation_id', 'year']).doUpdateSet({ text, updated_at: now }))
    .execute();
}

export function currentYear(now = new Date()): number {
  return yearOfDay(dayOf(now));
}
