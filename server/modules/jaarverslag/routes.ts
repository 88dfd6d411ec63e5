// The annual report (jaarverslag) API for advisors: the anonymised report of an organisation for
// a year as JSON (with chart data for the browser), CSV and PDF, and the advisor's
// recommendations to management. Only advisors of the organisation reach it (else 404
// organisation_not_found). It must never show a count below the threshold, nor one that can be
// recomputed from the others, and never anything that points to a case or a person. Downloads
// and changes to the recommendations are audited.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppInstance } from '../../app.ts';
import { audit } from '../audit/service.ts';
import { requireOrganisationRole } from '../organisations/access.ts';
import { jaarverslagCsv } from './csv.ts';
import { jaarverslagPdf } from './pdf.ts';
import {
  ErrorResponse, JaarverslagParams, JaarverslagQuery, JaarverslagResponse, RecommendationsBody, RecommendationsParams, RecommendationsResponse,
} from './schema.ts';
import { buildJaarverslag, currentYear, setRecommendations } from './service.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 503: ErrorResponse };
const BASE = '/api/advisor/organisations/:slug/jaarverslag';

export default async function jaarverslagRoutes(app: AppInstance) {
  const asAdvisor = async (req: FastifyRequest, slug: string) => {
    const { accountId } = await app.requireStaff(req);
    return { accountId, org: await requireOrganisationRole(app.db, accountId, slug, 'advisor') };
  };
  const build = async (req: FastifyRequest, slug: string, q: JaarverslagQuery) => {
    const { accountId, org } = await asAdvisor(req, slug);
    const report = await buildJaarverslag(app.db, org, { year: q.year ? Number(q.year) : currentYear(), threshold: q.threshold ? Number(q.threshold) : undefined });
    return { accountId, org, report };
  };
  const exported = (accountId: string, organisationId: string, format: 'csv' | 'pdf', year: number, threshold: number) =>
    audit(app.db, { actorType: 'staff', actorId: accountId, organisationId, action: 'report.exported', detail: { format, year, threshold } });

  app.get(BASE, { schema: { params: JaarverslagParams, querystring: JaarverslagQuery, response: { 200: JaarverslagResponse, ...errors } } }, async (req) => {
    return (await build(req, req.params.slug, req.query)).report;
  });

  app.get(`${BASE}.csv`, {
    schema: { params: JaarverslagParams, querystring: JaarverslagQuery, response: { 200: Type.String({ description: 'text/csv attachment' }), ...errors } },
  }, async (req, reply) => {
    const { accountId, org, report } = await build(req, req.params.slug, req.query);
    await exported(accountId, org.id, 'csv', report.year, report.threshold);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="jaarverslag-${org.slug}-${report.year}.csv"`)
      .send(jaarverslagCsv(report, req.query.lang ?? 'nl'));
  });

  app.get(`${BASE}.pdf`, { schema: { params: JaarverslagParams, querystring: JaarverslagQuery, response: { ...errors } } }, async (req, reply) => {
    const { accountId, org, report } = await build(req, req.params.slug, req.query);
    const pdf = await jaarverslagPdf(report, req.query.lang ?? 'nl');
    await exported(accountId, org.id, 'pdf', report.year, report.threshold);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="jaarverslag-${org.slug}-${report.year}.pdf"`)
      .send(pdf as never);
  });

  app.put(`${BASE}/:year/recommendations`, {
    schema: { params: RecommendationsParams, body: RecommendationsBody, response: { 200: RecommendationsResponse, ...errors } },
  }, async (req) => {
    const { accountId, org } = await asAdvisor(req, req.params.slug);
    const year = Number(req.params.year);
    await setRecommendations(app.db, org.id, year, req.body.text);
    await audit(app.db, { actorType: 'staff', actorId: accountId, organisationId: org.id, action: 'report.recommendations_changed', detail: { year } });
    return { year, text: req.body.text };
  });
}
