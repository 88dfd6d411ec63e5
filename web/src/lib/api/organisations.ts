import { request, type RequestOptions } from './client.ts';
import type { OrganisationPage } from './types.ts';

/** The public page data of one organisation; throws ApiError `organisation_not_found` (404). */
export function getOrganisation(slug: string, options?: RequestOptions): Promise<OrganisationPage> {
  return request<OrganisationPage>(
    'GET',
    `/api/organisations/${encodeURIComponent(slug)}`,
    undefined,
    options,
  );
}
