// Shapes of the API as the web app sees them: `import type` from the server's TypeBox schemas,
// so a change on the server breaks the web build instead of drifting silently. Only types cross
// this line; nothing of the server is bundled.
import type { Static } from 'typebox';
import type {
  CaseResponse as CaseResponseSchema,
  CreateAttachmentBody as CreateAttachmentBodySchema,
  CreateAttachmentResponse as CreateAttachmentResponseSchema,
  IssuedCredentials as IssuedCredentialsSchema,
  LoginBody as LoginBodySchema,
  LoginResponse as LoginResponseSchema,
  OkResponse as OkResponseSchema,
  PostMessageBody as PostMessageBodySchema,
  PostMessageResponse as PostMessageResponseSchema,
  ThreadAttachment as ThreadAttachmentSchema,
  ThreadMessage as ThreadMessageSchema,
  UploadResponse as UploadResponseSchema,
} from '../../../../server/modules/melder/schema.ts';
import type { PublicAdvisor as PublicAdvisorSchema, PublicOrganisation } from '../../../../server/modules/organisations/schema.ts';
import type { ErrorResponse } from '../../../../server/lib/schema.ts';

export type { CaseState, CreateCaseBody, ThreadResponse } from '../../../../server/modules/melder/schema.ts';

/** GET /api/organisations/:slug */
export type OrganisationPage = PublicOrganisation;
export type Organisation = OrganisationPage['organisation'];
/** What a melder may see of an advisor before reporting, with the public key the report is encrypted to. */
export type PublicAdvisor = Static<typeof PublicAdvisorSchema>;
export type AdvisorRole = PublicAdvisor['role'];
export type CaseKind = Static<typeof LoginResponseSchema>['case']['kind'];

export type IssuedCredentials = Static<typeof IssuedCredentialsSchema>;
export type CaseResponse = Static<typeof CaseResponseSchema>;
export type LoginBody = Static<typeof LoginBodySchema>;
export type LoginResponse = Static<typeof LoginResponseSchema>;
export type ThreadMessage = Static<typeof ThreadMessageSchema>;
export type ThreadAttachment = Static<typeof ThreadAttachmentSchema>;
export type PostMessageBody = Static<typeof PostMessageBodySchema>;
export type PostMessageResponse = Static<typeof PostMessageResponseSchema>;
export type CreateAttachmentBody = Static<typeof CreateAttachmentBodySchema>;
export type CreateAttachmentResponse = Static<typeof CreateAttachmentResponseSchema>;
export type UploadResponse = Static<typeof UploadResponseSchema>;
export type OkResponse = Static<typeof OkResponseSchema>;

/** Body of every 4xx/5xx answer from the API. */
export type ApiErrorBody = Static<typeof ErrorResponse>;
