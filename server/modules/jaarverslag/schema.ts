// TypeBox schemas of the annual report (jaarverslag). Every count is a number or, when it must
// not be shown, a string: "<5" (below the threshold; the number is the threshold in force) or
// "x" (hidden so that a small count cannot be recomputed from the others). Tables share one
// shape so the browser, the CSV and the PDF render them alike; `charts` repeats the visible
// figures (null where hidden) for the browser's SVG charts.
import { Type, type Static } from 'typebox';
import { Kind } from '../melder/schema.ts';
import { LocalisedText } from '../organisations/schema.ts';

export { ErrorResponse } from '../../lib/schema.ts';

export const JaarverslagParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 48 }) });
export const RecommendationsParams = Type.Object({
  slug: Type.String({ minLength: 1, maxLength: 48 }),
  year: Type.String({ pattern: '^20[0-9]{2}$' }),
});

// The query string is not type-coerced (ajv coerceTypes is off), so numbers come as digit strings.
export const JaarverslagQuery = Type.Object(
  {
    year: Type.Optional(Type.String({ pattern: '^20[0-9]{2}$', description: 'default: the current year' })),
    threshold: Type.Optional(Type.String({
      pattern: '^(?:[3-9]|[1-9][0-9])$',
      description: '3–99; can raise the organisation\'s threshold for this report, never lower it',
    })),
    lang: Type.Optional(Type.Union([Type.Literal('nl'), Type.Literal('en')], { description: 'CSV and PDF language; default nl' })),
  },
  { additionalProperties: false },
);
export type JaarverslagQuery = Static<typeof JaarverslagQuery>;

export const Count = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ description: '"<N" below the threshold N, or "x" hidden to protect a small count' })]);
export const Difference = Type.Union([Type.Integer(), Type.Literal('x')], { description: 'this year minus last year; "x" unless both are shown' });

export const ReportColumn = Type.Object({ key: Type.String(), label: LocalisedText });
export const ReportRow = Type.Object({
  key: Type.String(),
  label: LocalisedText,
  total: Type.Boolean({ description: 'a total row (the sum of the rows above it)' }),
  cells: Type.Array(Type.Union([Count, Difference]), { description: 'one per column' }),
});
export const ReportTable = Type.Object({
  id: Type.String({ description: 'kinds | categories_ongewenst_gedrag | categories_misstand | quarters | quarters_previous | help | outcome' }),
  title: LocalisedText,
  columns: Type.Array(ReportColumn),
  rows: Type.Array(ReportRow),
});
export type ReportTable = Static<typeof ReportTable>;

export const Indicator = Type.Object({
  key: Type.String({ description: 'first_reply_median_days | misstand_acknowledged_within_7_days | misstand_feedback_within_3_months' }),
  label: LocalisedText,
  unit: Type.Union([Type.Literal('days'), Type.Literal('percent')]),
  current: Type.Union([Type.Number(), Type.Null()], { description: 'null: fewer cases than the threshold, so not shown' }),
  previous: Type.Union([Type.Number(), Type.Null()]),
});

export const ChartSeries = Type.Object({
  key: Type.String(),
  label: LocalisedText,
  values: Type.Array(Type.Union([Type.Integer(), Type.Null()]), { description: 'null where the count is hidden: draw no bar' }),
});

export const JaarverslagResponse = Type.Object({
  organisation: Type.Object({ slug: Type.String(), name: Type.String() }),
  year: Type.Integer(),
  previousYear: Type.Integer(),
  threshold: Type.Integer({ description: 'counts below this are shown as "<threshold"' }),
  generatedAt: Type.String(),
  markers: Type.Object({ below: Type.String({ description: 'e.g. "<5"' }), hidden: Type.Literal('x') }),
  tables: Type.Array(ReportTable),
  indicators: Type.Array(Indicator),
  charts: Type.Object({
    quarters: Type.Object({ labels: Type.Array(LocalisedText), series: Type.Array(ChartSeries, { description: 'one per kind' }) }),
    categories: Type.Array(Type.Object({ kind: Kind, labels: Type.Array(LocalisedText), values: Type.Array(Type.Union([Type.Integer(), Type.Null()])) })),
  }),
  recommendations: Type.String({ description: 'the advisor\'s recommendations to management, free text' }),
});
export type JaarverslagReport = Static<typeof JaarverslagResponse>;

export const RecommendationsBody = Type.Object({ text: Type.String({ maxLength: 10_000 }) }, { additionalProperties: false });
export const RecommendationsResponse = Type.Object({ year: Type.Integer(), text: Type.String() });
