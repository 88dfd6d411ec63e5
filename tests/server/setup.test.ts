import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli.ts';
import { ensureSetupToken } from '../../server/modules/setup/service.ts';
import * as openpgp from 'openpgp';
import * as crypto from '../../web/src/lib/crypto/index.ts';
import { databaseKinds } from '../helpers/db.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { advisorPasswordKeys, advisorRecoveryKeys, cookieOf, freshTotpCode, randomTotpSecret, totpCodeAt } from '../helpers/actors.ts';

/** What the setup wizard in the browser sends: keys made exactly as at an advisor's activation. */
async function wizardBody(email: string, overrides: { setupToken: string; slug?: string; adminIsAdvisor?: boolean; wrongKey?: boolean; badTotp?: boolean }) {
  const { loginKey, unlockKey } = await advisorPasswordKeys(email);
  const recoveryBytes = crypto.generateRandomKeyBytes(16);
  const recovery = await advisorRecoveryKeys(email, recoveryBytes);
  const { armoredPublicKey, privateKey } = await crypto.generateKey({ name: 'Beheerder' });
  const other = overrides.wrongKey ? await crypto.generateKey({ name: 'Someone else' }) : null;
  const totpSecret = await randomTotpSecret();
  return {
    totpSecret,
    loginKey,
    body: {
      setupToken: overrides.setupToken,
      organisation: { slug: overrides.slug ?? 'acme', name: 'Acme BV' },
      admin: {
        email, name: 'Bea Beheer', loginKey, publicKey: armoredPublicKey,
        lockedPrivateKey: await crypto.lockPrivateKey({ privateKey: other ? other.privateKey : privateKey, unlockKey }),
        recoveryLoginKey: recovery.loginKey,
        recoveryLockedPrivateKey: await crypto.lockPrivateKey({ privateKey, unlockKey: recovery.unlockKey }),
        totpSecret,
        totpCode: overrides.badTotp ? '000000' : await totpCodeAt(totpSecret, new Date(Date.now() - 30_000)),
      },
      adminIsAdvisor: overrides.adminIsAdvisor ?? true,
    },
  };
}

