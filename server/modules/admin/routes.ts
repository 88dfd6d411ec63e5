// The admin console API: an organisation's admin (membership role 'admin') configures its
// profile, settings, public texts, external authorities, categories and advisors. It must never
// give an admin a case: no ciphertext, no case id or reference, no per-case metadata — only the
// number of open cases per advisor. Anyone who is not an admin of that organisation gets 404
// organisation_not_found, exactly as for an organisation that does not exist.
import type { FastifyRequest } from 'fastify';
import type { AppInstance } from '../../app.ts';
import { requireOrganisationRole } from '../organisations/access.ts';
import {
  AddCategoryBody, AdminOrganisationResponse, AdminSlugParams, AdvisorParams, AdvisorResponse, AdvisorsResponse, AuthoritiesBody,
  CategoriesResponse, CategoryParams, ErrorResponse, InviteAdvisorBody, InviteAdvisorResponse, KindParams, ProfileBody, SettingsBody,
  TextsBody, UpdateAdvisorBody, UpdateCategoryBody,
} from './schema.ts';
import * as admin from './service.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 413: ErrorResponse, 503: ErrorResponse };
const BASE = '/api/admin/organisations/:slug';

export default async function adminRoutes(app: AppInstance) {
  const asAdmin = async (req: FastifyRequest, slug: string) => {
    const { accountId } = await app.requireStaff(req);
    const org = await requireOrganisationRole(app.db, accountId, slug, 'admin');
    return { who: { accountId }, org };
  };

  app.get(BASE, { schema: { params: AdminSlugParams, response: { 200: AdminOrganisationResponse, ...errors } } }, async (req) => {
    const { org } = await asAdmin(req, req.params.slug);
    return admin.overview(app.db, org.id);
  });

  app.patch(`${BASE}/profile`, { schema: { params: AdminSlugParams, body: ProfileBody, response: { 200: AdminOrganisationResponse, ...errors } } }, async (req) => {
    const { who, org } = await asAdmin(req, req.params.slug);
    await admin.updateProfile(app.db, who, org, req.body);
    return admin.overview(app.db, org.id);
  });

  app.patch(`${BASE}/settings`, { schema: { params: AdminSlugParams, body: SettingsBody, response: { 200: AdminOrganisationResponse, ...errors } } }, async (req) => {
    const { who, org } = await asAdmin(req, req.params.slug);
    await admin.updateOrganisationSettings(app.db, who, org, req.body);
    return admin.overview(app.db, org.id);
  });

  app.put(`${BASE}/texts`, { schema: { params: AdminSlugParams, body: TextsBody, response: { 200: AdminOrganisationResponse, ...errors } } }, async (req) => {
    const { who, org } = await asAdmin(req, req.params.slug);
    await admin.updateTexts(app.db, who, org, req.body);
    return admin.overview(app.db, org.id);
  });

  app.put(`${BASE}/authorities`, { schema: { params: AdminSlugParams, body: AuthoritiesBody, response: { 200: AdminOrganisationResponse, ...errors } } }, async (req) => {
    const { who, org } = await asAdmin(req, req.params.slug);
    await admin.updateAuthorities(app.db, who, org, req.body.enabled);
    return admin.overview(app.db, org.id);
  });

  app.get(`${BASE}/categories`, { schema: { params: AdminSlugParams, response: { 200: CategoriesResponse, ...errors } } }, async (req) => {
    const { org } = await asAdmin(req, req.params.slug);
    return admin.listCategories(app.db, org);
  });

  app.post(`${BASE}/categories/:kind`, { schema: { params: KindParams, body: AddCategoryBody, response: { 201: CategoriesResponse, ...errors } } }, async (req, reply) => {
    const { who, org } = await asAdmin(req, req.params.slug);
    await admin.addCategory(app.db, who, org, req.params.kind, req.body);
    return reply.code(201).send(await admin.listCategories(app.db, org));
  });

  app.patch(`${BASE}/categories/:kind/:key`, { schema: { params: CategoryParams, body: UpdateCategoryBody, response: { 200: CategoriesResponse, ...errors } } }, async (req) => {
    const { who, org } = await asAdmin(req, req.params.slug);
    await admin.updateCategory(app.db, who, org, req.params.kind, req.params.key, req.body);
    return admin.listCategories(app.db, org);
  });

  app.get(`${BASE}/advisors`, { schema: { params: AdminSlugParams, response: { 200: AdvisorsResponse, ...errors } } }, async (req) => {
    const { org } = await asAdmin(req, req.params.slug);
    return { advisors: await admin.listAdvisors(app.db, org) };
  });

  app.post(`${BASE}/advisors`, { schema: { params: AdminSlugParams, body: InviteAdvisorBody, response: { 201: InviteAdvisorResponse, ...errors } } }, async (req, reply) => {
    const { who, org } = await asAdmin(req, req.params.slug);
    return reply.code(201).send(await admin.inviteAdvisor(app.db, app.config.publicUrl, who, org, req.body));
  });

  app.patch(`${BASE}/advisors/:accountId`, { schema: { params: AdvisorParams, body: UpdateAdvisorBody, response: { 200: AdvisorResponse, ...errors } } }, async (req) => {
    const { who, org } = await asAdmin(req, req.params.slug);
    return { advisor: await admin.updateAdvisor(app.db, who, org, req.params.accountId, req.body) };
  });

  app.post(`${BASE}/advisors/:accountId/deactivate`, { schema: { params: AdvisorParams, response: { 200: AdvisorResponse, ...errors } } }, async (req) => {
    const { who, org } = await asAdmin(req, req.params.slug);
    return { advisor: await admin.deactivateAdvisor(app.db, who, org, req.params.accountId) };
  });
}
