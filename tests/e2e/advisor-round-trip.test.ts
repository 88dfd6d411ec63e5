// The advisor's whole round trip through the real UI in Chromium: the advisor activates from the
// invite link (password → Argon2id in a worker, key pair, recovery key, TOTP enrolment), a melder
// reports through the real melder UI, the advisor logs in with a TOTP code, finds the case in the
// inbox, reads the report decrypted and verified, replies; the melder returns in a fresh browser
// and reads the reply, verified as the advisor's. Throughout: no CSP violation, no console error
// but the deliberate 401s, no foreign request, no cookie but the HttpOnly session cookie, and the
// invite token gone from the address bar and history.
import { randomBytes } from 'node:crypto';
import { argon2id } from 'hash-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLoginKey } from '../../server/lib/argon.ts';
import { inviteStaff } from '../../server/modules/accounts/service.ts';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import * as crypto from '../../web/src/lib/crypto/index.ts';
import { ADVISOR_CONTEXT, RECOVERY_CONTEXT, totpCodeAt } from '../helpers/actors.ts';
import { databaseKinds } from '../helpers/db.ts';
import {
  activateThroughUi, advisorLoginThroughUi, passRetypeCheck, reportThroughUi, returnThroughUi, startBrowserHarness,
  type BrowserHarness, type WatchedPage,
} from '../helpers/browser.ts';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
/** Chromium logs every 4xx answer as a console error; 401 is the expected "not logged in" answer. */
const expected4xx = /Failed to load resource: the server responded with a status of 401/;

async function expectOnlySessionCookie(w: WatchedPage) {
  const cookies = await w.context.cookies();
  expect(cookies.map((c) => c.name)).toEqual(['kb_session']);
  expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api' });
}

async function expectCleanPage(w: WatchedPage, alsoExpected?: RegExp) {
  expect(w.consoleErrors.filter((line) => !expected4xx.test(line) && !alsoExpected?.test(line))).toEqual([]);
  expect(w.foreignRequests).toEqual([]);
  expect(await w.cspViolations()).toEqual([]);
}

async function browserStorage(w: WatchedPage) {
  return w.page.evaluate(async () => ({
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
    indexedDb: (await indexedDB.databases()).map((d) => d.name),
    entries: ((window as unknown as { navigation?: { entries(): { url: string | null }[] } }).navigation?.entries() ?? []).map((e) => e.url),
  }));
}

/** The browser's contract, computed here independently: Argon2id → HKDF → login key. */
async function contractLoginKey(password: string, email: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(ADVISOR_CONTEXT + email));
  const secretBytes = await argon2id({
    password: new TextEncoder().encode(password.normalize('NFKC')),
    salt: new Uint8Array(digest).slice(0, 16),
    memorySize: 65536, iterations: 3, parallelism: 1, hashLength: 32, outputType: 'binary',
  });
  return (await crypto.deriveKeysFromSecret({ secretBytes, context: ADVISOR_CONTEXT + email })).loginKey;
}

