import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database.ts';
import { audit } from '../../server/modules/audit/service.ts';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { createSession } from '../../server/modules/sessions/service.ts';
import { databaseKinds } from '../helpers/db.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createActiveAdvisor, type TestAdvisor } from '../helpers/actors.ts';

describe.each(databaseKinds)('case audit trail on %s', (kind) => {
  let t: TestApp;
  let db: Kysely<Database>;
  let anna: TestAdvisor;
  let caseId: string;
  let otherCaseId: string;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(kind);
    db = t.database.db;
    const org = await createOrganisation(db, { slug: 'acme', name: 'Acme BV' });
    anna = await createActiveAdvisor(db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna de Vries' });
    const bob = await createActiveAdvisor(db, { organisationSlug: 'acme', email: 'bob@example.org', name: 'Bob' });
    const admin = await db.insertInto('accounts').values({ email: 'admin@example.org', name: 'Admin', status: 'active' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('memberships').values({ account_id: admin.id, organisation_id: org.id, role: 'admin' }).execute();
    for (const [name, id] of [['anna', anna.accountId], ['bob', bob.accountId], ['admin', admin.id]] as const) {
      cookies[name] = `kb_session=${await createSession(db, { subject: 'staff', accountId: id })}`;
    }
    const insert = async (advisorId: string) => (await db.insertInto('cases').values({
      organisation_id: org.id, code_digest: `t-${randomUUID()}`, reference: `K-${randomUUID().slice(0, 8).toUpperCase()}`, kind: 'misstand', category: 'fraude',
      advisor_id: advisorId, first_reply_due_at: new Date(),
    }).returning('id').executeTakeFirstOrThrow()).id;
    caseId = await insert(anna.accountId);
    otherCaseId = await insert(bob.accountId);
    await audit(db, { actorType: 'staff', actorId: anna.accountId, organisationId: org.id, caseId, action: 'case.opened' });
    await audit(db, { actorType: 'staff', actorId: bob.accountId, organisationId: org.id, caseId: otherCaseId, action: 'case.opened' });
    await audit(db, { actorType: 'staff', actorId: anna.accountId, organisationId: org.id, caseId, action: 'case.status_changed', detail: { from: 'nieuw', to: 'in_behandeling' } });
    await audit(db, { actorType: 'melder', caseId, action: 'case.status_changed', detail: { from: 'in_behandeling', to: 'afgesloten' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the assigned advisor sees the trail of their own case, oldest first', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/advisor/cases/${caseId}/audit`, headers: { cookie: cookies.anna! } });
    expect(res.statusCode).toBe(200);
    const events = res.json().events;
    expect(events.map((e: { action: string; actorType: string; actorName: string | null; detail: unknown }) => [e.action, e.actorType, e.actorName, e.detail])).toEqual([
      ['case.opened', 'staff', 'Anna de Vries', {}],
      ['case.status_changed', 'staff', 'Anna de Vries', { from: 'nieuw', to: 'in_behandeling' }],
      ['case.status_changed', 'melder', null, { from: 'in_behandeling', to: 'afgesloten' }],
    ]);
    expect(events[0].actorId).toBe(anna.accountId);
    expect(events[2].actorId).toBeNull();
    expect(new Date(events[0].at).getTime()).toBeLessThanOrEqual(new Date(events[2].at).getTime());
  });

  it('anyone else gets the same 404 as for a case that does not exist', async () => {
    for (const [cookie, id] of [[cookies.bob!, caseId], [cookies.admin!, caseId], [cookies.anna!, otherCaseId], [cookies.anna!, randomUUID()]] as const) {
      const res = await t.app.inject({ method: 'GET', url: `/api/advisor/cases/${id}/audit`, headers: { cookie } });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('case_not_found');
    }
    expect((await t.app.inject({ method: 'GET', url: `/api/advisor/cases/${caseId}/audit` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/advisor/cases/not-a-uuid/audit', headers: { cookie: cookies.anna! } })).statusCode).toBe(400);
  });
});
