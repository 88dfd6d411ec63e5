// The advisor (vertrouwenspersoon) API: activation from a one-time invite with keys made in the
// browser, login with login key + TOTP, password change and recovery, and (case-routes.ts) the
// inbox and the work on a case. The server only ever sees derived login keys, locked private
// keys and ciphertext. It must never reveal whether an account or case exists to someone not
// entitled to it, never accept a TOTP code twice, and never let anyone but the assigned advisor
// reach a case — not another advisor, not an organisation admin.
import type { FastifyRequest } from 'fastify';
import type { AppInstance } from '../../app.ts';
import { sessionToken } from '../../plugins/session.ts';
import { createSession, deleteSession, deleteSessionsOfAccount } from '../sessions/service.ts';
import registerCaseRoutes from './case-routes.ts';
import { perAddress, perEmail } from '../../lib/rate-limits.ts';
import {
  ActivationBody, ActivationLookupBody, ActivationLookupResponse, ActivationResponse, ChangePasswordBody, ErrorResponse, LoginBody,
  LoginResponse, MeResponse, OkResponse, RecoveryCompleteBody, RecoveryStartBody, RecoveryStartResponse,
} from './schema.ts';
import * as advisor from './service.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 429: ErrorResponse, 503: ErrorResponse };

export default async function advisorRoutes(app: AppInstance) {
  const secret = app.config.sessionSecret;
  const activationLimit = perAddress(app, 'advisor-activation', 30, 10 * 60_000);
  const loginLimits = [perAddress(app, 'advisor-login', 10, 60_000), perEmail(app, 'advisor-login-email', 100, 10 * 60_000)];
  const recoveryLimits = [perAddress(app, 'advisor-recovery', 10, 60_000), perEmail(app, 'advisor-recovery-email', 100, 10 * 60_000)];
  const passwordLimit = perAddress(app, 'advisor-password', 10, 60_000);

  const requireAccount = async (req: FastifyRequest) => {
    const s = await app.requireStaff(req);
    return { session: s, account: await advisor.requireActiveAccount(app.db, s.accountId) };
  };

  app.post('/api/advisor/activation/lookup', {
    schema: { body: ActivationLookupBody, response: { 200: ActivationLookupResponse, ...errors } },
    preHandler: activationLimit,
  }, async (req) => advisor.lookupInvite(app.db, req.body.token));

  app.post('/api/advisor/activation', {
    schema: { body: ActivationBody, response: { 201: ActivationResponse, ...errors } },
    preHandler: activationLimit,
  }, async (req, reply) => {
    const account = await advisor.activate(app.db, secret, req.body);
    app.setSessionCookie(reply, await createSession(app.db, { subject: 'staff', accountId: account.id }));
    return reply.code(201).send({ account: advisor.toAccountView(account) });
  });

  app.post('/api/advisor/session', {
    schema: { body: LoginBody, response: { 200: LoginResponse, ...errors } },
    preHandler: loginLimits,
  }, async (req, reply) => {
    const account = await advisor.login(app.db, secret, req.body);
    app.setSessionCookie(reply, await createSession(app.db, { subject: 'staff', accountId: account.id }));
    return advisor.me(app.db, account);
  });

  app.delete('/api/advisor/session', { schema: { response: { 200: OkResponse } } }, async (req, reply) => {
    const token = sessionToken(req);
    if (token) await deleteSession(app.db, token);
    app.clearSessionCookie(reply);
    return { ok: true as const };
  });

  app.delete('/api/advisor/sessions', { schema: { response: { 200: OkResponse, ...errors } } }, async (req, reply) => {
    const s = await app.requireStaff(req);
    await deleteSessionsOfAccount(app.db, s.accountId);
    app.clearSessionCookie(reply);
    return { ok: true as const };
  });

  app.get('/api/advisor/me', { schema: { response: { 200: MeResponse, ...errors } } }, async (req) => {
    const { account } = await requireAccount(req);
    return advisor.me(app.db, account);
  });

  app.post('/api/advisor/password', {
    schema: { body: ChangePasswordBody, response: { 200: OkResponse, ...errors } },
    preHandler: passwordLimit,
  }, async (req) => {
    const { session, account } = await requireAccount(req);
    await advisor.changePassword(app.db, account, session.tokenDigest, req.body);
    return { ok: true as const };
  });

  app.post('/api/advisor/recovery/start', {
    schema: { body: RecoveryStartBody, response: { 200: RecoveryStartResponse, ...errors } },
    preHandler: recoveryLimits,
  }, async (req) => ({ recoveryLockedPrivateKey: await advisor.startRecovery(app.db, req.body) }));

  app.post('/api/advisor/recovery/complete', {
    schema: { body: RecoveryCompleteBody, response: { 200: OkResponse, ...errors } },
    preHandler: recoveryLimits,
  }, async (req, reply) => {
    await advisor.completeRecovery(app.db, req.body);
    app.clearSessionCookie(reply);
    return { ok: true as const };
  });

  registerCaseRoutes(app, requireAccount);
}
