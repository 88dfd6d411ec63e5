// Reads the session cookie and offers `requireMelder` / `requireStaff` to routes. The cookie is
// the only cookie the app sets (I4): HttpOnly, SameSite=Strict, path /api, Secure behind https.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../lib/errors.ts';
import { findSession, type ActiveSession } from '../modules/sessions/service.ts';

export const SESSION_COOKIE = 'kb_session';

declare module 'fastify' {
  interface FastifyInstance {
    setSessionCookie(reply: FastifyReply, token: string): void;
    clearSessionCookie(reply: FastifyReply): void;
    requireMelder(req: FastifyRequest): Promise<ActiveSession & { caseId: string }>;
    requireStaff(req: FastifyRequest): Promise<ActiveSession & { accountId: string }>;
  }
}

export function sessionToken(req: FastifyRequest): string | null {
  return req.cookies?.[SESSION_COOKIE] ?? null;
}

export default fp(async function sessionPlugin(app: FastifyInstance) {
  app.decorate('setSessionCookie', (reply: FastifyReply, token: string) => {
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/api',
      httpOnly: true,
      sameSite: 'strict',
      secure: app.config.secure,
    });
  });
  app.decorate('clearSessionCookie', (reply: FastifyReply) => {
    reply.clearCookie(SESSION_COOKIE, { path: '/api', httpOnly: true, sameSite: 'strict', secure: app.config.secure });
  });
  app.decorate('requireMelder', async (req: FastifyRequest) => {
    const token = sessionToken(req);
    const session = token ? await findSession(app.db, token) : null;
    if (!session || session.subject !== 'melder' || !session.caseId) throw new UnauthorizedError('session_expired', 'Your session has ended; log in again');
    return session as ActiveSession & { caseId: string };
  });
  app.decorate('requireStaff', async (req: FastifyRequest) => {
    const token = sessionToken(req);
    const session = token ? await findSession(app.db, token) : null;
    if (!session || session.subject !== 'staff' || !session.accountId) throw new UnauthorizedError('session_expired', 'Your session has ended; log in again');
    return session as ActiveSession & { accountId: string };
  });
});
