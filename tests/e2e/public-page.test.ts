// The public organisation page (voorlichting) in Chromium on a phone: every section in Dutch and
// English, the organisation's own texts as the server rendered them, its logo and accent colour
// (applied without breaking the CSP), the external authorities linking out, and no horizontal
// scrolling at 390×844. No CSP violation, no console error, no foreign request but the one
// authority link the test follows on purpose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { updateSettings } from '../../server/modules/organisations/settings.ts';
import { accentPalette } from '../../web/src/lib/staff/accent.ts';
import { createActiveAdvisor } from '../helpers/actors.ts';
import { databaseKinds } from '../helpers/db.ts';
import { logoPng, startBrowserHarness, type BrowserHarness, type WatchedPage } from '../helpers/browser.ts';

const PHONE = { width: 390, height: 844 };
const SECTIONS = ['public-header', 'public-introduction', 'public-how', 'public-kinds', 'advisors', 'public-confidentiality', 'public-safety-tips', 'public-authorities', 'public-procedure'];
/** A yellow too light for white text: the page must darken it. */
const ACCENT = '#e0b020';

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

async function expectClean(w: WatchedPage, foreign: string[] = []) {
  expect(w.consoleErrors).toEqual([]);
  expect(w.foreignRequests).toEqual(foreign);
  expect(await w.cspViolations()).toEqual([]);
}

