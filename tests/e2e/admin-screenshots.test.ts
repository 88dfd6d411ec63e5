// Screenshots of the setup wizard, every admin console section, the public page, the
// meldingenregister and the jaarverslag, at 1280×800 and 390×844, plus the jaarverslag PDF
// rendered to PNG — for a person to look at. Run with SCREENSHOTS=1; written to /tmp/shots/admin/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ensureSetupToken } from '../../server/modules/setup/service.ts';
import { createActiveAdvisor, totpCodeAt } from '../helpers/actors.ts';
import { logoPng, seedOrganisationCases, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';
import type { Page } from 'playwright-core';

const OUT = '/tmp/shots/admin';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

async function shoot(page: Page, name: string, options: { full?: boolean } = {}) {
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(viewport);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(150);
    await page.screenshot({ path: `${OUT}/${name}-${size}.png`, fullPage: options.full ?? true });
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    if (scrollWidth > viewport.width) {
      const culprits = await page.evaluate((limit) => {
        const clipped = (el: Element): boolean => {
          for (let p = el.parentElement; p; p = p.parentElement) if (/(auto|hidden|scroll)/.test(getComputedStyle(p).overflowX)) return true;
          return false;
        };
        return [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > limit + 0.5 && !clipped(el))
          .slice(0, 8)
          .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${Math.round(el.getBoundingClientRect().right)}`);
      }, viewport.width);
      throw new Error(`${name}-${size}: the page scrolls sideways (${scrollWidth}px): ${culprits.join(', ')}`);
    }
  }
  await page.setViewportSize(DESKTOP);
}

describe.skipIf(!process.env.SCREENSHOTS)('admin screenshots', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    h = await startBrowserHarness('pglite');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('takes them', { timeout: 900_000 }, async () => {
    const db = h.t.database.db;
    const w = await h.newPage({ viewport: DESKTOP });
    const { page } = w;
    const password = 'Paarse-olifant-zingt-7-liedjes';

    // --- Setup wizard ---
    await page.goto(`${h.baseUrl}/`);
    await page.locator('[data-testid="setup-wizard"][data-step="token"]').waitFor({ timeout: 60_000 });
    await shoot(page, '01-setup-token');
    await page.getByTestId('setup-token').fill((await ensureSetupToken(db))!);
    await page.getByTestId('setup-next').click();
    await page.getByTestId('setup-org-name').fill('Zorggroep De Linde');
    await page.getByTestId('setup-slug').fill('de-linde');
    await shoot(page, '02-setup-organisation');
    await page.getByTestId('setup-next').click();
    await page.getByTestId('setup-admin-name').fill('Bea Bakker');
    await page.getByTestId('setup-admin-email').fill('bea.bakker@delinde.example');
    await page.getByTestId('setup-password').fill(password);
    await page.getByTestId('setup-repeat').fill(password);
    await page.getByTestId('setup-admin-is-advisor').check();
    await shoot(page, '03-setup-account');
    await page.getByTestId('setup-next').click();
    await page.getByTestId('recovery-step').waitFor({ timeout: 180_000 });
    const recoveryKey = (await page.getByTestId('recovery-key').getAttribute('data-value'))!;
    await shoot(page, '04-setup-recovery');
    await page.getByTestId('recovery-retype').fill(recoveryKey.split('-').slice(-2).join('-'));
    await page.getByTestId('recovery-next').click();
    await page.getByTestId('setup-totp-step').waitFor();
    await shoot(page, '05-setup-totp');
    const secret = (await page.getByTestId('totp-secret').getAttribute('data-value'))!;
    await page.getByTestId('totp-code').fill(await totpCodeAt(secret));
    await page.getByTestId('setup-submit').click();
    await page.getByTestId('setup-done').waitFor({ timeout: 120_000 });
    await shoot(page, '06-setup-done');

    // --- Data for the console, the register and the jaarverslag ---
    const org = await db.selectFrom('organisations').selectAll().executeTakeFirstOrThrow();
    const admin = await db.selectFrom('accounts').select('id').where('email', '=', 'bea.bakker@delinde.example').executeTakeFirstOrThrow();
    const anna = await createActiveAdvisor(db, { organisationSlug: 'de-linde', email: 'anna.jansen@delinde.example', name: 'Anna Jansen' });
    await db.updateTable('memberships').set({ introduction: 'Ik werk bij HR-advies en ben op dinsdag en donderdag bereikbaar.' }).where('account_id', '=', anna.accountId).execute();
    await createActiveAdvisor(db, { organisationSlug: 'de-linde', email: 'p.devries@vertrouwenspersonen.example', name: 'Pieter de Vries', available: false });
    await db.updateTable('memberships').set({ affiliation: 'external' }).where('account_id', '=', (await db.selectFrom('accounts').select('id').where('email', '=', 'p.devries@vertrouwenspersonen.example').executeTakeFirstOrThrow()).id).execute();
    const year = new Date().getFullYear();
    await seedOrganisationCases(db, { organisationId: org.id, advisorId: admin.id, year });
    await seedOrganisationCases(db, { organisationId: org.id, advisorId: anna.accountId, year: year - 1 });

    // --- Console sections ---
    await page.getByTestId('setup-to-console').click();
    await page.getByTestId('admin-console').waitFor({ timeout: 60_000 });
    await page.getByTestId('logo-input').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: await logoPng() });
    await page.getByTestId('accent-code').fill('#b04a8e');
    await page.getByTestId('profile-save').click();
    await page.locator('[data-testid="save-status"][data-status="saved"]').waitFor();
    await shoot(page, '10-console-profile');

    await page.getByTestId('section-advisors').click();
    await page.getByTestId('invite-name').fill('Karin Smit');
    await page.getByTestId('invite-email').fill('karin.smit@delinde.example');
    await page.getByTestId('invite-submit').click();
    await page.getByTestId('activation-link').waitFor();
    await page.locator('[data-testid="admin-advisor"][data-email="anna.jansen@delinde.example"]').getByTestId('advisor-edit-open').click();
    await shoot(page, '11-console-advisors');
    await page.getByTestId('section-categories').click();
    await page.locator('[data-testid="admin-console"][data-section="categories"]').waitFor();
    await page.getByTestId('category-edit').nth(1).click();
    await shoot(page, '12-console-categories');
    await page.getByTestId('section-settings').click();
    await page.locator('[data-testid="admin-console"][data-section="settings"]').waitFor();
    await shoot(page, '13-console-settings');
    await page.getByTestId('section-texts').click();
    await page.getByTestId('text-nl-introduction').fill(
      'Bij **Zorggroep De Linde** willen we dat iedereen veilig en prettig kan werken.\n\nHeb je last van ongewenst gedrag, of vermoed je een misstand? Je kunt hier in vertrouwen melden — ook anoniem.',
    );
    await page.getByTestId('text-nl-procedure').fill(
      '## Meldprocedure\n\n1. Je meldt bij een vertrouwenspersoon.\n2. Je krijgt direct een ontvangstbevestiging.\n3. Binnen 3 maanden hoor je wat er met je melding is gedaan.\n\nVastgesteld met instemming van de ondernemingsraad op 1 maart 2026. Vragen? Mail [integriteit@delinde.example](mailto:integriteit@delinde.example).',
    );
    await page.getByTestId('texts-lang-en').click();
    await page.getByTestId('text-en-introduction').fill('At **Zorggroep De Linde** we want everyone to work safely.');
    await page.getByTestId('texts-lang-nl').click();
    await page.getByTestId('texts-save').click();
    await page.locator('[data-testid="save-status"][data-status="saved"]').waitFor();
    await shoot(page, '14-console-texts');
    await page.getByTestId('section-authorities').click();
    await page.locator('[data-testid="admin-console"][data-section="authorities"]').waitFor();
    await shoot(page, '15-console-authorities');

    // --- Public page ---
    await page.getByTestId('admin-public-link').click();
    await page.getByTestId('public-page').waitFor();
    await shoot(page, '20-public-nl');
    await page.getByTestId('lang-en').click();
    await shoot(page, '21-public-en');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shoot(page, '22-public-dark', { full: false });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('lang-nl').click();

    // --- Register and jaarverslag ---
    await page.goto(`${h.baseUrl}/advisor/organisations`);
    await page.getByTestId('advisor-unlock').waitFor({ timeout: 60_000 });
    await page.getByTestId('unlock-password').fill(password);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('staff-organisations').waitFor({ timeout: 120_000 });
    await shoot(page, '30-organisations');
    await page.getByTestId('link-register').click();
    await page.getByTestId('register-entry').first().waitFor({ timeout: 60_000 });
    await shoot(page, '31-register');
    await page.goto(`${h.baseUrl}/advisor/organisations/de-linde/jaarverslag?year=${year}`);
    await page.getByTestId('advisor-unlock').waitFor({ timeout: 60_000 });
    await page.getByTestId('unlock-password').fill(password);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('report-table').first().waitFor({ timeout: 120_000 });
    await page.getByTestId('recommendations').fill(
      'Het aantal meldingen over pesten bleef hoog. Wij raden aan om in het eerste kwartaal teams te trainen in omgangsvormen, en leidinggevenden te leren signalen eerder op te pakken.',
    );
    await page.getByTestId('recommendations-save').click();
    await page.locator('[data-testid="recommendations-status"][data-status="saved"]').waitFor();
    await shoot(page, '32-jaarverslag');

    // --- The jaarverslag PDF from the same data, rendered to PNG ---
    const pdf = await page.evaluate(async (y) => {
      const res = await fetch(`/api/advisor/organisations/de-linde/jaarverslag.pdf?year=${y}&lang=nl`, { credentials: 'same-origin' });
      const bytes = new Uint8Array(await res.arrayBuffer());
      let binary = '';
      for (const b of bytes) binary += String.fromCharCode(b);
      return btoa(binary);
    }, year);
    writeFileSync(`${OUT}/jaarverslag.pdf`, Buffer.from(pdf, 'base64'));
    execFileSync('pdftoppm', ['-png', '-r', '70', `${OUT}/jaarverslag.pdf`, `${OUT}/40-jaarverslag-pdf`]);
  });
});
