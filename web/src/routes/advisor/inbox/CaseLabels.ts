// Text for the inbox columns of one case, shared by the table and the cards.
import type { InboxCase } from '../../../lib/api/advisor.ts';
import { kindLabels, statusKey } from '../../../lib/advisor/labels.ts';
import { i18n } from '../../../lib/i18n/i18n.svelte.ts';
import { categoryKeys } from '../../../lib/melder/labels.ts';

export function categoryText(category: string): string {
  // The melder's "I'd rather not say" reads, to the advisor, as "not given".
  if (category === 'undisclosed') return i18n.t('advisor.category_undisclosed');
  const keys = categoryKeys(category);
  return keys ? i18n.t(keys.label) : category;
}

export function kindText(kind: InboxCase['kind']): string {
  return i18n.t(kindLabels[kind]);
}

export function statusText(status: string): string {
  const key = statusKey(status);
  return key ? i18n.t(key) : status;
}

export const isClosedStatus = (status: string) => status === 'afgesloten' || status === 'overgedragen';
