// A minimal client router: the path lives in one `$state` field, and the route is derived from it.
// Flows inside a page (making a report, returning to one) switch views in component state and
// never touch the URL, so browser history holds no case-specific entry (I4).

import { matchAdminRoute, matchOrganisationRoute, type StaffRoute } from './staff/routes.ts';

export { isStaffRoute, type StaffRoute } from './staff/routes.ts';

export type AdvisorRoute =
  | { name: 'advisor_inbox' }
  | { name: 'advisor_login' }
  | { name: 'advisor_activate' }
  | { name: 'advisor_case'; id: string }
  | { name: 'advisor_account' }
  | { name: 'advisor_recover' };

export type Route =
  | { name: 'home' }
  | { name: 'organisation'; slug: string }
  | { name: 'neutral' }
  | AdvisorRoute
  | StaffRoute
  | { name: 'not_found' };

export function isAdvisorRoute(route: Route): route is AdvisorRoute {
  return route.name.startsWith('advisor_');
}

/** Where the melder's quick exit lands: a neutral page with nothing of Klankbord on it.
 *  Must stay out of reach of organisation slugs (see RESERVED_SLUGS on the server). */
export const NEUTRAL_PATH = '/weer';

/** First path segments that belong to the app or server, never to an organisation
 *  (mirrors RESERVED_SLUGS in server/modules/organisations/schema.ts). */
export const reservedSegments: ReadonlySet<string> = new Set([
  'api',
  'advisor',
  'admin',
  'setup',
  'assets',
  'static',
  'health',
  'login',
  'weer',
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The vertrouwenspersoon's pages under /advisor (the page itself is a lazily loaded chunk). */
function matchAdvisorRoute(rest: string[]): Route {
  const [first, second, ...more] = rest;
  if (more.length > 0) return { name: 'not_found' };
  if (first === undefined) return { name: 'advisor_inbox' };
  if (first === 'cases' && second !== undefined && UUID.test(second)) return { name: 'advisor_case', id: second };
  if (second !== undefined) return { name: 'not_found' };
  if (first === 'login') return { name: 'advisor_login' };
  if (first === 'activate') return { name: 'advisor_activate' };
  if (first === 'account') return { name: 'advisor_account' };
  if (first === 'recover') return { name: 'advisor_recover' };
  return { name: 'not_found' };
}

export function matchRoute(pathname: string): Route {
  const segments = pathname.split('/').filter((segment) => segment !== '');
  if (segments.length === 0) return { name: 'home' };
  if (pathname === NEUTRAL_PATH) return { name: 'neutral' };
  if (segments[0] === 'advisor' && segments[1] === 'organisations') return matchOrganisationRoute(segments.slice(2)) ?? { name: 'not_found' };
  if (segments[0] === 'advisor') return matchAdvisorRoute(segments.slice(1));
  if (segments[0] === 'admin') return matchAdminRoute(segments.slice(1)) ?? { name: 'not_found' };
  if (segments.length > 1) return { name: 'not_found' };
  let slug: string;
  try {
    slug = decodeURIComponent(segments[0] ?? '');
  } catch {
    return { name: 'not_found' };
  }
  // Reserved segments without pages of their own are simply not found.
  if (reservedSegments.has(slug.toLowerCase())) return { name: 'not_found' };
  return { name: 'organisation', slug };
}

export interface NavigateOptions {
  /** Replace the current history entry instead of adding one. */
  replace?: boolean;
}

export class Router {
  path = $state('/');
  route: Route = $derived(matchRoute(this.path));

  constructor() {
    if (typeof window === 'undefined') return;
    this.path = window.location.pathname;
    window.addEventListener('popstate', () => {
      this.path = window.location.pathname;
    });
    document.addEventListener('click', this.#onLinkClick);
  }

  navigate(path: string, { replace = false }: NavigateOptions = {}): void {
    const url = new URL(path, window.location.href);
    if (url.origin !== window.location.origin) {
      window.location.assign(url.href);
      return;
    }
    const target = url.pathname + url.search + url.hash;
    if (replace) history.replaceState(null, '', target);
    else history.pushState(null, '', target);
    this.path = url.pathname;
    window.scrollTo(0, 0);
  }

  // Same-origin <a href="/..."> links navigate in the app instead of reloading the page.
  #onLinkClick = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event.target instanceof Element ? event.target.closest('a') : null;
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
    event.preventDefault();
    this.navigate(url.pathname + url.search + url.hash);
  };
}

export const router = new Router();
