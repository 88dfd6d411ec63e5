// The advisor (vertrouwenspersoon) API, one typed function per endpoint. Passwords, recovery keys
// and unlock keys never pass through here: only derived login keys, locked private keys and
// OpenPGP ciphertext made in the browser. The session is the server's HttpOnly cookie.
import type { Static } from 'typebox';
import type {
  AccountView as AccountViewSchema,
  ActivationBody as ActivationBodySchema,
  ActivationLookupResponse as ActivationLookupResponseSchema,
  ActivationResponse as ActivationResponseSchema,
  AdvisorCaseResponse as AdvisorCaseResponseSchema,
  AdvisorCaseState as AdvisorCaseStateSchema,
  AdvisorMessage as AdvisorMessageSchema,
  AdvisorThreadResponse as AdvisorThreadResponseSchema,
  CaseStatus as CaseStatusSchema,
  ChangePasswordBody as ChangePasswordBodySchema,
  HelpKind as HelpKindSchema,
  InboxCase as InboxCaseSchema,
  InboxQuery as InboxQuerySchema,
  InboxResponse as InboxResponseSchema,
  LoginBody as LoginBodySchema,
  MeResponse as MeResponseSchema,
  OrganisationMembership as OrganisationMembershipSchema,
  Outcome as OutcomeSchema,
  PostAdvisorMessageBody as PostAdvisorMessageBodySchema,
  PostAdvisorMessageResponse as PostAdvisorMessageResponseSchema,
  RecoveryCompleteBody as RecoveryCompleteBodySchema,
  RecoveryStartBody as RecoveryStartBodySchema,
  RecoveryStartResponse as RecoveryStartResponseSchema,
  Registration as RegistrationSchema,
  RegistrationOptionsResponse as RegistrationOptionsResponseSchema,
  RegistrationResponse as RegistrationResponseSchema,
  Urgency as UrgencySchema,
} from '../../../../server/modules/advisor/schema.ts';
import { request, requestStream, uploadBinary, type RequestOptions, type UploadOptions } from './client.ts';
import type { CreateAttachmentBody, CreateAttachmentResponse, OkResponse, ThreadAttachment, UploadResponse } from './types.ts';

export type AccountView = Static<typeof AccountViewSchema>;
export type ActivationBody = Static<typeof ActivationBodySchema>;
export type ActivationLookup = Static<typeof ActivationLookupResponseSchema>;
export type ActivationResponse = Static<typeof ActivationResponseSchema>;
export type AdvisorCaseState = Static<typeof AdvisorCaseStateSchema>;
export type AdvisorMessage = Static<typeof AdvisorMessageSchema>;
export type AdvisorThread = Static<typeof AdvisorThreadResponseSchema>;
export type CaseStatus = Static<typeof CaseStatusSchema>;
export type ChangePasswordBody = Static<typeof ChangePasswordBodySchema>;
export type HelpKind = Static<typeof HelpKindSchema>;
export type InboxCase = Static<typeof InboxCaseSchema>;
export type InboxQuery = Static<typeof InboxQuerySchema>;
export type InboxResponse = Static<typeof InboxResponseSchema>;
export type LoginBody = Static<typeof LoginBodySchema>;
export type Me = Static<typeof MeResponseSchema>;
export type OrganisationMembership = Static<typeof OrganisationMembershipSchema>;
export type Outcome = Static<typeof OutcomeSchema>;
export type PostAdvisorMessageBody = Static<typeof PostAdvisorMessageBodySchema>;
export type PostAdvisorMessageResponse = Static<typeof PostAdvisorMessageResponseSchema>;
export type RecoveryCompleteBody = Static<typeof RecoveryCompleteBodySchema>;
export type RecoveryStartBody = Static<typeof RecoveryStartBodySchema>;
export type RecoveryStartResponse = Static<typeof RecoveryStartResponseSchema>;
export type Registration = Static<typeof RegistrationSchema>;
export type RegistrationOptions = Static<typeof RegistrationOptionsResponseSchema>;
export type RegistrationResponse = Static<typeof RegistrationResponseSchema>;
export type Urgency = Static<typeof UrgencySchema>;
export type { ThreadAttachment };

const casePath = (id: string) => `/api/advisor/cases/${encodeURIComponent(id)}`;

// --- activation ----------------------------------------------------------------------------

/** POST /api/advisor/activation/lookup — who the invite is for; 404 `invite_invalid` when unusable. */
export function lookupInvite(token: string, options?: RequestOptions): Promise<ActivationLookup> {
  return request('POST', '/api/advisor/activation/lookup', { token }, options);
}

/** POST /api/advisor/activation — stores the keys and the TOTP secret; logs in (session cookie). */
export function activate(body: ActivationBody, options?: RequestOptions): Promise<ActivationResponse> {
  return request('POST', '/api/advisor/activation', body, options);
}

