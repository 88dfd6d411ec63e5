// Translation keys for the codes the melder flow shows: kinds, categories, wishes, contact
// choices and case statuses. A code the app does not know (a newer server) shows as itself.
import type { MessageKey } from '../i18n/i18n.svelte.ts';
import type { Contact, Wish } from './report.ts';

type Keyed = { label: MessageKey; hint: MessageKey };

export const kindLabels: Record<'ongewenst_gedrag' | 'misstand', Keyed> = {
  ongewenst_gedrag: { label: 'report.kind_ongewenst_gedrag', hint: 'report.kind_ongewenst_gedrag_hint' },
  misstand: { label: 'report.kind_misstand', hint: 'report.kind_misstand_hint' },
};

const categoryLabels: Record<string, Keyed> = {
  agressie_geweld: { label: 'categories.agressie_geweld', hint: 'categories.agressie_geweld_hint' },
  anders: { label: 'categories.anders', hint: 'categories.anders_hint' },
  belangenverstrengeling: { label: 'categories.belangenverstrengeling', hint: 'categories.belangenverstrengeling_hint' },
  corruptie: { label: 'categories.corruptie', hint: 'categories.corruptie_hint' },
  discriminatie: { label: 'categories.discriminatie', hint: 'categories.discriminatie_hint' },
  fraude: { label: 'categories.fraude', hint: 'categories.fraude_hint' },
  gevaar_gezondheid_veiligheid_milieu: {
    label: 'categories.gevaar_gezondheid_veiligheid_milieu',
    hint: 'categories.gevaar_gezondheid_veiligheid_milieu_hint',
  },
  intimidatie: { label: 'categories.intimidatie', hint: 'categories.intimidatie_hint' },
  misbruik_bevoegdheid: { label: 'categories.misbruik_bevoegdheid', hint: 'categories.misbruik_bevoegdheid_hint' },
  pesten: { label: 'categories.pesten', hint: 'categories.pesten_hint' },
  schending_regels: { label: 'categories.schending_regels', hint: 'categories.schending_regels_hint' },
  seksuele_intimidatie: { label: 'categories.seksuele_intimidatie', hint: 'categories.seksuele_intimidatie_hint' },
  undisclosed: { label: 'categories.undisclosed', hint: 'categories.undisclosed_hint' },
  werkdruk: { label: 'categories.werkdruk', hint: 'categories.werkdruk_hint' },
};

export function categoryKeys(category: string): Keyed | null {
  return Object.hasOwn(categoryLabels, category) ? (categoryLabels[category] ?? null) : null;
}

export const wishLabels: Record<Wish, Keyed> = {
  listening_ear: { label: 'wishes.listening_ear', hint: 'wishes.listening_ear_hint' },
  advice: { label: 'wishes.advice', hint: 'wishes.advice_hint' },
  informal_solution: { label: 'wishes.informal_solution', hint: 'wishes.informal_solution_hint' },
  formal_complaint_support: { label: 'wishes.formal_complaint_support', hint: 'wishes.formal_complaint_support_hint' },
  misstand_investigation: { label: 'wishes.misstand_investigation', hint: 'wishes.misstand_investigation_hint' },
};

export const contactLabels: Record<Contact, Keyed> = {
  portal: { label: 'wishes.contact_portal', hint: 'wishes.contact_portal_hint' },
  phone: { label: 'wishes.contact_phone', hint: 'wishes.contact_phone_hint' },
  meeting: { label: 'wishes.contact_meeting', hint: 'wishes.contact_meeting_hint' },
};

const statusLabels: Record<string, MessageKey> = {
  afgesloten: 'mailbox.status_afgesloten',
  in_behandeling: 'mailbox.status_in_behandeling',
  nazorg: 'mailbox.status_nazorg',
  nieuw: 'mailbox.status_nieuw',
  overgedragen: 'mailbox.status_overgedragen',
};

export function statusKey(status: string): MessageKey | null {
  return Object.hasOwn(statusLabels, status) ? (statusLabels[status] ?? null) : null;
}
