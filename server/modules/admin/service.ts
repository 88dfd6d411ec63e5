// The admin console: an organisation's profile, settings, public texts, external authorities,
// categories and advisors. Every change is audited with the names of what changed (never the
// texts). Nothing here reads a case: the only thing an admin learns about cases is how many
// open ones each advisor has — an aggregate count.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CaseKind, Database, Organisation } from '../../db/database.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../../lib/errors.ts';
import { activationLink, inviteStaff } from '../accounts/service.ts';
import { audit } from '../audit/service.ts';
import { UNDISCLOSED } from '../cases/categories.ts';
import { AUTHORITY_KEYS, authoritiesWithState } from '../organisations/authorities.ts';
import { listOrganisationCategories, type CategoriesByKind } from '../organisations/categories.ts';
import { renderMarkdown } from '../organisations/markdown.ts';
import { getSettings, updateSettings, type PublicTexts } from '../organisations/settings.ts';
import { withCompliance } from '../organisations/tables.ts';
import { validateLogo } from './logo.ts';
import type { AdminOrganisationResponse, ProfileBody, SettingsBody, TextsBody } from './schema.ts';

type Trx = Transaction<Database>;

export class AdvisorNotFoundError extends NotFoundError {
  constructor() {
    super('advisor_not_found', 'This person is not an advisor of this organisation');
  }
}
export class AdvisorHasOpenCasesError extends ConflictError {
  constructor(open: number) {
    super(
      'advisor_has_open_cases',
      `This advisor still has ${open} open ${open === 1 ? 'case' : 'cases'} in this organisation. ` +
        'They must hand these over to another advisor (or close them) before they can be deactivated.',
    );
  }
}
export class CategoryExistsError extends ConflictError {
  constructor() {
    super('category_exists', 'A category with this key exists already for this kind of report');
  }
}
export class CategoryNotFoundError extends NotFoundError {
  constructor() {
    super('category_not_found', 'No category with this key for this kind of report');
  }
}
export class ReservedCategoryError extends InvalidInputError {
  constructor() {
    super('reserved_category', '"undisclosed" (wil ik niet zeggen) is always offered and cannot be changed');
  }
}
export class UnknownAuthorityError extends InvalidInputError {
  constructor(key: string) {
    super('unknown_authority', `Unknown authority "${key}"`);
  }
}

interface Admin {
  accountId: string;
}

const changed = (trx: Trx, admin: Admin, org: Organisation, section: string, fields: string[]) =>
  audit(trx, { actorType: 'staff', actorId: admin.accountId, organisationId: org.id, action: 'admin.changed', detail: { section, fields } });

// --- overview ------------------------------------------------------------------------------

const textsView = (t: PublicTexts) => ({ ...t, introductionHtml: renderMarkdown(t.introduction), procedureHtml: renderMarkdown(t.procedure) });

export async function overview(db: Kysely<Database>, orgId: string): Promise<AdminOrganisationResponse> {
  const org = await db.selectFrom('organisations').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow();
  const s = await getSettings(db, org.id);
  return {
    organisation: { slug: org.slug, name: org.name },
    profile: { logoDataUrl: s.logoDataUrl, accentColour: s.accentColour },
    firstReplyDays: org.first_reply_days,
    retentionDays: org.retention_days,
    reportThreshold: s.reportThreshold,
    texts: { nl: textsView(s.texts.nl), en: textsView(s.texts.en) },
    authorities: authoritiesWithState(s.authoritiesDisabled),
  };
}

// --- profile, settings, texts, authorities ---------------------------------------------------

export async function updateProfile(db: Kysely<Database>, admin: Admin, org: Organisation, body: ProfileBody): Promise<void> {
  const logo = body.logoDataUrl === undefined || body.logoDataUrl === null ? body.logoDataUrl : validateLogo(body.logoDataUrl);
  const name = body.name?.trim();
  if (name !== undefined && (name.length < 1 || name.length > 200)) throw new InvalidInputError('invalid_name', 'A name is 1–200 characters');
  await db.transaction().execute(async (trx) => {
    if (name !== undefined) await trx.updateTable('organisations').set({ name }).where('id', '=', org.id).execute();
    if (logo !== undefined || body.accentColour !== undefined) {
      await updateSettings(trx, org.id, {
        ...(logo !== undefined ? { logoDataUrl: logo } : {}),
        ...(body.accentColour !== undefined ? { accentColour: body.accentColour?.toLowerCase() ?? null } : {}),
      });
    }
    const fields = [name !== undefined && 'name', logo !== undefined && 'logo', body.accentColour !== undefined && 'accentColour'].filter(Boolean) as string[];
    await changed(trx, admin, org, 'profile', fields);
  });
}

