// I1 and I2 at the API: unique canaries in the report, a message, a note, a file's contents and
// its name, plus the melder's passphrase and the advisor's password. After the whole flow, a
// pg_dump, every server log line and EVERY response the server sent (to anyone) contain none of
// them: the server only ever holds ciphertext. Positive controls prove the scans can see.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { inviteStaff } from '../../server/modules/accounts/service.ts';
import { createSession } from '../../server/modules/sessions/service.ts';
import { advisorKeysFromPassword } from '../../server/lib/advisor-password.ts';
import { advisorRecoveryKeys, cookieOf, issueCredentials, randomTotpSecret, totpCodeAt } from '../helpers/actors.ts';
import * as crypto from '../../web/src/lib/crypto/index.ts';
import { TEST_DATABASE_URL } from '../helpers/db.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

const canary = (label: string) => `CANARY-${label}-${randomBytes(12).toString('hex')}`;

describe.skipIf(!TEST_DATABASE_URL)('leak canaries through the whole API flow (PostgreSQL)', () => {
  let t: TestApp;
  const responses: string[] = [];
  beforeAll(async () => {
    t = await createTestApp('postgres', {
      beforeReady: (app) => {
        app.addHook('onSend', async (_req, _reply, payload) => {
          if (typeof payload === 'string') responses.push(payload);
          else if (Buffer.isBuffer(payload)) responses.push(payload.toString('latin1'));
          return payload;
        });
      },
    });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('no canary, passphrase or password reaches the database, the logs or any response', async () => {
    const db = t.database.db;
    const C = { report: canary('report'), message: canary('message'), note: canary('note'), reply: canary('reply'), file: canary('file'), fileName: `${canary('name')}.pdf`, password: `pw ${canary('password')}` };
    await createOrganisation(db, { slug: 'acme', name: 'Acme BV' });

    // The advisor activates with a real password (Argon2id + HKDF, as the browser does).
    const email = 'anna@example.org';
    const invited = await inviteStaff(db, { organisationSlug: 'acme', email, name: 'Anna' });
    const { loginKey, unlockKey } = await advisorKeysFromPassword(C.password, email);
    const recovery = await advisorRecoveryKeys(email, crypto.generateRandomKeyBytes(16));
    const advisorKey = await crypto.generateKey({ name: 'Anna' });
    const totpSecret = await randomTotpSecret();
    const activated = await t.app.inject({ method: 'POST', url: '/api/advisor/activation', payload: {
      token: invited.token, loginKey, publicKey: advisorKey.armoredPublicKey,
      lockedPrivateKey: await crypto.lockPrivateKey({ privateKey: advisorKey.privateKey, unlockKey }),
      recoveryLoginKey: recovery.loginKey, recoveryLockedPrivateKey: await crypto.lockPrivateKey({ privateKey: advisorKey.privateKey, unlockKey: recovery.unlockKey }),
      totpSecret, totpCode: await totpCodeAt(totpSecret),
    } });
    expect(activated.statusCode).toBe(201);
    const advisorCookie = cookieOf(activated);

    // The melder reports with a file, then writes; the advisor replies and keeps a note.
    const creds = await issueCredentials(t.app, 'acme', '10.5.0.1');
    const keys = await crypto.deriveMelderKeys({ passphrase: creds.passphrase, organisationSlug: 'acme', caseCode: creds.caseCode });
    const melderKey = await crypto.generateKey({ name: 'Melder' });
    const both = [melderKey.armoredPublicKey, advisorKey.armoredPublicKey];
    const created = await t.app.inject({ method: 'POST', url: '/api/cases', remoteAddress: '10.5.0.1', payload: {
      organisationSlug: 'acme', caseCode: creds.caseCode, loginKey: keys.loginKey, melderPublicKey: melderKey.armoredPublicKey,
      melderLockedPrivateKey: await crypto.lockPrivateKey({ privateKey: melderKey.privateKey, unlockKey: keys.unlockKey }),
      kind: 'misstand', category: 'fraude', advisorId: invited.accountId,
      report: await crypto.encryptMessage({ text: JSON.stringify({ version: 1, what: C.report }), armoredRecipientKeys: both, signingKey: melderKey.privateKey }),
    } });
    expect(created.statusCode).toBe(201);
    const melderCookie = cookieOf(created);
    const caseId = (await db.selectFrom('cases').select('id').executeTakeFirstOrThrow()).id;
    const send = (method: 'POST' | 'PUT' | 'GET', url: string, cookie: string, payload?: object | Buffer, binary = false) =>
      t.app.inject({ method, url, headers: { cookie, ...(binary ? { 'content-type': 'application/octet-stream' } : {}) }, ...(payload ? { payload } : {}) });
    expect((await send('POST', '/api/melder/messages', melderCookie, { kind: 'message', ciphertext: await crypto.encryptMessage({ text: C.message, armoredRecipientKeys: both, signingKey: melderKey.privateKey }) })).statusCode).toBe(201);
    const att = await send('POST', '/api/melder/attachments', melderCookie, { encryptedManifest: await crypto.encryptMessage({ text: JSON.stringify({ name: C.fileName, type: 'application/pdf', size: 100 }), armoredRecipientKeys: both, signingKey: melderKey.privateKey }) });
    const fileCipher = Buffer.from(await crypto.encryptBytes({ data: new TextEncoder().encode(`${C.file} `.repeat(2000)), armoredRecipientKeys: both, signingKey: melderKey.privateKey }));
    expect((await send('PUT', `/api/melder/attachments/${att.json().id}/content`, melderCookie, fileCipher, true)).statusCode).toBe(200);
    expect((await send('POST', `/api/advisor/cases/${caseId}/messages`, advisorCookie, { kind: 'message', ciphertext: await crypto.encryptMessage({ text: C.reply, armoredRecipientKeys: both, signingKey: advisorKey.privateKey }) })).statusCode).toBe(201);
    expect((await send('POST', `/api/advisor/cases/${caseId}/messages`, advisorCookie, { kind: 'note', ciphertext: await crypto.encryptMessage({ text: C.note, armoredRecipientKeys: [advisorKey.armoredPublicKey], signingKey: advisorKey.privateKey }) })).statusCode).toBe(201);
    // Everyone reads what they may: the parties, another advisor, an admin.
    await send('GET', '/api/melder/case', melderCookie);
    await send('GET', `/api/melder/attachments/${att.json().id}/content`, melderCookie);
    await send('GET', `/api/advisor/cases/${caseId}`, advisorCookie);
    await send('GET', `/api/advisor/cases/${caseId}/attachments/${att.json().id}/content`, advisorCookie);
    await send('GET', '/api/advisor/cases', advisorCookie);
    const admin = await inviteStaff(db, { organisationSlug: 'acme', email: 'admin@example.org', name: 'Admin', role: 'admin' });
    await db.updateTable('accounts').set({ status: 'active' }).where('id', '=', admin.accountId).execute();
    const adminCookie = `kb_session=${await createSession(db, { subject: 'staff', accountId: admin.accountId })}`;
    for (const url of ['/api/admin/organisations/acme', '/api/admin/organisations/acme/advisors', `/api/advisor/cases/${caseId}`, '/api/advisor/organisations/acme/register']) await send('GET', url, adminCookie);

    const secrets = [...Object.values(C), creds.passphrase, creds.passphrase.replace(/-/g, ''), creds.passphrase.toUpperCase(), creds.caseCode.replace(/-/g, '')];
    const dump = execFileSync('pg_dump', ['--no-owner', '--data-only', t.database.url!], { maxBuffer: 512 * 1024 * 1024 }).toString('latin1');
    const logs = t.logs.join('\n');
    const sent = responses.join('\n');
    const hexOf = (s: string) => Buffer.from(s).toString('hex');
    for (const s of secrets) {
      expect(dump.includes(s), `dump contains ${s.slice(0, 20)}`).toBe(false);
      expect(dump.includes(hexOf(s)), `dump (bytea hex) contains ${s.slice(0, 20)}`).toBe(false);
      expect(logs.includes(s), `logs contain ${s.slice(0, 20)}`).toBe(false);
      if (!s.includes(creds.passphrase) && !s.toLowerCase().includes(creds.passphrase.replace(/-/g, '')) && s !== creds.caseCode.replace(/-/g, '')) {
        expect(sent.includes(s), `a response contains ${s.slice(0, 20)}`).toBe(false);
      }
    }
    // Positive controls: the same scans do see a canary that is really there.
    expect(sent).toContain(creds.passphrase); // the one response that issues it — and only that one
    expect(responses.filter((r) => r.includes(creds.passphrase))).toHaveLength(1);
    await db.insertInto('audit_events').values({ actor_type: 'system', action: 'control', detail: JSON.stringify({ c: C.note }), prev_hash: 'x', hash: 'x' }).execute();
    const dump2 = execFileSync('pg_dump', ['--no-owner', '--data-only', t.database.url!], { maxBuffer: 512 * 1024 * 1024 }).toString('latin1');
    expect(dump2).toContain(C.note);
    await db.deleteFrom('audit_events').where('action', '=', 'control').execute();
    // JSON answers are captured; the two file downloads are streams of the ciphertext already scanned in the dump.
    expect(responses.length).toBeGreaterThanOrEqual(13);
  }, 180_000);
});
