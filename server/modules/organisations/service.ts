import type { Kysely } from 'kysely';
import type { CaseKind, Database, Organisation } from '../../db/database.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../../lib/errors.ts';
import { findOrganisationBySlug, insertOrganisation, listPublicAdvisors } from './repository.ts';
import { RESERVED_SLUGS, type PublicOrganisation } from './schema.ts';
import { authoritiesWithState } from './authorities.ts';
import { listOrganisationCategories } from './categories.ts';
import { renderMarkdown } from './markdown.ts';
import { getSettings, type PublicTexts } from './settings.ts';

export class OrganisationNotFoundError extends NotFoundError {
  constructor() {
    super('organisation_not_found', 'No organisation with this address');
  }
}

export const SLUG_RE = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

export async function getPublicOrganisation(db: Kysely<Database>, slug: string): Promise<PublicOrganisation> {
  const org = SLUG_RE.test(slug) ? await findOrganisationBySlug(db, slug) : undefined;
  if (!org) throw new OrganisationNotFoundError();
  const [advisors, categories, settings] = await Promise.all([
    listPublicAdvisors(db, org.id),
    listOrganisationCategories(db, org.id),
    getSettings(db, org.id),
  ]);
  const visible = (kind: CaseKind) => categories[kind].filter((c) => !c.hidden);
  const html = (t: PublicTexts) => ({ introductionHtml: renderMarkdown(t.introduction), procedureHtml: renderMarkdown(t.procedure) });
  return {
    organisation: { slug: org.slug, name: org.name },
    advisors: advisors.map((a) => ({
      id: a.id,
      name: a.name,
      role: a.affiliation,
      introduction: a.introduction,
      available: a.available,
      publicKey: a.public_key ?? '',
    })),
    categories: { ongewenst_gedrag: visible('ongewenst_gedrag').map((c) => c.key), misstand: visible('misstand').map((c) => c.key) },
    categoryLabels: {
      ongewenst_gedrag: visible('ongewenst_gedrag').map((c) => ({ key: c.key, label: c.label, hidden: false })),
      misstand: visible('misstand').map((c) => ({ key: c.key, label: c.label, hidden: false })),
    },
    profile: { logoDataUrl: settings.logoDataUrl, accentColour: settings.accentColour },
    texts: { nl: html(settings.texts.nl), en: html(settings.texts.en) },
    authorities: authoritiesWithState(settings.authoritiesDisabled).filter((a) => a.enabled).map(({ key, name, url }) => ({ key, name, url })),
  };
}

export async function requireOrganisation(db: Kysely<Database>, slug: string): Promise<Organisation> {
  const org = SLUG_RE.test(slug) ? await findOrganisationBySlug(db, slug) : undefined;
  if (!org) throw new OrganisationNotFoundError();
  return org;
}

export async function createOrganisation(db: Kysely<Database>, input: { slug: string; name: string }): Promise<Organisation> {
  const slug = input.slug.trim().toLowerCase();
  const name = input.name.trim();
  if (!SLUG_RE.test(slug)) {
    throw new InvalidInputError('invalid_slug', 'A slug is 1–48 lower-case letters, digits and hyphens, not starting or ending with a hyphen');
  }
  if (RESERVED_SLUGS.includes(slug)) throw new InvalidInputError('reserved_slug', `"${slug}" is reserved`);
  if (name.length < 1 || name.length > 200) throw new InvalidInputError('invalid_name', 'A name is 1–200 characters');
  if (await findOrganisationBySlug(db, slug)) throw new ConflictError('slug_taken', `An organisation "${slug}" exists already`);
  return insertOrganisation(db, { slug, name });
}
