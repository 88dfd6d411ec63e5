// The first-run setup API: whether the wizard is needed, and the one call that creates the first
// organisation and its admin. The admin's keys are made in the browser exactly as at an advisor's
// activation; only derived login keys and locked private keys are sent.
import type { Static } from 'typebox';
import type { SetupBody as SetupBodySchema, SetupStatusResponse as SetupStatusSchema } from '../../../../server/modules/setup/schema.ts';
import type { Me } from './advisor.ts';
import { request, type RequestOptions } from './client.ts';

export type SetupStatus = Static<typeof SetupStatusSchema>;
export type SetupBody = Static<typeof SetupBodySchema>;

/** GET /api/setup — `{ needed: true }` while no organisation exists. */
export function getSetupStatus(options?: RequestOptions): Promise<SetupStatus> {
  return request('GET', '/api/setup', undefined, options);
}

/**
 * POST /api/setup — creates the organisation and the admin account and logs in (session cookie).
 * Errors: 403 setup_token_invalid, 409 setup_done | slug_taken | email_taken, 400 invalid_slug |
 * reserved_slug | totp_invalid | …, 429 rate_limited.
 */
export function completeSetup(body: SetupBody, options?: RequestOptions): Promise<Me> {
  return request('POST', '/api/setup', body, options);
}
