// Error messages on the setup wizard and the staff pages: the codes only these screens meet
// (setup token, slugs, logo, advisors with open cases, categories) in the staff namespaces,
// everything else as the advisor's screens say it. The server's own English message is never
// shown (I6).
import { ApiError } from '../api/client.ts';
import { advisorErrorMessage } from '../advisor/errors.ts';
import { errorCode } from '../i18n/errors.ts';
import { i18n, type MessageKey } from '../i18n/i18n.svelte.ts';
import { LogoError } from './logo.ts';

const staffKeys: Record<string, MessageKey> = {
  advisor_has_open_cases: 'admin.error_advisor_has_open_cases',
  advisor_not_found: 'admin.error_advisor_not_found',
  category_exists: 'admin.error_category_exists',
  category_not_found: 'admin.error_category_not_found',
  email_taken: 'staff.error_email_taken',
  invalid_email: 'staff.error_invalid_email',
  invalid_logo: 'admin.error_invalid_logo',
  invalid_name: 'staff.error_invalid_name',
  invalid_private_key: 'staff.error_key_material',
  invalid_public_key: 'staff.error_key_material',
  invalid_slug: 'setup.error_invalid_slug',
  invalid_totp_secret: 'staff.error_key_material',
  key_mismatch: 'staff.error_key_material',
  organisation_not_found: 'staff.error_organisation_not_found',
  private_key_not_locked: 'staff.error_key_material',
  recovery_key_reused: 'staff.error_key_material',
  reserved_category: 'admin.error_reserved_category',
  reserved_slug: 'setup.error_reserved_slug',
  setup_done: 'setup.error_setup_done',
  setup_token_invalid: 'setup.error_token_invalid',
  slug_taken: 'setup.error_slug_taken',
  totp_invalid: 'errors.totp_invalid',
  unknown_authority: 'admin.error_unknown_authority',
};

const logoKeys: Record<LogoError['problem'], MessageKey> = {
  type: 'admin.logo_error_type',
  too_large: 'admin.logo_error_too_large',
  unreadable: 'admin.logo_error_unreadable',
};

export function staffErrorMessage(error: unknown): string {
  if (error instanceof LogoError) return i18n.t(logoKeys[error.problem]);
  if (error instanceof ApiError && error.code === 'rate_limited') return advisorErrorMessage(error);
  const key = staffKeys[errorCode(error)];
  return key ? i18n.t(key) : advisorErrorMessage(error);
}