export async function updateOrganisationSettings(db: Kysely<Database>, admin: Admin, org: Organisation, body: SettingsBody): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const columns: { first_reply_days?: number; retention_days?: number } = {};
    if (body.firstReplyDays !== undefined) columns.first_reply_days = body.firstReplyDays;
    if (body.retentionDays !== undefined) columns.retention_days = body.retentionDays;
    if (Object.keys(columns).length) await trx.updateTable('organisations').set(columns).where('id', '=', org.id).execute();
    if (body.reportThreshold !== undefined) await updateSettings(trx, org.id, { reportThreshold: body.reportThreshold });
    await changed(trx, admin, org, 'settings', Object.keys(body).sort());
  });
}

export async function updateTexts(db: Kysely<Database>, admin: Admin, org: Organisation, body: TextsBody): Promise<void> {
  const before = await getSettings(db, org.id);
  const fields: string[] = [];
  for (const lang of ['nl', 'en'] as const) {
    for (const part of ['introduction', 'procedure'] as const) {
      if (before.texts[lang][part] !== body[lang][part]) fields.push(`${part}.${lang}`);
    }
  }
  await db.transaction().execute(async (trx) => {
    await updateSettings(trx, org.id, { texts: body });
    await changed(trx, admin, org, 'texts', fields);
  });
}

export async function updateAuthorities(db: Kysely<Database>, admin: Admin, org: Organisation, enabled: string[]): Promise<void> {
  for (const key of enabled) if (!(AUTHORITY_KEYS as string[]).includes(key)) throw new UnknownAuthorityError(key);
  const disabled = AUTHORITY_KEYS.filter((k) => !enabled.includes(k));
  await db.transaction().execute(async (trx) => {
    await updateSettings(trx, org.id, { authoritiesDisabled: disabled });
    await changed(trx, admin, org, 'authorities', ['enabled']);
  });
}

// --- categories ------------------------------------------------------------------------------

export const listCategories = (db: Kysely<Database>, org: Organisation): Promise<CategoriesByKind> => listOrganisationCategories(db, org.id);

export async function addCategory(
  db: Kysely<Database>, admin: Admin, org: Organisation, kind: CaseKind,
  body: { key: string; label: { nl: string; en: string }; hidden?: boolean | undefined },
): Promise<void> {
  if (body.key === UNDISCLOSED) throw new ReservedCategoryError();
  const existing = await listOrganisationCategories(db, org.id);
  if (existing[kind].some((c) => c.key === body.key)) throw new CategoryExistsError();
  await db.transaction().execute(async (trx) => {
    await withCompliance(trx)
      .insertInto('organisation_categories')
      .values({ organisation_id: org.id, kind, key: body.key, label_nl: body.label.nl.trim(), label_en: body.label.en.trim(), hidden: body.hidden ?? false })
      .execute();
    await changed(trx, admin, org, 'categories', [`${kind}.${body.key}`]);
  });
}

/** Renames or hides a default or added category (a default's first change stores its row). */
export async function updateCategory(
  db: Kysely<Database>, admin: Admin, org: Organisation, kind: CaseKind, key: string,
  body: { label?: { nl: string; en: string } | undefined; hidden?: boolean | undefined },
): Promise<void> {
  if (key === UNDISCLOSED) throw new ReservedCategoryError();
  const current = (await listOrganisationCategories(db, org.id))[kind].find((c) => c.key === key);
  if (!current) throw new CategoryNotFoundError();
  const label = body.label ? { nl: body.label.nl.trim(), en: body.label.en.trim() } : current.label;
  const hidden = body.hidden ?? current.hidden;
  await db.transaction().execute(async (trx) => {
    await withCompliance(trx)
      .insertInto('organisation_categories')
      .values({ organisation_id: org.id, kind, key, label_nl: label.nl, label_en: label.en, hidden })
      .onConflict((oc) => oc.columns(['organisation_id', 'kind', 'key']).doUpdateSet({ label_nl: label.nl, label_en: label.en, hidden }))
      .execute();
    const fields = [body.label && `${kind}.${key}.label`, body.hidden !== undefined && `${kind}.${key}.hidden`].filter(Boolean) as string[];
    await changed(trx, admin, org, 'categories', fields);
  });
}

// --- advisors ------------------------------------------------------------------------------

interface AdvisorRow {
  accountId: string;
  name: string;
  email: string;
  affiliation: 'internal' | 'external';
  introduction: string;
  available: boolean;
  active: boolean;
  status: 'invited' | 'active' | 'deactivated';
  openCases: number;
}

