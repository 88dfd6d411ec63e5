// The admin console API (/api/admin/organisations/:slug/…), one typed function per endpoint.
// Nothing here carries a case: the organisation's settings, its advisors with a count of their
// open cases, and its categories. Anyone who is not the organisation's admin gets 404.
import type { Static } from 'typebox';
import type {
  AddCategoryBody as AddCategoryBodySchema,
  AdminAdvisor as AdminAdvisorSchema,
  AdminCategory as AdminCategorySchema,
  AdminOrganisationResponse as AdminOrganisationSchema,
  AdvisorResponse as AdvisorResponseSchema,
  AdvisorsResponse as AdvisorsResponseSchema,
  Affiliation as AffiliationSchema,
  CategoriesResponse as CategoriesResponseSchema,
  InviteAdvisorBody as InviteAdvisorBodySchema,
  InviteAdvisorResponse as InviteAdvisorResponseSchema,
  ProfileBody as ProfileBodySchema,
  SettingsBody as SettingsBodySchema,
  TextsBody as TextsBodySchema,
  UpdateAdvisorBody as UpdateAdvisorBodySchema,
  UpdateCategoryBody as UpdateCategoryBodySchema,
} from '../../../../server/modules/admin/schema.ts';
import { request, type RequestOptions } from './client.ts';
import type { CaseKind } from './types.ts';

export type AdminOrganisation = Static<typeof AdminOrganisationSchema>;
export type AdminAdvisor = Static<typeof AdminAdvisorSchema>;
export type AdminCategory = Static<typeof AdminCategorySchema>;
export type AdminCategories = Static<typeof CategoriesResponseSchema>;
export type Affiliation = Static<typeof AffiliationSchema>;
export type ProfileBody = Static<typeof ProfileBodySchema>;
export type SettingsBody = Static<typeof SettingsBodySchema>;
export type TextsBody = Static<typeof TextsBodySchema>;
export type AddCategoryBody = Static<typeof AddCategoryBodySchema>;
export type UpdateCategoryBody = Static<typeof UpdateCategoryBodySchema>;
export type InviteAdvisorBody = Static<typeof InviteAdvisorBodySchema>;
export type InviteAdvisorResult = Static<typeof InviteAdvisorResponseSchema>;
export type UpdateAdvisorBody = Static<typeof UpdateAdvisorBodySchema>;
type AdvisorsResponse = Static<typeof AdvisorsResponseSchema>;
type AdvisorResponse = Static<typeof AdvisorResponseSchema>;

const base = (slug: string) => `/api/admin/organisations/${encodeURIComponent(slug)}`;

/** GET …/:slug — profile, settings, public texts (Markdown and the server's rendered HTML), authorities. */
export function getAdminOrganisation(slug: string, options?: RequestOptions): Promise<AdminOrganisation> {
  return request('GET', base(slug), undefined, options);
}

/** PATCH …/profile — name, logo (PNG/JPEG data URL ≤ 200 KB, null removes), accent colour; 400 invalid_logo. */
export function updateProfile(slug: string, body: ProfileBody): Promise<AdminOrganisation> {
  return request('PATCH', `${base(slug)}/profile`, body);
}

/** PATCH …/settings — first-reply days (1–90), retention days (30–3650), report threshold (≥ 3). */
export function updateSettings(slug: string, body: SettingsBody): Promise<AdminOrganisation> {
  return request('PATCH', `${base(slug)}/settings`, body);
}

/** PUT …/texts — the public introduction and procedure in Markdown, both languages at once. */
export function updateTexts(slug: string, body: TextsBody): Promise<AdminOrganisation> {
  return request('PUT', `${base(slug)}/texts`, body);
}

/** PUT …/authorities — the keys of the external authorities to show; the others are switched off. */
export function updateAuthorities(slug: string, enabled: string[]): Promise<AdminOrganisation> {
  return request('PUT', `${base(slug)}/authorities`, { enabled });
}

/** GET …/categories — both kinds, hidden ones included. */
export function getCategories(slug: string, options?: RequestOptions): Promise<AdminCategories> {
  return request('GET', `${base(slug)}/categories`, undefined, options);
}

/** POST …/categories/:kind — 409 category_exists, 400 reserved_category. */
export function addCategory(slug: string, kind: CaseKind, body: AddCategoryBody): Promise<AdminCategories> {
  return request('POST', `${base(slug)}/categories/${kind}`, body);
}

/** PATCH …/categories/:kind/:key — rename (nl and en) or hide. */
export function updateCategory(slug: string, kind: CaseKind, key: string, body: UpdateCategoryBody): Promise<AdminCategories> {
  return request('PATCH', `${base(slug)}/categories/${kind}/${encodeURIComponent(key)}`, body);
}

/** GET …/advisors — each with status and the number of open cases, nothing else about them. */
export async function getAdvisors(slug: string, options?: RequestOptions): Promise<AdminAdvisor[]> {
  return (await request<AdvisorsResponse>('GET', `${base(slug)}/advisors`, undefined, options)).advisors;
}

/** POST …/advisors — invites; the answer holds the one-time activation link to forward (null if already active). */
export function inviteAdvisor(slug: string, body: InviteAdvisorBody): Promise<InviteAdvisorResult> {
  return request('POST', `${base(slug)}/advisors`, body);
}

/** PATCH …/advisors/:accountId — affiliation, public introduction, availability. */
export async function updateAdvisor(slug: string, accountId: string, body: UpdateAdvisorBody): Promise<AdminAdvisor> {
  return (await request<AdvisorResponse>('PATCH', `${base(slug)}/advisors/${encodeURIComponent(accountId)}`, body)).advisor;
}

/** POST …/advisors/:accountId/deactivate — 409 advisor_has_open_cases while they still have open cases. */
export async function deactivateAdvisor(slug: string, accountId: string): Promise<AdminAdvisor> {
  return (await request<AdvisorResponse>('POST', `${base(slug)}/advisors/${encodeURIComponent(accountId)}/deactivate`)).advisor;
}
