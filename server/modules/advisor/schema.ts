// TypeBox schemas of the advisor API. The web client imports these types (`import type`); every
// route declares its body and a response per status. Secrets never travel: the browser sends
// derived login keys (43-char base64url) and locked (encrypted) private keys only.
import { Type, type Static } from 'typebox';
import { ArmoredKey, ArmoredMessage, CaseState, Kind, LoginKey, OrgSlug, ThreadAttachment, Uuid } from '../melder/schema.ts';

export { ErrorResponse } from '../../lib/schema.ts';
export { OkResponse, CreateAttachmentBody, CreateAttachmentResponse, UploadResponse } from '../melder/schema.ts';

const Timestamp = Type.String({ description: 'ISO 8601' });
const NullableTimestamp = Type.Union([Type.String(), Type.Null()]);

export const InviteToken = Type.String({ pattern: '^[A-Za-z0-9_-]{20,100}$', description: 'the fragment of the activation link' });
export const Email = Type.String({ minLength: 3, maxLength: 254 });
export const TotpCode = Type.String({ pattern: '^\\d{6}$', description: '6 digits from the authenticator app' });
export const TotpSecret = Type.String({ pattern: '^[A-Za-z2-7]{32}$', description: '20 random bytes, base32 without padding, made in the browser' });
export const ArmoredPrivateKey = Type.String({ minLength: 100, maxLength: 20_000, description: 'armored OpenPGP private key, locked (encrypted)' });

export const OrganisationRef = Type.Object({ slug: Type.String(), name: Type.String() });
export const MembershipRole = Type.Union([Type.Literal('advisor'), Type.Literal('admin')]);
export const OrganisationMembership = Type.Object({ slug: Type.String(), name: Type.String(), role: MembershipRole });
export const AccountView = Type.Object({ id: Type.String(), name: Type.String(), email: Type.String(), publicKey: Type.String() });
export type AccountView = Static<typeof AccountView>;

// --- activation --------------------------------------------------------------------------

export const ActivationLookupBody = Type.Object({ token: InviteToken }, { additionalProperties: false });
export const ActivationLookupResponse = Type.Object({
  email: Type.String({ description: 'lower-case; part of the Argon2id salt and the HKDF context' }),
  name: Type.String(),
  organisations: Type.Array(OrganisationRef),
});

export const ActivationBody = Type.Object(
  {
    token: InviteToken,
    loginKey: LoginKey,
    publicKey: ArmoredKey,
    lockedPrivateKey: ArmoredPrivateKey,
    recoveryLoginKey: LoginKey,
    recoveryLockedPrivateKey: ArmoredPrivateKey,
    totpSecret: TotpSecret,
    totpCode: TotpCode,
  },
  { additionalProperties: false },
);
export type ActivationBody = Static<typeof ActivationBody>;
export const ActivationResponse = Type.Object({ account: AccountView });

// --- session, password, recovery -----------------------------------------------------------

export const LoginBody = Type.Object({ email: Email, loginKey: LoginKey, totpCode: TotpCode }, { additionalProperties: false });
export type LoginBody = Static<typeof LoginBody>;
export const MeResponse = Type.Object({
  lockedPrivateKey: Type.String({ description: 'unlock in the browser with the password-derived unlockKey' }),
  account: AccountView,
  organisations: Type.Array(OrganisationMembership),
});
export type MeResponse = Static<typeof MeResponse>;
export const LoginResponse = MeResponse;

export const ChangePasswordBody = Type.Object(
  { currentLoginKey: LoginKey, newLoginKey: LoginKey, newLockedPrivateKey: ArmoredPrivateKey },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const RecoveryStartBody = Type.Object({ email: Email, recoveryLoginKey: LoginKey }, { additionalProperties: false });
export const RecoveryStartResponse = Type.Object({ recoveryLockedPrivateKey: Type.String() });
export const RecoveryCompleteBody = Type.Object(
  { email: Email, recoveryLoginKey: LoginKey, newLoginKey: LoginKey, newLockedPrivateKey: ArmoredPrivateKey },
  { additionalProperties: false },
);
export type RecoveryCompleteBody = Static<typeof RecoveryCompleteBody>;

// --- inbox ---------------------------------------------------------------------------------

export const CaseStatus = Type.Union([
  Type.Literal('nieuw'), Type.Literal('in_behandeling'), Type.Literal('nazorg'), Type.Literal('afgesloten'), Type.Literal('overgedragen'),
]);
export const Urgency = Type.Union([Type.Literal('overdue'), Type.Literal('due_soon'), Type.Literal('ok'), Type.Literal('done')], {
  description: 'overdue: a due date passed without the reply/feedback; due_soon: first reply due within 2 days or feedback within 14 days; done: closed or handed over',
});
export type Urgency = Static<typeof Urgency>;

// The query string is not type-coerced (ajv coerceTypes is off), so numbers come as digit strings.
export const InboxQuery = Type.Object(
  {
    organisation: Type.Optional(OrgSlug),
    status: Type.Optional(CaseStatus),
    kind: Type.Optional(Kind),
    page: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,5}$', description: '1-based, default 1' })),
    pageSize: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]?|100)$', description: '1–100, default 25' })),
  },
  { additionalProperties: false },
);
export type InboxQuery = Static<typeof InboxQuery>;