async function advisorRows(db: Kysely<Database>, orgId: string, accountId?: string): Promise<AdvisorRow[]> {
  let q = db
    .selectFrom('memberships as m')
    .innerJoin('accounts as a', 'a.id', 'm.account_id')
    .select(['a.id as accountId', 'a.name', 'a.email', 'm.affiliation', 'm.introduction', 'm.available', 'm.active', 'a.status'])
    .select((eb) =>
      eb
        .selectFrom('cases as c')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('c.advisor_id', '=', 'a.id')
        .where('c.organisation_id', '=', orgId)
        .where('c.status', '!=', 'afgesloten')
        .where('c.content_deleted_at', 'is', null)
        .as('openCases'),
    )
    .where('m.organisation_id', '=', orgId)
    .where('m.role', '=', 'advisor');
  if (accountId) q = q.where('a.id', '=', accountId);
  const rows = await q.orderBy('m.active', 'desc').orderBy('a.name').execute();
  return rows.map((r) => ({ ...r, openCases: Number(r.openCases ?? 0) }));
}

export const listAdvisors = (db: Kysely<Database>, org: Organisation) => advisorRows(db, org.id);

async function requireAdvisor(db: Kysely<Database>, org: Organisation, accountId: string): Promise<AdvisorRow> {
  const [row] = await advisorRows(db, org.id, accountId);
  if (!row) throw new AdvisorNotFoundError();
  return row;
}

export async function inviteAdvisor(
  db: Kysely<Database>, publicUrl: string, admin: Admin, org: Organisation,
  body: { email: string; name: string; affiliation?: 'internal' | 'external' | undefined },
) {
  const invited = await inviteStaff(db, {
    organisationSlug: org.slug, email: body.email, name: body.name, role: 'advisor', affiliation: body.affiliation ?? 'internal',
  });
  await audit(db, {
    actorType: 'staff', actorId: admin.accountId, organisationId: org.id, action: 'admin.advisor_invited',
    detail: { advisorAccountId: invited.accountId, alreadyActive: invited.token === null },
  });
  return {
    advisor: await requireAdvisor(db, org, invited.accountId),
    activationLink: invited.token ? activationLink(publicUrl, invited.token) : null,
    expiresAt: invited.expiresAt ? invited.expiresAt.toISOString() : null,
  };
}

export async function updateAdvisor(
  db: Kysely<Database>, admin: Admin, org: Organisation, accountId: string,
  body: { affiliation?: 'internal' | 'external' | undefined; introduction?: string | undefined; available?: boolean | undefined },
) {
  await requireAdvisor(db, org, accountId);
  const set: { affiliation?: 'internal' | 'external'; introduction?: string; available?: boolean } = {};
  if (body.affiliation !== undefined) set.affiliation = body.affiliation;
  if (body.introduction !== undefined) set.introduction = body.introduction.trim();
  if (body.available !== undefined) set.available = body.available;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('memberships').set(set).where('organisation_id', '=', org.id).where('account_id', '=', accountId).where('role', '=', 'advisor').execute();
    await changed(trx, admin, org, 'advisor', Object.keys(set).sort().map((f) => `${accountId}.${f}`));
  });
  return requireAdvisor(db, org, accountId);
}

export async function deactivateAdvisor(db: Kysely<Database>, admin: Admin, org: Organisation, accountId: string) {
  const advisor = await requireAdvisor(db, org, accountId);
  if (advisor.openCases > 0) throw new AdvisorHasOpenCasesError(advisor.openCases);
  await db.transaction().execute(async (trx) => {
    // Re-checked inside the transaction, against the membership row locked for it.
    await sql`SELECT 1 FROM memberships WHERE organisation_id = ${org.id} AND account_id = ${accountId} AND role = 'advisor' FOR UPDATE`.execute(trx);
    const open = await trx
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('organisation_id', '=', org.id)
      .where('advisor_id', '=', accountId)
      .where('status', '!=', 'afgesloten')
      .where('content_deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(open.n) > 0) throw new AdvisorHasOpenCasesError(Number(open.n));
    await trx.updateTable('memberships').set({ active: false }).where('organisation_id', '=', org.id).where('account_id', '=', accountId).where('role', '=', 'advisor').execute();
    await audit(trx, { actorType: 'staff', actorId: admin.accountId, organisationId: org.id, action: 'admin.advisor_deactivated', detail: { advisorAccountId: accountId } });
  });
  return requireAdvisor(db, org, accountId);
}
