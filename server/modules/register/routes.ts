// The meldingenregister API for advisors: the employer's record of every misstand report (Wbk),
// as JSON and as a CSV download. Only advisors of the organisation (active membership with role
// 'advisor', active account) reach it; anyone else gets 404 organisation_not_found. It must
// never carry content, a category or the melder's case code. Every view and download is audited.
import { Type } from 'typebox';
import type { AppInstance } from '../../app.ts';
import { audit } from '../audit/service.ts';
import { requireOrganisationRole } from '../organisations/access.ts';
import { ErrorResponse, RegisterParams, RegisterQuery, RegisterResponse } from './schema.ts';
import { register, registerCsv } from './service.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 503: ErrorResponse };

export default async function registerRoutes(app: AppInstance) {
  app.get('/api/advisor/organisations/:slug/register', {
    schema: { params: RegisterParams, querystring: RegisterQuery, response: { 200: RegisterResponse, ...errors } },
  }, async (req) => {
    const { accountId } = await app.requireStaff(req);
    const org = await requireOrganisationRole(app.db, accountId, req.params.slug, 'advisor');
    const result = await register(app.db, org);
    await audit(app.db, { actorType: 'staff', actorId: accountId, organisationId: org.id, action: 'register.exported', detail: { format: 'json', entries: result.entries.length } });
    return result;
  });

  app.get('/api/advisor/organisations/:slug/register.csv', {
    schema: { params: RegisterParams, querystring: RegisterQuery, response: { 200: Type.String({ description: 'text/csv attachment' }), ...errors } },
  }, async (req, reply) => {
    const { accountId } = await app.requireStaff(req);
    const org = await requireOrganisationRole(app.db, accountId, req.params.slug, 'advisor');
    const { entries } = await register(app.db, org);
    await audit(app.db, { actorType: 'staff', actorId: accountId, organisationId: org.id, action: 'register.exported', detail: { format: 'csv', entries: entries.length } });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="meldingenregister-${org.slug}.csv"`)
      .send(registerCsv(entries, req.query.lang ?? 'nl'));
  });
}
