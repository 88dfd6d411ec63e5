import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { createActiveAdvisor } from '../helpers/actors.ts';
import { databaseKinds } from '../helpers/db.ts';
import { startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

describe.each(databaseKinds)('public organisation page in Chromium on %s', (kind) => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness(kind);
    await createOrganisation(h.t.database.db, { slug: 'acme', name: 'Acme BV' });
    await createActiveAdvisor(h.t.database.db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna de Vries' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows the organisation and its advisors, switches language, with no CSP violation, error or foreign request', async () => {
    const w = await h.newPage({ viewport: { width: 390, height: 844 } });
    await w.page.goto(`${h.baseUrl}/acme`);
    await expect.poll(() => w.page.getByTestId('org-name').textContent()).toContain('Acme BV');
    await expect.poll(() => w.page.locator('body').innerText()).toContain('Anna de Vries');
    const dutch = await w.page.getByTestId('start-report').innerText();
    await w.page.getByTestId('lang-en').click();
    await expect.poll(() => w.page.getByTestId('start-report').innerText()).not.toBe(dutch);
    expect(await w.page.evaluate(() => document.documentElement.lang)).toBe('en');
    // The choice is remembered without a cookie.
    await w.page.reload();
    await expect.poll(() => w.page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await w.context.cookies()).toEqual([]);
    expect(w.page.url()).toBe(`${h.baseUrl}/acme`);
    expect(await w.cspViolations()).toEqual([]);
    expect(w.consoleErrors).toEqual([]);
    expect(w.foreignRequests).toEqual([]);
  });

  it('an unknown organisation gets a friendly not-found page', async () => {
    const w = await h.newPage();
    await w.page.goto(`${h.baseUrl}/no-such-org`);
    await expect.poll(() => w.page.locator('main').innerText()).toMatch(/kennen deze organisatie niet/i);
    expect(await w.cspViolations()).toEqual([]);
    expect(w.foreignRequests).toEqual([]);
  });
});
