import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { inviteStaff } from '../../server/modules/accounts/service.ts';
import { hotp, totpCode, verifyTotp, decodeBase32, encodeBase32, isValidTotpSecret } from '../../server/lib/totp.ts';
import { open, seal } from '../../server/lib/secretbox.ts';
import * as crypto from '../../web/src/lib/crypto/index.ts';
import { databaseKinds } from '../helpers/db.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import {
  activateAdvisorViaApi, advisorLogin, advisorPasswordKeys, advisorRecoveryKeys, cookieOf, freshTotpCode, melderReports, randomTotpSecret,
  totpCodeAt, type ActivatedAdvisor,
} from '../helpers/actors.ts';

const LOGIN_FAILED = JSON.stringify({ error: { code: 'login_failed', message: 'The email address, password or code is not right' } });

describe('TOTP and the secret box', () => {
  it('matches the RFC 6238 SHA-1 test vectors (6 digits)', () => {
    const key = Buffer.from('12345678901234567890');
    const secret = encodeBase32(key);
    expect(decodeBase32(secret)).toEqual(key);
    for (const [t, code] of [[59, '287082'], [1111111109, '081804'], [1111111111, '050471'], [1234567890, '005924'], [2000000000, '279037']] as const) {
      expect(totpCode(secret, new Date(t * 1000))).toBe(code);
      expect(hotp(key, Math.floor(t / 30))).toBe(code);
    }
  });

  it('accepts one step either side, refuses further, and refuses steps not after the last used', async () => {
    const secret = await randomTotpSecret();
    expect(isValidTotpSecret(secret)).toBe(true);
    expect(isValidTotpSecret(secret.slice(1))).toBe(false);
    const now = new Date(1_800_000_000_000);
    const step = Math.floor(now.getTime() / 30_000);
    expect(verifyTotp(secret, await totpCodeAt(secret, now), now)).toBe(step);
    expect(verifyTotp(secret, await totpCodeAt(secret, new Date(now.getTime() - 30_000)), now)).toBe(step - 1);
    expect(verifyTotp(secret, await totpCodeAt(secret, new Date(now.getTime() + 30_000)), now)).toBe(step + 1);
    expect(verifyTotp(secret, await totpCodeAt(secret, new Date(now.getTime() - 90_000)), now)).toBeNull();
    expect(verifyTotp(secret, await totpCodeAt(secret, now), now, step)).toBeNull();
    expect(verifyTotp(secret, 'abcdef', now)).toBeNull();
  });

  it('seals with AES-256-GCM: opens only with the same secret, purpose and row', () => {
    const secret = Buffer.alloc(32, 7);
    const sealed = seal(secret, 'totp-secret', 'JBSWY3DPEHPK3PXP', 'row-1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(open(secret, 'totp-secret', sealed, 'row-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => open(secret, 'totp-secret', sealed, 'row-2')).toThrow();
    expect(() => open(secret, 'other', sealed, 'row-1')).toThrow();
    expect(() => open(Buffer.alloc(32, 8), 'totp-secret', sealed, 'row-1')).toThrow();
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => open(secret, 'totp-secret', tampered, 'row-1')).toThrow();
  });
});

