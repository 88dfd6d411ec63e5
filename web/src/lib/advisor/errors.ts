// Error messages on the advisor's screens: the shared translations, except where the advisor
// needs other words than a melder (logging in is with email, password and code, not with a case
// code) and for the errors that only happen here.
import { ApiError } from '../api/client.ts';
import { errorCode, errorMessage } from '../i18n/errors.ts';
import { i18n, type MessageKey } from '../i18n/i18n.svelte.ts';
import { KeyDerivationError } from './keys.ts';
import { WrongPasswordError } from './session.svelte.ts';

const advisorKeys: Record<string, MessageKey> = {
  crypto_wrong_key: 'advisor.error_wrong_password',
  login_failed: 'advisor.error_login_failed',
  session_expired: 'advisor.error_session_expired',
  case_not_found: 'advisor.error_case_not_found',
  case_closed: 'advisor.error_case_closed',
};

export function advisorErrorMessage(error: unknown): string {
  if (error instanceof WrongPasswordError) return i18n.t('advisor.error_wrong_password');
  if (error instanceof KeyDerivationError) return i18n.t('advisor.error_kdf_failed');
  if (error instanceof ApiError && error.code === 'rate_limited') return errorMessage(error);
  const key = advisorKeys[errorCode(error)];
  return key ? i18n.t(key) : errorMessage(error);
}
