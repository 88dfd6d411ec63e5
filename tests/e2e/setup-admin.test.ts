// A fresh installation through the real UI in Chromium: `/` shows the setup wizard; with the
// setup token the first organisation and its admin are created (password → Argon2id in a
// worker, key pair, recovery key, TOTP — as an advisor's activation); the admin lands in the
// console, invites an advisor (and sees the activation link), edits the public introduction and
// sees it on /<slug>. Then the admin cannot reach a case: with the admin's own session cookie
// the case routes answer 404, and no console page shows a case reference. Throughout: no CSP
// violation, no foreign request, no console error but the deliberate 4xx answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSetupToken } from '../../server/modules/setup/service.ts';
import { createActiveAdvisor, melderReports, totpCodeAt } from '../helpers/actors.ts';
import { databaseKinds } from '../helpers/db.ts';
import { startBrowserHarness, type BrowserHarness, type WatchedPage } from '../helpers/browser.ts';

const PHONE = { width: 390, height: 844 };
const SECTIONS = ['profile', 'advisors', 'categories', 'settings', 'texts', 'authorities'] as const;

async function expectCleanPage(w: WatchedPage, expected?: RegExp) {
  expect(w.consoleErrors.filter((line) => !expected?.test(line))).toEqual([]);
  expect(w.foreignRequests).toEqual([]);
  expect(await w.cspViolations()).toEqual([]);
}