describe.each(databaseKinds)('first-run setup on %s', (kind) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('while no organisation exists, setup is needed and a setup token exists', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/setup' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ needed: true });
    token = (await ensureSetupToken(t.database.db))!;
    expect(token).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){4}$/);
    expect(await ensureSetupToken(t.database.db)).toBe(token); // stable until used
  });

  it('a wrong token is 403 and rate-limited; bad key material or TOTP is 400; nothing is created', async () => {
    const wrong = await wizardBody('bea@example.org', { setupToken: 'aaaaa-bbbbb-ccccc-ddddd-eeeee' });
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/setup', remoteAddress: '10.5.0.1', payload: wrong.body });
      codes.push(res.statusCode);
      if (i === 0) expect(res.json().error.code).toBe('setup_token_invalid');
    }
    expect(codes.slice(0, 10).every((c) => c === 403)).toBe(true);
    expect(codes[10]).toBe(429);

    const mismatch = await wizardBody('bea@example.org', { setupToken: token, wrongKey: true });
    const r1 = await t.app.inject({ method: 'POST', url: '/api/setup', remoteAddress: '10.5.0.2', payload: mismatch.body });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.code).toBe('key_mismatch');
    const badTotp = await wizardBody('bea@example.org', { setupToken: token, badTotp: true });
    const r2 = await t.app.inject({ method: 'POST', url: '/api/setup', remoteAddress: '10.5.0.2', payload: badTotp.body });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().error.code).toBe('totp_invalid');
    // A bare (unlocked) private key is never stored; nor a private key posing as the public key.
    const bare = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'x' }], format: 'armored' });
    const good = await wizardBody('bea@example.org', { setupToken: token });
    const r4 = await t.app.inject({ method: 'POST', url: '/api/setup', remoteAddress: '10.5.0.2', payload: { ...good.body, admin: { ...good.body.admin, publicKey: bare.publicKey, lockedPrivateKey: bare.privateKey, recoveryLockedPrivateKey: bare.privateKey } } });
    expect([r4.statusCode, r4.json().error.code]).toEqual([400, 'private_key_not_locked']);
    const r5 = await t.app.inject({ method: 'POST', url: '/api/setup', remoteAddress: '10.5.0.2', payload: { ...good.body, admin: { ...good.body.admin, publicKey: good.body.admin.lockedPrivateKey } } });
    expect([r5.statusCode, r5.json().error.code]).toEqual([400, 'invalid_public_key']);
    const reserved = await wizardBody('bea@example.org', { setupToken: token, slug: 'admin' });
    const r3 = await t.app.inject({ method: 'POST', url: '/api/setup', remoteAddress: '10.5.0.2', payload: reserved.body });
    expect(r3.statusCode).toBe(400);
    expect(r3.json().error.code).toBe('reserved_slug');
    expect(await t.database.db.selectFrom('organisations').select('id').execute()).toEqual([]);
    expect(await t.database.db.selectFrom('accounts').select('id').execute()).toEqual([]);
  });

  it('the right token creates the organisation and an active admin (and advisor), logged in; two at once: one wins', async () => {
    const a = await wizardBody('Bea@Example.org', { setupToken: token.toUpperCase().replace(/-/g, ' ') });
    const b = await wizardBody('bob@example.org', { setupToken: token, slug: 'bob' });
    const [ra, rb] = await Promise.all([
      t.app.inject({ method: 'POST', url: '/api/setup', remoteAddress: '10.5.0.3', payload: a.body }),
      t.app.inject({ method: 'POST', url: '/api/setup', remoteAddress: '10.5.0.4', payload: b.body }),
    ]);
    expect([ra.statusCode, rb.statusCode].sort()).toEqual([201, 409]);
    const [won, lost] = ra.statusCode === 201 ? [ra, rb] : [rb, ra];
    const winner = won === ra ? a : b;
    const email = won === ra ? 'bea@example.org' : 'bob@example.org';
    const slug = won === ra ? 'acme' : 'bob';
    expect(lost.json().error.code).toBe('setup_done');
    const me = won.json();
    expect(me.account).toMatchObject({ email, name: 'Bea Beheer' });
    expect(me.lockedPrivateKey).toMatch(/BEGIN PGP PRIVATE KEY BLOCK/);
    expect(me.organisations).toEqual([{ slug, name: 'Acme BV', role: 'admin' }, { slug, name: 'Acme BV', role: 'advisor' }]);
    // Logged in: the admin console answers with the cookie.
    const cookie = cookieOf(won);
    expect((await t.app.inject({ method: 'GET', url: `/api/admin/organisations/${slug}`, headers: { cookie } })).statusCode).toBe(200);
    // The admin is an advisor on the public page, with the key from the wizard.
    const page = (await t.app.inject({ method: 'GET', url: `/api/organisations/${slug}` })).json();
    expect(page.advisors.map((x: { name: string; publicKey: string }) => [x.name, x.publicKey])).toEqual([['Bea Beheer', winner.body.admin.publicKey]]);
    // … and logs in later exactly as an advisor does: login key + TOTP.
    const account = await t.database.db.selectFrom('accounts').select(['id', 'totp_secret_encrypted']).where('email', '=', email).executeTakeFirstOrThrow();
    expect(account.totp_secret_encrypted).not.toContain(winner.totpSecret);
    const login = await t.app.inject({
      method: 'POST', url: '/api/advisor/session', remoteAddress: '10.5.0.5',
      payload: { email, loginKey: winner.loginKey, totpCode: await freshTotpCode(t.database.db, { accountId: account.id, totpSecret: winner.totpSecret }) },
    });
    expect(login.statusCode).toBe(200);
    // The token is gone and setup is over for good.
    expect(await ensureSetupToken(t.database.db)).toBeNull();
    expect((await t.app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ needed: false });
    const again = await t.app.inject({ method: 'POST', url: '/api/setup', remoteAddress: '10.5.0.6', payload: (await wizardBody('eve@example.org', { setupToken: token, slug: 'eve' })).body });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('setup_done');
    const events = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'setup.completed').execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_type: 'staff', actor_id: account.id });
  });
});

describe.each(databaseKinds)('setup without the advisor role on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('an admin who is not an advisor is not on the public page and has no advisor routes', async () => {
    const token = (await ensureSetupToken(t.database.db))!;
    const { body } = await wizardBody('bea@example.org', { setupToken: token, adminIsAdvisor: false });
    const res = await t.app.inject({ method: 'POST', url: '/api/setup', payload: body });
    expect(res.statusCode).toBe(201);
    expect(res.json().organisations).toEqual([{ slug: 'acme', name: 'Acme BV', role: 'admin' }]);
    expect((await t.app.inject({ method: 'GET', url: '/api/organisations/acme' })).json().advisors).toEqual([]);
    const register = await t.app.inject({ method: 'GET', url: '/api/advisor/organisations/acme/register', headers: { cookie: cookieOf(res) } });
    expect(register.statusCode).toBe(404);
  });
});

describe('cli: setup:token and retention:run', () => {
  it('prints the setup token while no organisation exists, then says setup is done; runs retention', async () => {
    const saved = { ...process.env };
    process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'kb-setup-'));
    process.env.PUBLIC_URL = 'https://meld.example.org';
    delete process.env.DATABASE_URL;
    const lines: string[] = [];
    const out = (l: string) => lines.push(l);
    try {
      expect(await runCli(['setup:token'], out)).toBe(0);
      const first = /setup token \(for the setup wizard at https:\/\/meld\.example\.org\/\): ([a-z2-9-]{29})/.exec(lines.join('\n'))?.[1];
      expect(first).toBeTruthy();
      expect(await runCli(['org:create', '--slug', 'acme', '--name', 'Acme BV'], out)).toBe(0);
      expect(await runCli(['setup:token'], out)).toBe(0);
      expect(lines.at(-1)).toMatch(/setup is done/);
      expect(await runCli(['retention:run'], out)).toBe(0);
      expect(lines.at(-1)).toMatch(/^retention: 0 case\(s\) emptied/);
    } finally {
      process.env = saved;
    }
  }, 60_000);
});
