// TypeBox schemas of the admin console API (/api/admin/organisations/:slug/…). The web client
// imports these types (`import type`). Nothing here carries a case id, a reference, ciphertext
// or per-case metadata: an admin sees the organisation's settings and aggregate counts only.
import { Type, type Static } from 'typebox';
import { AccentColour, LocalisedText } from '../organisations/schema.ts';
import { Kind } from '../melder/schema.ts';

export { ErrorResponse } from '../../lib/schema.ts';

export const AdminSlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 48 }) });
const Uuid = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
export const AdvisorParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 48 }), accountId: Uuid });
export const CategoryKey = Type.String({ pattern: '^[a-z_]{1,48}$', description: 'lower-case letters and _; 1–48' });
export const CategoryParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 48 }), kind: Kind, key: CategoryKey });
export const KindParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 48 }), kind: Kind });

export const LOGO_MAX_BYTES = 200 * 1024;
export const LogoDataUrl = Type.String({
  maxLength: 300_000,
  pattern: '^data:image/(png|jpeg);base64,[A-Za-z0-9+/]+={0,2}$',
  description: 'PNG or JPEG as a data: URL, at most 200 KB decoded; SVG is refused (it can carry scripts)',
});
const Markdown = Type.String({ maxLength: 20_000, description: 'Markdown; raw HTML is shown as text, links only to http(s) and mailto' });
const Label = Type.Object(
  { nl: Type.String({ minLength: 1, maxLength: 100 }), en: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

// --- the whole console in one read ----------------------------------------------------------

export const AdminTexts = Type.Object({
  introduction: Type.String({ description: 'Markdown source' }),
  procedure: Type.String({ description: 'Markdown source: the published reporting procedure' }),
  introductionHtml: Type.String({ description: 'preview: exactly what the public page shows' }),
  procedureHtml: Type.String(),
});

export const AdminAuthority = Type.Object({ key: Type.String(), name: Type.String(), url: Type.String(), enabled: Type.Boolean() });

export const AdminOrganisationResponse = Type.Object({
  organisation: Type.Object({ slug: Type.String(), name: Type.String() }),
  profile: Type.Object({
    logoDataUrl: Type.Union([Type.String(), Type.Null()]),
    accentColour: Type.Union([Type.String(), Type.Null()]),
  }),
  firstReplyDays: Type.Integer({ description: 'service level for a first reply on ongewenst gedrag; misstand is 7 days by law' }),
  retentionDays: Type.Integer({ description: 'contents of a closed case are deleted this many days after closing' }),
  reportThreshold: Type.Integer({ description: 'annual report: counts below this show as "<N"; at least 3' }),
  texts: Type.Object({ nl: AdminTexts, en: AdminTexts }),
  authorities: Type.Array(AdminAuthority),
});
export type AdminOrganisationResponse = Static<typeof AdminOrganisationResponse>;

// --- changes -------------------------------------------------------------------------------

export const ProfileBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    logoDataUrl: Type.Optional(Type.Union([LogoDataUrl, Type.Null()], { description: 'null removes the logo' })),
    accentColour: Type.Optional(Type.Union([AccentColour, Type.Null()], { description: 'null: the app\'s own colour' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ProfileBody = Static<typeof ProfileBody>;

export const SettingsBody = Type.Object(
  {
    firstReplyDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
    retentionDays: Type.Optional(Type.Integer({ minimum: 30, maximum: 3650 })),
    reportThreshold: Type.Optional(Type.Integer({ minimum: 3, maximum: 99 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type SettingsBody = Static<typeof SettingsBody>;

const TextsOfLanguage = Type.Object({ introduction: Markdown, procedure: Markdown }, { additionalProperties: false });
export const TextsBody = Type.Object({ nl: TextsOfLanguage, en: TextsOfLanguage }, { additionalProperties: false });
export type TextsBody = Static<typeof TextsBody>;

export const AuthoritiesBody = Type.Object(
  { enabled: Type.Array(Type.String({ pattern: '^[a-z_]{1,48}$' }), { maxItems: 20, uniqueItems: true, description: 'keys of the authorities to show; the others are switched off' }) },
  { additionalProperties: false },
);

// --- categories ------------------------------------------------------------------------------

export const AdminCategory = Type.Object({
  key: Type.String(),
  label: LocalisedText,
  hidden: Type.Boolean(),
  custom: Type.Boolean({ description: 'added by the organisation (false: one of the defaults)' }),
});
export const CategoriesResponse = Type.Object({
  ongewenst_gedrag: Type.Array(AdminCategory),
  misstand: Type.Array(AdminCategory),
});
export const AddCategoryBody = Type.Object(
  { key: CategoryKey, label: Label, hidden: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export const UpdateCategoryBody = Type.Object(
  { label: Type.Optional(Label), hidden: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);

// --- advisors ------------------------------------------------------------------------------

export const Affiliation = Type.Union([Type.Literal('internal'), Type.Literal('external')]);

export const AdminAdvisor = Type.Object({
  accountId: Type.String(),
  name: Type.String(),
  email: Type.String(),
  affiliation: Affiliation,
  introduction: Type.String(),
  available: Type.Boolean(),
  active: Type.Boolean({ description: 'false: deactivated for this organisation' }),
  status: Type.Union([Type.Literal('invited'), Type.Literal('active'), Type.Literal('deactivated')], {
    description: 'the account: invited (not yet activated), active, or deactivated everywhere',
  }),
  openCases: Type.Integer({ description: 'how many of this organisation\'s cases assigned to them are not closed; nothing else about them' }),
});
export const AdvisorsResponse = Type.Object({ advisors: Type.Array(AdminAdvisor) });

export const InviteAdvisorBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    affiliation: Type.Optional(Affiliation),
  },
  { additionalProperties: false },
);
export const InviteAdvisorResponse = Type.Object({
  advisor: AdminAdvisor,
  activationLink: Type.Union([Type.String(), Type.Null()], {
    description: 'one-time link for the admin to forward; null when the account was active already (it now also serves this organisation)',
  }),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
});

export const UpdateAdvisorBody = Type.Object(
  {
    affiliation: Type.Optional(Affiliation),
    introduction: Type.Optional(Type.String({ maxLength: 2000, description: 'plain text shown on the public page' })),
    available: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const AdvisorResponse = Type.Object({ advisor: AdminAdvisor });
