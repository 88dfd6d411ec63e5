// Turns any failure into a sentence in the user's language (I6): the server's own `message` is
// English developer text and is never shown. API errors carry a stable code; crypto errors
// (CryptoError from lib/crypto) carry their own code and are matched by shape, so this file does
// not pull the crypto module into the first bundle.
import { ApiError, type ApiErrorCode } from '../api/client.ts';
import { i18n, type MessageKey } from './i18n.svelte.ts';

const messageKeys: Record<ApiErrorCode, MessageKey> = {
  advisor_unavailable: 'errors.advisor_unavailable',
  attachment_complete: 'errors.attachment_complete',
  attachment_not_found: 'errors.attachment_not_found',
  bad_request: 'errors.invalid_input',
  busy: 'errors.busy',
  case_closed: 'errors.case_closed',
  case_not_found: 'errors.case_not_found',
  case_quota_exceeded: 'errors.case_quota_exceeded',
  current_password_incorrect: 'errors.current_password_incorrect',
  empty_file: 'errors.empty_file',
  feedback_not_applicable: 'errors.feedback_not_applicable',
  file_too_large: 'errors.file_too_large',
  internal: 'errors.internal',
  invalid_category: 'errors.invalid_category',
  invalid_input: 'errors.invalid_input',
  invalid_json: 'errors.invalid_json',
  invalid_private_key: 'errors.invalid_key',
  invalid_public_key: 'errors.invalid_key',
  invalid_registration: 'errors.invalid_registration',
  invalid_totp_secret: 'errors.invalid_totp_secret',
  invalid_transition: 'errors.invalid_transition',
  invite_invalid: 'errors.invite_invalid',
  key_mismatch: 'errors.key_mismatch',
  login_failed: 'errors.login_failed',
  malformed_ciphertext: 'errors.malformed_ciphertext',
  network: 'errors.network',
  not_found: 'errors.not_found',
  organisation_not_found: 'errors.organisation_not_found',
  payload_too_large: 'errors.payload_too_large',
  private_key_not_locked: 'errors.private_key_not_locked',
  rate_limited: 'errors.rate_limited',
  recovery_key_reused: 'errors.recovery_key_reused',
  reservation_invalid: 'errors.reservation_invalid',
  session_expired: 'errors.session_expired',
  totp_invalid: 'errors.totp_invalid',
  unavailable: 'errors.unavailable',
  unsupported_media_type: 'errors.invalid_input',
  wrong_recipients: 'errors.wrong_recipients',
};

/** Codes of lib/crypto's CryptoError, and what each means to the person in front of the screen. */
const cryptoMessageKeys: Record<string, MessageKey> = {
  bad_signature: 'errors.crypto_bad_signature',
  malformed: 'errors.crypto_malformed',
  not_for_me: 'errors.crypto_not_for_me',
  tampered: 'errors.crypto_tampered',
  wrong_key: 'errors.crypto_wrong_key',
};

function isKnownCode(code: string): code is ApiErrorCode {
  return Object.hasOwn(messageKeys, code);
}

/** A translated message for an API error code or a `crypto_<code>` from errorCode(); unknown codes read as a generic failure. */
export function errorMessageForCode(code: string, retryAfterSeconds?: number): string {
  if (code.startsWith('crypto_')) return i18n.t(cryptoMessageKeys[code.slice('crypto_'.length)] ?? 'errors.internal');
  if (code === 'rate_limited' && retryAfterSeconds !== undefined && retryAfterSeconds > 0) {
    return i18n.t('errors.rate_limited_wait', { seconds: retryAfterSeconds });
  }
  return i18n.t(isKnownCode(code) ? messageKeys[code] : 'errors.internal');
}

function cryptoCode(error: unknown): string | null {
  if (!(error instanceof Error) || error.name !== 'CryptoError') return null;
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(cryptoMessageKeys, code) ? code : null;
}

/** The stable code behind any error: an API code, `crypto_<code>`, or `internal`. */
export function errorCode(error: unknown): string {
  if (error instanceof ApiError) return error.code;
  const crypto = cryptoCode(error);
  return crypto ? `crypto_${crypto}` : 'internal';
}

/** A translated message for anything thrown by an API call or the crypto module. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return errorMessageForCode(error.code, error.retryAfterSeconds);
  return errorMessageForCode(errorCode(error));
}
