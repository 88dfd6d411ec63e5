// Every page of the app, as an anonymous visitor and as a logged-in advisor and admin, under the
// strict CSP: zero `securitypolicyviolation` events, zero requests to another origin, no cookie
// but the HttpOnly, SameSite=Strict session cookie.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { inviteStaff } from '../../server/modules/accounts/service.ts';
import { createSession } from '../../server/modules/sessions/service.ts';
import { createActiveAdvisor, melderReports } from '../helpers/actors.ts';
import { startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

describe('every page under the strict CSP (PGlite)', () => {
  let h: BrowserHarness;
  let caseId: string;
  let annaId: string;
  let adminId: string;
  beforeAll(async () => {
    h = await startBrowserHarness('pglite');
    const db = h.t.database.db;
    await createOrganisation(db, { slug: 'acme', name: 'Acme BV' });
    const anna = await createActiveAdvisor(db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna de Vries' });
    annaId = anna.accountId;
    const m = await melderReports(h.t.app, { organisationSlug: 'acme', advisor: anna });
    caseId = (await db.selectFrom('cases').select('id').where('melder_public_key', '=', m.publicKey).executeTakeFirstOrThrow()).id;
    const admin = await inviteStaff(db, { organisationSlug: 'acme', email: 'admin@example.org', name: 'Admin', role: 'admin' });
    await db.updateTable('accounts').set({ status: 'active' }).where('id', '=', admin.accountId).execute();
    adminId = admin.accountId;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  const visit = async (paths: string[], accountId?: string) => {
    const w = await h.newPage({ viewport: { width: 390, height: 844 } });
    if (accountId) {
      const token = await createSession(h.t.database.db, { subject: 'staff', accountId });
      await w.context.addCookies([{ name: 'kb_session', value: token, url: `${h.baseUrl}/api`, httpOnly: true, sameSite: 'Strict' }]);
    }
    for (const path of paths) {
      await w.page.goto(`${h.baseUrl}${path}`);
      await w.page.waitForLoadState('networkidle');
      await expect.poll(() => w.page.evaluate(() => document.querySelector('#app')?.children.length ?? 0)).toBeGreaterThan(0);
      const violations = await w.cspViolations();
      expect(violations, `CSP violations on ${path}`).toEqual([]);
    }
    expect(w.foreignRequests).toEqual([]);
    for (const c of await w.context.cookies()) {
      expect(c.name).toBe('kb_session');
      expect(c.httpOnly).toBe(true);
      expect(c.sameSite).toBe('Strict');
    }
    await w.context.close();
  };

  it('public pages', async () => {
    await visit(['/', '/acme', '/no-such-org', '/weer', '/advisor/login', '/advisor/recover', '/advisor/activate#not-a-real-token', '/admin', '/some/deep/path']);
  }, 120_000);

  it('advisor pages (logged in, key not unlocked: the unlock form)', async () => {
    await visit(['/advisor', `/advisor/cases/${caseId}`, '/advisor/account', '/advisor/organisations', '/advisor/organisations/acme/register', '/advisor/organisations/acme/jaarverslag'], annaId);
  }, 120_000);

  it('admin pages', async () => {
    await visit(['/admin', '/admin/acme', '/admin/acme/advisors', '/admin/acme/categories', '/admin/acme/settings', '/admin/acme/texts', '/admin/acme/authorities'], adminId);
  }, 120_000);
});
