// The whole melder round trip through the real UI in Chromium at phone size: report with a file,
// receipt, retype check, return in a fresh browser, the advisor (a test actor with the real
// crypto module) decrypts the report and replies, the melder reads the reply as verified,
// downloads the file, writes, changes what they want, ends the case and leaves by quick exit.
// Throughout: the address bar stays /<slug>, history holds nothing else, the only cookie is the
// HttpOnly session cookie, nothing is stored in the browser, no CSP violation, no foreign request.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import * as crypto from '../../web/src/lib/crypto/index.ts';
import { advisorReplies, createActiveAdvisor, type TestAdvisor } from '../helpers/actors.ts';
import { databaseKinds } from '../helpers/db.ts';
import { passRetypeCheck, reportThroughUi, returnThroughUi, startBrowserHarness, type BrowserHarness, type WatchedPage } from '../helpers/browser.ts';

const PHONE = { width: 390, height: 844 };
/** Chromium logs every 4xx answer as a console error; these are the ones this test causes on purpose. */
const expected4xx = /Failed to load resource: the server responded with a status of 401/;

async function browserStorage(page: Page) {
  return page.evaluate(async () => ({
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
    indexedDb: (await indexedDB.databases()).map((d) => d.name),
    history: history.length,
    // The Navigation API lists this tab's same-origin history entries.
    entries: ((window as unknown as { navigation?: { entries(): { url: string | null }[] } }).navigation?.entries() ?? []).map((e) => (e.url ? new URL(e.url).pathname : null)),
  }));
}

async function expectOnlySessionCookie(w: WatchedPage) {
  const cookies = await w.context.cookies();
  expect(cookies.map((c) => c.name)).toEqual(['kb_session']);
  expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api' });
}

function expectCleanPage(w: WatchedPage) {
  expect(w.consoleErrors.filter((line) => !expected4xx.test(line))).toEqual([]);
  expect(w.foreignRequests).toEqual([]);
}

