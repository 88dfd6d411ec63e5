// An organisation's own categories reach the melder's form and the advisor's registration,
// and a case's audit trail records what the advisor did with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { inviteStaff } from '../../server/modules/accounts/service.ts';
import { createSession } from '../../server/modules/sessions/service.ts';
import { verifyAuditChain } from '../../server/modules/audit/service.ts';
import { createActiveAdvisor, melderReports, type TestAdvisor } from '../helpers/actors.ts';
import { databaseKinds } from '../helpers/db.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

describe.each(databaseKinds)('organisation categories and the case trail on %s', (kind) => {
  let t: TestApp;
  let anna: TestAdvisor;
  let adminCookie: string;
  let annaCookie: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    const db = t.database.db;
    await createOrganisation(db, { slug: 'acme', name: 'Acme BV' });
    anna = await createActiveAdvisor(db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna' });
    const admin = await inviteStaff(db, { organisationSlug: 'acme', email: 'admin@example.org', name: 'Admin', role: 'admin' });
    await db.updateTable('accounts').set({ status: 'active' }).where('id', '=', admin.accountId).execute();
    adminCookie = `kb_session=${await createSession(db, { subject: 'staff', accountId: admin.accountId })}`;
    annaCookie = `kb_session=${await createSession(db, { subject: 'staff', accountId: anna.accountId })}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a category the admin adds can be chosen by a melder and registered by the advisor; a hidden one cannot', async () => {
    const add = await t.app.inject({ method: 'POST', url: '/api/admin/organisations/acme/categories/ongewenst_gedrag', headers: { cookie: adminCookie }, payload: { key: 'roddelen', label: { nl: 'Roddelen', en: 'Gossip' } } });
    expect(add.statusCode).toBeLessThan(300);
    const hide = await t.app.inject({ method: 'PATCH', url: '/api/admin/organisations/acme/categories/ongewenst_gedrag/werkdruk', headers: { cookie: adminCookie }, payload: { hidden: true } });
    expect(hide.statusCode).toBeLessThan(300);
    const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, category: 'roddelen', remoteAddress: '10.3.0.1' });
    expect(m.createResponse.statusCode).toBe(201);
    const hidden = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, category: 'werkdruk', remoteAddress: '10.3.0.2' });
    expect(hidden.createResponse.statusCode).toBe(400);
    expect(hidden.createResponse.json().error.code).toBe('invalid_category');
    const caseId = (await t.database.db.selectFrom('cases').select('id').where('melder_public_key', '=', m.publicKey).executeTakeFirstOrThrow()).id;
    const reg = await t.app.inject({ method: 'PUT', url: `/api/advisor/cases/${caseId}/registration`, headers: { cookie: annaCookie }, payload: { behaviour: ['roddelen'], help: ['listening_ear'], outcome: 'unknown' } });
    expect(reg.statusCode).toBe(200);
    const regHidden = await t.app.inject({ method: 'PUT', url: `/api/advisor/cases/${caseId}/registration`, headers: { cookie: annaCookie }, payload: { behaviour: ['werkdruk'], help: ['listening_ear'], outcome: 'unknown' } });
    expect(regHidden.statusCode).toBe(400);
  });

  it('opening a case, changing its status and its registration appear in its trail, and the chain holds', async () => {
    const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: '10.3.0.3' });
    const caseId = (await t.database.db.selectFrom('cases').select('id').where('melder_public_key', '=', m.publicKey).executeTakeFirstOrThrow()).id;
    expect((await t.app.inject({ method: 'GET', url: `/api/advisor/cases/${caseId}`, headers: { cookie: annaCookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/advisor/cases/${caseId}`, headers: { cookie: annaCookie }, payload: { status: 'in_behandeling' } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'PUT', url: `/api/advisor/cases/${caseId}/registration`, headers: { cookie: annaCookie }, payload: { behaviour: ['pesten'], help: ['advice'], outcome: 'resolved' } })).statusCode).toBe(200);
    const trail = await t.app.inject({ method: 'GET', url: `/api/advisor/cases/${caseId}/audit`, headers: { cookie: annaCookie } });
    expect(trail.statusCode).toBe(200);
    const actions = trail.json().events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['case.opened', 'case.status_changed', 'case.registration_changed']));
    const status = trail.json().events.find((e: { action: string }) => e.action === 'case.status_changed');
    expect(status.detail).toEqual({ from: 'nieuw', to: 'in_behandeling' });
    expect(JSON.stringify(trail.json())).not.toContain(m.caseCode.replace(/-/g, ''));
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });
});
