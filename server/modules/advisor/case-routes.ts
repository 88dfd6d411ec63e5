// The advisor's inbox and case routes. Every /api/advisor/cases/:id route first resolves the
// case as "assigned to me"; any other advisor, an admin, or a case that does not exist get the
// same 404 case_not_found, before anything else is looked at.
import type { FastifyRequest } from 'fastify';
import type { AppInstance } from '../../app.ts';
import type { Account } from '../../db/database.ts';
import type { ActiveSession } from '../sessions/service.ts';
import { createAttachment, openAttachment, storeAttachmentContent } from '../cases/attachments.ts';
import * as advisorCases from './case-service.ts';
import { registrationOptions } from './registration.ts';
import {
  AdvisorCaseResponse, AdvisorThreadResponse, CaseAttachmentParams, CaseParams, ChangeStatusBody, CreateAttachmentBody,
  CreateAttachmentResponse, ErrorResponse, InboxQuery, InboxResponse, OkResponse, PostAdvisorMessageBody, PostAdvisorMessageResponse,
  Registration, RegistrationOptionsResponse, RegistrationResponse, UploadResponse,
} from './schema.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 413: ErrorResponse, 503: ErrorResponse };

type RequireAccount = (req: FastifyRequest) => Promise<{ session: ActiveSession; account: Account }>;

export default function registerCaseRoutes(app: AppInstance, requireAccount: RequireAccount) {
  const me = async (req: FastifyRequest) => (await requireAccount(req)).account;

  app.get('/api/advisor/cases', { schema: { querystring: InboxQuery, response: { 200: InboxResponse, ...errors } } }, async (req) => {
    const account = await me(req);
    return advisorCases.inbox(app.db, account.id, req.query);
  });

  app.get('/api/advisor/registration-options', { schema: { response: { 200: RegistrationOptionsResponse, ...errors } } }, async (req) => {
    await me(req);
    return registrationOptions();
  });

  app.get('/api/advisor/cases/:id', { schema: { params: CaseParams, response: { 200: AdvisorThreadResponse, ...errors } } }, async (req) => {
    const account = await me(req);
    return advisorCases.getCase(app.db, account.id, req.params.id);
  });

  app.post('/api/advisor/cases/:id/messages', {
    schema: { params: CaseParams, body: PostAdvisorMessageBody, response: { 201: PostAdvisorMessageResponse, ...errors } },
  }, async (req, reply) => {
    const account = await me(req);
    return reply.code(201).send(await advisorCases.postMessage(app.db, account, req.params.id, req.body));
  });

  app.post('/api/advisor/cases/:id/messages/read', { schema: { params: CaseParams, response: { 200: OkResponse, ...errors } } }, async (req) => {
    const account = await me(req);
    await advisorCases.markMelderMessagesRead(app.db, account.id, req.params.id);
    return { ok: true as const };
  });

  app.patch('/api/advisor/cases/:id', {
    schema: { params: CaseParams, body: ChangeStatusBody, response: { 200: AdvisorCaseResponse, ...errors } },
  }, async (req) => {
    const account = await me(req);
    return { case: await advisorCases.changeStatus(app.db, account.id, req.params.id, req.body.status) };
  });

  app.put('/api/advisor/cases/:id/registration', {
    schema: { params: CaseParams, body: Registration, response: { 200: RegistrationResponse, ...errors } },
  }, async (req) => {
    const account = await me(req);
    return { registration: await advisorCases.setRegistration(app.db, account.id, req.params.id, req.body) };
  });

  app.post('/api/advisor/cases/:id/attachments', {
    schema: { params: CaseParams, body: CreateAttachmentBody, response: { 201: CreateAttachmentResponse, ...errors } },
  }, async (req, reply) => {
    const account = await me(req);
    const c = await advisorCases.requireOpenAssignedCase(app.db, account.id, req.params.id);
    const id = await createAttachment(app.db, {
      caseId: c.id, uploaderRole: 'advisor', encryptedManifest: req.body.encryptedManifest, recipients: advisorCases.caseRecipients(c, account),
    });
    return reply.code(201).send({ id, maxBytes: app.config.maxFileBytes });
  });

  app.put('/api/advisor/cases/:id/attachments/:attachmentId/content', {
    schema: { params: CaseAttachmentParams, response: { 200: UploadResponse, ...errors } },
  }, async (req) => {
    const account = await me(req);
    const c = await advisorCases.requireOpenAssignedCase(app.db, account.id, req.params.id);
    const size = await storeAttachmentContent(app.db, {
      caseId: c.id, attachmentId: req.params.attachmentId, uploaderRole: 'advisor', body: req.body as AsyncIterable<Buffer>,
      maxFileBytes: app.config.maxFileBytes, maxCaseBytes: app.config.maxCaseBytes,
    });
    return { id: req.params.attachmentId, size };
  });

  app.get('/api/advisor/cases/:id/attachments/:attachmentId/content', { schema: { params: CaseAttachmentParams } }, async (req, reply) => {
    const account = await me(req);
    const c = await advisorCases.requireAssignedCase(app.db, account.id, req.params.id);
    const { size, stream } = await openAttachment(app.db, c.id, req.params.attachmentId);
    return reply.type('application/octet-stream').header('content-length', String(size)).send(stream);
  });
}
