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

export const LocalisedText = Type.Object({ nl: Type.String(), en: Type.String() });

export const AccentColour = Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: '#rrggbb' });

export const PublicProfile = Type.Object({
  logoDataUrl: Type.Union([Type.String({ description: 'data:image/png;base64,… or data:image/jpeg;base64,… (≤ 200 KB); use as <img src>' }), Type.Null()]),
  accentColour: Type.Union([AccentColour, Type.Null()], { description: 'null: the app\'s own colour' }),
});

export const PublicTextsHtml = Type.Object({
  introductionHtml: Type.String({ description: 'sanitised HTML rendered on the server from the admin\'s Markdown; insert as is; empty when not written' }),
  procedureHtml: Type.String({ description: 'the published reporting procedure, sanitised HTML as above' }),
});

export const PublicAuthority = Type.Object({ key: Type.String(), name: Type.String(), url: Type.String() });

export const CategoryLabel = Type.Object({
  key: Type.String(),
  label: LocalisedText,
  hidden: Type.Boolean({ description: 'always false here: hidden categories are left out' }),
});

export const PublicOrganisationResponse = Type.Object({
  organisation: Type.Object({ slug: Type.String(), name: Type.String() }),
  advisors: Type.Array(PublicAdvisor),
  /** Category keys per kind of report the melder may choose; `undisclosed` is always allowed too. */
  categories: Type.Object({ ongewenst_gedrag: Type.Array(Type.String()), misstand: Type.Array(Type.String()) }),
  /** The same categories with the organisation's labels (renamed or added by its admin), in order. */
  categoryLabels: Type.Object({ ongewenst_gedrag: Type.Array(CategoryLabel), misstand: Type.Array(CategoryLabel) }),
  profile: PublicProfile,
  texts: Type.Object({ nl: PublicTextsHtml, en: PublicTextsHtml }),
  /** External reporting authorities the organisation shows (Wbk), in the law's order. */
  authorities: Type.Array(PublicAuthority),
});

export type PublicOrganisation = Static<typeof PublicOrganisationResponse>;
export type PublicAdvisor = Static<typeof PublicAdvisor>;

/** First path segments that belong to the app itself, never to an organisation. */
export const RESERVED_SLUGS = ['api', 'advisor', 'admin', 'setup', 'assets', 'static', 'health', 'login', 'weer'];
