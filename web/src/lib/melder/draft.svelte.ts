// Everything the melder types into the report wizard, in memory only (never in any storage).
// Lives as long as the organisation page, so going back, forward or even leaving the wizard
// and starting again keeps every word; a quick exit or sending the report clears it.
import type { CaseKind } from '../api/types.ts';
import { compactReport, type Contact, type ReportDocument, type Wish } from './report.ts';

export const WIZARD_STEPS = ['kind', 'advisor', 'what', 'wishes', 'identity', 'files', 'review'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export class ReportDraft {
  step = $state<WizardStep>('kind');
  kind = $state<CaseKind | null>(null);
  category = $state<string | null>(null);
  advisorId = $state<string | null>(null);
  what = $state('');
  when = $state('');
  where = $state('');
  who = $state('');
  wishes = $state<Wish[]>([]);
  contact = $state<Contact>('portal');
  contactDetails = $state('');
  revealIdentity = $state(false);
  identity = $state({ name: '', role: '', phone: '', email: '' });
  /** Files chosen to send after the case exists. Raw: File objects are never proxied. */
  files = $state.raw<File[]>([]);

  /** The report as the JSON document that gets encrypted. */
  toDocument(): ReportDocument {
    return compactReport({
      version: 1,
      what: this.what,
      when: this.when,
      where: this.where,
      who: this.who,
      wishes: this.wishes,
      contact: this.contact,
      contactDetails: this.contactDetails,
      identity: this.revealIdentity ? { ...this.identity } : undefined,
    });
  }

  /** Forgets everything typed (after sending, or on a quick exit). */
  clear(): void {
    this.step = 'kind';
    this.kind = null;
    this.category = null;
    this.advisorId = null;
    this.what = '';
    this.when = '';
    this.where = '';
    this.who = '';
    this.wishes = [];
    this.contact = 'portal';
    this.contactDetails = '';
    this.revealIdentity = false;
    this.identity = { name: '', role: '', phone: '', email: '' };
    this.files = [];
  }
}
