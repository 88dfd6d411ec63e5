import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { inviteStaff } from '../../server/modules/accounts/service.ts';
import * as crypto from '../../web/src/lib/crypto/index.ts';
import { databaseKinds } from '../helpers/db.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { activateAdvisorViaApi, melderReports, type ActivatedAdvisor, type TestMelder } from '../helpers/actors.ts';

const DAY = 86400_000;

describe.each(databaseKinds)('advisor cases on %s', (kind) => {
  let t: TestApp;
  let anna: ActivatedAdvisor; // the assigned advisor
  let bert: ActivatedAdvisor; // another advisor of the same organisation
  let olga: ActivatedAdvisor; // an advisor of another organisation
  let adam: ActivatedAdvisor; // the organisation's admin
  let ip = 0;
  const nextIp = () => `10.40.${Math.floor(++ip / 250)}.${ip % 250}`;

  beforeAll(async () => {
    t = await createTestApp(kind, { env: { MAX_FILE_MB: '1', MAX_CASE_MB: '2' } });
    await createOrganisation(t.database.db, { slug: 'acme', name: 'Acme BV' });
    await createOrganisation(t.database.db, { slug: 'other', name: 'Other NV' });
    const db = t.database.db;
    [anna, bert, olga, adam] = await Promise.all([
      activateAdvisorViaApi(t.app, db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna de Vries', remoteAddress: nextIp() }),
      activateAdvisorViaApi(t.app, db, { organisationSlug: 'acme', email: 'bert@example.org', name: 'Bert Bakker', remoteAddress: nextIp() }),
      activateAdvisorViaApi(t.app, db, { organisationSlug: 'other', email: 'olga@example.org', name: 'Olga Other', remoteAddress: nextIp() }),
      activateAdvisorViaApi(t.app, db, { organisationSlug: 'acme', email: 'adam@example.org', name: 'Adam Admin', role: 'admin', remoteAddress: nextIp() }),
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const as = (adv: { cookie: string }) => ({ cookie: adv.cookie });
  async function newCase(adv: ActivatedAdvisor, opts: { slug?: string; kind?: 'misstand' | 'ongewenst_gedrag'; category?: string; text?: string } = {}) {
    const m = await melderReports(t.app, {
      organisationSlug: opts.slug ?? 'acme', advisor: adv, kind: opts.kind ?? 'ongewenst_gedrag', category: opts.category ?? (opts.kind === 'misstand' ? 'fraude' : 'pesten'),
      text: opts.text, remoteAddress: nextIp(),
    });
    if (m.createResponse.statusCode !== 201) throw new Error(JSON.stringify(m.createResponse.json()));
    const row = await t.database.db.selectFrom('cases').select(['id', 'reference']).where('melder_public_key', '=', m.publicKey).executeTakeFirstOrThrow();
    return { melder: m, id: row.id, reference: row.reference };
  }
  const getCase = (adv: { cookie: string }, id: string) => t.app.inject({ method: 'GET', url: `/api/advisor/cases/${id}`, headers: as(adv) });
  const reply = async (adv: ActivatedAdvisor, id: string, melder: TestMelder, text: string, extra: object = {}, recipients = [melder.publicKey, adv.publicKey]) => {
    const ciphertext = await crypto.encryptMessage({ text, armoredRecipientKeys: recipients, signingKey: adv.privateKey });
    return t.app.inject({ method: 'POST', url: `/api/advisor/cases/${id}/messages`, headers: as(adv), payload: { kind: 'message', ciphertext, ...extra } });
  };
  const note = async (adv: ActivatedAdvisor, id: string, recipients: string[], text = 'mijn notitie') => {
    const ciphertext = await crypto.encryptMessage({ text, armoredRecipientKeys: recipients, signingKey: adv.privateKey });
    return t.app.inject({ method: 'POST', url: `/api/advisor/cases/${id}/messages`, headers: as(adv), payload: { kind: 'note', ciphertext } });
  };
  const setStatus = (adv: { cookie: string }, id: string, status: string) =>
    t.app.inject({ method: 'PATCH', url: `/api/advisor/cases/${id}`, headers: as(adv), payload: { status } });
  const melderThread = async (m: TestMelder) => (await t.app.inject({ method: 'GET', url: '/api/melder/case', headers: { cookie: m.cookie } })).json();

  describe('authorisation: only the assigned advisor reaches a case', () => {
    it('another advisor of the organisation, an advisor of another organisation and the admin get 404 on every case route', async () => {
      const c = await newCase(anna, { kind: 'misstand' });
      const manifest = await crypto.encryptMessage({ text: '{"name":"a.txt"}', armoredRecipientKeys: [c.melder.publicKey, anna.publicKey], signingKey: anna.privateKey });
      const created = await t.app.inject({ method: 'POST', url: `/api/advisor/cases/${c.id}/attachments`, headers: as(anna), payload: { encryptedManifest: manifest } });
      const attId = created.json().id;
      const enc = await crypto.encryptBytes({ data: new Uint8Array([1, 2, 3]), armoredRecipientKeys: [c.melder.publicKey, anna.publicKey], signingKey: anna.privateKey });
      expect((await t.app.inject({ method: 'PUT', url: `/api/advisor/cases/${c.id}/attachments/${attId}/content`, headers: { ...as(anna), 'content-type': 'application/octet-stream' }, payload: Buffer.from(enc) })).statusCode).toBe(200);
      const pending = await t.app.inject({ method: 'POST', url: `/api/advisor/cases/${c.id}/attachments`, headers: as(anna), payload: { encryptedManifest: manifest } });

      const before = await t.database.db.selectFrom('cases').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
      const messagesBefore = await t.database.db.selectFrom('messages').selectAll().where('case_id', '=', c.id).execute();
      const missing = '00000000-0000-4000-8000-000000000000';
      const routes = async (adv: ActivatedAdvisor, id: string) => {
        const toBoth = await crypto.encryptMessage({ text: 'x', armoredRecipientKeys: [c.melder.publicKey, adv.publicKey], signingKey: adv.privateKey });
        const toSelf = await crypto.encryptMessage({ text: 'x', armoredRecipientKeys: [adv.publicKey], signingKey: adv.privateKey });
        const octet = { ...as(adv), 'content-type': 'application/octet-stream' };
        return [
          await t.app.inject({ method: 'GET', url: `/api/advisor/cases/${id}`, headers: as(adv) }),
          await t.app.inject({ method: 'POST', url: `/api/advisor/cases/${id}/messages`, headers: as(adv), payload: { kind: 'message', ciphertext: toBoth } }),
          await t.app.inject({ method: 'POST', url: `/api/advisor/cases/${id}/messages`, headers: as(adv), payload: { kind: 'note', ciphertext: toSelf } }),
          await t.app.inject({ method: 'POST', url: `/api/advisor/cases/${id}/messages/read`, headers: as(adv) }),
          await t.app.inject({ method: 'PATCH', url: `/api/advisor/cases/${id}`, headers: as(adv), payload: { status: 'in_behandeling' } }),
          await t.app.inject({ method: 'PUT', url: `/api/advisor/cases/${id}/registration`, headers: as(adv), payload: { behaviour: ['fraude'], help: ['advice'], outcome: 'unknown' } }),
          await t.app.inject({ method: 'POST', url: `/api/advisor/cases/${id}/attachments`, headers: as(adv), payload: { encryptedManifest: manifest } }),
          await t.app.inject({ method: 'PUT', url: `/api/advisor/cases/${id}/attachments/${pending.json().id}/content`, headers: octet, payload: Buffer.from(enc) }),
          await t.app.inject({ method: 'GET', url: `/api/advisor/cases/${id}/attachments/${attId}/content`, headers: as(adv) }),
        ];
      };
      const reference = await routes(anna, missing);
      expect(reference).toHaveLength(9);
      for (const res of reference) {
        expect(res.statusCode).toBe(404);
        expect(res.json()).toEqual({ error: { code: 'case_not_found', message: 'Case not found' } });
      }
      for (const outsider of [bert, olga, adam]) {
        const answers = await routes(outsider, c.id);
        answers.forEach((res, i) => expect([i, res.statusCode, res.body]).toEqual([i, 404, reference[i]!.body]));
      }
      // Without a session: 401 before anything else.
      const anonymous = await t.app.inject({ method: 'GET', url: `/api/advisor/cases/${c.id}` });
      expect([anonymous.statusCode, anonymous.json().error.code]).toEqual([401, 'session_expired']);
      // And nothing changed.
      expect(await t.database.db.selectFrom('cases').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow()).toEqual(before);
      expect(await t.database.db.selectFrom('messages').selectAll().where('case_id', '=', c.id).execute()).toEqual(messagesBefore);
      // The outsiders' inboxes do not list it.
      for (const outsider of [bert, olga, adam]) {
        const inbox = (await t.app.inject({ method: 'GET', url: '/api/advisor/cases', headers: as(outsider) })).json();
        expect(inbox.cases.map((x: any) => x.id)).not.toContain(c.id);
      }
      // The assigned advisor does reach it.
      expect((await getCase(anna, c.id)).statusCode).toBe(200);
    });

    it('malformed case ids are refused by the schema, not looked up', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/advisor/cases/not-a-uuid', headers: as(anna) });
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'invalid_input']);
    });
  });

  describe('the case view', () => {
    it('shows state with the internal reference, the thread and files; opening writes nothing; marking read is explicit', async () => {
      const c = await newCase(anna, { kind: 'misstand', text: 'het rapport' });
      const before = await t.database.db.selectFrom('cases').select(['last_activity_at', 'status']).where('id', '=', c.id).executeTakeFirstOrThrow();
      const res = await getCase(anna, c.id);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.case).toMatchObject({
        id: c.id, reference: c.reference, status: 'nieuw', kind: 'misstand', category: 'fraude', registration: null,
        organisation: { slug: 'acme', name: 'Acme BV' }, advisor: { id: anna.accountId, name: 'Anna de Vries', publicKey: anna.publicKey },
        melderPublicKey: c.melder.publicKey, firstReplyAt: null, feedbackGivenAt: null, closedAt: null, closedBy: null,
      });
      expect(body.case.reference).toMatch(/^K-[2-9A-HJ-NP-Z]{8}$/);
      expect(res.body).not.toContain(c.melder.caseCode);
      expect(res.body).not.toContain(c.melder.caseCode.replace(/-/g, ''));
      expect(body.messages).toHaveLength(1);
      expect(body.messages[0]).toMatchObject({ senderRole: 'melder', kind: 'report', readAt: null });
      const report = await crypto.decryptMessage({ armoredMessage: body.messages[0].ciphertext, decryptionKey: anna.privateKey, armoredVerificationKeys: [c.melder.publicKey] });
      expect(JSON.parse(report.text).what).toBe('het rapport');
      expect(report.signature).toBe('valid');
      // Opening wrote nothing.
      expect(await t.database.db.selectFrom('cases').select(['last_activity_at', 'status']).where('id', '=', c.id).executeTakeFirstOrThrow()).toEqual(before);
      expect((await getCase(anna, c.id)).json().messages[0].readAt).toBeNull();
      // Marking read is explicit, and only the melder's messages.
      await reply(anna, c.id, c.melder, 'hallo');
      expect((await t.app.inject({ method: 'POST', url: `/api/advisor/cases/${c.id}/messages/read`, headers: as(anna) })).statusCode).toBe(200);
      const after = (await getCase(anna, c.id)).json().messages;
      expect(after[0].readAt).not.toBeNull();
      expect(after[1]).toMatchObject({ senderRole: 'advisor', readAt: null });
    });

    it('the first reply records first_reply_at and takes the case into treatment; the melder reads it as verified from the named advisor', async () => {
      const c = await newCase(anna);
      const first = await reply(anna, c.id, c.melder, 'Dank voor je melding.');
      expect(first.statusCode).toBe(201);
      const body = first.json();
      expect(body.message).toMatchObject({ senderRole: 'advisor', kind: 'message', readAt: null });
      expect(body.case.status).toBe('in_behandeling');
      const firstReplyAt = body.case.firstReplyAt;
      expect(Math.abs(new Date(firstReplyAt).getTime() - Date.now())).toBeLessThan(60_000);
      const second = await reply(anna, c.id, c.melder, 'Nog iets.');
      expect(second.json().case.firstReplyAt).toBe(firstReplyAt);

      const thread = await melderThread(c.melder);
      expect(thread.case.advisor.name).toBe('Anna de Vries');
      expect(thread.case.firstReplyAt).toBe(firstReplyAt);
      const m = thread.messages.find((x: any) => x.senderRole === 'advisor');
      const decrypted = await crypto.decryptMessage({ armoredMessage: m.ciphertext, decryptionKey: c.melder.privateKey, armoredVerificationKeys: [thread.case.advisor.publicKey] });
      expect([decrypted.text, decrypted.signature]).toEqual(['Dank voor je melding.', 'valid']);
    });

    it('a reply must be encrypted to exactly the melder and me', async () => {
      const c = await newCase(anna);
      for (const recipients of [[anna.publicKey], [c.melder.publicKey], [c.melder.publicKey, anna.publicKey, bert.publicKey], [c.melder.publicKey, bert.publicKey]]) {
        const res = await reply(anna, c.id, c.melder, 'x', {}, recipients);
        expect([res.statusCode, res.json().error.code]).toEqual([400, 'wrong_recipients']);
      }
      const plain = await t.app.inject({ method: 'POST', url: `/api/advisor/cases/${c.id}/messages`, headers: as(anna), payload: { kind: 'message', ciphertext: 'Dit is platte tekst, niet versleuteld, en toch lang genoeg.' } });
      expect(plain.json().error.code).toBe('malformed_ciphertext');
      const row = await t.database.db.selectFrom('cases').select(['first_reply_at', 'status']).where('id', '=', c.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ first_reply_at: null, status: 'nieuw' });
    });

    it('notes are encrypted to me alone, shown only to me, and do not count as a reply', async () => {
      const c = await newCase(anna);
      const toBoth = await note(anna, c.id, [c.melder.publicKey, anna.publicKey]);
      expect([toBoth.statusCode, toBoth.json().error]).toEqual([400, { code: 'wrong_recipients', message: 'A note must be encrypted to you alone' }]);
      const toBert = await note(anna, c.id, [bert.publicKey]);
      expect(toBert.json().error.code).toBe('wrong_recipients');
      const ok = await note(anna, c.id, [anna.publicKey], 'vertrouwelijke notitie');
      expect(ok.statusCode).toBe(201);
      expect(ok.json().message).toMatchObject({ kind: 'note', senderRole: 'advisor' });
      expect(ok.json().case).toMatchObject({ status: 'nieuw', firstReplyAt: null });
      const mine = (await getCase(anna, c.id)).json().messages;
      const n = mine.find((x: any) => x.kind === 'note');
      expect((await crypto.decryptMessage({ armoredMessage: n.ciphertext, decryptionKey: anna.privateKey, armoredVerificationKeys: [anna.publicKey] })).text).toBe('vertrouwelijke notitie');
      const melderSees = await melderThread(c.melder);
      expect(melderSees.messages.map((x: any) => x.kind)).toEqual(['report']);
      const flagged = await t.app.inject({ method: 'POST', url: `/api/advisor/cases/${c.id}/messages`, headers: as(anna), payload: { kind: 'note', ciphertext: n.ciphertext, isFeedback: true } });
      expect(flagged.json().error.code).toBe('feedback_not_applicable');
    });

    it('a misstand reply marked as feedback records feedback_given_at once; not for ongewenst gedrag', async () => {
      const m = await newCase(anna, { kind: 'misstand' });
      const plainReply = await reply(anna, m.id, m.melder, 'eerste reactie');
      expect(plainReply.json().case.feedbackGivenAt).toBeNull();
      const fb = await reply(anna, m.id, m.melder, 'terugkoppeling over het vervolg', { isFeedback: true });
      expect(fb.statusCode).toBe(201);
      const given = fb.json().case.feedbackGivenAt;
      expect(given).not.toBeNull();
      expect((await reply(anna, m.id, m.melder, 'nog meer', { isFeedback: true })).json().case.feedbackGivenAt).toBe(given);
      expect((await melderThread(m.melder)).case.feedbackGivenAt).toBe(given);

      const o = await newCase(anna, { kind: 'ongewenst_gedrag' });
      const refused = await reply(anna, o.id, o.melder, 'x', { isFeedback: true });
      expect([refused.statusCode, refused.json().error.code]).toEqual([400, 'feedback_not_applicable']);
      expect((await t.database.db.selectFrom('messages').select('id').where('case_id', '=', o.id).execute())).toHaveLength(1);
    });

    it('status moves nieuw → in behandeling → nazorg → afgesloten, back to nazorg for a check-in; other moves are 409', async () => {
      const c = await newCase(anna);
      for (const bad of ['nazorg', 'afgesloten', 'nieuw', 'overgedragen']) {
        const res = await setStatus(anna, c.id, bad);
        expect([res.statusCode, res.json().error.code]).toEqual([409, 'invalid_transition']);
      }
      expect((await setStatus(anna, c.id, 'unknown')).statusCode).toBe(400);
      expect((await setStatus(anna, c.id, 'in_behandeling')).json().case.status).toBe('in_behandeling');
      expect((await setStatus(anna, c.id, 'nieuw')).statusCode).toBe(409);
      expect((await setStatus(anna, c.id, 'nazorg')).json().case.status).toBe('nazorg');
      expect((await setStatus(anna, c.id, 'in_behandeling')).statusCode).toBe(409);
      const closed = (await setStatus(anna, c.id, 'afgesloten')).json().case;
      expect(closed).toMatchObject({ status: 'afgesloten', closedBy: 'advisor' });
      expect(Math.abs(new Date(closed.closedAt).getTime() - Date.now())).toBeLessThan(60_000);
      expect((await melderThread(c.melder)).case).toMatchObject({ status: 'afgesloten', closedBy: 'advisor' });
      // Closed: no replies, notes or files.
      const r = await reply(anna, c.id, c.melder, 'x');
      expect([r.statusCode, r.json().error.code]).toEqual([409, 'case_closed']);
      expect((await note(anna, c.id, [anna.publicKey])).json().error.code).toBe('case_closed');
      const manifest = await crypto.encryptMessage({ text: '{}', armoredRecipientKeys: [c.melder.publicKey, anna.publicKey], signingKey: anna.privateKey });
      expect((await t.app.inject({ method: 'POST', url: `/api/advisor/cases/${c.id}/attachments`, headers: as(anna), payload: { encryptedManifest: manifest } })).json().error.code).toBe('case_closed');
      // A nazorg check-in reopens it.
      expect((await setStatus(anna, c.id, 'nazorg')).json().case).toMatchObject({ status: 'nazorg', closedAt: null, closedBy: null });
      expect((await reply(anna, c.id, c.melder, 'Hoe gaat het nu?')).statusCode).toBe(201);

      const direct = await newCase(anna);
      await setStatus(anna, direct.id, 'in_behandeling');
      expect((await setStatus(anna, direct.id, 'afgesloten')).json().case.status).toBe('afgesloten');

      // A case the melder ended stays ended (regie).
      const ended = await newCase(anna);
      await t.app.inject({ method: 'POST', url: '/api/melder/case/end', headers: { cookie: ended.melder.cookie } });
      const reopen = await setStatus(anna, ended.id, 'nazorg');
      expect([reopen.statusCode, reopen.json().error.code]).toEqual([409, 'invalid_transition']);
    });

    it('registration: fixed lists per kind, referral target only with a referral, stored in the clear', async () => {
      const c = await newCase(anna, { kind: 'ongewenst_gedrag' });
      const put = (payload: object) => t.app.inject({ method: 'PUT', url: `/api/advisor/cases/${c.id}/registration`, headers: as(anna), payload });
      const options = (await t.app.inject({ method: 'GET', url: '/api/advisor/registration-options', headers: as(anna) })).json();
      expect(options.behaviour.ongewenst_gedrag).toContain('pesten');
      expect(options.behaviour.misstand).toContain('fraude');
      expect(options.help).toEqual(['listening_ear', 'advice', 'referral', 'mediation', 'formal_complaint_support', 'misstand_investigation']);
      expect(options.outcome).toContain('melder_stopped');
      expect((await t.app.inject({ method: 'GET', url: '/api/advisor/registration-options' })).statusCode).toBe(401);

      const good = { behaviour: ['pesten', 'intimidatie'], help: ['listening_ear', 'referral'], referredTo: 'bedrijfsarts', outcome: 'referred' };
      const res = await put(good);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ registration: good });
      expect((await getCase(anna, c.id)).json().case.registration).toEqual(good);
      const row = await t.database.db.selectFrom('cases').select('registration').where('id', '=', c.id).executeTakeFirstOrThrow();
      expect(row.registration).toEqual(good);

      const refusals: Array<[object, string]> = [
        [{ ...good, behaviour: ['fraude'] }, 'invalid_registration'], // a misstand key on ongewenst gedrag
        [{ ...good, behaviour: ['made_up'] }, 'invalid_registration'],
        [{ behaviour: [], help: ['advice'], referredTo: 'mediator', outcome: 'resolved' }, 'invalid_registration'],
        [{ ...good, referredTo: '   ' }, 'invalid_registration'],
        [{ ...good, referredTo: 'x'.repeat(201) }, 'invalid_input'],
        [{ ...good, help: ['coaching'] }, 'invalid_input'],
        [{ ...good, help: ['advice', 'advice'] }, 'invalid_input'],
        [{ ...good, outcome: 'great' }, 'invalid_input'],
        [{ ...good, notes: 'free text' }, 'invalid_input'],
        [{ behaviour: ['pesten'], help: [] }, 'invalid_input'],
      ];
      for (const [payload, code] of refusals) {
        const r = await put(payload);
        expect([r.statusCode, r.json().error.code, JSON.stringify(payload)]).toEqual([400, code, JSON.stringify(payload)]);
      }
      expect((await getCase(anna, c.id)).json().case.registration).toEqual(good);
      const minimal = { behaviour: [], help: [], outcome: 'unknown' };
      expect((await put(minimal)).json().registration).toEqual(minimal);
    });
  });

  describe('files', () => {
    it('go both ways: the advisor uploads for the melder, and downloads what the melder sent', async () => {
      const c = await newCase(anna);
      const recipients = [c.melder.publicKey, anna.publicKey];
      // Advisor → melder
      const manifest = await crypto.encryptMessage({ text: JSON.stringify({ name: 'brochure.pdf', type: 'application/pdf', size: 300000 }), armoredRecipientKeys: recipients, signingKey: anna.privateKey });
      const plain = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
      const encrypted = await crypto.encryptBytes({ data: plain, armoredRecipientKeys: recipients, signingKey: anna.privateKey });
      const created = await t.app.inject({ method: 'POST', url: `/api/advisor/cases/${c.id}/attachments`, headers: as(anna), payload: { encryptedManifest: manifest } });
      expect(created.statusCode).toBe(201);
      expect(created.json().maxBytes).toBe(1024 * 1024);
      const id = created.json().id;
      const up = await t.app.inject({ method: 'PUT', url: `/api/advisor/cases/${c.id}/attachments/${id}/content`, headers: { ...as(anna), 'content-type': 'application/octet-stream' }, payload: Buffer.from(encrypted) });
      expect([up.statusCode, up.json().size]).toEqual([200, encrypted.length]);
      const again = await t.app.inject({ method: 'PUT', url: `/api/advisor/cases/${c.id}/attachments/${id}/content`, headers: { ...as(anna), 'content-type': 'application/octet-stream' }, payload: Buffer.from(encrypted) });
      expect(again.json().error.code).toBe('attachment_complete');
      const melderView = await melderThread(c.melder);
      expect(melderView.attachments).toEqual([expect.objectContaining({ id, uploaderRole: 'advisor', encryptedManifest: manifest, size: encrypted.length })]);
      const down = await t.app.inject({ method: 'GET', url: `/api/melder/attachments/${id}/content`, headers: { cookie: c.melder.cookie } });
      const got = await crypto.decryptBytes({ data: new Uint8Array(down.rawPayload), decryptionKey: c.melder.privateKey, armoredVerificationKeys: [anna.publicKey] });
      expect([Buffer.compare(Buffer.from(got.data), Buffer.from(plain)), got.signature]).toEqual([0, 'valid']);

      // Melder → advisor
      const mManifest = await crypto.encryptMessage({ text: '{"name":"bewijs.jpg"}', armoredRecipientKeys: recipients, signingKey: c.melder.privateKey });
      const mData = new Uint8Array([9, 8, 7, 6, 5]);
      const mEnc = await crypto.encryptBytes({ data: mData, armoredRecipientKeys: recipients, signingKey: c.melder.privateKey });
      const mId = (await t.app.inject({ method: 'POST', url: '/api/melder/attachments', headers: { cookie: c.melder.cookie }, payload: { encryptedManifest: mManifest } })).json().id;
      await t.app.inject({ method: 'PUT', url: `/api/melder/attachments/${mId}/content`, headers: { cookie: c.melder.cookie, 'content-type': 'application/octet-stream' }, payload: Buffer.from(mEnc) });
      const view = (await getCase(anna, c.id)).json();
      expect(view.attachments.map((a: any) => [a.id, a.uploaderRole])).toEqual([[id, 'advisor'], [mId, 'melder']]);
      const mDown = await t.app.inject({ method: 'GET', url: `/api/advisor/cases/${c.id}/attachments/${mId}/content`, headers: as(anna) });
      expect(mDown.statusCode).toBe(200);
      expect(mDown.headers['content-type']).toBe('application/octet-stream');
      const mGot = await crypto.decryptBytes({ data: new Uint8Array(mDown.rawPayload), decryptionKey: anna.privateKey, armoredVerificationKeys: [c.melder.publicKey] });
      expect([Array.from(mGot.data), mGot.signature]).toEqual([Array.from(mData), 'valid']);
      // The advisor cannot write into the melder's upload.
      const overwrite = await t.app.inject({ method: 'PUT', url: `/api/advisor/cases/${c.id}/attachments/${mId}/content`, headers: { ...as(anna), 'content-type': 'application/octet-stream' }, payload: Buffer.from(encrypted) });
      expect([overwrite.statusCode, overwrite.json().error.code]).toEqual([404, 'attachment_not_found']);
      // A file of another case is not reachable through this case.
      const other = await newCase(anna);
      expect((await t.app.inject({ method: 'GET', url: `/api/advisor/cases/${other.id}/attachments/${mId}/content`, headers: as(anna) })).statusCode).toBe(404);
    });

    it('refuses a manifest not encrypted to both, a plaintext file and an oversize file', async () => {
      const c = await newCase(anna);
      const onlyMe = await crypto.encryptMessage({ text: '{"name":"x"}', armoredRecipientKeys: [anna.publicKey], signingKey: anna.privateKey });
      const bad = await t.app.inject({ method: 'POST', url: `/api/advisor/cases/${c.id}/attachments`, headers: as(anna), payload: { encryptedManifest: onlyMe } });
      expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'wrong_recipients']);
      const manifest = await crypto.encryptMessage({ text: '{"name":"x"}', armoredRecipientKeys: [c.melder.publicKey, anna.publicKey], signingKey: anna.privateKey });
      const create = async () => (await t.app.inject({ method: 'POST', url: `/api/advisor/cases/${c.id}/attachments`, headers: as(anna), payload: { encryptedManifest: manifest } })).json().id;
      const plainUp = await t.app.inject({ method: 'PUT', url: `/api/advisor/cases/${c.id}/attachments/${await create()}/content`, headers: { ...as(anna), 'content-type': 'application/octet-stream' }, payload: Buffer.from('plain text secret file') });
      expect([plainUp.statusCode, plainUp.json().error.code]).toEqual([400, 'malformed_ciphertext']);
      const enc = await crypto.encryptBytes({ data: new Uint8Array(10), armoredRecipientKeys: [c.melder.publicKey, anna.publicKey], signingKey: anna.privateKey });
      const big = await t.app.inject({ method: 'PUT', url: `/api/advisor/cases/${c.id}/attachments/${await create()}/content`, headers: { ...as(anna), 'content-type': 'application/octet-stream' }, payload: Buffer.concat([Buffer.from(enc), Buffer.alloc(1024 * 1024)]) });
      expect([big.statusCode, big.json().error.code]).toEqual([413, 'file_too_large']);
    });
  });

  describe('the inbox', () => {
    let ines: ActivatedAdvisor;
    const cases: Record<string, { id: string; reference: string; melder: TestMelder }> = {};
    const inbox = async (query = '') => {
      const res = await t.app.inject({ method: 'GET', url: `/api/advisor/cases${query}`, headers: as(ines) });
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    const setDates = (id: string, values: Record<string, Date | null | string>) =>
      t.database.db.updateTable('cases').set(values as any).where('id', '=', id).execute();

    beforeAll(async () => {
      ines = await activateAdvisorViaApi(t.app, t.database.db, { organisationSlug: 'acme', email: 'ines@example.org', name: 'Ines Inbox', remoteAddress: nextIp() });
      await inviteStaff(t.database.db, { organisationSlug: 'other', email: 'ines@example.org', name: 'Ines Inbox' });
      const now = Date.now();
      const specs = {
        A: { slug: 'acme', kind: 'misstand' as const },
        B: { slug: 'other', kind: 'ongewenst_gedrag' as const },
        C: { slug: 'acme', kind: 'misstand' as const },
        D: { slug: 'acme', kind: 'ongewenst_gedrag' as const },
        E: { slug: 'other', kind: 'ongewenst_gedrag' as const },
        F: { slug: 'acme', kind: 'misstand' as const },
        G: { slug: 'acme', kind: 'ongewenst_gedrag' as const },
      };
      for (const [name, spec] of Object.entries(specs)) cases[name] = await newCase(ines, spec);
      const ago = (days: number) => new Date(now - days * DAY);
      const ahead = (days: number) => new Date(now + days * DAY);
      // A: misstand, first reply 1 day overdue.
      await setDates(cases.A!.id, { first_reply_due_at: ago(1), feedback_due_at: ahead(80), last_activity_at: ago(8) });
      // B: first reply due in 1 day.
      await setDates(cases.B!.id, { first_reply_due_at: ahead(1), last_activity_at: ago(6) });
      // C: misstand, replied; feedback due in 10 days.
      await setDates(cases.C!.id, { first_reply_at: ago(70), status: 'in_behandeling', feedback_due_at: ahead(10), last_activity_at: ago(3) });
      // D: replied, nothing open.
      await setDates(cases.D!.id, { first_reply_at: ago(2), status: 'in_behandeling', last_activity_at: ago(1) });
      // E: closed (its first reply deadline long past does not matter).
      await setDates(cases.E!.id, { first_reply_due_at: ago(30), status: 'afgesloten', closed_at: ago(2), closed_by: 'advisor', last_activity_at: ago(2) });
      // F: misstand, replied; feedback 3 days overdue.
      await setDates(cases.F!.id, { first_reply_at: ago(90), status: 'in_behandeling', feedback_due_at: ago(3), last_activity_at: ago(4) });
      // G: first reply due in 5 days.
      await setDates(cases.G!.id, { first_reply_due_at: ahead(5), last_activity_at: ago(5) });
    });

    it('lists only my cases across my organisations, most urgent first, with deadlines and unread counts', async () => {
      const body = await inbox();
      expect(body.total).toBe(7);
      expect(body.page).toBe(1);
      expect(body.pageSize).toBe(25);
      const order = body.cases.map((c: any) => Object.entries(cases).find(([, v]) => v.id === c.id)?.[0]);
      // overdue (F's feedback 3 days ago before A's reply 1 day ago), due soon (B 1 day, C 10 days),
      // ok (G with an open deadline before D without), done (E).
      expect(order).toEqual(['F', 'A', 'B', 'C', 'G', 'D', 'E']);
      expect(body.cases.map((c: any) => c.urgency)).toEqual(['overdue', 'overdue', 'due_soon', 'due_soon', 'ok', 'ok', 'done']);
      const a = body.cases.find((c: any) => c.id === cases.A!.id);
      expect(a).toEqual({
        id: cases.A!.id, reference: cases.A!.reference, organisation: { slug: 'acme', name: 'Acme BV' }, kind: 'misstand', category: 'fraude',
        status: 'nieuw', unread: 1, firstReplyDueAt: expect.any(String), firstReplyAt: null, feedbackDueAt: expect.any(String), feedbackGivenAt: null,
        lastActivityAt: expect.any(String), urgency: 'overdue',
      });
      expect(body.cases.find((c: any) => c.id === cases.B!.id).organisation).toEqual({ slug: 'other', name: 'Other NV' });
      for (const c of Object.values(cases)) {
        expect(JSON.stringify(body)).not.toContain(c.melder.caseCode.replace(/-/g, ''));
        expect(JSON.stringify(body)).not.toContain(c.melder.caseCode);
      }
      // Nobody else's cases.
      const annaCases = await t.database.db.selectFrom('cases').select('id').where('advisor_id', '=', anna.accountId).execute();
      expect(annaCases.length).toBeGreaterThan(0);
      for (const { id } of annaCases) expect(body.cases.map((c: any) => c.id)).not.toContain(id);
    });

    it('unread counts the melder\'s unread messages', async () => {
      const g = cases.G!;
      const ciphertext = await crypto.encryptMessage({ text: 'nog iets', armoredRecipientKeys: [g.melder.publicKey, ines.publicKey], signingKey: g.melder.privateKey });
      await t.app.inject({ method: 'POST', url: '/api/melder/messages', headers: { cookie: g.melder.cookie }, payload: { kind: 'message', ciphertext } });
      await reply(ines, g.id, g.melder, 'antwoord'); // my own messages do not count
      const unread = async () => (await inbox()).cases.find((c: any) => c.id === g.id).unread;
      expect(await unread()).toBe(2);
      await t.app.inject({ method: 'POST', url: `/api/advisor/cases/${g.id}/messages/read`, headers: as(ines) });
      expect(await unread()).toBe(0);
      // The reply moved G on: first reply given, so nothing is open and it sorts by last activity.
      await setDates(g.id, { first_reply_at: null, status: 'nieuw', first_reply_due_at: new Date(Date.now() + 5 * DAY), last_activity_at: new Date(Date.now() - 5 * DAY) });
    });

    it('filters by organisation, status and kind', async () => {
      const ids = (body: any) => body.cases.map((c: any) => c.id).sort();
      const byOrg = await inbox('?organisation=other');
      expect([byOrg.total, ids(byOrg)]).toEqual([2, [cases.B!.id, cases.E!.id].sort()]);
      const closed = await inbox('?status=afgesloten');
      expect(ids(closed)).toEqual([cases.E!.id]);
      const misstand = await inbox('?kind=misstand');
      expect(ids(misstand)).toEqual([cases.A!.id, cases.C!.id, cases.F!.id].sort());
      const combined = await inbox('?organisation=acme&kind=ongewenst_gedrag&status=in_behandeling');
      expect(ids(combined)).toEqual([cases.D!.id]);
      expect((await inbox('?organisation=nowhere')).total).toBe(0);
    });

    it('paginates on the server', async () => {
      const all = (await inbox()).cases.map((c: any) => c.id);
      const p1 = await inbox('?pageSize=3');
      const p2 = await inbox('?pageSize=3&page=2');
      const p3 = await inbox('?pageSize=3&page=3');
      const p4 = await inbox('?pageSize=3&page=4');
      expect([p1.total, p2.total, p3.total, p4.total]).toEqual([7, 7, 7, 7]);
      expect([p1.page, p2.page, p2.pageSize]).toEqual([1, 2, 3]);
      expect([...p1.cases, ...p2.cases, ...p3.cases].map((c: any) => c.id)).toEqual(all);
      expect(p3.cases).toHaveLength(1);
      expect(p4.cases).toEqual([]);
      for (const bad of ['?pageSize=101', '?pageSize=0', '?page=0', '?page=x', '?status=open', '?kind=other', '?organisation=Bad_Slug', '?unknown=1']) {
        const res = await t.app.inject({ method: 'GET', url: `/api/advisor/cases${bad}`, headers: as(ines) });
        expect([bad, res.statusCode, res.json().error.code]).toEqual([bad, 400, 'invalid_input']);
      }
      expect((await t.app.inject({ method: 'GET', url: '/api/advisor/cases' })).statusCode).toBe(401);
    });

    it('urgency follows the clock: due soon becomes overdue, a reply or feedback makes it ok', async () => {
      const b = cases.B!;
      await setDates(b.id, { first_reply_due_at: new Date(Date.now() - 1000) });
      expect((await inbox()).cases.find((c: any) => c.id === b.id).urgency).toBe('overdue');
      await setDates(b.id, { first_reply_due_at: new Date(Date.now() + 3 * DAY) });
      expect((await inbox()).cases.find((c: any) => c.id === b.id).urgency).toBe('ok');
      const c = cases.C!;
      await reply(ines, c.id, c.melder, 'terugkoppeling', { isFeedback: true });
      const row = (await inbox()).cases.find((x: any) => x.id === c.id);
      expect([row.urgency, row.feedbackGivenAt !== null]).toEqual(['ok', true]);
      await setDates(b.id, { first_reply_due_at: new Date(Date.now() + 1 * DAY) });
    });
  });
});