describe.each(databaseKinds)('setup wizard and admin console in Chromium on %s', (kind) => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness(kind);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('sets up the first organisation, the admin invites an advisor and edits the public page, and cannot reach a case', { timeout: 600_000 }, async () => {
    const db = h.t.database.db;
    const email = 'beheer@example.org';
    const password = 'Paarse-olifant-zingt-7-liedjes';
    const w = await h.newPage({ viewport: PHONE });
    const { page } = w;

    // --- Step 1: the setup token (the GET /api/setup behind the page made it) ---
    await page.goto(`${h.baseUrl}/`);
    await page.locator('[data-testid="setup-wizard"][data-step="token"]').waitFor({ timeout: 60_000 });
    const token = await ensureSetupToken(db);
    expect(token).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){4}$/);
    // Something that cannot be a token is stopped here, with the reason.
    await page.getByTestId('setup-token').fill('0000-1111');
    await page.getByTestId('setup-next').click();
    await page.getByTestId('setup-token-problem').waitFor();
    // A token of the right shape but not this installation's: refused only by the server, at the end.
    await page.getByTestId('setup-token').fill('aaaaa-bbbbb-ccccc-ddddd-eeeee');
    await page.getByTestId('setup-next').click();

    // --- Step 2: the organisation, with a live preview of its address ---
    await page.locator('[data-testid="setup-wizard"][data-step="organisation"]').waitFor();
    await page.getByTestId('setup-org-name').fill('Acme Zorg BV');
    await expect.poll(() => page.getByTestId('setup-slug-preview').innerText()).toBe(`${h.baseUrl}/acme-zorg-bv`);
    await page.getByTestId('setup-slug').fill('admin');
    await page.getByTestId('setup-slug-problem').waitFor();
    await page.getByTestId('setup-slug').fill('acme');
    await expect.poll(() => page.getByTestId('setup-slug-preview').innerText()).toBe(`${h.baseUrl}/acme`);
    await page.getByTestId('setup-next').click();

    // --- Step 3: the admin's account; the keys are made in the browser (Argon2id: slow) ---
    await page.locator('[data-testid="setup-wizard"][data-step="account"]').waitFor();
    await page.getByTestId('setup-admin-name').fill('Bea Beheer');
    await page.getByTestId('setup-admin-email').fill(email);
    await page.getByTestId('setup-password').fill('welkom123');
    await page.getByTestId('setup-repeat').fill('welkom123');
    await page.getByTestId('setup-next').click();
    await page.getByTestId('setup-problem').waitFor();
    await page.getByTestId('setup-password').fill(password);
    await page.getByTestId('setup-repeat').fill(password);
    expect(await page.getByTestId('setup-admin-is-advisor').isChecked()).toBe(false);
    await page.getByTestId('setup-next').click();
    await page.getByTestId('recovery-step').waitFor({ timeout: 180_000 });

    // --- Step 4: the recovery key, retyped ---
    const recoveryKey = await page.getByTestId('recovery-key').getAttribute('data-value');
    expect(recoveryKey).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}$/);
    await page.getByTestId('recovery-retype').fill(recoveryKey!.split('-').slice(-2).join(' '));
    await page.getByTestId('recovery-next').click();

    // --- Step 5: the authenticator app; a code computed from the secret on the page ---
    await page.getByTestId('setup-totp-step').waitFor();
    const totpSecret = await page.getByTestId('totp-secret').getAttribute('data-value');
    expect(totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByTestId('totp-code').fill(await totpCodeAt(totpSecret!));
    await page.getByTestId('setup-submit').click();

    // The server refuses the token: back at step 1, told why, nothing else lost.
    await page.getByTestId('setup-token-refused').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('setup-token-refused').innerText()).toMatch(/installatiecode klopt niet/);
    expect(await page.locator('[data-testid="setup-wizard"]').getAttribute('data-step')).toBe('token');
    expect(await db.selectFrom('organisations').select('id').execute()).toEqual([]);
    await page.getByTestId('setup-token').fill(token!.toUpperCase().replace(/-/g, ' '));
    await page.getByTestId('setup-next').click();
    // With the token fixed it goes straight back to the last step: keys, recovery key and secret kept.
    await page.getByTestId('setup-totp-step').waitFor();
    expect(await page.getByTestId('totp-secret').getAttribute('data-value')).toBe(totpSecret);
    await page.getByTestId('totp-code').fill(await totpCodeAt(totpSecret!));
    await page.getByTestId('setup-submit').click();
    await page.getByTestId('setup-done').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('setup-done-public').innerText()).toBe(`${h.baseUrl}/acme`);

    // The server has the organisation and an admin-only account; setup is over for good.
    const org = await db.selectFrom('organisations').selectAll().executeTakeFirstOrThrow();
    expect(org).toMatchObject({ slug: 'acme', name: 'Acme Zorg BV' });
    const admin = await db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    expect(admin.status).toBe('active');
    const roles = await db.selectFrom('memberships').select('role').where('account_id', '=', admin.id).execute();
    expect(roles.map((r) => r.role)).toEqual(['admin']);
    expect(await ensureSetupToken(db)).toBeNull();
    expect((await h.t.app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ needed: false });

    // --- The admin console ---
    await page.getByTestId('setup-to-console').click();
    await page.getByTestId('admin-console').waitFor({ timeout: 60_000 });
    expect(page.url()).toBe(`${h.baseUrl}/admin/acme`);
    expect(await page.getByTestId('admin-no-cases').innerText()).toMatch(/Je ziet nooit meldingen; alleen aantallen/);
    expect(await page.getByTestId('admin-org-name').innerText()).toBe('Acme Zorg BV');

    // Invite an advisor: the activation link is shown to copy and forward.
    await page.getByTestId('section-advisors').click();
    await page.locator('[data-testid="admin-console"][data-section="advisors"]').waitFor();
    await page.getByTestId('invite-name').fill('Vera de Vries');
    await page.getByTestId('invite-email').fill('vera@example.org');
    await page.getByTestId('invite-submit').click();
    const link = await page.getByTestId('activation-link').getAttribute('data-value', { timeout: 30_000 });
    expect(link).toMatch(new RegExp(`/advisor/activate#[A-Za-z0-9_-]{20,}$`));
    await expect.poll(() => page.locator('[data-testid="admin-advisor"][data-email="vera@example.org"]').getAttribute('data-status')).toBe('invited');

    // Edit the public introduction: the preview is the server's rendered Markdown.
    await page.getByTestId('section-texts').click();
    await page.locator('[data-testid="admin-console"][data-section="texts"]').waitFor();
    await page.getByTestId('text-nl-introduction').fill('Welkom bij het meldpunt van **Acme Zorg**. <script>alert(1)</script>');
    await page.getByTestId('texts-save').click();
    await expect.poll(() => page.getByTestId('preview-nl-introduction').innerHTML(), { timeout: 30_000 }).toContain('<strong>Acme Zorg</strong>');
    // Raw HTML is shown as text, never run or inserted as markup.
    expect(await page.getByTestId('preview-nl-introduction').innerText()).toContain('<script>alert(1)</script>');
    expect(await page.locator('[data-testid="preview-nl-introduction"] script').count()).toBe(0);

    // The public page shows the change.
    await page.getByTestId('admin-public-link').click();
    await page.getByTestId('public-page').waitFor();
    await expect.poll(() => page.getByTestId('public-introduction').innerHTML()).toContain('<strong>Acme Zorg</strong>');
    expect(await page.getByTestId('org-name').innerText()).toBe('Acme Zorg BV');

    // --- The admin cannot reach a case ---
    const advisor = await createActiveAdvisor(db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna Jansen' });
    await melderReports(h.t.app, { organisationSlug: 'acme', advisor, kind: 'misstand', category: 'fraude' });
    const theCase = await db.selectFrom('cases').select(['id', 'reference']).executeTakeFirstOrThrow();
    const asAdmin = await page.evaluate(async (id) => {
      const statusOf = async (path: string) => (await fetch(path, { credentials: 'same-origin' })).status;
      const inbox = await fetch('/api/advisor/cases', { credentials: 'same-origin' });
      return {
        case: await statusOf(`/api/advisor/cases/${id}`),
        trail: await statusOf(`/api/advisor/cases/${id}/audit`),
        register: await statusOf('/api/advisor/organisations/acme/register'),
        jaarverslag: await statusOf('/api/advisor/organisations/acme/jaarverslag'),
        inbox: inbox.status,
        inboxText: await inbox.text(),
      };
    }, theCase.id);
    expect(asAdmin).toMatchObject({ case: 404, trail: 404, register: 404, jaarverslag: 404 });
    // The inbox of an account without advisor memberships is empty (or refused) — never the case.
    expect(asAdmin.inboxText).not.toContain(theCase.id);
    expect(asAdmin.inboxText).not.toContain(theCase.reference);

    // No console page shows a case reference or id; the advisor list shows a count only.
    await page.goto(`${h.baseUrl}/admin/acme`);
    await page.getByTestId('advisor-unlock').waitFor({ timeout: 60_000 });
    // After a reload the key must be unlocked again with the password (as on the advisor pages).
    await page.getByTestId('unlock-password').fill(password);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('admin-console').waitFor({ timeout: 120_000 });
    for (const section of SECTIONS) {
      await page.getByTestId(`section-${section}`).click();
      await page.locator(`[data-testid="admin-console"][data-section="${section}"]`).waitFor();
      await page.getByTestId(`section-${section}`).and(page.locator('[aria-current="page"]')).waitFor();
      const html = await page.content();
      expect(html, section).not.toContain(theCase.reference);
      expect(html, section).not.toContain(theCase.id);
    }
    await page.getByTestId('section-advisors').click();
    const anna = page.locator('[data-testid="admin-advisor"][data-email="anna@example.org"]');
    await expect.poll(() => anna.getByTestId('advisor-open-cases').getAttribute('data-count')).toBe('1');

    // Deactivating an advisor with open cases is refused, and the message says why.
    await anna.getByTestId('advisor-deactivate').click();
    await anna.getByTestId('deactivate-dialog').getByTestId('confirm').click();
    await expect.poll(() => anna.getByTestId('deactivate-error').innerText(), { timeout: 30_000 }).toMatch(/open meldingen.*overgedragen/i);
    expect(await anna.getAttribute('data-status')).toBe('active');

    // Only the session cookie; nothing in storage but the language.
    expect((await w.context.cookies()).map((c) => c.name)).toEqual(['kb_session']);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k !== 'klankbord.lang'))).toEqual([]);
    // The 403 (wrong token), the 404s and the 409 are the deliberate refusals above.
    await expectCleanPage(w, /status of (403|404|409)/);
  });
});
