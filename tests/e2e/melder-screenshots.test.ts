// Screenshots of every melder screen at phone and desktop size, in Dutch and English, into
// /tmp/shots/melder/ (not the repository), for a person to look at. Runs only with
// SCREENSHOTS=1: `SCREENSHOTS=1 npx vitest run tests/e2e/melder-screenshots.test.ts`.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { advisorReplies, createActiveAdvisor, type TestAdvisor } from '../helpers/actors.ts';
import { passRetypeCheck, returnThroughUi, startBrowserHarness, wizardAt, type BrowserHarness } from '../helpers/browser.ts';

const OUT = '/tmp/shots/melder';
const sizes = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;

describe.skipIf(!process.env.SCREENSHOTS)('melder screenshots', () => {
  let h: BrowserHarness;
  let anna: TestAdvisor;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    h = await startBrowserHarness('pglite');
    await createOrganisation(h.t.database.db, { slug: 'acme', name: 'Acme Zorggroep' });
    anna = await createActiveAdvisor(h.t.database.db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna de Vries' });
    await createActiveAdvisor(h.t.database.db, { organisationSlug: 'acme', email: 'bas@example.org', name: 'Bas Jansen', available: false });
    await h.t.database.db.updateTable('memberships').set({ introduction: 'Ik ben sinds 2019 vertrouwenspersoon bij Acme. Je kunt me alles vertellen; ik denk met je mee en er gebeurt niets zonder jouw toestemming.' }).execute();
  });
  afterAll(async () => {
    await h?.close();
  });

  for (const locale of ['nl', 'en'] as const) {
    for (const size of ['phone', 'desktop'] as const) {
      it(`${locale} ${size}`, { timeout: 300_000 }, async () => {
        const w = await h.newPage({ viewport: sizes[size] });
        const page = w.page;
        let n = 0;
        const shot = async (name: string, fullPage = true) => {
          n++;
          await page.waitForTimeout(150);
          await page.screenshot({ path: `${OUT}/${locale}-${size}-${String(n).padStart(2, '0')}-${name}.png`, fullPage });
        };
        await page.goto(`${h.baseUrl}/acme`);
        await page.getByTestId('org-name').waitFor();
        if (locale === 'en') await page.getByTestId('lang-en').click();
        await shot('org-page');

        await page.getByTestId('start-report').click();
        await wizardAt(page, 'kind');
        await page.getByTestId('wizard-next').click();
        await page.getByTestId('step-error').waitFor();
        await shot('kind-error', false);
        await page.getByTestId('kind-ongewenst_gedrag').click();
        await page.getByTestId('category-pesten').click();
        await shot('kind');
        await page.getByTestId('kind-misstand').click();
        await shot('kind-misstand');
        await page.getByTestId('category-fraude').click();
        await page.getByTestId('wizard-next').click();
        await wizardAt(page, 'advisor');
        await page.locator('label.choice', { hasText: 'Anna de Vries' }).click();
        await shot('advisor');
        await page.getByTestId('wizard-next').click();
        await wizardAt(page, 'what');
        await page.getByTestId('report-what').fill('Bij de afdeling inkoop worden facturen van één leverancier steeds goedgekeurd zonder dat er iets geleverd is. Ik zag het drie keer in april.');
        await page.getByTestId('report-when').fill('April, drie keer');
        await shot('what');
        await page.getByTestId('wizard-next').click();
        await wizardAt(page, 'wishes');
        await page.getByTestId('wish-advice').click();
        await page.getByTestId('wish-misstand_investigation').click();
        await page.getByTestId('contact-phone').click();
        await page.getByTestId('contact-details').fill('06-12345678, na 17 uur');
        await shot('wishes');
        await page.getByTestId('wizard-next').click();
        await wizardAt(page, 'identity');
        await page.getByTestId('identity-reveal').click();
        await page.getByTestId('identity-name').fill('Sam Peters');
        await shot('identity');
        await page.getByTestId('wizard-next').click();
        await wizardAt(page, 'files');
        await page.getByTestId('file-input').setInputFiles([
          { name: 'factuur-april.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(1_400_000, 7) },
          { name: 'foto-magazijn.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(380_000, 9) },
        ]);
        await shot('files');
        await page.getByTestId('wizard-next').click();
        await wizardAt(page, 'review');
        await shot('review');

        // Sending, slowed down; then a network failure with its retry.
        await page.route('**/api/cases', (route) => route.abort('failed'));
        await page.getByTestId('send-report').click();
        await page.getByTestId('send-error').waitFor({ timeout: 60_000 });
        await shot('send-failed');
        await page.unroute('**/api/cases');
        await page.route('**/api/cases', async (route) => {
          await new Promise((resolve) => setTimeout(resolve, 2500));
          await route.continue();
        });
        await page.getByTestId('retry-send').click();
        await page.getByTestId('sending').waitFor();
        await page.waitForTimeout(800);
        await shot('sending', false);
        await page.getByTestId('receipt').waitFor({ timeout: 60_000 });
        await page.unroute('**/api/cases');
        await shot('receipt-uploading');
        for (const item of await page.getByTestId('upload').all()) {
          await item.and(page.locator('[data-phase="done"]')).waitFor({ timeout: 60_000 });
        }
        await shot('receipt');
        const caseCode = (await page.getByTestId('receipt-case-code').getAttribute('data-value'))!;
        const passphrase = (await page.getByTestId('receipt-passphrase').getAttribute('data-value'))!;
        await page.getByTestId('retype').fill('abcd');
        await page.getByTestId('retype-continue').click();
        await page.getByTestId('retype-error').waitFor();
        await shot('retype-wrong', false);
        await page.emulateMedia({ media: 'print' });
        await shot('receipt-print');
        await page.emulateMedia({ media: 'screen' });
        await passRetypeCheck(page, passphrase);
        await page.getByTestId('summary-what').waitFor({ timeout: 30_000 });
        await shot('mailbox-new');

        // The advisor replies; the melder returns in a fresh browser.
        const theCase = await h.t.database.db.selectFrom('cases').select(['id', 'melder_public_key']).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
        await advisorReplies(h.t.database.db, anna, theCase.melder_public_key!, theCase.id, locale === 'nl'
          ? 'Dank je wel voor je melding. Ik bel je donderdag na 17 uur, zoals je vroeg. Je hoeft tot die tijd niets te doen.'
          : 'Thank you for your report. I will call you on Thursday after 5 pm, as you asked. You do not need to do anything until then.');

        const w2 = await h.newPage({ viewport: sizes[size] });
        const p2 = w2.page;
        await p2.goto(`${h.baseUrl}/acme`);
        await p2.getByTestId('org-name').waitFor();
        if (locale === 'en') await p2.getByTestId('lang-en').click();
        await p2.getByTestId('return-to-report').click();
        await p2.getByTestId('return-code').fill('1234 5678');
        await p2.getByTestId('return-submit').click();
        await p2.getByTestId('return-problem').waitFor();
        const shot2 = async (name: string, fullPage = true) => {
          n++;
          await p2.waitForTimeout(150);
          await p2.screenshot({ path: `${OUT}/${locale}-${size}-${String(n).padStart(2, '0')}-${name}.png`, fullPage });
        };
        await shot2('return-form-problem');
        await p2.getByTestId('return-to-report').isVisible().catch(() => false);
        await p2.getByTestId('return-code').fill(caseCode);
        await p2.getByTestId('return-passphrase').fill('aaaa-bbbb-cccc-dddd-eeee-ffff');
        await p2.getByTestId('return-submit').click();
        await p2.getByTestId('return-error').waitFor({ timeout: 30_000 });
        await shot2('return-form-login-failed');
        await p2.getByTestId('return-passphrase').fill(passphrase);
        await p2.getByTestId('return-submit').click();
        await p2.getByTestId('mailbox').waitFor({ timeout: 60_000 });
        await p2.locator('[data-testid="thread-item"][data-sender="advisor"]').waitFor({ timeout: 30_000 });
        await shot2('mailbox-reply');
        await p2.getByTestId('change-wishes').click();
        await shot2('mailbox-change-wishes');
        await p2.getByTestId('end-case').click();
        await p2.getByTestId('end-dialog').waitFor();
        await shot2('end-dialog', false);
        await p2.keyboard.press('Escape');

        // Session expiry, with a draft.
        await p2.getByTestId('compose').fill('Nog een vraag over donderdag.');
        await h.t.database.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) }).execute();
        await p2.getByTestId('send-message').click();
        await p2.getByTestId('session-expired').waitFor();
        await shot2('session-expired');

        await page.getByTestId('quick-exit').click();
        await page.getByTestId('neutral-page').waitFor();
        await shot('quick-exit');
        await returnThroughUi(p2, caseCode, passphrase).catch(() => {});
      });
    }
  }
});
