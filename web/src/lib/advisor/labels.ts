// Translation keys for the codes on the advisor's screens: statuses, kinds, urgency, help given
// and outcomes. Categories and wishes share the melder's labels. An unknown code (a newer server,
// an organisation's own category) shows as itself.
import type { CaseStatus, HelpKind, Outcome, Urgency } from '../api/advisor.ts';
import type { CaseKind } from '../api/types.ts';
import type { MessageKey } from '../i18n/i18n.svelte.ts';

export const CASE_STATUSES: readonly CaseStatus[] = ['nieuw', 'in_behandeling', 'nazorg', 'afgesloten', 'overgedragen'];
export const CASE_KINDS: readonly CaseKind[] = ['ongewenst_gedrag', 'misstand'];

export const statusLabels: Record<CaseStatus, MessageKey> = {
  nieuw: 'advisor.status_nieuw',
  in_behandeling: 'advisor.status_in_behandeling',
  nazorg: 'advisor.status_nazorg',
  afgesloten: 'advisor.status_afgesloten',
  overgedragen: 'advisor.status_overgedragen',
};

export const kindLabels: Record<CaseKind, MessageKey> = {
  ongewenst_gedrag: 'advisor.kind_ongewenst_gedrag',
  misstand: 'advisor.kind_misstand',
};

export const urgencyLabels: Record<Urgency, MessageKey> = {
  overdue: 'advisor.urgency_overdue',
  due_soon: 'advisor.urgency_due_soon',
  ok: 'advisor.urgency_ok',
  done: 'advisor.urgency_done',
};

export const helpLabels: Record<HelpKind, MessageKey> = {
  listening_ear: 'advisor.help_listening_ear',
  advice: 'advisor.help_advice',
  referral: 'advisor.help_referral',
  mediation: 'advisor.help_mediation',
  formal_complaint_support: 'advisor.help_formal_complaint_support',
  misstand_investigation: 'advisor.help_misstand_investigation',
};

export const outcomeLabels: Record<Outcome, MessageKey> = {
  resolved: 'advisor.outcome_resolved',
  partly_resolved: 'advisor.outcome_partly_resolved',
  not_resolved: 'advisor.outcome_not_resolved',
  referred: 'advisor.outcome_referred',
  melder_stopped: 'advisor.outcome_melder_stopped',
  unknown: 'advisor.outcome_unknown',
};

export function statusKey(status: string): MessageKey | null {
  return Object.hasOwn(statusLabels, status) ? statusLabels[status as CaseStatus] : null;
}
