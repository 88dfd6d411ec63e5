// The advisor's registration of a case, kept in the clear for the anonymised annual report
// (DESIGN.md "What stays in the clear"): kind of behaviour, help given, outcome — fixed lists,
// so nothing a person wrote ends up here, except the short "referred to" the UI warns about.
import type { CaseKind } from '../../db/database.ts';
import { InvalidInputError } from '../../lib/errors.ts';
import { DEFAULT_CATEGORIES } from '../cases/categories.ts';
import { HELP_KINDS, OUTCOMES, type Registration } from './schema.ts';

export class InvalidRegistrationError extends InvalidInputError {
  constructor(message: string) {
    super('invalid_registration', message);
  }
}

export function registrationOptions() {
  return {
    behaviour: { ongewenst_gedrag: [...DEFAULT_CATEGORIES.ongewenst_gedrag], misstand: [...DEFAULT_CATEGORIES.misstand] },
    help: [...HELP_KINDS],
    outcome: [...OUTCOMES],
  };
}

/** Checks what the schema cannot: behaviour keys of this case's kind; referredTo only with a referral. */
export function validateRegistration(kind: CaseKind, r: Registration, allowed: string[] = DEFAULT_CATEGORIES[kind]): Registration {
  const unknown = r.behaviour.filter((b) => !allowed.includes(b));
  if (unknown.length) throw new InvalidRegistrationError(`Unknown kind of behaviour for this kind of report: ${unknown.join(', ')}`);
  const referredTo = r.referredTo?.trim();
  if (referredTo !== undefined && !r.help.includes('referral')) {
    throw new InvalidRegistrationError('"Referred to" can only be filled in when the help given includes a referral');
  }
  if (referredTo === '') throw new InvalidRegistrationError('"Referred to" is empty');
  return {
    behaviour: [...r.behaviour],
    help: [...r.help],
    ...(referredTo !== undefined ? { referredTo } : {}),
    outcome: r.outcome,
  };
}
