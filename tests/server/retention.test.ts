import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database.ts';
import { verifyAuditChain } from '../../server/modules/audit/service.ts';
import { loadRecords } from '../../server/modules/jaarverslag/data.ts';
import { dayOf } from '../../server/modules/jaarverslag/days.ts';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { withCompliance } from '../../server/modules/organisations/tables.ts';
import { RETENTION_LOCK_KEY, runRetention } from '../../server/modules/retention/service.ts';
import retentionJob from '../../server/modules/retention/job.ts';
import Fastify from 'fastify';
import { createSession } from '../../server/modules/sessions/service.ts';
import { databaseKinds } from '../helpers/db.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { advisorReplies, createActiveAdvisor, melderReports, type TestAdvisor, type TestMelder } from '../helpers/actors.ts';

const DAY = 86400_000;

describe.each(databaseKinds)('retention on %s', (kind) => {
  let t: TestApp;
  let db: Kysely<Database>;
  let anna: TestAdvisor;
  let ip = 0;
  const nextIp = () => `10.7.0.${++ip}`;

  beforeAll(async () => {
    t = await createTestApp(kind);
    db = t.database.db;
    await createOrganisation(db, { slug: 'acme', name: 'Acme BV' });
    const short = await createOrganisation(db, { slug: 'short', name: 'Short NV' });
    await db.updateTable('organisations').set({ retention_days: 30 }).where('id', '=', short.id).execute();
    anna = await createActiveAdvisor(db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna' });
    await db.insertInto('memberships').values({ account_id: anna.accountId, organisation_id: short.id, role: 'advisor' }).execute();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const melderCase = async (m: TestMelder) => (await t.app.inject({ method: 'GET', url: '/api/melder/case', headers: { cookie: m.cookie } })).json().case as { kind: string };
  const findCase = (ref: { melder: TestMelder }) => db.selectFrom('cases').selectAll().where('melder_public_key', '=', ref.melder.publicKey).executeTakeFirstOrThrow();

  async function closedCase(opts: { org: string; closedAt: Date; kind?: 'misstand' | 'ongewenst_gedrag'; category?: string }) {
    const melder = await melderReports(t.app, { organisationSlug: opts.org, advisor: anna, kind: opts.kind ?? 'misstand', category: opts.category ?? 'fraude', remoteAddress: nextIp() });
    expect(melder.createResponse.statusCode).toBe(201);
    const c = await findCase({ melder });
    await advisorReplies(db, anna, melder.publicKey, c.id, 'Dank voor je melding.');
    const att = await db.insertInto('attachments').values({ case_id: c.id, uploader_role: 'melder', encrypted_manifest: '-----BEGIN PGP MESSAGE-----x', size: 3, chunk_count: 1, complete: true }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('attachment_chunks').values({ attachment_id: att.id, seq: 0, data: Buffer.from([0xc1, 1, 2]) }).execute();
    await db.updateTable('cases').set({
      status: 'afgesloten', closed_at: opts.closedAt, closed_by: 'advisor', first_reply_at: new Date(new Date(c.created_at).getTime() + 2 * DAY),
      registration: JSON.stringify({ behaviour: ['fraude'], help: ['referral'], referredTo: 'Juridisch loket', outcome: 'referred' }),
    }).where('id', '=', c.id).execute();
    return { melder, id: c.id };
  }

  it('empties a case closed longer ago than the retention period, keeps a statistics row, and the melder can no longer log in', async () => {
    const start = new Date();
    const old = await closedCase({ org: 'acme', closedAt: start });
    const recent = await closedCase({ org: 'acme', closedAt: new Date(start.getTime() + 66 * DAY) });
    const quick = await closedCase({ org: 'short', closedAt: start, kind: 'ongewenst_gedrag', category: 'pesten' });
    const open = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: nextIp() });
    expect(await melderCase(old.melder)).toBeTruthy();
    const statsBefore = await withCompliance(db).selectFrom('case_statistics').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const acmeId = (await db.selectFrom('organisations').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow()).id;
    const year = Number(dayOf(start).slice(0, 4));
    const counted = async () => (await loadRecords(db, acmeId, [year])).map((r) => `${r.kind}/${r.category}/${r.receivedDay}/${r.firstReplyDay}/${r.registration?.outcome}`).sort();
    const before = await counted();

    // The clock moves 366 days on: `old` was closed 366 days ago, `recent` 300, `quick` 366 (its organisation keeps 30).
    const now = new Date(start.getTime() + 366 * DAY);
    const run = await runRetention(db, now);
    expect(run).toMatchObject({ ran: true, casesEmptied: 2 });

    for (const emptied of [old, quick]) {
      const c = await db.selectFrom('cases').selectAll().where('id', '=', emptied.id).executeTakeFirstOrThrow();
      expect(c.content_deleted_at).not.toBeNull();
      expect(c).toMatchObject({ login_key_hash: null, melder_public_key: null, melder_locked_private_key: null, registration: null });
      expect(c.code_digest).toBe(`deleted:${c.id}`);
      expect(await db.selectFrom('messages').select('id').where('case_id', '=', emptied.id).execute()).toEqual([]);
      expect(await db.selectFrom('attachments').select('id').where('case_id', '=', emptied.id).execute()).toEqual([]);
      // The melder's session ended, and the code and passphrase no longer open anything.
      expect((await t.app.inject({ method: 'GET', url: '/api/melder/case', headers: { cookie: emptied.melder.cookie } })).statusCode).toBe(401);
      const login = await t.app.inject({
        method: 'POST', url: '/api/melder/session', remoteAddress: nextIp(),
        payload: { organisationSlug: emptied === quick ? 'short' : 'acme', caseCode: emptied.melder.caseCode, loginKey: emptied.melder.loginKey },
      });
      expect(login.statusCode).toBe(401);
      expect(login.json().error.code).toBe('login_failed');
    }
    // The case closed 300 days ago and the open case keep everything (their sessions went idle
    // on the moved clock, but their melders log in again).
    for (const kept of [recent.melder, open]) {
      const login = await t.app.inject({
        method: 'POST', url: '/api/melder/session', remoteAddress: nextIp(),
        payload: { organisationSlug: 'acme', caseCode: kept.caseCode, loginKey: kept.loginKey },
      });
      expect(login.statusCode).toBe(200);
    }
    expect((await db.selectFrom('messages').select('id').where('case_id', '=', recent.id).execute()).length).toBe(2);
    expect((await db.selectFrom('attachment_chunks as ch').innerJoin('attachments as a', 'a.id', 'ch.attachment_id').select('ch.seq').where('a.case_id', '=', recent.id).execute()).length).toBe(1);

    // One anonymised statistics row per emptied case: no reference, no advisor, no free text.
    const stats = await withCompliance(db).selectFrom('case_statistics').selectAll()
      .select(sql<string>`to_char(received_on, 'YYYY-MM-DD')`.as('received')).select(sql<string>`to_char(first_reply_on, 'YYYY-MM-DD')`.as('replied'))
      .orderBy('kind').execute();
    expect(stats.length - Number(statsBefore.n)).toBe(2);
    const oldCase = await db.selectFrom('cases').selectAll().where('id', '=', old.id).executeTakeFirstOrThrow();
    const misstandRow = stats.find((s) => s.kind === 'misstand')!;
    expect(misstandRow).toMatchObject({ category: 'fraude', received: dayOf(oldCase.created_at), replied: dayOf(new Date(new Date(oldCase.created_at).getTime() + 2 * DAY)) });
    expect(misstandRow.registration).toEqual({ behaviour: ['fraude'], help: ['referral'], outcome: 'referred' });
    const dump = JSON.stringify(stats);
    expect(dump).not.toContain(oldCase.reference);
    expect(dump).not.toContain(anna.accountId);
    expect(dump).not.toContain(old.id);
    expect(dump).not.toContain('Juridisch');

    // The annual report counts the statistics row instead of the case: the same records as before.
    expect(await counted()).toEqual(before);
    expect(before.filter((r) => r.startsWith('misstand/fraude/')).length).toBe(2);

    // Audited by case id only, and the chain holds.
    const events = await db.selectFrom('audit_events').selectAll().where('action', '=', 'retention.case_deleted').orderBy('id').execute();
    expect(events.map((e) => e.case_id).sort()).toEqual([old.id, quick.id].sort());
    expect(events.every((e) => e.actor_type === 'system' && e.actor_id === null && JSON.stringify(e.detail) === '{}')).toBe(true);
    expect((await verifyAuditChain(db)).ok).toBe(true);

    // A second run finds nothing more to do.
    expect(await runRetention(db, now)).toMatchObject({ ran: true, casesEmptied: 0 });
  }, 60_000);

  it('cleans expired reservations, ended sessions and uploads left incomplete for a day', async () => {
    const now = new Date();
    const org = await db.selectFrom('organisations').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
    await createSession(db, { subject: 'staff', accountId: anna.accountId }, new Date(now.getTime() - 13 * 3600_000)); // past its 12 h
    await createSession(db, { subject: 'staff', accountId: anna.accountId }, new Date(now.getTime() - 40 * 60_000)); // idle 40 min
    const live = await createSession(db, { subject: 'staff', accountId: anna.accountId }, now);
    const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: nextIp() });
    const c = await findCase({ melder: m });
    // After the melder's report: issuing credentials also drops expired reservations.
    await db.insertInto('credential_reservations').values([
      { code_digest: 'expired-res', organisation_id: org.id, expires_at: new Date(now.getTime() - 60_000) },
      { code_digest: 'valid-res', organisation_id: org.id, expires_at: new Date(now.getTime() + 600_000) },
    ]).execute();
    const [stale, fresh] = await db.insertInto('attachments').values([
      { case_id: c.id, uploader_role: 'melder', encrypted_manifest: 'm', created_at: new Date(now.getTime() - 25 * 3600_000) },
      { case_id: c.id, uploader_role: 'melder', encrypted_manifest: 'm', created_at: new Date(now.getTime() - 3600_000) },
    ]).returning('id').execute();

    const run = await runRetention(db, now);
    expect(run.ran).toBe(true);
    expect(run.reservations).toBe(1);
    expect(run.sessions).toBeGreaterThanOrEqual(2);
    expect(run.uploads).toBe(1);
    const reservations = (await db.selectFrom('credential_reservations').select('code_digest').execute()).map((r) => r.code_digest);
    expect(reservations).toContain('valid-res');
    expect(reservations).not.toContain('expired-res');
    expect((await t.app.inject({ method: 'GET', url: '/api/advisor/me', headers: { cookie: `kb_session=${live}` } })).statusCode).toBe(200);
    expect((await db.selectFrom('sessions').select('token_digest').where('account_id', '=', anna.accountId).execute()).length).toBe(1);
    const left = (await db.selectFrom('attachments').select('id').where('case_id', '=', c.id).execute()).map((a) => a.id);
    expect(left).toContain(fresh!.id);
    expect(left).not.toContain(stale!.id);
  }, 60_000);

  it('runs by itself inside the server once started, and stops when the server closes', async () => {
    const closed = await closedCase({ org: 'acme', closedAt: new Date(Date.now() - 400 * DAY) });
    const server = Fastify({ logger: false });
    server.decorate('db', db);
    await server.register(retentionJob, { firstRunAfterMs: 20, intervalMs: 50 });
    await server.ready();
    const emptied = async () => (await db.selectFrom('cases').select('content_deleted_at').where('id', '=', closed.id).executeTakeFirstOrThrow()).content_deleted_at;
    for (let i = 0; i < 100 && !(await emptied()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await emptied()).not.toBeNull();
    await server.close();
  }, 60_000);

  it('a run while another instance holds the lock does nothing', async () => {
    if (kind !== 'postgres') return; // PGlite is one process with one connection: nothing to race
    const other = new pg.Client({ connectionString: t.database.url! });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [String(RETENTION_LOCK_KEY)]);
      expect(await runRetention(db)).toEqual({ ran: false, casesEmptied: 0, reservations: 0, sessions: 0, uploads: 0 });
      await other.query('SELECT pg_advisory_unlock($1)', [String(RETENTION_LOCK_KEY)]);
      expect((await runRetention(db)).ran).toBe(true);
    } finally {
      await other.end();
    }
  });
});
