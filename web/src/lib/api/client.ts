// The only place in the web app that talks to the network. Every endpoint gets one typed function
// in a sibling file that goes through `request` (JSON), `requestStream` (a binary download) or
// `uploadBinary` (a binary upload), so credentials, headers and error handling are the same
// everywhere and a failure always arrives as an ApiError with a stable code the UI translates.
// `uploadBinary` is the one XMLHttpRequest: fetch reports no upload progress, and Chromium
// streams a request body only over HTTP/2, so a counted streaming fetch is no option here.
import type { ApiErrorBody } from './types.ts';

/** Codes the UI has a translated message for. The server may send others; they read as `internal`. */
export type ApiErrorCode =
  | 'advisor_unavailable'
  | 'attachment_complete'
  | 'attachment_not_found'
  | 'bad_request'
  | 'busy'
  | 'case_closed'
  | 'case_not_found'
  | 'case_quota_exceeded'
  | 'current_password_incorrect'
  | 'empty_file'
  | 'feedback_not_applicable'
  | 'file_too_large'
  | 'internal'
  | 'invalid_category'
  | 'invalid_input'
  | 'invalid_json'
  | 'invalid_private_key'
  | 'invalid_public_key'
  | 'invalid_registration'
  | 'invalid_totp_secret'
  | 'invalid_transition'
  | 'invite_invalid'
  | 'key_mismatch'
  | 'login_failed'
  | 'malformed_ciphertext'
  | 'network'
  | 'not_found'
  | 'organisation_not_found'
  | 'payload_too_large'
  | 'private_key_not_locked'
  | 'rate_limited'
  | 'recovery_key_reused'
  | 'reservation_invalid'
  | 'session_expired'
  | 'totp_invalid'
  | 'unavailable'
  | 'unsupported_media_type'
  | 'wrong_recipients';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    readonly code: ApiErrorCode | (string & {}),
    message: string,
    /** From Retry-After on 429/503: how long to wait before trying again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Let the request outlive the page (quick exit logs out while the page is replaced). */
  keepalive?: boolean;
}

export async function request<T>(
  method: HttpMethod,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = {
    method,
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
    signal: options.signal,
    keepalive: options.keepalive,
  };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (cause) {
    // An abort is the caller's own decision, not a failure to report.
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', 'The request did not reach the server');
  }

  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(response.status, 'internal', 'The response was not valid JSON');
  }
}

/** GET a binary body as a stream (e.g. an encrypted file); errors as `request`. */
export async function requestStream(path: string, options: RequestOptions = {}): Promise<ReadableStream<Uint8Array>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'GET',
      headers: { accept: 'application/octet-stream, application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', 'The request did not reach the server');
  }
  if (!response.ok) throw await toApiError(response);
  if (!response.body) throw new ApiError(response.status, 'internal', 'The response has no body');
  return response.body;
}

export interface UploadOptions extends RequestOptions {
  /** Called with the bytes sent so far and the total. */
  onProgress?: (sent: number, total: number) => void;
}

/** PUT a binary body with upload progress; answers and errors as `request`. */
export function uploadBinary<T>(path: string, body: Blob, options: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => options.onProgress?.(event.loaded, event.lengthComputable ? event.total : body.size);
    xhr.onerror = () => reject(new ApiError(0, 'network', 'The request did not reach the server'));
    xhr.ontimeout = xhr.onerror;
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    xhr.onload = () => {
      const retryAfter = xhr.getResponseHeader('retry-after');
      const response = new Response(xhr.status === 204 ? null : xhr.responseText, {
        status: xhr.status,
        headers: retryAfter === null ? {} : { 'retry-after': retryAfter },
      });
      if (!response.ok) {
        void toApiError(response).then(reject);
        return;
      }
      response.json().then(
        (value: T) => resolve(value),
        () => reject(new ApiError(xhr.status, 'internal', 'The response was not valid JSON')),
      );
    };
    if (options.signal?.aborted) {
      reject(new DOMException('The upload was cancelled', 'AbortError'));
      return;
    }
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfterSeconds =
    response.status === 429 || response.status === 503
      ? parseRetryAfter(response.headers.get('retry-after'))
      : undefined;
  const body = await response.json().catch(() => undefined);
  if (isErrorBody(body)) {
    return new ApiError(response.status, body.error.code, body.error.message, retryAfterSeconds);
  }
  // No JSON error body, e.g. a proxy's own error page: derive a code from the status.
  return new ApiError(
    response.status,
    codeForStatus(response.status),
    `HTTP ${response.status}`,
    retryAfterSeconds,
  );
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = value.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

function codeForStatus(status: number): ApiErrorCode {
  if (status === 404) return 'not_found';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  if (status === 400 || status === 422) return 'invalid_input';
  return 'internal';
}

/** Retry-After is either delay-seconds or an HTTP date; returns whole seconds, at least 1. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Math.max(1, Number.parseInt(value, 10));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(1, Math.ceil((date - now) / 1000));
}
