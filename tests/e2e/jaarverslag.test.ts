// The advisor's meldingenregister and jaarverslag in Chromium on a phone: the register lists
// every misstand case with dates and status (never content, never another organisation's
// case) and downloads as the server's CSV; the jaarverslag shows the server's tables with the
// suppressed cells as "<5"/"x", explained in a legend, the SVG charts with the same markers, the
// indicators, saves the recommendations and downloads the PDF. Nothing scrolls sideways at
// 390×844; no CSP violation, no console error, no foreign request.
import { argon2id } from 'hash-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { createSession } from '../../server/modules/sessions/service.ts';
import * as crypto from '../../web/src/lib/crypto/index.ts';
import { ADVISOR_CONTEXT, createActiveAdvisor } from '../helpers/actors.ts';
import { databaseKinds } from '../helpers/db.ts';
import { seedOrganisationCases, startBrowserHarness, type BrowserHarness, type WatchedPage } from '../helpers/browser.ts';

const PHONE = { width: 390, height: 844 };

/** An advisor whose private key opens with `password` in the browser (Argon2id → HKDF, as at activation). */
async function advisorWithPassword(h: BrowserHarness, input: { slug: string; email: string; name: string; password: string }) {
  const db = h.t.database.db;
  const advisor = await createActiveAdvisor(db, { organisationSlug: input.slug, email: input.email, name: input.name });
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(ADVISOR_CONTEXT + input.email));
  const secretBytes = await argon2id({
    password: new TextEncoder().encode(input.password.normalize('NFKC')),
    salt: new Uint8Array(digest).slice(0, 16),
    memorySize: 65536, iterations: 3, parallelism: 1, hashLength: 32, outputType: 'binary',
  });
  const { unlockKey } = await crypto.deriveKeysFromSecret({ secretBytes, context: ADVISOR_CONTEXT + input.email });
  const locked = await crypto.lockPrivateKey({ privateKey: advisor.privateKey, unlockKey });
  await db.updateTable('accounts').set({ locked_private_key: locked }).where('id', '=', advisor.accountId).execute();
  return advisor;
}

/** Logged in (a session cookie, as after a login) in a fresh browser; the page asks for the password to unlock. */
async function loggedIn(h: BrowserHarness, accountId: string, path: string, password: string): Promise<WatchedPage> {
  const w = await h.newPage({ viewport: PHONE });
  const token = await createSession(h.t.database.db, { subject: 'staff', accountId });
  await w.context.addCookies([{ name: 'kb_session', value: token, domain: '127.0.0.1', path: '/api', httpOnly: true, sameSite: 'Strict' }]);
  await w.page.goto(`${h.baseUrl}${path}`);
  await w.page.getByTestId('advisor-unlock').waitFor({ timeout: 60_000 });
  await w.page.getByTestId('unlock-password').fill(password);
  await w.page.getByTestId('unlock-submit').click();
  return w;
}