describe.each(databaseKinds)('advisor accounts on %s', (kind) => {
  let t: TestApp;
  let ip = 0;
  const nextIp = () => `10.20.${Math.floor(++ip / 250)}.${ip % 250}`;
  let n = 0;
  const uniqueEmail = (prefix = 'vp') => `${prefix}${++n}@example.org`;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await createOrganisation(t.database.db, { slug: 'acme', name: 'Acme BV' });
    await createOrganisation(t.database.db, { slug: 'other', name: 'Other NV' });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Everything the browser sends at activation, for an invite token. */
  async function activationPayload(token: string, email: string, name = 'Vera Vertrouwens', at = new Date()) {
    const { loginKey, unlockKey } = await advisorPasswordKeys(email);
    const recoveryKeyBytes = crypto.generateRandomKeyBytes(16);
    const recovery = await advisorRecoveryKeys(email, recoveryKeyBytes);
    const { armoredPublicKey, privateKey } = await crypto.generateKey({ name });
    const totpSecret = await randomTotpSecret();
    return {
      keys: { loginKey, unlockKey, recovery, privateKey, totpSecret },
      payload: {
        token, loginKey, publicKey: armoredPublicKey,
        lockedPrivateKey: await crypto.lockPrivateKey({ privateKey, unlockKey }),
        recoveryLoginKey: recovery.loginKey,
        recoveryLockedPrivateKey: await crypto.lockPrivateKey({ privateKey, unlockKey: recovery.unlockKey }),
        totpSecret, totpCode: await totpCodeAt(totpSecret, at),
      },
    };
  }
  const activate = (payload: object) => t.app.inject({ method: 'POST', url: '/api/advisor/activation', remoteAddress: nextIp(), payload });
  const lookup = (token: string) => t.app.inject({ method: 'POST', url: '/api/advisor/activation/lookup', remoteAddress: nextIp(), payload: { token } });
  const login = (payload: object, remoteAddress = nextIp()) => t.app.inject({ method: 'POST', url: '/api/advisor/session', remoteAddress, payload });
  const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/advisor/me', headers: { cookie } });
  const invite = (email: string, slug = 'acme') => inviteStaff(t.database.db, { organisationSlug: slug, email, name: 'Vera Vertrouwens' });

  describe('activation', () => {
    it('the invite link shows who is invited for which organisations', async () => {
      const email = uniqueEmail();
      const inv = await invite(email);
      await inviteStaff(t.database.db, { organisationSlug: 'other', email, name: 'Vera Vertrouwens' });
      const again = await invite(email); // a second invite replaces the first
      expect((await lookup(inv.token!)).statusCode).toBe(404);
      const res = await lookup(again.token!);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ email, name: 'Vera Vertrouwens', organisations: [{ slug: 'acme', name: 'Acme BV' }, { slug: 'other', name: 'Other NV' }] });
    });

    it('unknown, expired and used links all answer 404 invite_invalid with one body', async () => {
      const unknown = await lookup('x'.repeat(43));
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('invite_invalid');

      const expiring = await invite(uniqueEmail());
      await t.database.db.updateTable('invites').set({ expires_at: new Date(Date.now() - 1000) }).where('account_id', '=', expiring.accountId).execute();
      const expired = await lookup(expiring.token!);
      expect([expired.statusCode, expired.body]).toEqual([404, unknown.body]);
      const email = uniqueEmail();
      const { payload } = await activationPayload('', email);
      const expiredActivation = await activate({ ...payload, token: expiring.token });
      expect([expiredActivation.statusCode, expiredActivation.body]).toEqual([404, unknown.body]);
      const row = await t.database.db.selectFrom('accounts').select(['status', 'public_key']).where('id', '=', expiring.accountId).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'invited', public_key: null });

      const inv = await invite(email);
      expect((await activate({ ...payload, token: inv.token })).statusCode).toBe(201);
      const used = await lookup(inv.token!);
      expect([used.statusCode, used.body]).toEqual([404, unknown.body]);
      const reuse = await activate({ ...(await activationPayload(inv.token!, email)).payload });
      expect([reuse.statusCode, reuse.body]).toEqual([404, unknown.body]);
    });

    it('activates with keys made in the browser: session, stored key material, no secrets in the clear', async () => {
      const email = uniqueEmail();
      const inv = await invite(email);
      const { payload, keys } = await activationPayload(inv.token!, email);
      const res = await activate(payload);
      expect(res.statusCode).toBe(201);
      expect(res.json().account).toEqual({ id: inv.accountId, name: 'Vera Vertrouwens', email, publicKey: payload.publicKey });
      const setCookie = String(res.headers['set-cookie']);
      expect(setCookie).toMatch(/^kb_session=[A-Za-z0-9_-]{40,};/);
      expect(setCookie).toContain('HttpOnly');
      expect(setCookie).toContain('SameSite=Strict');
      expect((await me(cookieOf(res))).statusCode).toBe(200);

      const row = await t.database.db.selectFrom('accounts').selectAll().where('id', '=', inv.accountId).executeTakeFirstOrThrow();
      expect(row.status).toBe('active');
      expect(row.activated_at).not.toBeNull();
      expect(row.public_key).toBe(payload.publicKey);
      expect(row.locked_private_key).toBe(payload.lockedPrivateKey);
      expect(row.recovery_locked_private_key).toBe(payload.recoveryLockedPrivateKey);
      expect(row.login_key_hash).toMatch(/^\$argon2id\$/);
      expect(row.recovery_login_key_hash).toMatch(/^\$argon2id\$/);
      expect(row.totp_last_step).not.toBeNull();
      const dump = JSON.stringify(row);
      for (const secret of [keys.loginKey, keys.unlockKey, keys.recovery.loginKey, keys.recovery.unlockKey, keys.totpSecret]) expect(dump).not.toContain(secret);
      const invRow = await t.database.db.selectFrom('invites').select('used_at').where('account_id', '=', inv.accountId).executeTakeFirstOrThrow();
      expect(invRow.used_at).not.toBeNull();
      // The stored locked key opens with the unlock key the browser kept, and with the recovery key.
      await crypto.unlockPrivateKey({ armoredLockedKey: row.locked_private_key!, unlockKey: keys.unlockKey });
      await crypto.unlockPrivateKey({ armoredLockedKey: row.recovery_locked_private_key!, unlockKey: keys.recovery.unlockKey });
    });

    it('two concurrent activations with one invite: exactly one 201', async () => {
      const email = uniqueEmail();
      const inv = await invite(email);
      const [a, b] = await Promise.all([activationPayload(inv.token!, email), activationPayload(inv.token!, email)]);
      const results = await Promise.all([activate(a.payload), activate(b.payload)]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 404]);
      const winner = results[0]!.statusCode === 201 ? a : b;
      const row = await t.database.db.selectFrom('accounts').select('public_key').where('id', '=', inv.accountId).executeTakeFirstOrThrow();
      expect(row.public_key).toBe(winner.payload.publicKey);
    });

    it('a wrong TOTP code is refused with totp_invalid and leaves the invite usable', async () => {
      const email = uniqueEmail();
      const inv = await invite(email);
      const { payload } = await activationPayload(inv.token!, email);
      const wrongCode = String((Number(payload.totpCode) + 1) % 1_000_000).padStart(6, '0');
      const wrong = await activate({ ...payload, totpCode: wrongCode });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.code).toBe('totp_invalid');
      const old = await activate({ ...payload, totpCode: await totpCodeAt(payload.totpSecret, new Date(Date.now() - 120_000)) });
      expect(old.json().error.code).toBe('totp_invalid');
      expect((await activate(payload)).statusCode).toBe(201);
    });

    it('refuses bad key material: no encryption subkey, a private key of another key, a public key as private key, a weak TOTP secret', async () => {
      const email = uniqueEmail();
      const inv = await invite(email);
      const { payload } = await activationPayload(inv.token!, email);
      const signOnly = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'x' }], subkeys: [], format: 'armored' });
      const noSubkey = await activate({ ...payload, publicKey: signOnly.publicKey });
      expect([noSubkey.statusCode, noSubkey.json().error.code]).toEqual([400, 'invalid_public_key']);
      const garbage = await activate({ ...payload, publicKey: `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${'A'.repeat(200)}\n-----END PGP PUBLIC KEY BLOCK-----` });
      expect(garbage.json().error.code).toBe('invalid_public_key');
      const other = await crypto.generateKey({ name: 'Other' });
      const otherLocked = await crypto.lockPrivateKey({ privateKey: other.privateKey, unlockKey: 'x' });
      expect((await activate({ ...payload, lockedPrivateKey: otherLocked })).json().error.code).toBe('key_mismatch');
      expect((await activate({ ...payload, recoveryLockedPrivateKey: otherLocked })).json().error.code).toBe('key_mismatch');
      expect((await activate({ ...payload, lockedPrivateKey: payload.publicKey })).json().error.code).toBe('invalid_private_key');
      // A bare (unlocked) private key is never stored; nor a private key posing as the public key.
      const bare = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'x' }], format: 'armored' });
      const unlocked = await activate({ ...payload, publicKey: bare.publicKey, lockedPrivateKey: bare.privateKey });
      expect([unlocked.statusCode, unlocked.json().error.code]).toEqual([400, 'private_key_not_locked']);
      expect((await activate({ ...payload, publicKey: bare.privateKey })).json().error.code).toBe('invalid_public_key');
      expect((await activate({ ...payload, recoveryLoginKey: payload.loginKey })).json().error.code).toBe('recovery_key_reused');
      expect((await activate({ ...payload, totpSecret: 'A'.repeat(16) })).json().error.code).toBe('invalid_input');
      expect((await activate({ ...payload, loginKey: 'short' })).json().error).toMatchObject({ code: 'invalid_input', field: 'loginKey' });
      expect((await activate({ ...payload, extra: 1 })).statusCode).toBe(400);
      expect((await activate(payload)).statusCode).toBe(201);
    });
  });

  describe('login', () => {
    let vera: ActivatedAdvisor;
    beforeAll(async () => {
      vera = await activateAdvisorViaApi(t.app, t.database.db, { organisationSlug: 'acme', email: 'Vera.Login@Example.org', name: 'Vera Login', remoteAddress: nextIp() });
      await inviteStaff(t.database.db, { organisationSlug: 'other', email: vera.email, name: 'Vera Login', role: 'admin' });
    });

    it('email + login key + TOTP code: session and the locked key, which the password-derived key unlocks', async () => {
      const res = await advisorLogin(t.app, t.database.db, { ...vera, email: '  VERA.login@example.ORG ' }, nextIp());
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.account).toEqual({ id: vera.accountId, name: 'Vera Login', email: 'vera.login@example.org', publicKey: vera.publicKey });
      expect(body.organisations).toEqual([{ slug: 'acme', name: 'Acme BV', role: 'advisor' }, { slug: 'other', name: 'Other NV', role: 'admin' }]);
      const key = await crypto.unlockPrivateKey({ armoredLockedKey: body.lockedPrivateKey, unlockKey: vera.unlockKey });
      expect(await crypto.getFingerprint({ privateKey: key })).toBe((await crypto.getKeyInfo({ armoredKey: vera.publicKey })).fingerprint);
      const session = await t.database.db.selectFrom('sessions').selectAll().where('account_id', '=', vera.accountId).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      expect(session.subject).toBe('staff');
      expect(new Date(session.expires_at).getTime() - new Date(session.created_at).getTime()).toBe(12 * 3600_000);
      const mine = await me(cookieOf(res));
      expect(mine.statusCode).toBe(200);
      expect(mine.json()).toEqual(body);
    });

    it('wrong email, wrong key, wrong code, a replayed code and a deactivated account get the same 401', async () => {
      const code = await freshTotpCode(t.database.db, vera);
      const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      const otherKey = (await advisorPasswordKeys(vera.email)).loginKey;
      const failures = [
        await login({ email: 'nobody@example.org', loginKey: vera.loginKey, totpCode: code }),
        await login({ email: vera.email, loginKey: otherKey, totpCode: code }),
        await login({ email: vera.email, loginKey: vera.loginKey, totpCode: wrongCode }),
      ];
      const ok = await login({ email: vera.email, loginKey: vera.loginKey, totpCode: code });
      expect(ok.statusCode).toBe(200);
      failures.push(await login({ email: vera.email, loginKey: vera.loginKey, totpCode: code })); // replay
      await t.database.db.updateTable('accounts').set({ status: 'deactivated' }).where('id', '=', vera.accountId).execute();
      failures.push(await login({ email: vera.email, loginKey: vera.loginKey, totpCode: await freshTotpCode(t.database.db, vera) }));
      // A deactivated account's existing session stops working too.
      expect((await me(cookieOf(ok))).json().error.code).toBe('session_expired');
      await t.database.db.updateTable('accounts').set({ status: 'active' }).where('id', '=', vera.accountId).execute();
      for (const f of failures) {
        expect([f.statusCode, f.body]).toEqual([401, LOGIN_FAILED]);
        expect(f.headers['set-cookie']).toBeUndefined();
      }
    });

    it('a TOTP code works once, even when sent twice at the same moment', async () => {
      const code = await freshTotpCode(t.database.db, vera);
      const payload = { email: vera.email, loginKey: vera.loginKey, totpCode: code };
      const [a, b] = await Promise.all([login(payload), login(payload)]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 401]);
      expect((await login(payload)).statusCode).toBe(401);
    });

    it('guessing from one address gets 429 with Retry-After; the real advisor still logs in from another', async () => {
      const attacker = nextIp();
      const statuses: number[] = [];
      let retryAfter = 0;
      for (let i = 0; i < 12; i++) {
        const res = await login({ email: vera.email, loginKey: 'A'.repeat(43), totpCode: '000000' }, attacker);
        statuses.push(res.statusCode);
        if (res.statusCode === 429) {
          retryAfter = Number(res.headers['retry-after']);
          expect(res.json().error.code).toBe('rate_limited');
        }
      }
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
      expect(retryAfter).toBeGreaterThan(0);
      expect((await advisorLogin(t.app, t.database.db, vera, nextIp())).statusCode).toBe(200);
    });

    it('a distributed guess at one account is capped per email; other accounts are unaffected', async () => {
      const target = uniqueEmail('target');
      const statuses: number[] = [];
      // 102 attempts from 12 addresses (each under its own limit of 10), 17 at a time.
      for (let batch = 0; batch < 6; batch++) {
        const results = await Promise.all(Array.from({ length: 17 }, (_, j) => {
          const i = batch * 17 + j;
          return login({ email: target, loginKey: 'B'.repeat(43), totpCode: '000000' }, `10.30.${Math.floor(i / 9)}.${i % 9}`);
        }));
        statuses.push(...results.map((r) => r.statusCode));
      }
      expect(statuses.filter((s) => s === 401)).toHaveLength(100);
      expect(statuses.filter((s) => s === 429)).toHaveLength(2);
      // Same key, written differently: the same bucket.
      expect((await login({ email: target.toUpperCase(), loginKey: 'B'.repeat(43), totpCode: '000000' })).statusCode).toBe(429);
      expect((await advisorLogin(t.app, t.database.db, vera, nextIp())).statusCode).toBe(200);
    });

    it('sessions end after 30 idle minutes; log out ends this one, log out everywhere ends all', async () => {
      const a = cookieOf(await advisorLogin(t.app, t.database.db, vera, nextIp()));
      const b = cookieOf(await advisorLogin(t.app, t.database.db, vera, nextIp()));
      const c = cookieOf(await advisorLogin(t.app, t.database.db, vera, nextIp()));
      expect((await me(a)).statusCode).toBe(200);
      const out = await t.app.inject({ method: 'DELETE', url: '/api/advisor/session', headers: { cookie: a } });
      expect(out.statusCode).toBe(200);
      expect(String(out.headers['set-cookie'])).toMatch(/kb_session=;/);
      expect((await me(a)).statusCode).toBe(401);
      expect((await me(b)).statusCode).toBe(200);
      const everywhere = await t.app.inject({ method: 'DELETE', url: '/api/advisor/sessions', headers: { cookie: b } });
      expect(everywhere.statusCode).toBe(200);
      expect((await me(b)).statusCode).toBe(401);
      expect((await me(c)).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'DELETE', url: '/api/advisor/sessions' })).statusCode).toBe(401);
      const d = cookieOf(await advisorLogin(t.app, t.database.db, vera, nextIp()));
      await t.database.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) }).where('account_id', '=', vera.accountId).execute();
      const idle = await me(d);
      expect([idle.statusCode, idle.json().error.code]).toEqual([401, 'session_expired']);
    });

    it('a melder session is not a staff session', async () => {
      const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: vera, remoteAddress: nextIp() });
      expect((await me(m.cookie)).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: '/api/advisor/cases', headers: { cookie: m.cookie } })).statusCode).toBe(401);
    });
  });

  describe('password and recovery', () => {
    /** A case with a report encrypted to this advisor, and the report's text. */
    async function caseFor(adv: ActivatedAdvisor, text: string) {
      await t.database.db.updateTable('memberships').set({ available: true }).where('account_id', '=', adv.accountId).execute();
      await melderReports(t.app, { organisationSlug: 'acme', advisor: adv, text, remoteAddress: nextIp() });
      const c = await t.database.db.selectFrom('cases').select('id').where('advisor_id', '=', adv.accountId).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      return c.id;
    }
    async function readReport(cookie: string, caseId: string, unlockKey: string, lockedKey: string) {
      const privateKey = await crypto.unlockPrivateKey({ armoredLockedKey: lockedKey, unlockKey });
      const thread = (await t.app.inject({ method: 'GET', url: `/api/advisor/cases/${caseId}`, headers: { cookie } })).json();
      const report = thread.messages.find((m: any) => m.kind === 'report');
      return JSON.parse((await crypto.decryptMessage({ armoredMessage: report.ciphertext, decryptionKey: privateKey, armoredVerificationKeys: [thread.case.melderPublicKey] })).text).what;
    }

    it('changing the password re-locks the key: cases stay readable, the old password stops working, other sessions end', async () => {
      const adv = await activateAdvisorViaApi(t.app, t.database.db, { organisationSlug: 'acme', email: uniqueEmail(), name: 'Pim Password', remoteAddress: nextIp() });
      const caseId = await caseFor(adv, 'geheime inhoud voor pim');
      const other = cookieOf(await advisorLogin(t.app, t.database.db, adv, nextIp()));
      const next = await advisorPasswordKeys(adv.email);
      const newLockedPrivateKey = await crypto.lockPrivateKey({ privateKey: adv.privateKey, unlockKey: next.unlockKey });
      const change = (payload: object) => t.app.inject({ method: 'POST', url: '/api/advisor/password', headers: { cookie: adv.cookie }, remoteAddress: nextIp(), payload });

      const wrong = await change({ currentLoginKey: next.loginKey, newLoginKey: next.loginKey, newLockedPrivateKey });
      expect([wrong.statusCode, wrong.json().error.code]).toEqual([400, 'current_password_incorrect']);
      const stranger = await crypto.generateKey({ name: 'x' });
      const mismatch = await change({ currentLoginKey: adv.loginKey, newLoginKey: next.loginKey, newLockedPrivateKey: await crypto.lockPrivateKey({ privateKey: stranger.privateKey, unlockKey: next.unlockKey }) });
      expect([mismatch.statusCode, mismatch.json().error.code]).toEqual([400, 'key_mismatch']);
      expect((await t.app.inject({ method: 'POST', url: '/api/advisor/password', remoteAddress: nextIp(), payload: { currentLoginKey: adv.loginKey, newLoginKey: next.loginKey, newLockedPrivateKey } })).statusCode).toBe(401);

      const ok = await change({ currentLoginKey: adv.loginKey, newLoginKey: next.loginKey, newLockedPrivateKey });
      expect(ok.statusCode).toBe(200);
      expect((await me(adv.cookie)).statusCode).toBe(200); // this session goes on
      expect((await me(other)).statusCode).toBe(401); // the others end

      const old = await advisorLogin(t.app, t.database.db, adv, nextIp());
      expect([old.statusCode, old.body]).toEqual([401, LOGIN_FAILED]);
      const fresh = await advisorLogin(t.app, t.database.db, { ...adv, loginKey: next.loginKey }, nextIp());
      expect(fresh.statusCode).toBe(200);
      const lockedPrivateKey = fresh.json().lockedPrivateKey;
      expect(lockedPrivateKey).toBe(newLockedPrivateKey);
      await expect(crypto.unlockPrivateKey({ armoredLockedKey: lockedPrivateKey, unlockKey: adv.unlockKey })).rejects.toThrow();
      expect(await readReport(cookieOf(fresh), caseId, next.unlockKey, lockedPrivateKey)).toBe('geheime inhoud voor pim');
    });

    it('the recovery key resets the password: old password stops, all sessions end, cases stay readable, the recovery key keeps working', async () => {
      const adv = await activateAdvisorViaApi(t.app, t.database.db, { organisationSlug: 'acme', email: uniqueEmail(), name: 'Rik Recovery', remoteAddress: nextIp() });
      const caseId = await caseFor(adv, 'inhoud voor rik');
      const start = (payload: object) => t.app.inject({ method: 'POST', url: '/api/advisor/recovery/start', remoteAddress: nextIp(), payload });
      const complete = (payload: object) => t.app.inject({ method: 'POST', url: '/api/advisor/recovery/complete', remoteAddress: nextIp(), payload });

      // Every failure looks the same.
      const wrongRecovery = (await advisorRecoveryKeys(adv.email, crypto.generateRandomKeyBytes(16))).loginKey;
      const failures = [
        await start({ email: adv.email, recoveryLoginKey: wrongRecovery }),
        await start({ email: 'nobody@example.org', recoveryLoginKey: adv.recoveryLoginKey }),
        await start({ email: adv.email, recoveryLoginKey: adv.loginKey }), // the password is not the recovery key
      ];
      for (const f of failures) expect([f.statusCode, f.body]).toEqual([401, LOGIN_FAILED]);

      // The browser re-derives the recovery keys from the 16 bytes the advisor saved.
      const recovery = await advisorRecoveryKeys(adv.email, adv.recoveryKeyBytes);
      const started = await start({ email: adv.email, recoveryLoginKey: recovery.loginKey });
      expect(started.statusCode).toBe(200);
      const privateKey = await crypto.unlockPrivateKey({ armoredLockedKey: started.json().recoveryLockedPrivateKey, unlockKey: recovery.unlockKey });
      const next = await advisorPasswordKeys(adv.email);
      const newLockedPrivateKey = await crypto.lockPrivateKey({ privateKey, unlockKey: next.unlockKey });

      const bad = await complete({ email: adv.email, recoveryLoginKey: wrongRecovery, newLoginKey: next.loginKey, newLockedPrivateKey });
      expect([bad.statusCode, bad.body]).toEqual([401, LOGIN_FAILED]);
      const done = await complete({ email: adv.email, recoveryLoginKey: recovery.loginKey, newLoginKey: next.loginKey, newLockedPrivateKey });
      expect(done.statusCode).toBe(200);
      expect((await me(adv.cookie)).statusCode).toBe(401);

      const old = await advisorLogin(t.app, t.database.db, adv, nextIp());
      expect([old.statusCode, old.body]).toEqual([401, LOGIN_FAILED]);
      const fresh = await advisorLogin(t.app, t.database.db, { ...adv, loginKey: next.loginKey }, nextIp());
      expect(fresh.statusCode).toBe(200);
      expect(await readReport(cookieOf(fresh), caseId, next.unlockKey, fresh.json().lockedPrivateKey)).toBe('inhoud voor rik');
      expect((await start({ email: adv.email, recoveryLoginKey: recovery.loginKey })).statusCode).toBe(200);
    });

    it('recovery is rate-limited per address', async () => {
      const address = nextIp();
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        statuses.push((await t.app.inject({ method: 'POST', url: '/api/advisor/recovery/start', remoteAddress: address, payload: { email: 'x@example.org', recoveryLoginKey: 'C'.repeat(43) } })).statusCode);
      }
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(statuses[10]).toBe(429);
    });
  });
});
