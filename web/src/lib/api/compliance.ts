// The advisor's compliance API: the meldingenregister (every misstand report, dates and status
// only) and the anonymised annual report (jaarverslag), each as JSON and as a download.
import type { Static } from 'typebox';
import type { RegisterEntry as RegisterEntrySchema, RegisterResponse as RegisterResponseSchema } from '../../../../server/modules/register/schema.ts';
import type {
  Indicator as IndicatorSchema,
  JaarverslagResponse as JaarverslagResponseSchema,
  RecommendationsResponse as RecommendationsResponseSchema,
  ReportTable as ReportTableSchema,
} from '../../../../server/modules/jaarverslag/schema.ts';
import { request, requestStream, type RequestOptions } from './client.ts';

export type Register = Static<typeof RegisterResponseSchema>;
export type RegisterEntry = Static<typeof RegisterEntrySchema>;
export type Jaarverslag = Static<typeof JaarverslagResponseSchema>;
export type JaarverslagTable = Static<typeof ReportTableSchema>;
export type JaarverslagIndicator = Static<typeof IndicatorSchema>;
export type Recommendations = Static<typeof RecommendationsResponseSchema>;

/** The language of CSV headings and PDF text (the app's locales). */
type Locale = 'nl' | 'en';

const base = (slug: string) => `/api/advisor/organisations/${encodeURIComponent(slug)}`;

async function download(path: string, options?: RequestOptions): Promise<Blob> {
  return new Response(await requestStream(path, options)).blob();
}

/** GET …/register — the meldingenregister, oldest first. */
export function getRegister(slug: string, options?: RequestOptions): Promise<Register> {
  return request('GET', `${base(slug)}/register`, undefined, options);
}

/** GET …/register.csv — the same as a CSV file, column headings in `lang`. */
export function downloadRegisterCsv(slug: string, lang: Locale): Promise<Blob> {
  return download(`${base(slug)}/register.csv?lang=${lang}`);
}

/** GET …/jaarverslag?year= — tables (small counts as "<N" or "x"), indicators, chart data, recommendations. */
export function getJaarverslag(slug: string, year: number, options?: RequestOptions): Promise<Jaarverslag> {
  return request('GET', `${base(slug)}/jaarverslag?year=${year}`, undefined, options);
}

/** GET …/jaarverslag.pdf or .csv for `year`, in `lang`. */
export function downloadJaarverslag(slug: string, year: number, format: 'pdf' | 'csv', lang: Locale): Promise<Blob> {
  return download(`${base(slug)}/jaarverslag.${format}?year=${year}&lang=${lang}`);
}

/** PUT …/jaarverslag/:year/recommendations — the advisor's recommendations to management. */
export function saveRecommendations(slug: string, year: number, text: string): Promise<Recommendations> {
  return request('PUT', `${base(slug)}/jaarverslag/${year}/recommendations`, { text });
}
