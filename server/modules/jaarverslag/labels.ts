// Labels (nl, en) of what the annual report shows: kinds, the advisor's registration options,
// the tables and the indicators. The registration keys come from the advisor module.
import type { CaseKind } from '../../db/database.ts';
import type { Label } from '../organisations/categories.ts';

export const KIND_LABELS: Record<CaseKind, Label> = {
  ongewenst_gedrag: { nl: 'Ongewenst gedrag', en: 'Unwanted behaviour' },
  misstand: { nl: 'Vermoeden van een misstand', en: 'Suspected wrongdoing' },
};

export const HELP_LABELS: Record<string, Label> = {
  listening_ear: { nl: 'Luisterend oor', en: 'Listening ear' },
  advice: { nl: 'Advies', en: 'Advice' },
  referral: { nl: 'Doorverwijzing', en: 'Referral' },
  mediation: { nl: 'Bemiddeling', en: 'Mediation' },
  formal_complaint_support: { nl: 'Steun bij een formele klacht', en: 'Support with a formal complaint' },
  misstand_investigation: { nl: 'Onderzoek naar een misstand', en: 'Investigation of a wrongdoing' },
};

export const OUTCOME_LABELS: Record<string, Label> = {
  resolved: { nl: 'Opgelost', en: 'Resolved' },
  partly_resolved: { nl: 'Deels opgelost', en: 'Partly resolved' },
  not_resolved: { nl: 'Niet opgelost', en: 'Not resolved' },
  referred: { nl: 'Doorverwezen', en: 'Referred' },
  melder_stopped: { nl: 'Melder is gestopt', en: 'Melder stopped' },
  unknown: { nl: 'Onbekend', en: 'Unknown' },
};

export const TOTAL_LABEL: Label = { nl: 'Totaal', en: 'Total' };
export const REGISTERED_LABEL: Label = { nl: 'Totaal geregistreerd', en: 'Total registered' };

export const QUARTER_LABELS: Label[] = [1, 2, 3, 4].map((q) => ({ nl: `K${q}`, en: `Q${q}` }));

export function yearColumns(year: number): { key: string; label: Label }[] {
  return [
    { key: 'year', label: { nl: String(year), en: String(year) } },
    { key: 'previous', label: { nl: String(year - 1), en: String(year - 1) } },
    { key: 'difference', label: { nl: 'Verschil', en: 'Difference' } },
  ];
}

export const TABLE_TITLES = {
  kinds: { nl: 'Meldingen per soort', en: 'Reports per kind' },
  categories: (kind: CaseKind): Label => ({ nl: `${KIND_LABELS[kind].nl}: per categorie`, en: `${KIND_LABELS[kind].en}: per category` }),
  quarters: (year: number): Label => ({ nl: `Per kwartaal, ${year}`, en: `Per quarter, ${year}` }),
  help: { nl: 'Geboden hulp (een melding kan meer soorten hulp krijgen)', en: 'Help given (a report can receive several kinds)' },
  outcome: { nl: 'Uitkomst', en: 'Outcome' },
} as const;

export const INDICATOR_LABELS = {
  first_reply_median_days: { nl: 'Mediaan aantal dagen tot de eerste reactie', en: 'Median days to the first reply' },
  misstand_acknowledged_within_7_days: {
    nl: 'Misstand: ontvangst bevestigd binnen 7 dagen (%)',
    en: 'Wrongdoing: receipt acknowledged within 7 days (%)',
  },
  misstand_feedback_within_3_months: {
    nl: 'Misstand: terugkoppeling binnen 3 maanden (%)',
    en: 'Wrongdoing: feedback given within 3 months (%)',
  },
} as const;