/** The recovery key's text form back to its 16 bytes (Crockford base32, 16 bytes + 4 check bytes). */
function recoveryKeyBytes(text: string): Uint8Array {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let bits = '';
  for (const c of text.replace(/-/g, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  return new Uint8Array((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2))).slice(0, 16);
}

describe.each(databaseKinds)('advisor round trip in Chromium on %s', (kind) => {
  let h: BrowserHarness;
  // Set by the first test, used by the ones after it.
  const email = 'vera.devries@example.org';
  let password = 'zeven blauwe fietsen onder de brug';
  let totpSecret = '';
  let recoveryKey = '';

  /** A code for a new login within the same 30 s (test shortcut: forgets the last used step). */
  const freshCode = async () => {
    await h.t.database.db.updateTable('accounts').set({ totp_last_step: null }).where('email', '=', email).execute();
    return totpCodeAt(totpSecret);
  };

  beforeAll(async () => {
    h = await startBrowserHarness(kind);
    await createOrganisation(h.t.database.db, { slug: 'acme', name: 'Acme BV' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('activates, a melder reports, the advisor logs in with TOTP and replies, the melder reads it verified', { timeout: 600_000 }, async () => {
    const db = h.t.database.db;
    const name = 'Vera de Vries';
    const invite = await inviteStaff(db, { organisationSlug: 'acme', email: 'Vera.deVries@Example.org', name });
    expect(invite.token).toBeTruthy();

    // --- The advisor activates on a phone ---
    const a = await h.newPage({ viewport: PHONE });
    // A used or unknown link says so plainly.
    await a.page.goto(`${h.baseUrl}/advisor/activate#${'x'.repeat(43)}`);
    await expect.poll(() => a.page.getByTestId('invite-invalid').innerText(), { timeout: 30_000 }).toMatch(/werkt niet/i);
    expect(a.page.url()).toBe(`${h.baseUrl}/advisor/activate`);

    const steps: string[] = [];
    ({ recoveryKey, totpSecret } = await activateThroughUi(a.page, {
      baseUrl: h.baseUrl,
      token: invite.token!,
      password,
      totpCode: (secret) => totpCodeAt(secret),
      onStep: async (step) => {
        steps.push(step);
        if (step === 'password') {
          // The fragment is read and dropped at once: not in the address bar, not in history.
          expect(a.page.url()).toBe(`${h.baseUrl}/advisor/activate`);
          expect((await browserStorage(a)).entries.some((url) => url?.includes(invite.token!))).toBe(false);
          expect(await a.page.getByTestId('invite-email').innerText()).toBe(email);
          expect(await a.page.getByTestId('invite-organisations').innerText()).toBe('Acme BV');
          // A weak password is refused with a reason.
          await a.page.getByTestId('activate-password').fill('Wachtwoord2024!');
          await a.page.getByTestId('activate-repeat').fill('Wachtwoord2024!');
          await a.page.getByTestId('password-next').click();
          await expect.poll(() => a.page.getByTestId('activate-problem').getAttribute('data-problem')).toBe('common');
          expect(await a.page.getByTestId('unrecoverable-warning').innerText()).toMatch(/niemand/i);
        }
        if (step === 'recovery') {
          // The retype check refuses wrong groups.
          await a.page.getByTestId('recovery-retype').fill('AAAA BBBB');
          await a.page.getByTestId('recovery-next').click();
          await a.page.getByTestId('recovery-retype-error').waitFor();
          const [download] = await Promise.all([a.page.waitForEvent('download'), a.page.getByTestId('recovery-download').click()]);
          expect(download.suggestedFilename()).toBe('klankbord-herstelsleutel.txt');
        }
        if (step === 'totp') {
          expect(await a.page.getByTestId('totp-qr').getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
        }
      },
    }));
    expect(steps).toEqual(['password', 'password-filled', 'recovery', 'totp']);
    expect(recoveryKey).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}$/);
    expect(totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    await a.page.getByTestId('welcome').waitFor();
    await a.page.getByTestId('inbox-empty').waitFor();
    await expectOnlySessionCookie(a);
    expect(a.page.url()).toBe(`${h.baseUrl}/advisor`);

    // What the server stored matches the contract: Argon2id → HKDF, and the recovery key's own pair.
    const account = await db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    expect(account.status).toBe('active');
    expect(await verifyLoginKey(account.login_key_hash, await contractLoginKey(password, email))).toBe(true);
    const recovery = await crypto.deriveKeysFromSecret({ secretBytes: recoveryKeyBytes(recoveryKey), context: RECOVERY_CONTEXT + email });
    expect(await verifyLoginKey(account.recovery_login_key_hash, recovery.loginKey)).toBe(true);
    const opened = await crypto.unlockPrivateKey({ armoredLockedKey: account.recovery_locked_private_key!, unlockKey: recovery.unlockKey });
    expect(await crypto.getFingerprint({ privateKey: opened })).toBe((await crypto.getKeyInfo({ armoredKey: account.public_key! })).fingerprint);
    const storage = await browserStorage(a);
    expect(storage.local.filter((key) => key !== 'klankbord.lang')).toEqual([]);
    expect(storage.session).toEqual([]);
    expect(storage.indexedDb).toEqual([]);
    // The 404 is the unknown invite link tried above, on purpose.
    await expectCleanPage(a, /status of 404/);

    // --- A melder reports through the real melder UI ---
    const m = await h.newPage({ viewport: PHONE });
    const scripts: string[] = [];
    m.page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await m.page.goto(`${h.baseUrl}/acme`);
    await m.page.getByTestId('org-name').waitFor();
    // The public page loads none of the advisor's code (pages, Argon2, QR, password list).
    expect(scripts.filter((path) => /AdvisorPages|argon2|hash-wasm/.test(path))).toEqual([]);
    const what = `Op de afdeling worden declaraties goedgekeurd zonder bonnen. ${randomBytes(4).toString('hex')}`;
    const { caseCode, passphrase } = await reportThroughUi(m.page, {
      advisorName: name,
      what,
      kind: 'misstand',
      category: 'fraude',
      when: 'Sinds januari',
      wishes: ['advice', 'misstand_investigation'],
      contact: 'portal',
    });
    await passRetypeCheck(m.page, passphrase);
    await expectCleanPage(m);

    // --- The advisor logs in on a desktop with password and a TOTP code ---
    const w = await h.newPage({ viewport: DESKTOP });
    await w.page.goto(`${h.baseUrl}/advisor`);
    await w.page.getByTestId('advisor-login').waitFor({ timeout: 60_000 });
    // A wrong code gets the one answer for every failure.
    await w.page.getByTestId('login-email').fill(email);
    await w.page.getByTestId('login-password').fill(password);
    await w.page.getByTestId('login-code').fill('000000');
    await w.page.getByTestId('login-submit').click();
    await expect.poll(() => w.page.getByTestId('login-error').innerText(), { timeout: 120_000 }).toMatch(/e-mailadres, het wachtwoord of de code klopt niet/i);
    // The code of the next 30-second step: accepted (±1 step) and never used before.
    await advisorLoginThroughUi(w.page, { email, password, code: await totpCodeAt(totpSecret, new Date(Date.now() + 30_000)) });
    expect(w.page.url()).toBe(`${h.baseUrl}/advisor`);

    // The inbox: the internal reference, never the case code; the deadlines of a misstand.
    const row = w.page.getByTestId('inbox-case');
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    const theCase = await db.selectFrom('cases').select(['id', 'reference']).executeTakeFirstOrThrow();
    expect(await row.getAttribute('data-reference')).toBe(theCase.reference);
    const rowText = await row.innerText();
    expect(rowText).toContain(theCase.reference);
    expect(rowText).toMatch(/Acme BV/);
    expect(rowText).toMatch(/misstand/i);
    expect(rowText).toMatch(/fraude/i);
    expect(await row.getByTestId('unread').innerText()).toMatch(/1/);
    expect(await row.getByTestId('feedback').getAttribute('data-state')).toBe('ok');
    const body = await w.page.locator('body').innerText();
    expect(body).not.toContain(caseCode);
    expect(body).not.toContain(caseCode.replace(/-/g, ''));

    // The case: the report decrypted and verified; marked read on the server.
    await row.getByTestId('case-link').click();
    await w.page.waitForURL(`${h.baseUrl}/advisor/cases/${theCase.id}`);
    const report = w.page.locator('[data-testid="case-item"][data-kind="report"]');
    await expect.poll(() => report.getByTestId('report-what').innerText(), { timeout: 60_000 }).toBe(what);
    expect(await report.getAttribute('data-signature')).toBe('valid');
    expect(await report.getByTestId('verification').innerText()).toMatch(/geverifieerd/i);
    expect(await report.getByTestId('report-when').innerText()).toBe('Sinds januari');
    expect(await w.page.getByTestId('case-reference').innerText()).toBe(theCase.reference);
    await expect.poll(async () => (await db.selectFrom('messages').select('read_at').where('kind', '=', 'report').executeTakeFirstOrThrow()).read_at).not.toBeNull();

    // A reply, marked as the feedback on follow-up (misstand).
    const replyText = `Dank voor je melding. Ik ga dit uitzoeken en laat het je weten. ${randomBytes(4).toString('hex')}`;
    await w.page.getByTestId('reply-text').fill(replyText);
    await w.page.getByTestId('reply-is-feedback').check();
    await w.page.getByTestId('reply-submit').click();
    await w.page.getByTestId('reply-sent').waitFor({ timeout: 60_000 });
    await expect.poll(() => w.page.getByTestId('case-status').getAttribute('data-status')).toBe('in_behandeling');
    await w.page.getByTestId('feedback-given-at').waitFor();
    const mine = w.page.locator('[data-testid="case-item"][data-sender="advisor"][data-kind="message"]');
    expect(await mine.getByTestId('message-text').innerText()).toBe(replyText);
    const row2 = await db.selectFrom('cases').select(['first_reply_at', 'feedback_given_at', 'status']).executeTakeFirstOrThrow();
    expect(row2.first_reply_at).not.toBeNull();
    expect(row2.feedback_given_at).not.toBeNull();
    const stored = await db.selectFrom('messages').select('ciphertext').where('sender_role', '=', 'advisor').executeTakeFirstOrThrow();
    expect(stored.ciphertext).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    expect(stored.ciphertext).not.toContain(replyText);
    await expectOnlySessionCookie(w);
    const advisorStorage = await browserStorage(w);
    expect(advisorStorage.local.filter((key) => key !== 'klankbord.lang')).toEqual([]);
    expect(advisorStorage.session).toEqual([]);
    await expectCleanPage(w);

    // --- The melder returns in a fresh browser and reads the reply, verified as Vera's ---
    const m2 = await h.newPage({ viewport: PHONE });
    await m2.page.goto(`${h.baseUrl}/acme`);
    await m2.page.getByTestId('org-name').waitFor();
    await returnThroughUi(m2.page, caseCode, passphrase);
    const reply = m2.page.locator('[data-testid="thread-item"][data-sender="advisor"]');
    await expect.poll(() => reply.getByTestId('message-text').innerText(), { timeout: 60_000 }).toBe(replyText);
    expect(await reply.getAttribute('data-signature')).toBe('valid');
    expect(await reply.getByTestId('verification').innerText()).toMatch(/geverifieerd van vera de vries/i);
    await expectOnlySessionCookie(m2);
    await expectCleanPage(m2);
  });

  it('an expired session asks to log in again and keeps the unsent reply', { timeout: 300_000 }, async () => {
    const db = h.t.database.db;
    const theCase = await db.selectFrom('cases').select(['id']).executeTakeFirstOrThrow();
    const w = await h.newPage({ viewport: PHONE });
    await w.page.goto(`${h.baseUrl}/advisor/cases/${theCase.id}`);
    // Logging in on the case's own address shows that case afterwards.
    await w.page.getByTestId('advisor-login').waitFor({ timeout: 60_000 });
    await advisorLoginThroughUi(w.page, { email, password, code: await freshCode() });
    await w.page.locator('[data-testid="case-item"][data-kind="report"]').waitFor({ timeout: 60_000 });
    const draft = `Nog een vraag: sinds wanneer speelt dit? ${randomBytes(3).toString('hex')}`;
    await w.page.getByTestId('reply-text').fill(draft);
    // 31 idle minutes on the server.
    await db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) }).where('subject', '=', 'staff').execute();
    await w.page.getByTestId('reply-submit').click();
    await expect.poll(() => w.page.getByTestId('login-notice').innerText(), { timeout: 60_000 }).toMatch(/voor je veiligheid/i);
    expect(await w.page.getByTestId('login-notice').innerText()).toMatch(/staat er nog/i);
    expect(await w.page.locator('body').innerText()).not.toContain('declaraties');
    await advisorLoginThroughUi(w.page, { email, password, code: await freshCode() });
    expect(w.page.url()).toBe(`${h.baseUrl}/advisor/cases/${theCase.id}`);
    await expect.poll(() => w.page.getByTestId('reply-text').inputValue(), { timeout: 60_000 }).toBe(draft);
    await w.page.getByTestId('reply-submit').click();
    await w.page.getByTestId('reply-sent').waitFor({ timeout: 60_000 });
    // A reload keeps the session but not the key: the password opens it again.
    await w.page.reload();
    await w.page.getByTestId('unlock-password').fill(password);
    await w.page.getByTestId('unlock-submit').click();
    // Argon2id again: generous on a busy machine; an unlock error fails at once with its text.
    await w.page.locator('[data-testid="case-page"], [data-testid="unlock-error"]').first().waitFor({ timeout: 120_000 });
    expect(await w.page.getByTestId('unlock-error').count()).toBe(0);
    await expect.poll(() => w.page.locator('[data-testid="case-item"][data-kind="message"][data-sender="advisor"]').count(), { timeout: 60_000 }).toBe(2);
    await expectOnlySessionCookie(w);
    await expectCleanPage(w);
  });

  it('changes the password, then resets it with the recovery key; the old passwords stop working', { timeout: 300_000 }, async () => {
    const w = await h.newPage({ viewport: DESKTOP });
    await w.page.goto(`${h.baseUrl}/advisor/account`);
    await w.page.getByTestId('advisor-login').waitFor({ timeout: 60_000 });
    await advisorLoginThroughUi(w.page, { email, password, code: await freshCode() });
    await w.page.getByTestId('account-page').waitFor();
    const changed = 'een nieuw wachtwoord voor de winter';
    await w.page.getByTestId('current-password').fill(password);
    await w.page.getByTestId('change-password').fill(changed);
    await w.page.getByTestId('change-repeat').fill(changed);
    await w.page.getByTestId('change-password-submit').click();
    await w.page.getByTestId('password-changed').waitFor({ timeout: 120_000 });
    await w.page.getByTestId('logout').click();
    await expect.poll(() => w.page.getByTestId('login-notice').innerText()).toMatch(/uitgelogd/i);

    // Password forgotten: the recovery key (typed in lower case with spaces) sets a new one.
    await w.page.getByTestId('to-recover').click();
    await w.page.getByTestId('recover-email').fill(email);
    await w.page.getByTestId('recover-key').fill(recoveryKey.toLowerCase().replace(/-/g, ' '));
    await w.page.getByTestId('recover-submit').click();
    await w.page.locator('[data-testid="recover-page"][data-step="password"]').waitFor({ timeout: 60_000 });
    const reset = 'de herstelsleutel werkt ook echt';
    await w.page.getByTestId('recover-password').fill(reset);
    await w.page.getByTestId('recover-repeat').fill(reset);
    await w.page.getByTestId('recover-complete').click();
    await expect.poll(() => w.page.getByTestId('login-notice').innerText(), { timeout: 120_000 }).toMatch(/nieuwe wachtwoord is ingesteld/i);
    expect(w.page.url()).toBe(`${h.baseUrl}/advisor/login`);

    // The changed password no longer works; the reset one does, and the key still opens the case.
    await w.page.getByTestId('login-email').fill(email);
    await w.page.getByTestId('login-password').fill(changed);
    await w.page.getByTestId('login-code').fill(await freshCode());
    await w.page.getByTestId('login-submit').click();
    await w.page.getByTestId('login-error').waitFor({ timeout: 120_000 });
    password = reset;
    await advisorLoginThroughUi(w.page, { email, password, code: await freshCode() });
    await w.page.getByTestId('case-link').click();
    await expect.poll(() => w.page.locator('[data-testid="case-item"][data-kind="report"]').getAttribute('data-signature'), { timeout: 60_000 }).toBe('valid');
    await expectOnlySessionCookie(w);
    await expectCleanPage(w);
  });
});
