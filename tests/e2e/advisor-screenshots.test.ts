// Screenshots of every advisor screen at desktop and phone size, in Dutch and some English, into
// /tmp/shots/advisor/ (not the repository), for a person to look at. Runs only with
// SCREENSHOTS=1: `SCREENSHOTS=1 npx vitest run tests/e2e/advisor-screenshots.test.ts`.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { inviteStaff } from '../../server/modules/accounts/service.ts';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { melderReports, totpCodeAt, type TestAdvisor } from '../helpers/actors.ts';
import { activateThroughUi, advisorLoginThroughUi, passRetypeCheck, reportThroughUi, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

const OUT = '/tmp/shots/advisor';
const sizes = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;
const DAY = 86_400_000;
const PASSWORD = 'zeven blauwe fietsen onder de brug';
const EMAIL = 'vera.devries@example.org';

describe.skipIf(!process.env.SCREENSHOTS)('advisor screenshots', () => {
  let h: BrowserHarness;
  let totpSecret = '';
  let vera: TestAdvisor;
  let mainCaseId = '';

  const shooter = (page: Page, prefix: string) => {
    let n = 0;
    return async (name: string, fullPage = true) => {
      n++;
      await page.waitForTimeout(200);
      await page.screenshot({ path: `${OUT}/${prefix}-${String(n).padStart(2, '0')}-${name}.png`, fullPage });
    };
  };

  /** A fresh TOTP code even within the same 30 s (test shortcut: forgets the last used step). */
  const freshCode = async () => {
    await h.t.database.db.updateTable('accounts').set({ totp_last_step: null }).where('email', '=', EMAIL).execute();
    return totpCodeAt(totpSecret);
  };

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    h = await startBrowserHarness('pglite');
    await createOrganisation(h.t.database.db, { slug: 'acme', name: 'Acme Zorggroep' });
    await createOrganisation(h.t.database.db, { slug: 'duinstad', name: 'Gemeente Duinstad' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('activation (nl phone, nl desktop, en phone)', { timeout: 600_000 }, async () => {
    const runs = [
      { locale: 'nl', size: 'phone', email: EMAIL, name: 'Vera de Vries' },
      { locale: 'nl', size: 'desktop', email: 'bas@example.org', name: 'Bas Jansen' },
      { locale: 'en', size: 'phone', email: 'sam@example.org', name: 'Sam Peters' },
    ] as const;
    for (const run of runs) {
      // A second invite replaces the first one's link: the last invite's token is the one to use.
      if (run.email === EMAIL) await inviteStaff(h.t.database.db, { organisationSlug: 'duinstad', email: run.email, name: run.name, affiliation: 'external' });
      const invite = await inviteStaff(h.t.database.db, { organisationSlug: 'acme', email: run.email, name: run.name, affiliation: 'external' });
      const w = await h.newPage({ viewport: sizes[run.size] });
      const page = w.page;
      const shot = shooter(page, `${run.locale}-${run.size}-activate`);
      if (run.locale === 'en') {
        await page.goto(`${h.baseUrl}/advisor/login`);
        await page.getByTestId('lang-en').click();
      }
      const { totpSecret: secret } = await activateThroughUi(page, {
        baseUrl: h.baseUrl,
        token: invite.token!,
        password: PASSWORD,
        totpCode: (s) => totpCodeAt(s),
        onStep: async (step) => {
          if (step === 'password') {
            await shot('welcome');
            await page.getByTestId('activate-password').fill('Wachtwoord2024!');
            await page.getByTestId('activate-repeat').fill('Wachtwoord2024!');
            await page.getByTestId('password-next').click();
            await page.getByTestId('activate-problem').waitFor();
            await shot('password-refused');
          }
          if (step === 'password-filled') await shot('password-ok');
          if (step === 'recovery') {
            await shot('recovery');
            await page.getByTestId('recovery-retype').fill('AAAA BBBB');
            await page.getByTestId('recovery-next').click();
            await page.getByTestId('recovery-retype-error').waitFor();
            await shot('recovery-wrong', false);
          }
          if (step === 'totp') await shot('totp');
        },
      });
      await shot('done');
      if (run.email === EMAIL) totpSecret = secret;
      await w.context.close();
    }
    const account = await h.t.database.db.selectFrom('accounts').select(['id', 'public_key', 'name']).where('email', '=', EMAIL).executeTakeFirstOrThrow();
    vera = { accountId: account.id, name: account.name, publicKey: account.public_key!, privateKey: undefined as never };
  });

  it('seeds cases of every urgency', { timeout: 600_000 }, async () => {
    const db = h.t.database.db;
    // The main case, through the real melder UI: a full report, a file, and a follow-up message.
    const m = await h.newPage({ viewport: sizes.phone });
    await m.page.goto(`${h.baseUrl}/acme`);
    await m.page.getByTestId('org-name').waitFor();
    const { passphrase } = await reportThroughUi(m.page, {
      advisorName: 'Vera de Vries',
      kind: 'ongewenst_gedrag',
      category: 'pesten',
      what: 'Mijn teamleider maakt me in elk teamoverleg belachelijk waar iedereen bij is. Vorige week zei hij dat ik "het tempo van een slak" heb. Collega\'s lachen mee. Ik slaap er slecht van en zie op tegen maandag.',
      when: 'Sinds februari, elke week',
      where: 'Teamoverleg op maandagochtend',
      who: 'Mijn teamleider; twee collega\'s waren erbij',
      wishes: ['listening_ear', 'advice'],
      contact: 'phone',
      contactDetails: '06-12345678, liefst na 17 uur',
      identity: { name: 'Sam Peters', role: 'Verpleegkundige, afdeling B' },
      files: [{ name: 'notities-teamoverleg.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 notities') }],
    });
    await passRetypeCheck(m.page, passphrase);
    await m.page.getByTestId('compose').fill('Vandaag gebeurde het weer. Kunnen we deze week bellen?');
    await m.page.getByTestId('send-message').click();
    await m.page.getByTestId('message-sent').waitFor({ timeout: 60_000 });
    await m.context.close();
    mainCaseId = (await db.selectFrom('cases').select('id').executeTakeFirstOrThrow()).id;

    // More cases through the API, dates moved to show every urgency.
    const now = Date.now();
    const seed = async (
      slug: string,
      kind: 'ongewenst_gedrag' | 'misstand',
      category: string,
      dates: { createdDaysAgo: number; firstReplyDueInDays: number; firstReplyDaysAgo?: number; feedbackDueInDays?: number },
      extra: Record<string, unknown> = {},
    ) => {
      await melderReports(h.t.app, { organisationSlug: slug, advisor: vera, kind, category, text: 'Een melding.' });
      const c = await db.selectFrom('cases').select('id').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      const created = new Date(now - dates.createdDaysAgo * DAY);
      await db.updateTable('cases').set({
        created_at: created, acknowledged_at: created, last_activity_at: new Date(now - Math.max(0, dates.createdDaysAgo - 1) * DAY),
        first_reply_due_at: new Date(now + dates.firstReplyDueInDays * DAY),
        first_reply_at: dates.firstReplyDaysAgo === undefined ? null : new Date(now - dates.firstReplyDaysAgo * DAY),
        ...(dates.feedbackDueInDays === undefined ? {} : { feedback_due_at: new Date(now + dates.feedbackDueInDays * DAY) }),
        ...extra,
      }).where('id', '=', c.id).execute();
    };
    await seed('duinstad', 'misstand', 'fraude', { createdDaysAgo: 9, firstReplyDueInDays: -2, feedbackDueInDays: 81 });
    await seed('acme', 'ongewenst_gedrag', 'discriminatie', { createdDaysAgo: 6, firstReplyDueInDays: 1 });
    await seed('duinstad', 'misstand', 'undisclosed', { createdDaysAgo: 80, firstReplyDueInDays: -73, firstReplyDaysAgo: 78, feedbackDueInDays: 10 }, { status: 'in_behandeling' });
    await seed('acme', 'ongewenst_gedrag', 'werkdruk', { createdDaysAgo: 20, firstReplyDueInDays: -13, firstReplyDaysAgo: 18 }, { status: 'nazorg' });
    await seed('acme', 'ongewenst_gedrag', 'intimidatie', { createdDaysAgo: 60, firstReplyDueInDays: -53, firstReplyDaysAgo: 58 }, { status: 'afgesloten', closed_at: new Date(now - 5 * DAY), closed_by: 'advisor' });
    // The main case: received two days ago (so the first reply is due in five), the follow-up yesterday.
    const twoDaysAgo = new Date(now - 2 * DAY);
    await db.updateTable('cases').set({ created_at: twoDaysAgo, acknowledged_at: twoDaysAgo, first_reply_due_at: new Date(now + 5 * DAY) }).where('id', '=', mainCaseId).execute();
    await db.updateTable('messages').set({ created_at: twoDaysAgo }).where('case_id', '=', mainCaseId).where('kind', '=', 'report').execute();
    await db.updateTable('messages').set({ created_at: new Date(now - DAY + 3_600_000) }).where('case_id', '=', mainCaseId).where('kind', '=', 'message').execute();
    await db.updateTable('attachments').set({ created_at: new Date(twoDaysAgo.getTime() + 60_000) }).where('case_id', '=', mainCaseId).execute();
    expect((await db.selectFrom('cases').select('id').execute()).length).toBe(6);
  });

  it('login, inbox, case, account (nl desktop)', { timeout: 600_000 }, async () => {
    const w = await h.newPage({ viewport: sizes.desktop });
    const page = w.page;
    const shot = shooter(page, 'nl-desktop-work');
    await page.goto(`${h.baseUrl}/advisor`);
    await page.getByTestId('advisor-login').waitFor();
    await shot('login');
    await page.getByTestId('login-email').fill(EMAIL);
    await page.getByTestId('login-password').fill('niet mijn wachtwoord hoor');
    await page.getByTestId('login-code').fill('123456');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor({ timeout: 120_000 });
    await shot('login-failed');
    await advisorLoginThroughUi(page, { email: EMAIL, password: PASSWORD, code: await freshCode() });
    await page.getByTestId('inbox-table').waitFor();
    await shot('inbox');
    await page.getByTestId('filter-kind').selectOption('misstand');
    await expect.poll(() => page.getByTestId('inbox-case').count()).toBe(2);
    await shot('inbox-filtered');
    await page.getByTestId('filter-kind').selectOption('');
    await expect.poll(() => page.getByTestId('inbox-case').count()).toBe(6);

    // The main case: read, reply, a note, a file, status and registration.
    await page.locator(`a[href="/advisor/cases/${mainCaseId}"]`).click();
    await page.locator('[data-testid="case-item"][data-kind="report"]').waitFor({ timeout: 60_000 });
    await shot('case-new');
    await page.getByTestId('reply-text').fill('Dank je wel voor je melding. Wat vervelend dat dit elke week gebeurt. Ik bel je donderdag na 17 uur; dan kijken we samen wat je wilt doen.');
    await page.getByTestId('reply-submit').click();
    await page.getByTestId('reply-sent').waitFor({ timeout: 60_000 });
    await page.getByTestId('note-text').fill('Eerste indruk: patroon van kleineren in het teamoverleg. Vragen naar eerdere gesprekken met de teamleider. Bedrijfsarts noemen.');
    await page.getByTestId('note-submit').click();
    await page.getByTestId('note-sent').waitFor({ timeout: 60_000 });
    await page.getByTestId('file-input').setInputFiles([{ name: 'folder-bedrijfsarts.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(180_000, 7) }]);
    await expect.poll(() => page.getByTestId('upload').getAttribute('data-phase'), { timeout: 60_000 }).toBe('done');
    await page.getByTestId('behaviour-pesten').check();
    await page.getByTestId('help-listening_ear').check();
    await page.getByTestId('help-referral').check();
    await page.getByTestId('registration-referred').fill('bedrijfsarts');
    await page.getByTestId('registration-outcome').selectOption('unknown');
    await page.getByTestId('registration-save').click();
    await page.getByTestId('registration-saved').waitFor();
    await page.getByTestId('case-refresh').click();
    await page.locator('[data-testid="case-item"][data-kind="note"]').waitFor();
    await shot('case-worked');
    await page.getByTestId('status-target').selectOption('afgesloten');
    await page.getByTestId('status-submit').click();
    await page.getByTestId('close-dialog').waitFor();
    await shot('case-close-dialog', false);
    await page.getByTestId('close-dialog').getByText(/annuleren/i).click();

    await page.goto(`${h.baseUrl}/advisor/account`);
    await page.getByTestId('advisor-unlock').waitFor();
    await shot('unlock-after-reload');
    await page.getByTestId('unlock-password').fill(PASSWORD);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('account-page').waitFor({ timeout: 120_000 });
    await page.getByTestId('fingerprint').waitFor();
    await shot('account');
    await page.goto(`${h.baseUrl}/advisor/recover`);
    await page.getByTestId('recover-page').waitFor();
    await page.getByTestId('recover-key').fill('ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789');
    await page.getByTestId('recover-submit').click();
    await page.getByTestId('recover-problem').waitFor();
    await shot('recover');
    await w.context.close();
  });

  for (const [locale, size] of [['nl', 'phone'], ['en', 'desktop'], ['en', 'phone']] as const) {
    it(`inbox, case, account (${locale} ${size})`, { timeout: 600_000 }, async () => {
      const w = await h.newPage({ viewport: sizes[size] });
      const page = w.page;
      const shot = shooter(page, `${locale}-${size}-work`);
      await page.goto(`${h.baseUrl}/advisor/login`);
      if (locale === 'en') await page.getByTestId('lang-en').click();
      await page.getByTestId('advisor-login').waitFor();
      await shot('login');
      await advisorLoginThroughUi(page, { email: EMAIL, password: PASSWORD, code: await freshCode() });
      await page.getByTestId('inbox-case').first().waitFor();
      await shot('inbox');
      await page.locator(`a[href="/advisor/cases/${mainCaseId}"]`).click();
      await page.locator('[data-testid="case-item"][data-kind="note"]').waitFor({ timeout: 60_000 });
      await shot('case');
      await page.locator('a[href="/advisor/account"]').click();
      await page.getByTestId('account-page').waitFor();
      await shot('account');
      await w.context.close();
    });
  }
});
