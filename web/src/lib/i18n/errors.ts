// Turns any failure from the API layer into a sentence in the user's language (I6): the server's
// own `message` is English developer text and is never shown.
import { ApiError, type ApiErrorCode } from '../api/client.ts';
import { i18n, type MessageKey } from './i18n.svelte.ts';

const messageKeys: Record<ApiErrorCode, MessageKey> = {
  internal: 'errors.internal',
  invalid_input: 'errors.invalid_input',
  network: 'errors.network',
  not_found: 'errors.not_found',
  organisation_not_found: 'errors.organisation_not_found',
  payload_too_large: 'errors.payload_too_large',
  rate_limited: 'errors.rate_limited',
  unavailable: 'errors.unavailable',
};

function isKnownCode(code: string): code is ApiErrorCode {
  return Object.hasOwn(messageKeys, code);
}

/** A translated message for an API error code; unknown codes read as a generic failure. */
export function errorMessageForCode(code: string, retryAfterSeconds?: number): string {
  if (code === 'rate_limited' && retryAfterSeconds !== undefined && retryAfterSeconds > 0) {
    return i18n.t('errors.rate_limited_wait', { seconds: retryAfterSeconds });
  }
  return i18n.t(isKnownCode(code) ? messageKeys[code] : 'errors.internal');
}

/** A translated message for anything thrown by an API call. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return errorMessageForCode(error.code, error.retryAfterSeconds);
  return errorMessageForCode('internal');
}
