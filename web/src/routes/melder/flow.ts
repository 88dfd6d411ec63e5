// Everything a melder needs after leaving the public page — the report wizard, the receipt, the
// return form, the mailbox and the state behind them — as one lazily loaded chunk, so the page
// at /<slug> stays small. The crypto module is a further chunk, loaded when a report is started
// or a case opened.
export { default as Mailbox } from './mailbox/Mailbox.svelte';
export { default as Receipt } from './Receipt.svelte';
export { default as ReportWizard } from './report/ReportWizard.svelte';
export { default as ReturnForm } from './ReturnForm.svelte';
export { ReportDraft } from '../../lib/melder/draft.svelte.ts';
export { MelderSession } from '../../lib/melder/session.svelte.ts';
export { ReportSubmission, type SubmittedCase } from '../../lib/melder/submit.ts';
