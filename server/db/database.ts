// One Database interface of XxxTable interfaces, as in Kysely's own examples.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface OrganisationsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  first_reply_days: Generated<number>;
  retention_days: Generated<number>;
  created_at: Timestamp;
}

export type AccountStatus = 'invited' | 'active' | 'deactivated';

export interface AccountsTable {
  id: Generated<string>;
  email: string;
  name: string;
  status: ColumnType<AccountStatus, AccountStatus | undefined, AccountStatus>;
  public_key: string | null;
  locked_private_key: string | null;
  recovery_locked_private_key: string | null;
  login_key_hash: string | null;
  recovery_login_key_hash: string | null;
  totp_secret_encrypted: string | null;
  totp_last_step: ColumnType<string | null, number | string | null, number | string | null>;
  created_at: Timestamp;
  activated_at: NullableTimestamp;
}

export type MembershipRole = 'advisor' | 'admin';
export type Affiliation = 'internal' | 'external';

export interface MembershipsTable {
  account_id: string;
  organisation_id: string;
  role: MembershipRole;
  affiliation: ColumnType<Affiliation, Affiliation | undefined, Affiliation>;
  introduction: Generated<string>;
  available: Generated<boolean>;
  active: Generated<boolean>;
  created_at: Timestamp;
}

export interface InvitesTable {
  id: Generated<string>;
  account_id: string;
  token_digest: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface CredentialReservationsTable {
  code_digest: string;
  organisation_id: string;
  expires_at: Timestamp;
  created_at: Timestamp;
}

export type CaseKind = 'ongewenst_gedrag' | 'misstand';
export type CaseStatus = 'nieuw' | 'in_behandeling' | 'nazorg' | 'afgesloten' | 'overgedragen';

export interface CasesTable {
  id: Generated<string>;
  organisation_id: string;
  code_digest: string;
  reference: string;
  kind: CaseKind;
  category: string;
  advisor_id: string;
  status: ColumnType<CaseStatus, CaseStatus | undefined, CaseStatus>;
  login_key_hash: string | null;
  melder_public_key: string | null;
  melder_locked_private_key: string | null;
  registration: ColumnType<unknown | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  acknowledged_at: Timestamp;
  first_reply_due_at: Timestamp;
  first_reply_at: NullableTimestamp;
  feedback_due_at: NullableTimestamp;
  feedback_given_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  closed_by: 'melder' | 'advisor' | null;
  last_activity_at: Timestamp;
  content_deleted_at: NullableTimestamp;
}

export type SenderRole = 'melder' | 'advisor';
export type MessageKind = 'report' | 'message' | 'wishes' | 'note';

export interface MessagesTable {
  id: Generated<string>;
  case_id: string;
  sender_role: SenderRole;
  sender_account_id: string | null;
  kind: MessageKind;
  ciphertext: string;
  created_at: Timestamp;
  read_at: NullableTimestamp;
}

export interface AttachmentsTable {
  id: Generated<string>;
  case_id: string;
  message_id: string | null;
  uploader_role: SenderRole;
  encrypted_manifest: string;
  size: ColumnType<string, number | string | undefined, number | string>;
  chunk_count: Generated<number>;
  complete: Generated<boolean>;
  created_at: Timestamp;
}

export interface AttachmentChunksTable {
  attachment_id: string;
  seq: number;
  data: Uint8Array;
}

export interface SessionsTable {
  token_digest: string;
  subject: 'melder' | 'staff';
  case_id: string | null;
  account_id: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface AuditEventsTable {
  id: Generated<string>;
  at: Timestamp;
  actor_type: string;
  actor_id: string | null;
  organisation_id: string | null;
  case_id: string | null;
  action: string;
  detail: ColumnType<unknown, string | undefined, string>;
  prev_hash: string;
  hash: string;
}

export interface Database {
  organisations: OrganisationsTable;
  accounts: AccountsTable;
  memberships: MembershipsTable;
  invites: InvitesTable;
  credential_reservations: CredentialReservationsTable;
  cases: CasesTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  attachment_chunks: AttachmentChunksTable;
  sessions: SessionsTable;
  audit_events: AuditEventsTable;
}

export type Organisation = Selectable<OrganisationsTable>;
export type NewOrganisation = Insertable<OrganisationsTable>;
export type Account = Selectable<AccountsTable>;
export type AccountUpdate = Updateable<AccountsTable>;
export type Case = Selectable<CasesTable>;
export type NewCase = Insertable<CasesTable>;
export type Message = Selectable<MessagesTable>;
