// The melder (reporter) API: no account, a case code + passphrase issued once. The melder's
// browser encrypts everything; these routes store and return ciphertext only. They must never
// log or store the passphrase, an IP address or anything that identifies the melder, and never
// reveal whether a case code exists.
import type { FastifyRequest } from 'fastify';
import type { AppInstance } from '../../app.ts';
import { ErrorResponse } from '../../lib/schema.ts';
import { sendJsonText } from '../../lib/json-text.ts';
import { keyedDigest } from '../../lib/tokens.ts';
import { keyedLimit, perAddress } from '../../lib/rate-limits.ts';
import { normaliseCaseCode } from '../../lib/credentials.ts';
import { createSession, deleteSession } from '../sessions/service.ts';
import { sessionToken } from '../../plugins/session.ts';
import { createAttachment, openAttachment, storeAttachmentContent } from '../cases/attachments.ts';
import {
  AttachmentParams, CaseResponse, CreateAttachmentBody, CreateAttachmentResponse, CreateCaseBody, IssueCredentialsParams,
  IssuedCredentials, LoginBody, LoginResponse, OkResponse, PostMessageBody, PostMessageResponse, ThreadResponse, UploadResponse,
} from './schema.ts';
import * as melder from './service.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 413: ErrorResponse, 429: ErrorResponse, 503: ErrorResponse };

export default async function melderRoutes(app: AppInstance) {
  // Per case code, across addresses: high enough that one address (capped per address) can never
  // reach it, so only a distributed attack slows a code — and then only for the window.
  const perCaseCode = keyedLimit(app, {
    bucket: 'melder-login-code',
    max: 200,
    timeWindow: 10 * 60_000,
    key: (req: FastifyRequest) => {
      const code = (req.body as { caseCode?: unknown } | undefined)?.caseCode;
      return keyedDigest(app.config.sessionSecret, 'rate-code', normaliseCaseCode(String(code ?? ''))).slice(0, 22);
    },
  });

  app.post('/api/organisations/:slug/credentials', {
    schema: { params: IssueCredentialsParams, response: { 201: IssuedCredentials, ...errors } },
    preHandler: perAddress(app, 'melder-issue', 20, 10 * 60_000),
  }, async (req, reply) => {
    const issued = await melder.issueCredentials(app.db, app.config.sessionSecret, req.params.slug);
    return reply.code(201).send(issued);
  });

  app.post('/api/cases', {
    schema: { body: CreateCaseBody, response: { 201: CaseResponse, ...errors } },
    preHandler: perAddress(app, 'melder-create', 20, 10 * 60_000),
  }, async (req, reply) => {
    const { caseId, state } = await melder.createCase(app.db, app.config.sessionSecret, req.body);
    app.setSessionCookie(reply, await createSession(app.db, { subject: 'melder', caseId }));
    return reply.code(201).send({ case: state });
  });

  app.post('/api/melder/session', {
    schema: { body: LoginBody, response: { 200: LoginResponse, ...errors } },
    preHandler: [perAddress(app, 'melder-login', 10, 60_000), perCaseCode],
  }, async (req, reply) => {
    const result = await melder.login(app.db, app.config.sessionSecret, req.body);
    app.setSessionCookie(reply, await createSession(app.db, { subject: 'melder', caseId: result.caseId }));
    return { lockedPrivateKey: result.lockedPrivateKey, case: result.state };
  });

  app.delete('/api/melder/session', { schema: { response: { 200: OkResponse } } }, async (req, reply) => {
    const token = sessionToken(req);
    if (token) await deleteSession(app.db, token);
    app.clearSessionCookie(reply);
    return { ok: true as const };
  });

  // The two busiest routes answer with JSON built by the database (see hot-path.ts); when the
  // one-statement lookup finds no live session and case, the ordinary path gives the exact error.
  app.get('/api/melder/case', { schema: { response: { 200: ThreadResponse, ...errors } } }, async (req, reply) => {
    const token = sessionToken(req);
    const json = token ? await melder.threadJson(app.db, token) : null;
    if (json !== null) return sendJsonText(reply, 200, json);
    const s = await app.requireMelder(req);
    return melder.getThread(app.db, s.caseId);
  });

  app.post('/api/melder/messages', { schema: { body: PostMessageBody, response: { 201: PostMessageResponse, ...errors } } }, async (req, reply) => {
    const token = sessionToken(req);
    const json = token ? await melder.postMessageJson(app.db, token, req.body) : null;
    if (json !== null) return sendJsonText(reply, 201, json);
    const s = await app.requireMelder(req);
    return reply.code(201).send({ message: await melder.postMelderMessage(app.db, s.caseId, req.body) });
  });

  app.post('/api/melder/messages/read', { schema: { response: { 200: OkResponse, ...errors } } }, async (req) => {
    const s = await app.requireMelder(req);
    await melder.markAdvisorMessagesRead(app.db, s.caseId);
    return { ok: true as const };
  });

  app.post('/api/melder/case/end', { schema: { response: { 200: CaseResponse, ...errors } } }, async (req) => {
    const s = await app.requireMelder(req);
    return { case: await melder.endCaseByMelder(app.db, s.caseId) };
  });

  app.post('/api/melder/attachments', { schema: { body: CreateAttachmentBody, response: { 201: CreateAttachmentResponse, ...errors } } }, async (req, reply) => {
    const s = await app.requireMelder(req);
    const c = await melder.requireCase(app.db, s.caseId);
    if (c.status === 'afgesloten') throw new melder.CaseClosedError();
    const id = await createAttachment(app.db, { caseId: c.id, uploaderRole: 'melder', encryptedManifest: req.body.encryptedManifest, recipients: await melder.recipientsOf(app.db, c) });
    return reply.code(201).send({ id, maxBytes: app.config.maxFileBytes });
  });

  app.put('/api/melder/attachments/:id/content', { schema: { params: AttachmentParams, response: { 200: UploadResponse, ...errors } } }, async (req) => {
    const s = await app.requireMelder(req);
    const size = await storeAttachmentContent(app.db, {
      caseId: s.caseId, attachmentId: req.params.id, uploaderRole: 'melder', body: req.body as AsyncIterable<Buffer>,
      maxFileBytes: app.config.maxFileBytes, maxCaseBytes: app.config.maxCaseBytes,
    });
    return { id: req.params.id, size };
  });

  app.get('/api/melder/attachments/:id/content', { schema: { params: AttachmentParams } }, async (req, reply) => {
    const s = await app.requireMelder(req);
    const { size, stream } = await openAttachment(app.db, s.caseId, req.params.id);
    return reply.type('application/octet-stream').header('content-length', String(size)).send(stream);
  });
}
