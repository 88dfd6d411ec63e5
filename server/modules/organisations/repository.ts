import type { Kysely } from 'kysely';
import type { Database, Organisation } from '../../db/database.ts';

export async function findOrganisationBySlug(db: Kysely<Database>, slug: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function insertOrganisation(db: Kysely<Database>, values: { slug: string; name: string }): Promise<Organisation> {
  return db.insertInto('organisations').values(values).returningAll().executeTakeFirstOrThrow();
}

export interface AdvisorListing {
  id: string;
  name: string;
  affiliation: 'internal' | 'external';
  introduction: string;
  available: boolean;
  public_key: string | null;
}

/** Active advisors of an organisation whose accounts are activated, for the public page. */
export async function listPublicAdvisors(db: Kysely<Database>, organisationId: string): Promise<AdvisorListing[]> {
  return db
    .selectFrom('memberships as m')
    .innerJoin('accounts as a', 'a.id', 'm.account_id')
    .select(['a.id', 'a.name', 'm.affiliation', 'm.introduction', 'm.available', 'a.public_key'])
    .where('m.organisation_id', '=', organisationId)
    .where('m.role', '=', 'advisor')
    .where('m.active', '=', true)
    .where('a.status', '=', 'active')
    .where('a.public_key', 'is not', null)
    .orderBy('a.name')
    .execute();
}