export const InboxCase = Type.Object({
  id: Type.String(),
  reference: Type.String({ description: 'internal reference K-XXXXXXXX; never the melder\'s case code' }),
  organisation: OrganisationRef,
  kind: Kind,
  category: Type.String(),
  status: CaseStatus,
  unread: Type.Integer({ description: 'melder messages not yet marked read' }),
  firstReplyDueAt: Timestamp,
  firstReplyAt: NullableTimestamp,
  feedbackDueAt: NullableTimestamp,
  feedbackGivenAt: NullableTimestamp,
  lastActivityAt: Timestamp,
  urgency: Urgency,
});
export type InboxCase = Static<typeof InboxCase>;
export const InboxResponse = Type.Object({
  cases: Type.Array(InboxCase),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type InboxResponse = Static<typeof InboxResponse>;

// --- one case ------------------------------------------------------------------------------

export const HELP_KINDS = ['listening_ear', 'advice', 'referral', 'mediation', 'formal_complaint_support', 'misstand_investigation'] as const;
export const OUTCOMES = ['resolved', 'partly_resolved', 'not_resolved', 'referred', 'melder_stopped', 'unknown'] as const;
export const HelpKind = Type.Enum(HELP_KINDS);
export const Outcome = Type.Enum(OUTCOMES);

export const Registration = Type.Object(
  {
    behaviour: Type.Array(Type.String({ pattern: '^[a-z_]{1,48}$' }), {
      maxItems: 20, uniqueItems: true, description: 'keys from GET /api/advisor/registration-options for the case\'s kind',
    }),
    help: Type.Array(HelpKind, { maxItems: HELP_KINDS.length, uniqueItems: true }),
    referredTo: Type.Optional(Type.String({
      minLength: 1, maxLength: 200, description: 'only with help "referral"; stored in the clear, so no names of people',
    })),
    outcome: Outcome,
  },
  { additionalProperties: false },
);
export type Registration = Static<typeof Registration>;
export const RegistrationResponse = Type.Object({ registration: Registration });
export const RegistrationOptionsResponse = Type.Object({
  behaviour: Type.Object({ ongewenst_gedrag: Type.Array(Type.String()), misstand: Type.Array(Type.String()) }),
  help: Type.Array(HelpKind),
  outcome: Type.Array(Outcome),
});

export const AdvisorCaseState = Type.Object({
  ...CaseState.properties,
  status: CaseStatus,
  id: Type.String(),
  reference: Type.String({ description: 'internal reference K-XXXXXXXX; never the melder\'s case code' }),
  registration: Type.Union([Registration, Type.Null()]),
});
export type AdvisorCaseState = Static<typeof AdvisorCaseState>;

export const AdvisorMessage = Type.Object({
  id: Type.String(),
  senderRole: Type.Union([Type.Literal('melder'), Type.Literal('advisor')]),
  kind: Type.Union([Type.Literal('report'), Type.Literal('message'), Type.Literal('wishes'), Type.Literal('note')], {
    description: 'note: the advisor\'s private note, encrypted to the advisor alone',
  }),
  ciphertext: Type.String(),
  createdAt: Timestamp,
  readAt: NullableTimestamp,
});
export type AdvisorMessage = Static<typeof AdvisorMessage>;

export const CaseParams = Type.Object({ id: Uuid });
export const CaseAttachmentParams = Type.Object({ id: Uuid, attachmentId: Uuid });

export const AdvisorThreadResponse = Type.Object({
  case: AdvisorCaseState,
  messages: Type.Array(AdvisorMessage),
  attachments: Type.Array(ThreadAttachment),
});
export type AdvisorThreadResponse = Static<typeof AdvisorThreadResponse>;
export const AdvisorCaseResponse = Type.Object({ case: AdvisorCaseState });

export const PostAdvisorMessageBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('message'), Type.Literal('note')], {
      description: 'message: encrypted to exactly melder + me; note: to me alone',
    }),
    ciphertext: ArmoredMessage,
    isFeedback: Type.Optional(Type.Boolean({ description: 'misstand only: this reply is the feedback on follow-up (Wbk, 3 months)' })),
  },
  { additionalProperties: false },
);
export type PostAdvisorMessageBody = Static<typeof PostAdvisorMessageBody>;
export const PostAdvisorMessageResponse = Type.Object({ message: AdvisorMessage, case: AdvisorCaseState });

// nieuw→in_behandeling→nazorg→afgesloten; also in_behandeling→afgesloten and afgesloten→nazorg
// (a nazorg check-in after the advisor closed); any other change is 409 invalid_transition.
export const ChangeStatusBody = Type.Object({ status: CaseStatus }, { additionalProperties: false });
export type ChangeStatusBody = Static<typeof ChangeStatusBody>;