async function expectNoSidewaysScroll(w: WatchedPage) {
  expect(await w.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
}

async function expectClean(w: WatchedPage) {
  expect(w.consoleErrors).toEqual([]);
  expect(w.foreignRequests).toEqual([]);
  expect(await w.cspViolations()).toEqual([]);
}

describe.each(databaseKinds)('meldingenregister and jaarverslag in Chromium on %s', (kind) => {
  let h: BrowserHarness;
  let advisorId: string;
  let references: string[];
  let otherReferences: string[];
  const password = 'Groene-kikker-springt-9-keer';
  const year = new Date().getFullYear();

  beforeAll(async () => {
    h = await startBrowserHarness(kind);
    const db = h.t.database.db;
    const acme = await createOrganisation(db, { slug: 'acme', name: 'Acme Zorg BV' });
    const other = await createOrganisation(db, { slug: 'other', name: 'Other NV' });
    const advisor = await advisorWithPassword(h, { slug: 'acme', email: 'anna@example.org', name: 'Anna Jansen', password });
    advisorId = advisor.accountId;
    ({ references } = await seedOrganisationCases(db, { organisationId: acme.id, advisorId, year }));
    const olga = await createActiveAdvisor(db, { organisationSlug: 'other', email: 'olga@example.org', name: 'Olga' });
    ({ references: otherReferences } = await seedOrganisationCases(db, { organisationId: other.id, advisorId: olga.accountId, year }));
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it('the register lists every misstand case of the organisation, dates and status only, and downloads as CSV', { timeout: 300_000 }, async () => {
    const db = h.t.database.db;
    const w = await loggedIn(h, advisorId, '/advisor/organisations/acme/register', password);
    const { page } = w;
    await page.getByTestId('register-entry').first().waitFor({ timeout: 120_000 });
    const misstand = await db.selectFrom('cases as c').innerJoin('organisations as o', 'o.id', 'c.organisation_id')
      .select(['c.reference', 'c.category']).where('o.slug', '=', 'acme').where('c.kind', '=', 'misstand').orderBy('c.created_at').execute();
    expect(misstand.length).toBeGreaterThan(5);
    const shown = await page.getByTestId('register-entry').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-reference')));
    expect(shown).toEqual(misstand.map((c) => c.reference));
    const text = await page.locator('main').innerText();
    for (const ref of otherReferences) expect(text).not.toContain(ref);
    for (const ref of references.filter((r) => !shown.includes(r))) expect(text).not.toContain(ref);
    // Dates and status, no category.
    expect(text).not.toMatch(/fraude|corruptie|belangenverstrengeling/i);
    expect(await page.getByTestId('register-summary').innerText()).toMatch(new RegExp(`^${misstand.length} meldingen`));
    await expectNoSidewaysScroll(w);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('register-csv').click()]);
    expect(download.suggestedFilename()).toBe('meldingenregister-acme.csv');
    const csv = (await (await download.createReadStream()).toArray()).join('');
    for (const c of misstand) expect(csv).toContain(c.reference);
    expect(csv.split(/\r?\n/).filter((line) => line.trim() !== '').length).toBe(misstand.length + 1);
    await expectClean(w);
  });

  it('the jaarverslag shows the tables, a legend for "<5" and "x", charts with the same markers, saves recommendations and downloads the PDF', { timeout: 300_000 }, async () => {
    const w = await loggedIn(h, advisorId, `/advisor/organisations/acme/jaarverslag?year=${year}`, password);
    const { page } = w;
    await page.getByTestId('report-table').first().waitFor({ timeout: 120_000 });
    const api = await page.evaluate(async (y) => (await fetch(`/api/advisor/organisations/acme/jaarverslag?year=${y}`, { credentials: 'same-origin' })).json(), year);

    // Every table of the server's report, every cell as the server gave it.
    const tables = page.getByTestId('report-table');
    expect(await tables.count()).toBe(api.tables.length);
    for (const table of api.tables as { id: string; rows: { cells: (number | string)[] }[] }[]) {
      const cells = await page.locator(`[data-testid="report-table"][data-table="${table.id}"] td`).evaluateAll((tds) => tds.map((td) => td.getAttribute('data-value')));
      expect(cells, table.id).toEqual(table.rows.flatMap((r) => r.cells.map(String)));
    }
    // The data has small counts: suppressed cells appear, and the legend explains both markers.
    const hidden = await page.locator('td.hidden').count();
    expect(hidden).toBeGreaterThan(0);
    const legend = await page.getByTestId('jaarverslag-legend').innerText();
    expect(legend).toContain(api.markers.below);
    expect(legend).toMatch(/Minder dan 5 meldingen/);
    expect(legend).toMatch(/\bx\b[\s\S]*uitrekenen/);

    // The charts: bars only for shown counts; a hidden count shows the table's own marker.
    const categories = api.charts.categories.find((c: { kind: string }) => c.kind === 'ongewenst_gedrag');
    const chartValues = await page.locator('[data-testid="chart-categories-ongewenst_gedrag"] .value').evaluateAll((els) => els.map((e) => e.getAttribute('data-value')));
    const table = api.tables.find((t: { id: string }) => t.id === 'categories_ongewenst_gedrag');
    expect(chartValues).toEqual(categories.values.map((v: number | null, i: number) => (v === null ? table.rows[i].cells[0] : String(v))));
    expect(await page.locator('[data-testid="chart-quarters"] rect.bar').count()).toBe(
      api.charts.quarters.series.flatMap((s: { values: (number | null)[] }) => s.values).filter((v: number | null) => v !== null && v > 0).length,
    );
    for (const indicator of api.indicators as { key: string; current: number | null }[]) {
      const shownValue = await page.getByTestId(`indicator-${indicator.key}`).innerText();
      if (indicator.current === null) expect(shownValue).toMatch(/niet getoond/);
      else expect(shownValue.replace(',', '.')).toContain(String(indicator.current));
    }
    await expectNoSidewaysScroll(w);

    // Recommendations are saved on the server and come back with the report.
    const advice = 'Train teams in omgangsvormen in het eerste kwartaal.';
    await page.getByTestId('recommendations').fill(advice);
    await page.getByTestId('recommendations-save').click();
    await page.locator('[data-testid="recommendations-status"][data-status="saved"]').waitFor({ timeout: 30_000 });
    const again = await page.evaluate(async (y) => (await fetch(`/api/advisor/organisations/acme/jaarverslag?year=${y}`, { credentials: 'same-origin' })).json(), year);
    expect(again.recommendations).toBe(advice);

    // The PDF, made by the server.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('jaarverslag-pdf').click()]);
    expect(download.suggestedFilename()).toBe(`jaarverslag-acme-${year}.pdf`);
    const pdf = Buffer.concat(await (await download.createReadStream()).toArray());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // Another year: the address follows (without a new history entry), the report is rebuilt.
    await page.getByTestId('jaarverslag-year').selectOption(String(year - 1));
    await expect.poll(() => page.locator('h1').innerText()).toBe(`Jaarverslag ${year - 1}`);
    expect(page.url()).toBe(`${h.baseUrl}/advisor/organisations/acme/jaarverslag?year=${year - 1}`);
    await page.getByTestId('report-table').first().waitFor();
    expect(await page.getByTestId('recommendations').inputValue()).toBe('');
    await expectClean(w);
  });

  it('an advisor of another organisation gets a plain "no access", not the report', { timeout: 120_000 }, async () => {
    const other = await advisorWithPassword(h, { slug: 'other', email: 'piet@example.org', name: 'Piet', password });
    const w = await loggedIn(h, other.accountId, '/advisor/organisations/acme/jaarverslag', password);
    await expect.poll(() => w.page.locator('main').innerText(), { timeout: 120_000 }).toMatch(/geen toegang/);
    expect(await w.page.getByTestId('report-table').count()).toBe(0);
    // The 404 is the refusal itself.
    expect(w.consoleErrors.filter((line) => !/status of 404/.test(line))).toEqual([]);
    expect(w.foreignRequests).toEqual([]);
  });
});
