// The staff pages that are not the advisor's case work: the organisation admin's console under
// /admin, and each organisation's meldingenregister and jaarverslag under
// /advisor/organisations/:slug/… . They are a lazily loaded chunk of their own (StaffPages).

export const ADMIN_SECTIONS = ['profile', 'advisors', 'categories', 'settings', 'texts', 'authorities'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

export type StaffRoute =
  | { name: 'staff_organisations' }
  | { name: 'admin_home' }
  | { name: 'admin_console'; slug: string; section: AdminSection }
  | { name: 'staff_register'; slug: string }
  | { name: 'staff_jaarverslag'; slug: string };

const STAFF_ROUTE_NAMES: ReadonlySet<string> = new Set(['staff_organisations', 'admin_home', 'admin_console', 'staff_register', 'staff_jaarverslag']);

export function isStaffRoute(route: { name: string }): route is StaffRoute {
  return STAFF_ROUTE_NAMES.has(route.name);
}

/** An organisation's slug as the server accepts it (organisations/service.ts SLUG_RE). */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

function isSection(value: string): value is AdminSection {
  return (ADMIN_SECTIONS as readonly string[]).includes(value);
}

/** /admin, /admin/:slug, /admin/:slug/:section — the segments after "admin". */
export function matchAdminRoute(rest: string[]): StaffRoute | null {
  const [slug, section, ...more] = rest;
  if (more.length > 0) return null;
  if (slug === undefined) return { name: 'admin_home' };
  if (!SLUG_PATTERN.test(slug)) return null;
  if (section === undefined) return { name: 'admin_console', slug, section: 'profile' };
  return isSection(section) ? { name: 'admin_console', slug, section } : null;
}

/** /advisor/organisations, /advisor/organisations/:slug/(register|jaarverslag) — the segments after "organisations". */
export function matchOrganisationRoute(rest: string[]): StaffRoute | null {
  const [slug, page, ...more] = rest;
  if (more.length > 0) return null;
  if (slug === undefined) return { name: 'staff_organisations' };
  if (!SLUG_PATTERN.test(slug)) return null;
  if (page === 'register') return { name: 'staff_register', slug };
  if (page === 'jaarverslag') return { name: 'staff_jaarverslag', slug };
  return null;
}

export const adminPath = (slug: string, section: AdminSection = 'profile') =>
  section === 'profile' ? `/admin/${slug}` : `/admin/${slug}/${section}`;
export const registerPath = (slug: string) => `/advisor/organisations/${slug}/register`;
export const jaarverslagPath = (slug: string, year?: number) =>
  `/advisor/organisations/${slug}/jaarverslag${year === undefined ? '' : `?year=${year}`}`;