describe.each(databaseKinds)('melder round trip in Chromium on %s', (kind) => {
  let h: BrowserHarness;
  let anna: TestAdvisor;

  beforeAll(async () => {
    h = await startBrowserHarness(kind);
    await createOrganisation(h.t.database.db, { slug: 'acme', name: 'Acme BV' });
    anna = await createActiveAdvisor(h.t.database.db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna de Vries' });
    await createActiveAdvisor(h.t.database.db, { organisationSlug: 'acme', email: 'bas@example.org', name: 'Bas Afwezig', available: false });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('reports with a file, returns in a fresh browser, reads the verified reply and leaves no trace', { timeout: 240_000 }, async () => {
    const slugUrl = `${h.baseUrl}/acme`;
    const what = `Mijn leidinggevende kleineert me in elk overleg. ${randomBytes(6).toString('hex')}`;
    const fileBytes = randomBytes(300_000);
    const fileName = 'notities-overleg.pdf';

    // --- First visit: the report ---
    const w = await h.newPage({ viewport: PHONE });
    const scripts: string[] = [];
    w.page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await w.page.goto(`${h.baseUrl}/`);
    await w.page.goto(slugUrl);
    await w.page.getByTestId('org-name').waitFor();
    const before = await browserStorage(w.page);
    // The public page does not load the melder flow or the crypto code; starting a report does.
    const lazy = /\/assets\/(flow|crypto|openpgp-browser)-/;
    expect(scripts.filter((path) => lazy.test(path))).toEqual([]);
    const urls: string[] = [];
    const record = async () => {
      urls.push(w.page.url());
    };

    // The absent advisor is shown but cannot be chosen.
    await w.page.getByTestId('start-report').click();
    await w.page.getByTestId('wizard-next').click();
    await expect.poll(() => w.page.getByTestId('step-error').innerText()).toMatch(/kies waar je melding over gaat/i);
    await w.page.getByTestId('wizard-back').click();
    await w.page.getByTestId('org-name').waitFor();
    await expect.poll(() => scripts.filter((path) => lazy.test(path)).map((path) => path.split('/').at(-1)!.split('-')[0]).sort()).toEqual(['crypto', 'flow', 'openpgp']);

    const { caseCode, passphrase } = await reportThroughUi(w.page, {
      advisorName: 'Anna de Vries',
      what,
      when: 'Sinds maart',
      where: 'Teamoverleg',
      wishes: ['listening_ear', 'advice'],
      contact: 'meeting',
      contactDetails: 'Liefst op dinsdag',
      files: [{ name: fileName, mimeType: 'application/pdf', buffer: fileBytes }],
      onStep: async (step) => {
        await record();
        if (step === 'advisor') {
          await expect.poll(() => w.page.locator('label.choice', { hasText: 'Bas Afwezig' }).locator('input').isDisabled()).toBe(true);
          await expect.poll(() => w.page.locator('label.choice', { hasText: 'Bas Afwezig' }).innerText()).toMatch(/afwezig/i);
        }
      },
    });
    await record();
    expect(caseCode).toMatch(/^\d{4}-\d{4}-\d{4}-\d{4}$/);
    expect(passphrase).toMatch(/^[a-z]{4}(-[a-z]{4}){5}$/);
    await expect.poll(() => w.page.getByTestId('lost-warning').innerText()).toMatch(/niemand kan/i);
    await expect.poll(() => w.page.getByTestId('acknowledged-at').innerText()).toMatch(/\d{4}/);
    // The file goes up after the case exists, with a progress bar.
    await expect.poll(() => w.page.getByTestId('upload').getAttribute('data-phase'), { timeout: 60_000 }).toBe('done');

    // The text-file receipt holds the credentials that worked.
    const [receiptDownload] = await Promise.all([w.page.waitForEvent('download'), w.page.getByTestId('receipt-download').click()]);
    expect(receiptDownload.suggestedFilename()).toBe('klankbord-ontvangstbewijs.txt');
    const receiptText = await readFile((await receiptDownload.path())!, 'utf8');
    expect(receiptText).toContain(caseCode);
    expect(receiptText).toContain(passphrase);

    // The retype check refuses a wrong group, accepts the right one in capitals.
    await w.page.getByTestId('retype').fill('zzzz');
    await w.page.getByTestId('retype-continue').click();
    await w.page.getByTestId('retype-error').waitFor();
    await passRetypeCheck(w.page, passphrase);
    await record();
    await expect.poll(() => w.page.getByTestId('summary-what').innerText(), { timeout: 30_000 }).toContain(what);
    await expectOnlySessionCookie(w);

    const after = await browserStorage(w.page);
    expect(after.local.filter((key) => key !== 'klankbord.lang')).toEqual([]);
    expect(after.session).toEqual([]);
    expect(after.indexedDb).toEqual([]);
    expect(after.history).toBe(before.history);
    // Two entries, '/' then '/acme' (earlier entries' URLs are hidden by the no-referrer policy;
    // Back after the quick exit below lands on '/', which shows the first one).
    expect(after.entries).toHaveLength(2);
    expect(after.entries.at(-1)).toBe('/acme');
    expect(urls.length).toBeGreaterThanOrEqual(9);
    for (const url of urls) expect(url).toBe(slugUrl);
    expect(await w.cspViolations()).toEqual([]);
    expectCleanPage(w);

    // --- The advisor (test actor) reads the report with their own key and replies ---
    const cases = await h.t.database.db.selectFrom('cases').select(['id', 'melder_public_key', 'kind', 'category']).execute();
    expect(cases).toHaveLength(1);
    const theCase = cases[0]!;
    expect(theCase).toMatchObject({ kind: 'ongewenst_gedrag', category: 'pesten' });
    const reportRow = await h.t.database.db.selectFrom('messages').select('ciphertext').where('case_id', '=', theCase.id).where('kind', '=', 'report').executeTakeFirstOrThrow();
    const report = await crypto.decryptMessage({ armoredMessage: reportRow.ciphertext, decryptionKey: anna.privateKey, armoredVerificationKeys: [theCase.melder_public_key!] });
    expect(report.signature).toBe('valid');
    expect(JSON.parse(report.text)).toEqual({
      version: 1, what, when: 'Sinds maart', where: 'Teamoverleg', wishes: ['listening_ear', 'advice'], contact: 'meeting', contactDetails: 'Liefst op dinsdag',
    });
    const replyText = `Dank je voor je melding. Zullen we dinsdag bellen? ${randomBytes(4).toString('hex')}`;
    await advisorReplies(h.t.database.db, anna, theCase.melder_public_key!, theCase.id, replyText);

    // --- Return visit in a fresh browser: spaces instead of hyphens, capitals ---
    const w2 = await h.newPage({ viewport: PHONE });
    await w2.page.goto(slugUrl);
    await w2.page.getByTestId('org-name').waitFor();
    await w2.page.getByTestId('return-to-report').click();
    await w2.page.getByTestId('return-code').fill(caseCode);
    await w2.page.getByTestId('return-passphrase').fill('abcd-efgh-jkmn-pqrs-tuvw-xyza');
    await w2.page.getByTestId('return-submit').click();
    await expect.poll(() => w2.page.getByTestId('return-error').innerText(), { timeout: 30_000 }).toMatch(/combinatie van meldingscode en wachtwoordzin kennen we niet/i);
    await w2.page.getByTestId('return-code').fill(caseCode.replace(/-/g, ' '));
    await w2.page.getByTestId('return-passphrase').fill(passphrase.toUpperCase().replace(/-/g, ' '));
    await w2.page.getByTestId('return-submit').click();
    await w2.page.getByTestId('mailbox').waitFor({ timeout: 60_000 });
    await expect.poll(() => w2.page.getByTestId('summary-what').innerText(), { timeout: 30_000 }).toContain(what);
    expect(w2.page.url()).toBe(slugUrl);

    // The reply, verified as Anna's; and it is marked read on the server.
    const reply = w2.page.locator('[data-testid="thread-item"][data-sender="advisor"]');
    await expect.poll(() => reply.getByTestId('message-text').innerText()).toBe(replyText);
    expect(await reply.getAttribute('data-signature')).toBe('valid');
    expect(await reply.getByTestId('verification').innerText()).toMatch(/geverifieerd van anna de vries/i);
    await expect.poll(async () => (await h.t.database.db.selectFrom('messages').select('read_at').where('sender_role', '=', 'advisor').executeTakeFirstOrThrow()).read_at).not.toBeNull();

    // The file downloads, decrypted, byte for byte.
    const fileEntry = w2.page.locator('[data-testid="thread-item"][data-kind="file"]');
    expect(await fileEntry.getByTestId('file-name').innerText()).toBe(fileName);
    const [fileDownload] = await Promise.all([w2.page.waitForEvent('download'), fileEntry.getByTestId('file-download').click()]);
    expect(fileDownload.suggestedFilename()).toBe(fileName);
    expect(Buffer.compare(await readFile((await fileDownload.path())!), fileBytes)).toBe(0);

    // A message, a change of what they want.
    await w2.page.getByTestId('compose').fill('Dinsdag schikt mij.');
    await w2.page.getByTestId('send-message').click();
    await w2.page.getByTestId('message-sent').waitFor();
    await w2.page.getByTestId('change-wishes').click();
    await w2.page.getByTestId('wish-informal_solution').click();
    await w2.page.getByTestId('wishes-save').click();
    await w2.page.locator('[data-testid="thread-item"][data-kind="wishes"]').waitFor();
    const posted = await h.t.database.db.selectFrom('messages').select(['kind', 'ciphertext']).where('sender_role', '=', 'melder').where('kind', '!=', 'report').orderBy('created_at').execute();
    expect(posted.map((m) => m.kind)).toEqual(['message', 'wishes']);
    const wishes = await crypto.decryptMessage({ armoredMessage: posted[1]!.ciphertext, decryptionKey: anna.privateKey, armoredVerificationKeys: [theCase.melder_public_key!] });
    expect(JSON.parse(wishes.text)).toEqual({ wishes: ['listening_ear', 'advice', 'informal_solution'], contact: 'meeting', contactDetails: 'Liefst op dinsdag' });

    // Ending the case asks first, then closes it.
    await w2.page.getByTestId('end-case').click();
    await expect.poll(() => w2.page.getByTestId('end-dialog').isVisible()).toBe(true);
    // The modal makes the page inert, so it brings its own quick exit.
    expect(await w2.page.getByTestId('quick-exit-dialog').isVisible()).toBe(true);
    await w2.page.getByTestId('end-dialog').getByTestId('confirm').click();
    await w2.page.getByTestId('case-closed').waitFor();
    expect((await h.t.database.db.selectFrom('cases').select(['status', 'closed_by']).executeTakeFirstOrThrow())).toEqual({ status: 'afgesloten', closed_by: 'melder' });
    await expectOnlySessionCookie(w2);
    expect(w2.page.url()).toBe(slugUrl);
    expect(await w2.cspViolations()).toEqual([]);
    expectCleanPage(w2);

    // --- Quick exit: a neutral page replaces the case, Back does not bring it back ---
    await w.page.getByTestId('quick-exit').click();
    await w.page.waitForURL(`${h.baseUrl}/weer`);
    await w.page.getByTestId('neutral-page').waitFor();
    expect(await w.page.locator('body').innerText()).not.toMatch(/klankbord|acme/i);
    // The session is ended on the server too.
    await expect.poll(() => w.page.evaluate(async () => (await fetch('/api/melder/case')).status)).toBe(401);
    await w.page.goBack();
    await expect.poll(() => new URL(w.page.url()).pathname).toBe('/');
    const body = await w.page.locator('body').innerText();
    for (const secret of [what, replyText, caseCode, passphrase]) expect(body).not.toContain(secret);
    expect(await w.cspViolations()).toEqual([]);
    expectCleanPage(w);
  });

  it('an expired session asks to log in again and keeps the unsent message', { timeout: 180_000 }, async () => {
    const w = await h.newPage({ viewport: PHONE });
    await w.page.goto(`${h.baseUrl}/acme`);
    await w.page.getByTestId('org-name').waitFor();
    const { caseCode, passphrase } = await reportThroughUi(w.page, { advisorName: 'Anna de Vries', what: 'Iets op de afdeling.', kind: 'misstand', category: 'undisclosed' });
    // A misstand gets the 3-month feedback deadline on the receipt.
    await w.page.getByTestId('feedback-due').waitFor();
    await passRetypeCheck(w.page, passphrase);
    await w.page.getByTestId('summary-what').waitFor({ timeout: 30_000 });

    const draft = 'Dit wil ik nog zeggen, maar ik was even weg.';
    await w.page.getByTestId('compose').fill(draft);
    // 31 idle minutes on the server.
    await h.t.database.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) }).execute();
    await w.page.getByTestId('send-message').click();
    await expect.poll(() => w.page.getByTestId('session-expired').innerText()).toMatch(/voor je veiligheid/i);
    expect(await w.page.locator('body').innerText()).not.toContain('Iets op de afdeling.');

    await w.page.getByTestId('return-code').fill(caseCode);
    await w.page.getByTestId('return-passphrase').fill(passphrase);
    await w.page.getByTestId('return-submit').click();
    await w.page.getByTestId('mailbox').waitFor({ timeout: 60_000 });
    await expect.poll(() => w.page.getByTestId('compose').inputValue()).toBe(draft);
    await w.page.getByTestId('send-message').click();
    await w.page.getByTestId('message-sent').waitFor();
    expect(w.page.url()).toBe(`${h.baseUrl}/acme`);
    expect(await w.cspViolations()).toEqual([]);
    expectCleanPage(w);
  });

  /** A fresh phone page on /acme that records every case code the server issues to it. */
  async function openWatchingCredentials() {
    const w = await h.newPage({ viewport: PHONE });
    const issued: string[] = [];
    w.page.on('response', async (response) => {
      if (response.url().endsWith('/credentials') && response.status() === 201) issued.push((await response.json()).caseCode);
    });
    await w.page.goto(`${h.baseUrl}/acme`);
    await w.page.getByTestId('org-name').waitFor();
    const casesBefore = (await h.t.database.db.selectFrom('cases').select('id').execute()).length;
    return { w, issued, casesBefore };
  }

  it('a network failure while sending loses nothing; a used-up reservation gets new credentials by itself', { timeout: 180_000 }, async () => {
    const { w, issued, casesBefore } = await openWatchingCredentials();
    const what = `Netwerk weg tijdens versturen ${randomBytes(4).toString('hex')}`;
    // The first create never reaches the server.
    await w.page.route('**/api/cases', (route) => route.abort('internetdisconnected'), { times: 1 });
    const { caseCode, passphrase } = await reportThroughUi(w.page, {
      advisorName: 'Anna de Vries',
      what,
      onStep: async (step) => {
        if (step !== 'sending') return;
        await expect.poll(() => w.page.getByTestId('send-error').innerText(), { timeout: 60_000 }).toMatch(/geen verbinding/i);
        // Nothing typed is lost: back to the review, the text is there.
        await w.page.getByText('Terug naar je melding').click();
        await expect.poll(() => w.page.getByTestId('summary-what').innerText()).toBe(what);
        // Meanwhile the reservation runs out on the server; sending again must just work.
        await h.t.database.db.updateTable('credential_reservations').set({ expires_at: new Date(Date.now() - 1000) }).execute();
        await w.page.getByTestId('send-report').click();
      },
    });
    expect(issued).toHaveLength(2);
    expect(caseCode).toBe(issued[1]);
    expect((await h.t.database.db.selectFrom('cases').select('id').execute()).length).toBe(casesBefore + 1);
    // The receipt's credentials are the ones that work.
    const w2 = await h.newPage({ viewport: PHONE });
    await w2.page.goto(`${h.baseUrl}/acme`);
    await returnThroughUi(w2.page, caseCode, passphrase);
    await expect.poll(() => w2.page.getByTestId('summary-what').innerText()).toBe(what);
    // The 409 (reservation used up) and 401 (probing the old credentials) are the expected answers.
    expect(w.consoleErrors.filter((line) => !/net::ERR_INTERNET_DISCONNECTED|status of 409|status of 401/.test(line))).toEqual([]);
    expect(await w.cspViolations()).toEqual([]);
    expect(w.foreignRequests).toEqual([]);
  });

  it('when the case was created but the answer got lost, retrying opens that case instead of making a second one', { timeout: 180_000 }, async () => {
    const { w, issued, casesBefore } = await openWatchingCredentials();
    // The server creates the case, but the answer never reaches the browser.
    await w.page.route('**/api/cases', async (route) => {
      await route.fetch();
      await route.abort('connectionreset');
    }, { times: 1 });
    const { caseCode, passphrase } = await reportThroughUi(w.page, {
      advisorName: 'Anna de Vries',
      what: 'Het antwoord raakte zoek.',
      onStep: async (step) => {
        if (step !== 'sending') return;
        await w.page.getByTestId('retry-send').click({ timeout: 60_000 });
      },
    });
    expect(issued).toHaveLength(1);
    expect(caseCode).toBe(issued[0]);
    expect((await h.t.database.db.selectFrom('cases').select('id').execute()).length).toBe(casesBefore + 1);
    // Logged in to that case: the mailbox opens and shows the report.
    await passRetypeCheck(w.page, passphrase);
    await expect.poll(() => w.page.getByTestId('summary-what').innerText(), { timeout: 30_000 }).toBe('Het antwoord raakte zoek.');
    // The 409 (reservation used, by our own lost attempt) is the expected answer.
    expect(w.consoleErrors.filter((line) => !/net::ERR_CONNECTION_RESET|status of 409/.test(line))).toEqual([]);
    expect(await w.cspViolations()).toEqual([]);
  });
});
