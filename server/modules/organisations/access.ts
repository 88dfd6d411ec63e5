// Who may act for an organisation: a staff session whose account is active and holds an active
// membership with the needed role. Anyone else — another organisation's admin, an advisor
// asking for admin routes, a deactivated advisor — gets the same 404 organisation_not_found as
// for an organisation that does not exist, so no route tells which organisations exist.
import type { Kysely } from 'kysely';
import type { Database, MembershipRole, Organisation } from '../../db/database.ts';
import { OrganisationNotFoundError, SLUG_RE } from './service.ts';

export async function requireOrganisationRole(
  db: Kysely<Database>,
  accountId: string,
  slug: string,
  role: MembershipRole,
): Promise<Organisation> {
  if (!SLUG_RE.test(slug)) throw new OrganisationNotFoundError();
  const org = await db
    .selectFrom('organisations as o')
    .innerJoin('memberships as m', 'm.organisation_id', 'o.id')
    .innerJoin('accounts as a', 'a.id', 'm.account_id')
    .selectAll('o')
    .where('o.slug', '=', slug)
    .where('m.account_id', '=', accountId)
    .where('m.role', '=', role)
    .where('m.active', '=', true)
    .where('a.status', '=', 'active')
    .executeTakeFirst();
  if (!org) throw new OrganisationNotFoundError();
  return org;
}
