// Staff accounts (advisors and admins). Inviting creates the account, its membership of the
// organisation and a one-time invite whose token only the invitee gets (only its digest is
// stored). Activation — keys made in the browser — is the advisor module's.
import type { Kysely } from 'kysely';
import type { Affiliation, Database, MembershipRole } from '../../db/database.ts';
import { InvalidInputError } from '../../lib/errors.ts';
import { digestToken, randomToken } from '../../lib/tokens.ts';
import { requireOrganisation } from '../organisations/service.ts';

export const INVITE_DAYS = 7;
const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;

export interface InviteResult {
  accountId: string;
  /** null when the account is active already: it is only added to the organisation. */
  token: string | null;
  expiresAt: Date | null;
}

export async function inviteStaff(
  db: Kysely<Database>,
  input: { organisationSlug: string; email: string; name: string; role?: MembershipRole; affiliation?: Affiliation; now?: Date },
): Promise<InviteResult> {
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  if (!EMAIL_RE.test(email)) throw new InvalidInputError('invalid_email', 'Not a valid email address');
  if (name.length < 1 || name.length > 200) throw new InvalidInputError('invalid_name', 'A name is 1–200 characters');
  const org = await requireOrganisation(db, input.organisationSlug);
  const now = input.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    let account = await trx.selectFrom('accounts').select(['id', 'status']).where('email', '=', email).executeTakeFirst();
    if (!account) {
      account = await trx.insertInto('accounts').values({ email, name }).returning(['id', 'status']).executeTakeFirstOrThrow();
    }
    await trx
      .insertInto('memberships')
      .values({ account_id: account.id, organisation_id: org.id, role: input.role ?? 'advisor', affiliation: input.affiliation ?? 'internal' })
      .onConflict((oc) => oc.columns(['account_id', 'organisation_id', 'role']).doUpdateSet({ active: true }))
      .execute();
    if (account.status === 'active') return { accountId: account.id, token: null, expiresAt: null };
    // A new invite replaces any earlier one that was not used.
    await trx.deleteFrom('invites').where('account_id', '=', account.id).where('used_at', 'is', null).execute();
    const token = randomToken();
    const expiresAt = new Date(now.getTime() + INVITE_DAYS * 86400_000);
    await trx.insertInto('invites').values({ account_id: account.id, token_digest: digestToken(token), expires_at: expiresAt }).execute();
    return { accountId: account.id, token, expiresAt };
  });
}

export function activationLink(publicUrl: string, token: string): string {
  // The token travels in the fragment, so it never reaches a server or proxy log.
  return `${publicUrl}/advisor/activate#${token}`;
}