// --- session, password, recovery -----------------------------------------------------------

/** POST /api/advisor/session — email + login key + TOTP code; `login_failed` whatever was wrong. */
export function logIn(body: LoginBody, options?: RequestOptions): Promise<Me> {
  return request('POST', '/api/advisor/session', body, options);
}

/** DELETE /api/advisor/session — log out this browser (also without a session). */
export function logOut(options?: RequestOptions): Promise<OkResponse> {
  return request('DELETE', '/api/advisor/session', undefined, options);
}

/** DELETE /api/advisor/sessions — log out every browser of this account. */
export function logOutEverywhere(options?: RequestOptions): Promise<OkResponse> {
  return request('DELETE', '/api/advisor/sessions', undefined, options);
}

/** GET /api/advisor/me — the account, its organisations and the locked private key. */
export function getMe(options?: RequestOptions): Promise<Me> {
  return request('GET', '/api/advisor/me', undefined, options);
}

/** POST /api/advisor/password — new login key and the private key locked under the new password. */
export function changePassword(body: ChangePasswordBody, options?: RequestOptions): Promise<OkResponse> {
  return request('POST', '/api/advisor/password', body, options);
}

/** POST /api/advisor/recovery/start — the private key locked under the recovery key. */
export function startRecovery(body: RecoveryStartBody, options?: RequestOptions): Promise<RecoveryStartResponse> {
  return request('POST', '/api/advisor/recovery/start', body, options);
}

/** POST /api/advisor/recovery/complete — sets a new password; ends every session. */
export function completeRecovery(body: RecoveryCompleteBody, options?: RequestOptions): Promise<OkResponse> {
  return request('POST', '/api/advisor/recovery/complete', body, options);
}

// --- inbox and cases -----------------------------------------------------------------------

/** GET /api/advisor/cases — my cases across organisations, most urgent first, one page. */
export function listCases(query: InboxQuery, options?: RequestOptions): Promise<InboxResponse> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const search = params.toString();
  return request('GET', `/api/advisor/cases${search ? `?${search}` : ''}`, undefined, options);
}

/** GET /api/advisor/registration-options — the fixed lists of the registration form. */
export function getRegistrationOptions(options?: RequestOptions): Promise<RegistrationOptions> {
  return request('GET', '/api/advisor/registration-options', undefined, options);
}

/** GET /api/advisor/cases/:id — the case, its messages (with my notes) and files, all ciphertext. */
export function getCase(id: string, options?: RequestOptions): Promise<AdvisorThread> {
  return request('GET', casePath(id), undefined, options);
}

/** POST /api/advisor/cases/:id/messages — a reply (to melder + me) or a private note (to me). */
export function postMessage(id: string, body: PostAdvisorMessageBody, options?: RequestOptions): Promise<PostAdvisorMessageResponse> {
  return request('POST', `${casePath(id)}/messages`, body, options);
}

/** POST /api/advisor/cases/:id/messages/read — marks the melder's messages read. */
export function markMessagesRead(id: string, options?: RequestOptions): Promise<OkResponse> {
  return request('POST', `${casePath(id)}/messages/read`, undefined, options);
}

/** PATCH /api/advisor/cases/:id — a status change; 409 `invalid_transition` when not allowed. */
export function changeStatus(id: string, status: CaseStatus, options?: RequestOptions): Promise<{ case: AdvisorCaseState }> {
  return request<Static<typeof AdvisorCaseResponseSchema>>('PATCH', casePath(id), { status }, options);
}

/** PUT /api/advisor/cases/:id/registration — the registration for the annual report (in the clear). */
export function saveRegistration(id: string, registration: Registration, options?: RequestOptions): Promise<RegistrationResponse> {
  return request('PUT', `${casePath(id)}/registration`, registration, options);
}

/** POST /api/advisor/cases/:id/attachments — registers a file by its encrypted manifest. */
export function createAttachment(id: string, body: CreateAttachmentBody, options?: RequestOptions): Promise<CreateAttachmentResponse> {
  return request('POST', `${casePath(id)}/attachments`, body, options);
}

/** PUT /api/advisor/cases/:id/attachments/:attachmentId/content — the file as a binary OpenPGP message. */
export function uploadAttachmentContent(id: string, attachmentId: string, content: Blob, options?: UploadOptions): Promise<UploadResponse> {
  return uploadBinary(`${casePath(id)}/attachments/${encodeURIComponent(attachmentId)}/content`, content, options);
}

/** GET /api/advisor/cases/:id/attachments/:attachmentId/content — the encrypted file as a stream. */
export function downloadAttachmentContent(id: string, attachmentId: string, options?: RequestOptions): Promise<ReadableStream<Uint8Array>> {
  return requestStream(`${casePath(id)}/attachments/${encodeURIComponent(attachmentId)}/content`, options);
}
