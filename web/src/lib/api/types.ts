// Shapes of the public API as the web app sees them. Hand-written for now; to be replaced by
// `import type` from the server's TypeBox schemas once those exist.

export interface Organisation {
  slug: string;
  name: string;
}

export type AdvisorRole = 'internal' | 'external';

/** What a melder may see of an advisor before reporting. */
export interface PublicAdvisor {
  id: string;
  name: string;
  role: AdvisorRole;
  /** Free text written by the advisor; empty when they wrote none. */
  introduction: string;
  available: boolean;
}

/** GET /api/organisations/:slug */
export interface OrganisationPage {
  organisation: Organisation;
  advisors: PublicAdvisor[];
}

/** Body of every 4xx/5xx answer from the API. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}
