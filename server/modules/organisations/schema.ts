import { Type, type Static } from 'typebox';

export const Slug = Type.String({ pattern: '^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$', minLength: 1, maxLength: 48 });

export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 48 }) });

export const PublicAdvisor = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('internal'), Type.Literal('external')]),
  introduction: Type.String(),
  available: Type.Boolean(),
  /** The advisor's OpenPGP public key: the melder's browser encrypts the report to it. */
  publicKey: Type.String(),
});

export const PublicOrganisationResponse = Type.Object({
  organisation: Type.Object({ slug: Type.String(), name: Type.String() }),
  advisors: Type.Array(PublicAdvisor),
  /** Category keys per kind of report; the UI translates them. `undisclosed` is always allowed too. */
  categories: Type.Object({ ongewenst_gedrag: Type.Array(Type.String()), misstand: Type.Array(Type.String()) }),
});

export type PublicOrganisation = Static<typeof PublicOrganisationResponse>;
export type PublicAdvisor = Static<typeof PublicAdvisor>;

/** First path segments that belong to the app itself, never to an organisation. */
export const RESERVED_SLUGS = ['api', 'advisor', 'admin', 'setup', 'assets', 'static', 'health', 'login'];
