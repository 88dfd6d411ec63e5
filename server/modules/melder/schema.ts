import { Type, type Static } from 'typebox';

export const CaseCode = Type.String({ pattern: '^\\d{4}-?\\d{4}-?\\d{4}-?\\d{4}$', maxLength: 19 });
export const LoginKey = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });
export const OrgSlug = Type.String({ pattern: '^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$', maxLength: 48 });
export const ArmoredKey = Type.String({ minLength: 100, maxLength: 20_000 });
export const ArmoredMessage = Type.String({ minLength: 50, maxLength: 1_000_000 });
export const Kind = Type.Union([Type.Literal('ongewenst_gedrag'), Type.Literal('misstand')]);
export const Uuid = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
const Timestamp = Type.String();
const NullableTimestamp = Type.Union([Type.String(), Type.Null()]);

export const IssueCredentialsParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 48 }) });
export const IssuedCredentials = Type.Object({
  caseCode: Type.String({ description: '16 digits shown as 4-4-4-4' }),
  passphrase: Type.String({ description: 'shown once; never stored or logged' }),
  expiresAt: Timestamp,
});

export const CreateCaseBody = Type.Object(
  {
    organisationSlug: OrgSlug,
    caseCode: CaseCode,
    loginKey: LoginKey,
    melderPublicKey: ArmoredKey,
    melderLockedPrivateKey: ArmoredKey,
    kind: Kind,
    category: Type.String({ pattern: '^[a-z_]{1,48}$' }),
    advisorId: Uuid,
    report: ArmoredMessage,
  },
  { additionalProperties: false },
);
export type CreateCaseBody = Static<typeof CreateCaseBody>;

export const CaseState = Type.Object({
  status: Type.String(),
  kind: Kind,
  category: Type.String(),
  organisation: Type.Object({ slug: Type.String(), name: Type.String() }),
  advisor: Type.Object({ id: Type.String(), name: Type.String(), publicKey: Type.String() }),
  melderPublicKey: Type.String(),
  createdAt: Timestamp,
  acknowledgedAt: Timestamp,
  firstReplyDueAt: Timestamp,
  firstReplyAt: NullableTimestamp,
  feedbackDueAt: NullableTimestamp,
  feedbackGivenAt: NullableTimestamp,
  closedAt: NullableTimestamp,
  closedBy: Type.Union([Type.Literal('melder'), Type.Literal('advisor'), Type.Null()]),
});
export type CaseState = Static<typeof CaseState>;

export const CaseResponse = Type.Object({ case: CaseState });

export const LoginBody = Type.Object(
  { organisationSlug: OrgSlug, caseCode: CaseCode, loginKey: LoginKey },
  { additionalProperties: false },
);
export const LoginResponse = Type.Object({ lockedPrivateKey: Type.String(), case: CaseState });

export const ThreadMessage = Type.Object({
  id: Type.String(),
  senderRole: Type.Union([Type.Literal('melder'), Type.Literal('advisor')]),
  kind: Type.Union([Type.Literal('report'), Type.Literal('message'), Type.Literal('wishes')]),
  ciphertext: Type.String(),
  createdAt: Timestamp,
  readAt: NullableTimestamp,
});
export const ThreadAttachment = Type.Object({
  id: Type.String(),
  uploaderRole: Type.Union([Type.Literal('melder'), Type.Literal('advisor')]),
  encryptedManifest: Type.String(),
  size: Type.Number(),
  createdAt: Timestamp,
});
export const ThreadResponse = Type.Object({
  case: CaseState,
  messages: Type.Array(ThreadMessage),
  attachments: Type.Array(ThreadAttachment),
});
export type ThreadResponse = Static<typeof ThreadResponse>;

export const PostMessageBody = Type.Object(
  { kind: Type.Union([Type.Literal('message'), Type.Literal('wishes')]), ciphertext: ArmoredMessage },
  { additionalProperties: false },
);
export const PostMessageResponse = Type.Object({ message: ThreadMessage });

export const CreateAttachmentBody = Type.Object({ encryptedManifest: Type.String({ minLength: 50, maxLength: 20_000 }) }, { additionalProperties: false });
export const CreateAttachmentResponse = Type.Object({ id: Type.String(), maxBytes: Type.Number() });
export const AttachmentParams = Type.Object({ id: Uuid });
export const UploadResponse = Type.Object({ id: Type.String(), size: Type.Number() });
export const OkResponse = Type.Object({ ok: Type.Literal(true) });
