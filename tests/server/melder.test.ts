import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { PASSPHRASE_ALPHABET, PASSPHRASE_BITS } from '../../server/lib/credentials.ts';
import * as crypto from '../../web/src/lib/crypto/index.ts';
import { databaseKinds } from '../helpers/db.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { advisorReplies, cookieOf, createActiveAdvisor, issueCredentials, melderReports, type TestAdvisor } from '../helpers/actors.ts';
import { getThread } from '../../server/modules/melder/service.ts';
import { insertMessage } from '../../server/modules/cases/repository.ts';

describe.each(databaseKinds)('melder API on %s', (kind) => {
  let t: TestApp;
  let anna: TestAdvisor;
  let absent: TestAdvisor;
  let otherOrgAdvisor: TestAdvisor;
  let ip = 0;
  const nextIp = () => `10.9.${Math.floor(++ip / 250)}.${ip % 250}`;

  beforeAll(async () => {
    t = await createTestApp(kind, { env: { MAX_FILE_MB: '1', MAX_CASE_MB: '2', BODY_LIMIT_KB: '512' } });
    await createOrganisation(t.database.db, { slug: 'acme', name: 'Acme BV' });
    await createOrganisation(t.database.db, { slug: 'other', name: 'Other NV' });
    anna = await createActiveAdvisor(t.database.db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna de Vries' });
    absent = await createActiveAdvisor(t.database.db, { organisationSlug: 'acme', email: 'absent@example.org', name: 'Bas Afwezig', available: false });
    otherOrgAdvisor = await createActiveAdvisor(t.database.db, { organisationSlug: 'other', email: 'olga@example.org', name: 'Olga Other' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const caseIdOf = async (cookie: string) => {
    const res = await t.app.inject({ method: 'GET', url: '/api/melder/case', headers: { cookie } });
    return { res, body: res.json() };
  };

  describe('credentials', () => {
    it('issues a 16-digit case code and a ≥100-bit passphrase from the right alphabet', async () => {
      const a = await issueCredentials(t.app, 'acme', nextIp());
      const b = await issueCredentials(t.app, 'acme', nextIp());
      expect(a.caseCode).toMatch(/^\d{4}-\d{4}-\d{4}-\d{4}$/);
      expect(a.passphrase).toMatch(/^[a-z]{4}(-[a-z]{4}){5}$/);
      expect(PASSPHRASE_BITS).toBeGreaterThanOrEqual(100);
      for (const ch of a.passphrase.replace(/-/g, '')) expect(PASSPHRASE_ALPHABET).toContain(ch);
      expect(a.passphrase).not.toMatch(/[ilo01]/);
      expect(a.caseCode).not.toBe(b.caseCode);
      expect(a.passphrase).not.toBe(b.passphrase);
      // Neither the code nor the passphrase is stored in the clear.
      const rows = await t.database.db.selectFrom('credential_reservations').selectAll().execute();
      const dump = JSON.stringify(rows);
      expect(dump).not.toContain(a.caseCode.replace(/-/g, ''));
      expect(dump).not.toContain(a.passphrase);
    });

    it('unknown organisation → 404', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/organisations/nope/credentials', remoteAddress: nextIp() });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('organisation_not_found');
    });

    it('flooding the issuing of credentials from one address gets 429 with Retry-After', async () => {
      const address = nextIp();
      const codes: number[] = [];
      for (let i = 0; i < 22; i++) codes.push((await t.app.inject({ method: 'POST', url: '/api/organisations/acme/credentials', remoteAddress: address })).statusCode);
      expect(codes.slice(0, 20).every((c) => c === 201)).toBe(true);
      const limited = await t.app.inject({ method: 'POST', url: '/api/organisations/acme/credentials', remoteAddress: address });
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.json().error.code).toBe('rate_limited');
      // Another address is not affected.
      expect((await t.app.inject({ method: 'POST', url: '/api/organisations/acme/credentials', remoteAddress: nextIp() })).statusCode).toBe(201);
    });
  });

  describe('creating a case', () => {
    it('stores the case, acknowledges it at once with deadlines, and logs the melder in', async () => {
      const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, kind: 'misstand', category: 'fraude', remoteAddress: nextIp() });
      expect(m.createResponse.statusCode).toBe(201);
      const c = m.createResponse.json().case;
      expect(c).toMatchObject({ status: 'nieuw', kind: 'misstand', category: 'fraude', advisor: { id: anna.accountId, name: 'Anna de Vries' } });
      const ack = new Date(c.acknowledgedAt).getTime();
      expect(Math.abs(ack - Date.now())).toBeLessThan(60_000);
      expect(new Date(c.firstReplyDueAt).getTime() - ack).toBe(7 * 86400_000);
      const feedback = new Date(c.feedbackDueAt);
      const expected = new Date(ack);
      expected.setUTCMonth(expected.getUTCMonth() + 3);
      expect(Math.abs(feedback.getTime() - expected.getTime())).toBeLessThan(4 * 86400_000);
      const setCookie = String(m.createResponse.headers['set-cookie']);
      expect(setCookie).toMatch(/^kb_session=[A-Za-z0-9_-]{40,};/);
      expect(setCookie).toContain('HttpOnly');
      expect(setCookie).toContain('SameSite=Strict');
      expect(setCookie).toContain('Path=/api');
      expect(setCookie).not.toContain('Secure'); // http PUBLIC_URL in tests
      const { body } = await caseIdOf(m.cookie);
      expect(body.messages).toHaveLength(1);
      expect(body.messages[0]).toMatchObject({ senderRole: 'melder', kind: 'report' });
    });

    it('ongewenst gedrag gets the organisation service level and no feedback deadline', async () => {
      const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: nextIp() });
      const c = m.createResponse.json().case;
      expect(new Date(c.firstReplyDueAt).getTime() - new Date(c.acknowledgedAt).getTime()).toBe(7 * 86400_000);
      expect(c.feedbackDueAt).toBeNull();
    });

    it('a reservation is used once', async () => {
      const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: nextIp() });
      expect(m.createResponse.statusCode).toBe(201);
      const keys = await crypto.deriveMelderKeys({ passphrase: m.passphrase, organisationSlug: 'acme', caseCode: m.caseCode });
      const report = await crypto.encryptMessage({ text: 'again', armoredRecipientKeys: [m.publicKey, anna.publicKey], signingKey: m.privateKey });
      const again = await t.app.inject({
        method: 'POST', url: '/api/cases', remoteAddress: nextIp(),
        payload: { organisationSlug: 'acme', caseCode: m.caseCode, loginKey: keys.loginKey, melderPublicKey: m.publicKey, melderLockedPrivateKey: await crypto.lockPrivateKey({ privateKey: m.privateKey, unlockKey: keys.unlockKey }), kind: 'ongewenst_gedrag', category: 'pesten', advisorId: anna.accountId, report },
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('reservation_invalid');
    });

    it('an expired reservation is refused', async () => {
      await t.database.db.updateTable('credential_reservations').set({ expires_at: new Date(Date.now() - 1000) }).execute();
      const m = await (async () => {
        // Issue, then expire, then try to create.
        const creds = await issueCredentials(t.app, 'acme', nextIp());
        await t.database.db.updateTable('credential_reservations').set({ expires_at: new Date(Date.now() - 1000) }).execute();
        return creds;
      })();
      const keys = await crypto.deriveMelderKeys({ passphrase: m.passphrase, organisationSlug: 'acme', caseCode: m.caseCode });
      const { armoredPublicKey, privateKey } = await crypto.generateKey({ name: 'Melder' });
      const report = await crypto.encryptMessage({ text: 'late', armoredRecipientKeys: [armoredPublicKey, anna.publicKey], signingKey: privateKey });
      const res = await t.app.inject({
        method: 'POST', url: '/api/cases', remoteAddress: nextIp(),
        payload: { organisationSlug: 'acme', caseCode: m.caseCode, loginKey: keys.loginKey, melderPublicKey: armoredPublicKey, melderLockedPrivateKey: await crypto.lockPrivateKey({ privateKey, unlockKey: keys.unlockKey }), kind: 'ongewenst_gedrag', category: 'pesten', advisorId: anna.accountId, report },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('reservation_invalid');
    });

    it('a report not encrypted to exactly the melder and the chosen advisor is refused', async () => {
      const stranger = await crypto.generateKey({ name: 'Stranger' });
      const onlyMe = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, recipients: [], remoteAddress: nextIp() }).catch((e) => e);
      expect(onlyMe).toBeInstanceOf(Error); // the crypto module refuses no recipients
      const withStranger = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, recipients: [anna.publicKey, stranger.armoredPublicKey], remoteAddress: nextIp() });
      expect(withStranger.createResponse.statusCode).toBe(400);
      expect(withStranger.createResponse.json().error.code).toBe('wrong_recipients');
      const advisorOnly = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, recipients: [anna.publicKey], remoteAddress: nextIp() });
      expect(advisorOnly.createResponse.json().error.code).toBe('wrong_recipients');
    });

    it('malformed armor and plaintext are refused with malformed_ciphertext', async () => {
      for (const report of ['-----BEGIN PGP MESSAGE-----\n\nnot really\n-----END PGP MESSAGE-----', 'Dit is gewoon platte tekst over wat er gebeurde, niet versleuteld.']) {
        const creds = await issueCredentials(t.app, 'acme', nextIp());
        const keys = await crypto.deriveMelderKeys({ passphrase: creds.passphrase, organisationSlug: 'acme', caseCode: creds.caseCode });
        const { armoredPublicKey, privateKey } = await crypto.generateKey({ name: 'Melder' });
        const res = await t.app.inject({
          method: 'POST', url: '/api/cases', remoteAddress: nextIp(),
          payload: { organisationSlug: 'acme', caseCode: creds.caseCode, loginKey: keys.loginKey, melderPublicKey: armoredPublicKey, melderLockedPrivateKey: await crypto.lockPrivateKey({ privateKey, unlockKey: keys.unlockKey }), kind: 'ongewenst_gedrag', category: 'pesten', advisorId: anna.accountId, report },
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('malformed_ciphertext');
      }
    });

    it('an absent advisor or one of another organisation cannot be chosen', async () => {
      const a = await melderReports(t.app, { organisationSlug: 'acme', advisor: absent, remoteAddress: nextIp() });
      expect(a.createResponse.statusCode).toBe(400);
      expect(a.createResponse.json().error.code).toBe('advisor_unavailable');
      const o = await melderReports(t.app, { organisationSlug: 'acme', advisor: otherOrgAdvisor, remoteAddress: nextIp() });
      expect(o.createResponse.json().error.code).toBe('advisor_unavailable');
    });

    it('invalid JSON, wrong types, unknown fields and an oversize body get documented 4xx answers', async () => {
      const bad = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { 'content-type': 'application/json' }, payload: '{"organisationSlug": "acme",', remoteAddress: nextIp() });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('invalid_json');
      const wrongType = await t.app.inject({ method: 'POST', url: '/api/cases', payload: { organisationSlug: 42 }, remoteAddress: nextIp() });
      expect(wrongType.statusCode).toBe(400);
      expect(wrongType.json().error).toMatchObject({ code: 'invalid_input' });
      expect(wrongType.json().error.field).toBeTruthy();
      const big = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ report: 'x'.repeat(600 * 1024) }), remoteAddress: nextIp() });
      expect(big.statusCode).toBe(413);
      expect(big.json().error.code).toBe('payload_too_large');
      const proto = await t.app.inject({ method: 'POST', url: '/api/melder/session', headers: { 'content-type': 'application/json' }, payload: '{"__proto__": {"x": 1}, "organisationSlug": "acme"}', remoteAddress: nextIp() });
      expect(proto.statusCode).toBe(400);
    });
  });

  describe('logging in', () => {
    it('the right code + login key returns the locked key, which the passphrase unlocks', async () => {
      const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, text: 'inhoud', remoteAddress: nextIp() });
      const keys = await crypto.deriveMelderKeys({ passphrase: m.passphrase.toUpperCase().replace(/-/g, ' '), organisationSlug: 'acme', caseCode: m.caseCode.replace(/-/g, '') });
      const res = await t.app.inject({ method: 'POST', url: '/api/melder/session', remoteAddress: nextIp(), payload: { organisationSlug: 'acme', caseCode: m.caseCode, loginKey: keys.loginKey } });
      expect(res.statusCode).toBe(200);
      const unlocked = await crypto.unlockPrivateKey({ armoredLockedKey: res.json().lockedPrivateKey, unlockKey: keys.unlockKey });
      const thread = (await caseIdOf(cookieOf(res))).body;
      const report = await crypto.decryptMessage({ armoredMessage: thread.messages[0].ciphertext, decryptionKey: unlocked, armoredVerificationKeys: [m.publicKey] });
      expect(JSON.parse(report.text).what).toBe('inhoud');
      expect(report.signature).toBe('valid');
    });

    it('a wrong key, an unknown code and a wrong organisation give the same answer', async () => {
      const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: nextIp() });
      const wrongKey = (await crypto.deriveMelderKeys({ passphrase: 'aaaa-bbbb-cccc-dddd-eeee-ffff', organisationSlug: 'acme', caseCode: m.caseCode })).loginKey;
      const attempts = [
        { organisationSlug: 'acme', caseCode: m.caseCode, loginKey: wrongKey },
        { organisationSlug: 'acme', caseCode: '0000-0000-0000-0001', loginKey: m.loginKey },
        { organisationSlug: 'other', caseCode: m.caseCode, loginKey: m.loginKey },
      ];
      const answers = [];
      for (const payload of attempts) {
        const res = await t.app.inject({ method: 'POST', url: '/api/melder/session', remoteAddress: nextIp(), payload });
        expect(res.headers['set-cookie']).toBeUndefined();
        answers.push([res.statusCode, res.body]);
      }
      expect(answers[0]).toEqual([401, JSON.stringify({ error: { code: 'login_failed', message: 'The case code or passphrase is not right' } })]);
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
    });

    it('guessing from one address is slowed with 429; the real melder still gets in from another address', async () => {
      const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: nextIp() });
      const attacker = nextIp();
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const res = await t.app.inject({ method: 'POST', url: '/api/melder/session', remoteAddress: attacker, payload: { organisationSlug: 'acme', caseCode: m.caseCode, loginKey: 'A'.repeat(43) } });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
      const real = await t.app.inject({ method: 'POST', url: '/api/melder/session', remoteAddress: nextIp(), payload: { organisationSlug: 'acme', caseCode: m.caseCode, loginKey: m.loginKey } });
      expect(real.statusCode).toBe(200);
    });

    it('a distributed guess at one case code is slowed per code; other codes are not affected', async () => {
      const target = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: nextIp() });
      const other = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: nextIp() });
      const statuses: number[] = [];
      for (let i = 0; i < 202; i++) {
        // a fresh address every time: the per-address limit never triggers
        const res = await t.app.inject({ method: 'POST', url: '/api/melder/session', remoteAddress: `172.16.${Math.floor(i / 250)}.${i % 250}`, payload: { organisationSlug: 'acme', caseCode: target.caseCode, loginKey: 'B'.repeat(43) } });
        statuses.push(res.statusCode);
      }
      expect(statuses.slice(0, 200).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(200)).toEqual([429, 429]);
      const otherLogin = await t.app.inject({ method: 'POST', url: '/api/melder/session', remoteAddress: nextIp(), payload: { organisationSlug: 'acme', caseCode: other.caseCode, loginKey: other.loginKey } });
      expect(otherLogin.statusCode).toBe(200);
    }, 120_000);
  });

  describe('the thread', () => {
    it('melder and advisor talk; the melder reads the reply as verified from the advisor', async () => {
      const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: nextIp() });
      const first = (await caseIdOf(m.cookie)).body;
      const ciphertext = await crypto.encryptMessage({ text: 'Nog een vraag', armoredRecipientKeys: [m.publicKey, anna.publicKey], signingKey: m.privateKey });
      const posted = await t.app.inject({ method: 'POST', url: '/api/melder/messages', headers: { cookie: m.cookie }, payload: { kind: 'message', ciphertext } });
      expect(posted.statusCode).toBe(201);
      const caseRow = await t.database.db.selectFrom('cases').select(['id', 'last_activity_at']).where('melder_public_key', '=', m.publicKey).executeTakeFirstOrThrow();
      // The message and the case's last activity are written together.
      expect(new Date(caseRow.last_activity_at).toISOString()).toBe(posted.json().message.createdAt);
      await advisorReplies(t.database.db, anna, m.publicKey, caseRow.id, 'Dank je, ik help je graag.');
      const thread = (await caseIdOf(m.cookie)).body;
      expect(thread.messages.map((x: any) => x.senderRole)).toEqual(['melder', 'melder', 'advisor']);
      const reply = thread.messages[2];
      expect(reply.readAt).toBeNull();
      const decrypted = await crypto.decryptMessage({ armoredMessage: reply.ciphertext, decryptionKey: m.privateKey, armoredVerificationKeys: [first.case.advisor.publicKey] });
      expect(decrypted.text).toBe('Dank je, ik help je graag.');
      expect(decrypted.signature).toBe('valid');
      expect((await t.app.inject({ method: 'POST', url: '/api/melder/messages/read', headers: { cookie: m.cookie } })).statusCode).toBe(200);
      expect((await caseIdOf(m.cookie)).body.messages[2].readAt).not.toBeNull();
    });

    it('a message not encrypted to the case\'s two parties is refused', async () => {
      const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: nextIp() });
      const ciphertext = await crypto.encryptMessage({ text: 'x', armoredRecipientKeys: [m.publicKey, otherOrgAdvisor.publicKey], signingKey: m.privateKey });
      const res = await t.app.inject({ method: 'POST', url: '/api/melder/messages', headers: { cookie: m.cookie }, payload: { kind: 'message', ciphertext } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('wrong_recipients');
    });

    it('files go up and come back byte-identical; limits and non-OpenPGP content are refused', async () => {
      const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: nextIp() });
      const recipients = [m.publicKey, anna.publicKey];
      const manifest = await crypto.encryptMessage({ text: JSON.stringify({ name: 'bewijs.pdf', type: 'application/pdf', size: 700000 }), armoredRecipientKeys: recipients, signingKey: m.privateKey });
      const plain = new Uint8Array(700_000).map((_, i) => (i * 31) % 251);
      const encrypted = await crypto.encryptBytes({ data: plain, armoredRecipientKeys: recipients, signingKey: m.privateKey });
      const created = await t.app.inject({ method: 'POST', url: '/api/melder/attachments', headers: { cookie: m.cookie }, payload: { encryptedManifest: manifest } });
      expect(created.statusCode).toBe(201);
      const id = created.json().id;
      const up = await t.app.inject({ method: 'PUT', url: `/api/melder/attachments/${id}/content`, headers: { cookie: m.cookie, 'content-type': 'application/octet-stream' }, payload: Buffer.from(encrypted) });
      expect(up.statusCode).toBe(200);
      expect(up.json().size).toBe(encrypted.length);
      const chunks = await t.database.db.selectFrom('attachment_chunks').select('seq').where('attachment_id', '=', id).execute();
      expect(chunks.length).toBe(Math.ceil(encrypted.length / (256 * 1024)));
      const down = await t.app.inject({ method: 'GET', url: `/api/melder/attachments/${id}/content`, headers: { cookie: m.cookie } });
      expect(down.statusCode).toBe(200);
      expect(Buffer.compare(down.rawPayload, Buffer.from(encrypted))).toBe(0);
      const back = await crypto.decryptBytes({ data: new Uint8Array(down.rawPayload), decryptionKey: anna.privateKey, armoredVerificationKeys: [m.publicKey] });
      expect(Buffer.compare(Buffer.from(back.data), Buffer.from(plain))).toBe(0);
      expect(back.signature).toBe('valid');
      const thread = (await caseIdOf(m.cookie)).body;
      expect(thread.attachments.map((a: any) => a.id)).toContain(id);

      // Over the per-file limit (1 MB in this test app): 413 file_too_large, nothing kept.
      const big = await t.app.inject({ method: 'POST', url: '/api/melder/attachments', headers: { cookie: m.cookie }, payload: { encryptedManifest: manifest } });
      const bigId = big.json().id;
      const tooBig = await t.app.inject({ method: 'PUT', url: `/api/melder/attachments/${bigId}/content`, headers: { cookie: m.cookie, 'content-type': 'application/octet-stream' }, payload: Buffer.concat([Buffer.from(encrypted), Buffer.alloc(400_000)]) });
      expect(tooBig.statusCode).toBe(413);
      expect(tooBig.json().error.code).toBe('file_too_large');
      expect(await t.database.db.selectFrom('attachments').select('id').where('id', '=', bigId).executeTakeFirst()).toBeUndefined();

      // Plain bytes are not an OpenPGP message.
      const p = await t.app.inject({ method: 'POST', url: '/api/melder/attachments', headers: { cookie: m.cookie }, payload: { encryptedManifest: manifest } });
      const plainUp = await t.app.inject({ method: 'PUT', url: `/api/melder/attachments/${p.json().id}/content`, headers: { cookie: m.cookie, 'content-type': 'application/octet-stream' }, payload: Buffer.from('%PDF-1.7 plain secret file') });
      expect(plainUp.statusCode).toBe(400);
      expect(plainUp.json().error.code).toBe('malformed_ciphertext');
    });

    it('one melder cannot reach another case\'s files or thread', async () => {
      const a = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: nextIp() });
      const b = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: nextIp() });
      const manifest = await crypto.encryptMessage({ text: '{"name":"a.txt"}', armoredRecipientKeys: [a.publicKey, anna.publicKey], signingKey: a.privateKey });
      const created = await t.app.inject({ method: 'POST', url: '/api/melder/attachments', headers: { cookie: a.cookie }, payload: { encryptedManifest: manifest } });
      const enc = await crypto.encryptBytes({ data: new Uint8Array([1, 2, 3]), armoredRecipientKeys: [a.publicKey, anna.publicKey], signingKey: a.privateKey });
      await t.app.inject({ method: 'PUT', url: `/api/melder/attachments/${created.json().id}/content`, headers: { cookie: a.cookie, 'content-type': 'application/octet-stream' }, payload: Buffer.from(enc) });
      const steal = await t.app.inject({ method: 'GET', url: `/api/melder/attachments/${created.json().id}/content`, headers: { cookie: b.cookie } });
      expect(steal.statusCode).toBe(404);
      const overwrite = await t.app.inject({ method: 'PUT', url: `/api/melder/attachments/${created.json().id}/content`, headers: { cookie: b.cookie, 'content-type': 'application/octet-stream' }, payload: Buffer.from(enc) });
      expect(overwrite.statusCode).toBe(404);
      const bThread = (await caseIdOf(b.cookie)).body;
      expect(bThread.attachments).toEqual([]);
      expect(bThread.case.melderPublicKey).toBe(b.publicKey);
    });

    it('without a session, or after 30 idle minutes or logging out, the thread is closed', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/api/melder/case' })).statusCode).toBe(401);
      const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: nextIp() });
      expect((await caseIdOf(m.cookie)).res.statusCode).toBe(200);
      await t.database.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) }).execute();
      const expired = await caseIdOf(m.cookie);
      expect(expired.res.statusCode).toBe(401);
      expect(expired.body.error.code).toBe('session_expired');
      const again = await t.app.inject({ method: 'POST', url: '/api/melder/session', remoteAddress: nextIp(), payload: { organisationSlug: 'acme', caseCode: m.caseCode, loginKey: m.loginKey } });
      const cookie = cookieOf(again);
      expect((await caseIdOf(cookie)).res.statusCode).toBe(200);
      const out = await t.app.inject({ method: 'DELETE', url: '/api/melder/session', headers: { cookie } });
      expect(out.statusCode).toBe(200);
      expect((await caseIdOf(cookie)).res.statusCode).toBe(401);
    });

    // The thread and the post are answered by stored functions with JSON built outside the
    // response schema (server/modules/melder/hot-path.ts). They must answer exactly what the
    // ordinary path answers — no field more (nothing of the case row leaks), none less, same
    // timestamps — and keep the session rules.
    it('the one-statement thread and post answer exactly what the ordinary path does, and keep the session rules', async () => {
      const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: nextIp() });
      const caseRow = await t.database.db.selectFrom('cases').selectAll().where('melder_public_key', '=', m.publicKey).executeTakeFirstOrThrow();
      const recipients = [m.publicKey, anna.publicKey];
      const ciphertext = await crypto.encryptMessage({ text: 'Tweede bericht', armoredRecipientKeys: recipients, signingKey: m.privateKey });
      const posted = await t.app.inject({ method: 'POST', url: '/api/melder/messages', headers: { cookie: m.cookie }, payload: { kind: 'wishes', ciphertext } });
      expect(posted.statusCode).toBe(201);
      expect(posted.headers['content-type']).toBe('application/json; charset=utf-8');
      await advisorReplies(t.database.db, anna, m.publicKey, caseRow.id, 'Antwoord');
      // An advisor's note and an unfinished upload are not the melder's to see.
      const note = await crypto.encryptMessage({ text: 'notitie', armoredRecipientKeys: [anna.publicKey], signingKey: anna.privateKey });
      await insertMessage(t.database.db, { caseId: caseRow.id, senderRole: 'advisor', senderAccountId: anna.accountId, kind: 'note', ciphertext: note });
      const manifest = await crypto.encryptMessage({ text: '{"name":"a.txt"}', armoredRecipientKeys: recipients, signingKey: m.privateKey });
      const done = (await t.app.inject({ method: 'POST', url: '/api/melder/attachments', headers: { cookie: m.cookie }, payload: { encryptedManifest: manifest } })).json().id;
      const enc = await crypto.encryptBytes({ data: new Uint8Array([1, 2, 3]), armoredRecipientKeys: recipients, signingKey: m.privateKey });
      await t.app.inject({ method: 'PUT', url: `/api/melder/attachments/${done}/content`, headers: { cookie: m.cookie, 'content-type': 'application/octet-stream' }, payload: Buffer.from(enc) });
      const unfinished = (await t.app.inject({ method: 'POST', url: '/api/melder/attachments', headers: { cookie: m.cookie }, payload: { encryptedManifest: manifest } })).json().id;
      await t.app.inject({ method: 'POST', url: '/api/melder/messages/read', headers: { cookie: m.cookie } });

      const res = await t.app.inject({ method: 'GET', url: '/api/melder/case', headers: { cookie: m.cookie } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      const fast = res.json();
      const ordinary = JSON.parse(JSON.stringify(await getThread(t.database.db, caseRow.id)));
      expect(fast).toEqual(ordinary);
      expect(fast.messages.map((x: any) => x.kind)).toEqual(['report', 'wishes', 'message']);
      expect(fast.messages[2].readAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(fast.attachments.map((a: any) => a.id)).toEqual([done]);
      expect(fast.attachments.map((a: any) => a.id)).not.toContain(unfinished);
      expect(fast.messages[1]).toEqual(posted.json().message);
      // Nothing of the case row beyond the state: no locked key, hash, digest or reference.
      for (const secret of [caseRow.melder_locked_private_key!, caseRow.login_key_hash!, caseRow.code_digest, caseRow.reference, note]) {
        const probe = secret.length > 60 ? secret.slice(40, 100) : secret;
        expect(res.body).not.toContain(probe);
        expect(posted.body).not.toContain(probe);
      }

      // Touched when last seen over 30 s ago, not more often.
      const digestOf = async () => (await t.database.db.selectFrom('sessions').select(['token_digest', 'last_seen_at']).where('case_id', '=', caseRow.id).executeTakeFirstOrThrow());
      const { token_digest } = await digestOf();
      const tenSecondsAgo = new Date(Date.now() - 10_000);
      await t.database.db.updateTable('sessions').set({ last_seen_at: tenSecondsAgo }).where('token_digest', '=', token_digest).execute();
      await t.app.inject({ method: 'GET', url: '/api/melder/case', headers: { cookie: m.cookie } });
      expect(new Date((await digestOf()).last_seen_at).getTime()).toBe(tenSecondsAgo.getTime());
      await t.database.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 5 * 60_000) }).where('token_digest', '=', token_digest).execute();
      await t.app.inject({ method: 'POST', url: '/api/melder/messages', headers: { cookie: m.cookie }, payload: { kind: 'message', ciphertext } });
      expect(Date.now() - new Date((await digestOf()).last_seen_at).getTime()).toBeLessThan(5_000);
      // Past the 12-hour limit: refused, and the session is gone.
      await t.database.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('token_digest', '=', token_digest).execute();
      const expired = await t.app.inject({ method: 'POST', url: '/api/melder/messages', headers: { cookie: m.cookie }, payload: { kind: 'message', ciphertext } });
      expect(expired.statusCode).toBe(401);
      expect(await t.database.db.selectFrom('sessions').select('token_digest').where('token_digest', '=', token_digest).executeTakeFirst()).toBeUndefined();
      expect((await t.database.db.selectFrom('messages').select('id').where('case_id', '=', caseRow.id).execute()).length).toBe(5);
    });

    it('a case whose content was deleted is not shown, even with a live session', async () => {
      const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: nextIp() });
      await t.database.db.updateTable('cases').set({ content_deleted_at: new Date() }).where('melder_public_key', '=', m.publicKey).execute();
      const res = await t.app.inject({ method: 'GET', url: '/api/melder/case', headers: { cookie: m.cookie } });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('case_not_found');
    });

    it('the melder can end the case; then nothing new can be added', async () => {
      const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: nextIp() });
      const ended = await t.app.inject({ method: 'POST', url: '/api/melder/case/end', headers: { cookie: m.cookie } });
      expect(ended.statusCode).toBe(200);
      expect(ended.json().case).toMatchObject({ status: 'afgesloten', closedBy: 'melder' });
      const ciphertext = await crypto.encryptMessage({ text: 'x', armoredRecipientKeys: [m.publicKey, anna.publicKey], signingKey: m.privateKey });
      const res = await t.app.inject({ method: 'POST', url: '/api/melder/messages', headers: { cookie: m.cookie }, payload: { kind: 'message', ciphertext } });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('case_closed');
    });
  });
});
