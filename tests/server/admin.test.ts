import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database.ts';
import { isOrganisationCategory, organisationCategories } from '../../server/modules/organisations/categories.ts';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { createSession } from '../../server/modules/sessions/service.ts';
import { databaseKinds } from '../helpers/db.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createActiveAdvisor, type TestAdvisor } from '../helpers/actors.ts';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const png = (bytes: number) => `data:image/png;base64,${Buffer.concat([PNG_MAGIC, Buffer.alloc(bytes - 8, 7)]).toString('base64')}`;

describe.each(databaseKinds)('admin console on %s', (kind) => {
  let t: TestApp;
  let db: Kysely<Database>;
  let orgId: string;
  let admin: string; // cookie
  let adminId: string;
  let otherAdmin: string;
  let anna: TestAdvisor;
  let annaCookie: string;

  async function staff(email: string, memberships: { slug: string; role: 'admin' | 'advisor' }[]) {
    const account = await db.insertInto('accounts').values({ email, name: email.split('@')[0]!, status: 'active' }).returning('id').executeTakeFirstOrThrow();
    for (const m of memberships) {
      const org = await db.selectFrom('organisations').select('id').where('slug', '=', m.slug).executeTakeFirstOrThrow();
      await db.insertInto('memberships').values({ account_id: account.id, organisation_id: org.id, role: m.role }).execute();
    }
    return { id: account.id, cookie: `kb_session=${await createSession(db, { subject: 'staff', accountId: account.id })}` };
  }

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown, cookie = admin) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const publicPage = async () => (await t.app.inject({ method: 'GET', url: '/api/organisations/acme' })).json();
  const auditOf = (action: string) =>
    db.selectFrom('audit_events').select(['actor_id', 'organisation_id', 'detail']).where('action', '=', action).orderBy('id').execute();

  beforeAll(async () => {
    t = await createTestApp(kind);
    db = t.database.db;
    orgId = (await createOrganisation(db, { slug: 'acme', name: 'Acme BV' })).id;
    await createOrganisation(db, { slug: 'other', name: 'Other NV' });
    const a = await staff('beheer@example.org', [{ slug: 'acme', role: 'admin' }]);
    admin = a.cookie;
    adminId = a.id;
    otherAdmin = (await staff('other@example.org', [{ slug: 'other', role: 'admin' }])).cookie;
    anna = await createActiveAdvisor(db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna de Vries' });
    annaCookie = `kb_session=${await createSession(db, { subject: 'staff', accountId: anna.accountId })}`;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('only an admin of the organisation gets in; everyone else gets the same 404 as for no organisation', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/organisations/acme' })).statusCode).toBe(401);
    for (const [cookie, slug] of [[annaCookie, 'acme'], [otherAdmin, 'acme'], [admin, 'other'], [admin, 'nope'], [admin, 'NOT_A_SLUG']] as const) {
      const res = await call('GET', `/api/admin/organisations/${slug}`, undefined, cookie);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('organisation_not_found');
    }
    const patch = await call('PATCH', '/api/admin/organisations/acme/settings', { retentionDays: 100 }, annaCookie);
    expect(patch.statusCode).toBe(404);
    const ok = await call('GET', '/api/admin/organisations/acme');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      organisation: { slug: 'acme', name: 'Acme BV' }, profile: { logoDataUrl: null, accentColour: null },
      firstReplyDays: 7, retentionDays: 365, reportThreshold: 5,
    });
    expect(ok.json().authorities).toHaveLength(9);
  });

  it('profile: name, a PNG/JPEG logo up to 200 KB checked by its bytes (no SVG), an accent colour', async () => {
    const logo = png(2000);
    const res = await call('PATCH', '/api/admin/organisations/acme/profile', { name: 'Acme Zorg BV', logoDataUrl: logo, accentColour: '#AA3300' });
    expect(res.statusCode).toBe(200);
    expect(res.json().profile).toEqual({ logoDataUrl: logo, accentColour: '#aa3300' });
    const page = await publicPage();
    expect(page.organisation.name).toBe('Acme Zorg BV');
    expect(page.profile).toEqual({ logoDataUrl: logo, accentColour: '#aa3300' });

    const svg = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString('base64')}`;
    const refused = [
      svg,
      `data:image/png;base64,${Buffer.from('<svg onload="alert(1)"></svg>').toString('base64')}`, // SVG bytes claiming to be PNG
      png(200 * 1024 + 1),
      'https://evil.example/logo.png',
    ];
    for (const logoDataUrl of refused) {
      const r = await call('PATCH', '/api/admin/organisations/acme/profile', { logoDataUrl });
      expect(r.statusCode).toBe(400);
      expect(['invalid_logo', 'invalid_input']).toContain(r.json().error.code);
    }
    expect((await call('PATCH', '/api/admin/organisations/acme/profile', { logoDataUrl: png(200 * 1024) })).statusCode).toBe(200);
    const jpeg = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]).toString('base64')}`;
    expect((await call('PATCH', '/api/admin/organisations/acme/profile', { logoDataUrl: jpeg })).statusCode).toBe(200);
    expect((await call('PATCH', '/api/admin/organisations/acme/profile', { accentColour: 'red' })).statusCode).toBe(400);
    expect((await call('PATCH', '/api/admin/organisations/acme/profile', {})).statusCode).toBe(400);
    expect((await call('PATCH', '/api/admin/organisations/acme/profile', { logoDataUrl: null, accentColour: null })).json().profile).toEqual({ logoDataUrl: null, accentColour: null });
    const events = await auditOf('admin.changed');
    expect(events[0]).toMatchObject({ actor_id: adminId, organisation_id: orgId, detail: { section: 'profile', fields: ['name', 'logo', 'accentColour'] } });
    expect(JSON.stringify(events)).not.toContain('base64');
  });

  it('settings: first-reply service level 1–90 days, retention 30–3650 days, report threshold never below 3', async () => {
    for (const bad of [{ firstReplyDays: 0 }, { firstReplyDays: 91 }, { retentionDays: 29 }, { retentionDays: 3651 }, { reportThreshold: 2 }, { retentionDays: '400' }, { other: 1 }]) {
      expect((await call('PATCH', '/api/admin/organisations/acme/settings', bad)).statusCode).toBe(400);
    }
    const res = await call('PATCH', '/api/admin/organisations/acme/settings', { firstReplyDays: 14, retentionDays: 30, reportThreshold: 3 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ firstReplyDays: 14, retentionDays: 30, reportThreshold: 3 });
    expect(await db.selectFrom('organisations').select(['first_reply_days', 'retention_days']).where('id', '=', orgId).executeTakeFirst()).toEqual({ first_reply_days: 14, retention_days: 30 });
    expect((await call('PATCH', '/api/admin/organisations/acme/settings', { retentionDays: 3650, reportThreshold: 5 })).json()).toMatchObject({ retentionDays: 3650, reportThreshold: 5 });
    expect((await auditOf('admin.changed')).at(-1)?.detail).toEqual({ section: 'settings', fields: ['reportThreshold', 'retentionDays'] });
  });

  it('public texts: Markdown rendered and sanitised on the server; the audit names the fields, never the text', async () => {
    const body = {
      nl: { introduction: '# Welkom\n\nBel **ons** of mail naar vp@example.org.', procedure: 'Zie [de regeling](https://example.org/regeling).' },
      en: { introduction: '<script>alert("x")</script>', procedure: '' },
    };
    const res = await call('PUT', '/api/admin/organisations/acme/texts', body);
    expect(res.statusCode).toBe(200);
    const nl = res.json().texts.nl;
    expect(nl.introduction).toBe(body.nl.introduction);
    expect(nl.introductionHtml).toContain('<h1>Welkom</h1>');
    expect(nl.introductionHtml).toContain('<strong>ons</strong>');
    expect(nl.introductionHtml).toContain('<a href="mailto:vp@example.org" rel="noopener noreferrer">vp@example.org</a>');
    expect(nl.procedureHtml).toContain('<a href="https://example.org/regeling" rel="noopener noreferrer">de regeling</a>');
    expect(res.json().texts.en.introductionHtml).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>\n');
    expect((await publicPage()).texts.nl.procedureHtml).toBe(nl.procedureHtml);
    expect((await call('PUT', '/api/admin/organisations/acme/texts', { nl: body.nl })).statusCode).toBe(400);
    expect((await call('PUT', '/api/admin/organisations/acme/texts', { ...body, en: { introduction: 'x'.repeat(20_001), procedure: '' } })).statusCode).toBe(400);
    const event = (await auditOf('admin.changed')).at(-1)!;
    expect(event.detail).toEqual({ section: 'texts', fields: ['introduction.nl', 'procedure.nl', 'introduction.en'] });
    expect(JSON.stringify(event)).not.toContain('Welkom');
  });

  it('external authorities: each with its official link, switchable', async () => {
    const all = (await call('GET', '/api/admin/organisations/acme')).json().authorities as { key: string; url: string; enabled: boolean }[];
    expect(all.map((a) => a.key)).toEqual(['huis_voor_klokkenluiders', 'acm', 'afm', 'anvs', 'ap', 'dnb', 'igj', 'nvwa', 'nza']);
    expect(all.every((a) => a.enabled && /^https:\/\/www\.[a-z]+\.nl$/.test(a.url))).toBe(true);
    expect(all[0]!.url).toBe('https://www.huisvoorklokkenluiders.nl');
    const res = await call('PUT', '/api/admin/organisations/acme/authorities', { enabled: ['huis_voor_klokkenluiders', 'igj'] });
    expect(res.statusCode).toBe(200);
    expect((res.json().authorities as { key: string; enabled: boolean }[]).filter((a) => a.enabled).map((a) => a.key)).toEqual(['huis_voor_klokkenluiders', 'igj']);
    expect((await publicPage()).authorities).toEqual([
      { key: 'huis_voor_klokkenluiders', name: 'Huis voor Klokkenluiders', url: 'https://www.huisvoorklokkenluiders.nl' },
      { key: 'igj', name: 'Inspectie Gezondheidszorg en Jeugd (IGJ)', url: 'https://www.igj.nl' },
    ]);
    const bad = await call('PUT', '/api/admin/organisations/acme/authorities', { enabled: ['fbi'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('unknown_authority');
  });

  it('categories per kind: rename, hide and add (nl and en); the melder check follows the visible ones', async () => {
    const rename = await call('PATCH', '/api/admin/organisations/acme/categories/ongewenst_gedrag/pesten', { label: { nl: 'Pesten en treiteren', en: 'Bullying and harassment' } });
    expect(rename.statusCode).toBe(200);
    expect(rename.json().ongewenst_gedrag[0]).toEqual({ key: 'pesten', label: { nl: 'Pesten en treiteren', en: 'Bullying and harassment' }, hidden: false, custom: false });
    expect((await call('PATCH', '/api/admin/organisations/acme/categories/ongewenst_gedrag/werkdruk', { hidden: true })).statusCode).toBe(200);
    const add = await call('POST', '/api/admin/organisations/acme/categories/misstand', { key: 'datalek', label: { nl: 'Datalek', en: 'Data breach' } });
    expect(add.statusCode).toBe(201);
    expect(add.json().misstand.at(-1)).toEqual({ key: 'datalek', label: { nl: 'Datalek', en: 'Data breach' }, hidden: false, custom: true });

    expect((await call('POST', '/api/admin/organisations/acme/categories/misstand', { key: 'datalek', label: { nl: 'X', en: 'X' } })).json().error.code).toBe('category_exists');
    expect((await call('POST', '/api/admin/organisations/acme/categories/misstand', { key: 'undisclosed', label: { nl: 'X', en: 'X' } })).json().error.code).toBe('reserved_category');
    expect((await call('POST', '/api/admin/organisations/acme/categories/misstand', { key: 'Bad-Key', label: { nl: 'X', en: 'X' } })).statusCode).toBe(400);
    expect((await call('POST', '/api/admin/organisations/acme/categories/misstand', { key: 'leeg', label: { nl: '', en: 'X' } })).statusCode).toBe(400);
    expect((await call('PATCH', '/api/admin/organisations/acme/categories/misstand/bestaat_niet', { hidden: true })).json().error.code).toBe('category_not_found');
    expect((await call('PATCH', '/api/admin/organisations/acme/categories/onzin/pesten', { hidden: true })).statusCode).toBe(400);

    const page = await publicPage();
    expect(page.categories.ongewenst_gedrag).not.toContain('werkdruk');
    expect(page.categories.misstand.at(-1)).toBe('datalek');
    expect(page.categoryLabels.ongewenst_gedrag[0]).toEqual({ key: 'pesten', label: { nl: 'Pesten en treiteren', en: 'Bullying and harassment' }, hidden: false });
    expect(page.categoryLabels.ongewenst_gedrag.map((c: { key: string }) => c.key)).toEqual(page.categories.ongewenst_gedrag);
    expect(page.categoryLabels.misstand.at(-1)).toEqual({ key: 'datalek', label: { nl: 'Datalek', en: 'Data breach' }, hidden: false });

    const visible = await organisationCategories(db, orgId);
    expect(visible.misstand).toContain('datalek');
    expect(visible.ongewenst_gedrag).not.toContain('werkdruk');
    expect(await isOrganisationCategory(db, orgId, 'misstand', 'datalek')).toBe(true);
    expect(await isOrganisationCategory(db, orgId, 'ongewenst_gedrag', 'werkdruk')).toBe(false);
    expect(await isOrganisationCategory(db, orgId, 'ongewenst_gedrag', 'datalek')).toBe(false);
    expect(await isOrganisationCategory(db, orgId, 'misstand', 'undisclosed')).toBe(true);
    // Unhiding brings it back.
    await call('PATCH', '/api/admin/organisations/acme/categories/ongewenst_gedrag/werkdruk', { hidden: false });
    expect(await isOrganisationCategory(db, orgId, 'ongewenst_gedrag', 'werkdruk')).toBe(true);
  });

  it('advisors: invite (link for the admin to forward), list with only a count of open cases, update, deactivate once handed over', async () => {
    const invite = await call('POST', '/api/admin/organisations/acme/advisors', { email: 'Piet@Example.org', name: 'Piet Extern', affiliation: 'external' });
    expect(invite.statusCode).toBe(201);
    expect(invite.json().activationLink).toMatch(/\/advisor\/activate#[A-Za-z0-9_-]{43}$/);
    expect(invite.json().advisor).toMatchObject({ name: 'Piet Extern', email: 'piet@example.org', affiliation: 'external', status: 'invited', active: true, openCases: 0 });
    const again = await call('POST', '/api/admin/organisations/acme/advisors', { email: 'anna@example.org', name: 'Anna de Vries' });
    expect(again.json()).toMatchObject({ activationLink: null, advisor: { status: 'active' } });
    expect((await call('POST', '/api/admin/organisations/acme/advisors', { email: 'geen-adres', name: 'X' })).json().error.code).toBe('invalid_email');

    // Anna has one open case and one closed case in this organisation.
    const base = { organisation_id: orgId, kind: 'ongewenst_gedrag' as const, category: 'pesten', advisor_id: anna.accountId, first_reply_due_at: new Date() };
    const open = await db.insertInto('cases').values({ ...base, code_digest: `t-${randomUUID()}`, reference: 'K-OPENCASE' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('cases').values({ ...base, code_digest: `t-${randomUUID()}`, reference: 'K-CLOSEDCS', status: 'afgesloten', closed_at: new Date() }).execute();

    const list = await call('GET', '/api/admin/organisations/acme/advisors');
    const annaRow = list.json().advisors.find((x: { email: string }) => x.email === 'anna@example.org');
    expect(annaRow).toEqual({
      accountId: anna.accountId, name: 'Anna de Vries', email: 'anna@example.org', affiliation: 'internal', introduction: '', available: true,
      active: true, status: 'active', openCases: 1,
    });
    expect(list.body).not.toContain('K-OPENCASE');
    expect(list.body).not.toContain(open.id);

    const update = await call('PATCH', `/api/admin/organisations/acme/advisors/${anna.accountId}`, { introduction: 'Ik luister.', available: false, affiliation: 'external' });
    expect(update.statusCode).toBe(200);
    expect(update.json().advisor).toMatchObject({ introduction: 'Ik luister.', available: false, affiliation: 'external' });
    expect((await publicPage()).advisors.find((x: { id: string }) => x.id === anna.accountId)).toMatchObject({ introduction: 'Ik luister.', available: false, role: 'external' });
    expect((await call('PATCH', `/api/admin/organisations/acme/advisors/${randomUUID()}`, { available: true })).json().error.code).toBe('advisor_not_found');
    expect((await call('PATCH', `/api/admin/organisations/acme/advisors/${adminId}`, { available: true })).json().error.code).toBe('advisor_not_found');

    const refused = await call('POST', `/api/admin/organisations/acme/advisors/${anna.accountId}/deactivate`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('advisor_has_open_cases');
    expect(refused.json().error.message).toMatch(/1 open case.*hand these over/);
    await db.updateTable('cases').set({ status: 'afgesloten', closed_at: new Date() }).where('id', '=', open.id).execute();
    const done = await call('POST', `/api/admin/organisations/acme/advisors/${anna.accountId}/deactivate`);
    expect(done.statusCode).toBe(200);
    expect(done.json().advisor).toMatchObject({ active: false, openCases: 0 });
    expect((await publicPage()).advisors.map((x: { id: string }) => x.id)).not.toContain(anna.accountId);
    // A deactivated advisor no longer reaches the organisation's register.
    expect((await call('GET', '/api/advisor/organisations/acme/register', undefined, annaCookie)).statusCode).toBe(404);

    expect((await auditOf('admin.advisor_invited')).map((e) => e.detail)).toEqual([
      { advisorAccountId: invite.json().advisor.accountId, alreadyActive: false },
      { advisorAccountId: anna.accountId, alreadyActive: true },
    ]);
    expect((await auditOf('admin.advisor_deactivated')).map((e) => [e.actor_id, e.detail])).toEqual([[adminId, { advisorAccountId: anna.accountId }]]);
    expect((await auditOf('admin.changed')).at(-1)?.detail).toEqual({ section: 'advisor', fields: [`${anna.accountId}.affiliation`, `${anna.accountId}.available`, `${anna.accountId}.introduction`] });
  });
});
