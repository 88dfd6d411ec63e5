// The melder API, one typed function per endpoint. Everything the melder wrote travels as
// OpenPGP ciphertext made in the browser; these functions only move it. The session is the
// HttpOnly cookie the server sets, never anything the app stores.
import { request, requestStream, uploadBinary, type RequestOptions, type UploadOptions } from './client.ts';
import type {
  CaseResponse,
  CreateAttachmentBody,
  CreateAttachmentResponse,
  CreateCaseBody,
  IssuedCredentials,
  LoginBody,
  LoginResponse,
  OkResponse,
  PostMessageBody,
  PostMessageResponse,
  ThreadResponse,
  UploadResponse,
} from './types.ts';

/** POST /api/organisations/:slug/credentials — a case code and passphrase, reserved 30 minutes. */
export function issueCredentials(slug: string, options?: RequestOptions): Promise<IssuedCredentials> {
  return request('POST', `/api/organisations/${encodeURIComponent(slug)}/credentials`, undefined, options);
}

/** POST /api/cases — creates the case and logs the melder in (session cookie). */
export function createCase(body: CreateCaseBody, options?: RequestOptions): Promise<CaseResponse> {
  return request('POST', '/api/cases', body, options);
}

/** POST /api/melder/session — log in with the case code and the login key derived from the passphrase. */
export function logIn(body: LoginBody, options?: RequestOptions): Promise<LoginResponse> {
  return request('POST', '/api/melder/session', body, options);
}

/** DELETE /api/melder/session — log out (also when there is no session). */
export function logOut(options?: RequestOptions): Promise<OkResponse> {
  return request('DELETE', '/api/melder/session', undefined, options);
}

/** GET /api/melder/case — the case, its messages and its files, all ciphertext. */
export function getCase(options?: RequestOptions): Promise<ThreadResponse> {
  return request('GET', '/api/melder/case', undefined, options);
}

/** POST /api/melder/messages — a message, or a changed "what I want" (`wishes`). */
export function postMessage(body: PostMessageBody, options?: RequestOptions): Promise<PostMessageResponse> {
  return request('POST', '/api/melder/messages', body, options);
}

/** POST /api/melder/messages/read — marks the advisor's messages read. */
export function markMessagesRead(options?: RequestOptions): Promise<OkResponse> {
  return request('POST', '/api/melder/messages/read', undefined, options);
}

/** POST /api/melder/case/end — the melder ends the case. */
export function endCase(options?: RequestOptions): Promise<CaseResponse> {
  return request('POST', '/api/melder/case/end', undefined, options);
}

/** POST /api/melder/attachments — registers a file by its encrypted manifest. */
export function createAttachment(body: CreateAttachmentBody, options?: RequestOptions): Promise<CreateAttachmentResponse> {
  return request('POST', '/api/melder/attachments', body, options);
}

/** PUT /api/melder/attachments/:id/content — the file as a binary OpenPGP message. */
export function uploadAttachmentContent(id: string, content: Blob, options?: UploadOptions): Promise<UploadResponse> {
  return uploadBinary(`/api/melder/attachments/${encodeURIComponent(id)}/content`, content, options);
}

/** GET /api/melder/attachments/:id/content — the encrypted file as a stream. */
export function downloadAttachmentContent(id: string, options?: RequestOptions): Promise<ReadableStream<Uint8Array>> {
  return requestStream(`/api/melder/attachments/${encodeURIComponent(id)}/content`, options);
}
