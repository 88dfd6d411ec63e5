// Organisations are the tenants. The public routes here serve the organisation page
// (`/<org-slug>`): name and advisors, nothing about cases. Must never reveal anything an
// anonymous visitor should not see (no emails, no counts, no inactive advisors).
import type { AppInstance } from '../../app.ts';
import { PublicOrganisationResponse, SlugParams } from './schema.ts';
import { getPublicOrganisation } from './service.ts';
import { ErrorResponse } from '../../lib/schema.ts';

export default async function organisationRoutes(app: AppInstance) {
  app.get(
    '/api/organisations/:slug',
    { schema: { params: SlugParams, response: { 200: PublicOrganisationResponse, 404: ErrorResponse } } },
    async (req) => getPublicOrganisation(app.db, req.params.slug),
  );
}
