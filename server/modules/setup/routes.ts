// First run: the setup wizard's API. While no organisation exists, the holder of the setup token
// (printed by the server at start-up, and by `npm run cli -- setup:token`) creates the first
// organisation and its admin account, and is logged in. It must never work twice: once an
// organisation exists every attempt is 409 setup_done, and a wrong token is 403, rate-limited,
// so an installation reachable from the internet cannot be claimed by a stranger.
import type { AppInstance } from '../../app.ts';
import { perAddress } from '../../lib/rate-limits.ts';
import { me } from '../advisor/service.ts';
import { createSession } from '../sessions/service.ts';
import { ErrorResponse, MeResponse, SetupBody, SetupStatusResponse } from './schema.ts';
import { completeSetup, ensureSetupToken } from './service.ts';

export default async function setupRoutes(app: AppInstance) {
  app.get('/api/setup', { schema: { response: { 200: SetupStatusResponse } } }, async () => {
    // Making the token here too means it exists whenever setup is needed (the CLI can print it).
    return { needed: (await ensureSetupToken(app.db)) !== null };
  });

  app.post('/api/setup', {
    schema: { body: SetupBody, response: { 201: MeResponse, 400: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse, 429: ErrorResponse, 503: ErrorResponse } },
    preHandler: perAddress(app, 'setup', 10, 15 * 60_000),
  }, async (req, reply) => {
    const account = await completeSetup(app.db, app.config.sessionSecret, req.body);
    app.setSessionCookie(reply, await createSession(app.db, { subject: 'staff', accountId: account.id }));
    return reply.code(201).send(await me(app.db, account));
  });
}