async function noHorizontalScroll(w: WatchedPage) {
  expect(await w.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
}

describe.each(databaseKinds)('public organisation page (voorlichting) in Chromium on %s', (kind) => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness(kind);
    const db = h.t.database.db;
    const acme = await createOrganisation(db, { slug: 'acme', name: 'Acme Zorg BV' });
    await createActiveAdvisor(db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna de Vries' });
    await createActiveAdvisor(db, { organisationSlug: 'acme', email: 'joost@example.org', name: 'Joost Bakker', available: false });
    await updateSettings(db, acme.id, {
      logoDataUrl: `data:image/png;base64,${(await logoPng()).toString('base64')}`,
      accentColour: ACCENT,
      authoritiesDisabled: ['nza', 'anvs'],
      texts: {
        nl: {
          introduction: 'Bij **Acme Zorg** willen we dat iedereen veilig kan werken. Zie ook [het intranet](https://intranet.example.org/integriteit).',
          procedure: '## Zo melden\n\n1. Meld bij een vertrouwenspersoon.\n2. Je krijgt binnen 7 dagen een reactie.\n\nVastgesteld met instemming van de ondernemingsraad, 1 maart 2026.',
        },
        en: {
          introduction: 'At **Acme Zorg** we want everyone to be able to work safely.',
          procedure: '## How to report\n\n1. Report to a confidential adviser.\n2. You get a reply within 7 days.',
        },
      },
    });
    // An organisation that wrote its introduction in Dutch only, and shows no authorities.
    const beta = await createOrganisation(db, { slug: 'beta', name: 'Beta Bouw' });
    await updateSettings(db, beta.id, {
      authoritiesDisabled: ['huis_voor_klokkenluiders', 'acm', 'afm', 'anvs', 'ap', 'dnb', 'igj', 'nvwa', 'nza'],
      texts: { nl: { introduction: 'Alleen in het Nederlands geschreven.', procedure: '' }, en: { introduction: '', procedure: '' } },
    });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('shows every voorlichting section in Dutch and English, readable on a phone', { timeout: 300_000 }, async () => {
    const w = await h.newPage({ viewport: PHONE });
    const { page } = w;
    await page.goto(`${h.baseUrl}/acme`);
    await page.getByTestId('public-page').waitFor({ timeout: 60_000 });

    // The melder's two buttons come first, above every section of information.
    const startTop = await page.getByTestId('start-report').evaluate((el) => el.getBoundingClientRect().top);
    expect(startTop).toBeLessThan(PHONE.height);
    for (const section of SECTIONS) {
      const box = await page.getByTestId(section).first().boundingBox();
      expect(box, section).not.toBeNull();
      if (section !== 'public-header') expect(box!.y, section).toBeGreaterThan(startTop);
    }

    // Dutch.
    const main = () => page.locator('main').innerText();
    await expect.poll(main).toMatch(/Zo werkt het/);
    const text = await main();
    expect(text).toMatch(/Ongewenst gedrag/);
    expect(text).toMatch(/vermoeden van een misstand/i);
    expect(text).toMatch(/binnen 3 maanden/);
    expect(text).toMatch(/geheimhoudingsplicht/);
    expect(await page.getByTestId('public-confidentiality').innerText()).toMatch(/wet.*verplicht[\s\S]*ernstig gevaar[\s\S]*vooraf/i);
    const tips = await page.getByTestId('public-safety-tips').innerText();
    expect(tips).toMatch(/eigen apparaat/);
    expect(tips).toMatch(/netwerk van je werkgever/);
    expect(tips).toMatch(/Tor Browser/);
    expect(tips).toMatch(/Snel weg/);
    expect(await page.getByTestId('advisors').innerText()).toMatch(/Anna de Vries[\s\S]*Joost Bakker[\s\S]*Afwezig/);
    expect(await page.getByTestId('public-how').locator('li').count()).toBe(3);

    // The organisation's own texts, as the server rendered its Markdown.
    expect(await page.getByTestId('public-introduction').innerHTML()).toContain('<strong>Acme Zorg</strong>');
    expect(await page.getByTestId('public-procedure').locator('ol > li').count()).toBe(2);
    expect(await page.getByTestId('public-procedure').innerText()).toMatch(/ondernemingsraad/);

    // The enabled authorities, each a link out; the switched-off ones are absent.
    const links = page.getByTestId('authority-link');
    expect(await links.count()).toBe(7);
    const keys = await links.evaluateAll((as) => as.map((a) => a.getAttribute('data-key')));
    expect(keys).not.toContain('nza');
    expect(keys).not.toContain('anvs');
    for (const a of await links.all()) {
      expect(await a.getAttribute('href')).toMatch(/^https:\/\/www\.[a-z.]+$/);
      expect((await a.getAttribute('rel'))?.split(' ').sort()).toEqual(['noopener', 'noreferrer']);
    }

    // Logo and accent colour: the yellow is darkened until white text on it is readable.
    const logo = page.getByTestId('org-logo');
    expect(await logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(240);
    const palette = accentPalette(ACCENT)!;
    expect(palette.accent).not.toBe(ACCENT);
    expect(await page.getByTestId('start-report').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(rgb(palette.accent));
    expect(await page.getByTestId('public-header').evaluate((el) => getComputedStyle(el).borderTopColor)).toBe(rgb(ACCENT));
    await noHorizontalScroll(w);

    // English.
    await page.getByTestId('lang-en').click();
    await expect.poll(main).toMatch(/How it works/);
    const english = await main();
    expect(english).toMatch(/Unwanted behaviour/i);
    expect(english).toMatch(/within 3 months/);
    expect(english).toMatch(/bound to secrecy/);
    expect(await page.getByTestId('public-safety-tips').innerText()).toMatch(/Tor Browser/);
    expect(await page.getByTestId('public-introduction').innerText()).toMatch(/we want everyone to be able to work safely/);
    expect(await page.getByTestId('public-procedure').innerText()).toMatch(/How to report/);
    await noHorizontalScroll(w);

    // Following an authority link really leaves the site (answered locally here, not fetched).
    const target = (await links.first().getAttribute('href'))!;
    await w.context.route(`${target}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<p>elders</p>' }));
    await links.first().click();
    await page.waitForURL(`${target}/`);
    await expectClean(w, [`${target}/`]);
  });

  it('a text written in one language only is shown, marked as such; no authorities, no section', { timeout: 120_000 }, async () => {
    const w = await h.newPage({ viewport: PHONE, locale: 'en-GB' });
    const { page } = w;
    await page.goto(`${h.baseUrl}/beta`);
    await page.getByTestId('public-page').waitFor({ timeout: 60_000 });
    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.locator('main').innerText()).toMatch(/only available in Dutch/);
    expect(await page.getByTestId('public-introduction').getAttribute('lang')).toBe('nl');
    expect(await page.getByTestId('public-authorities').count()).toBe(0);
    expect(await page.getByTestId('public-procedure').count()).toBe(0);
    expect(await page.getByTestId('org-logo').count()).toBe(0);
    await noHorizontalScroll(w);
    await expectClean(w);
  });
});
