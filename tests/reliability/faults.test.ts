// I5: a 2xx means committed. kill -9 the server in the middle of a burst, or take PostgreSQL
// away: nothing acknowledged is lost, the server keeps running and answers 503 while the
// database is away, and reconnects by itself. Runs on a private PostgreSQL cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { connectPostgres, type DatabaseHandle } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import * as crypto from '../../web/src/lib/crypto/index.ts';
import { createActiveAdvisor, type TestAdvisor } from '../helpers/actors.ts';
import { privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.ts';
import { call, cookieFrom, startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

const SECRET = 'ab'.repeat(32);
let addr = 10;
const nextAddr = () => `127.0.${Math.floor(++addr / 250) + 10}.${(addr % 250) + 1}`;

async function prepareCase(baseUrl: string, advisor: TestAdvisor) {
  const from = nextAddr();
  const creds = (await call(baseUrl, 'POST', '/api/organisations/acme/credentials', { from })).body;
  const keys = await crypto.deriveMelderKeys({ passphrase: creds.passphrase, organisationSlug: 'acme', caseCode: creds.caseCode });
  const { armoredPublicKey, privateKey } = await crypto.generateKey({ name: 'Melder' });
  const report = await crypto.encryptMessage({ text: `report ${Math.random()}`, armoredRecipientKeys: [armoredPublicKey, advisor.publicKey], signingKey: privateKey });
  return {
    from,
    publicKey: armoredPublicKey,
    privateKey,
    report,
    payload: {
      organisationSlug: 'acme', caseCode: creds.caseCode, loginKey: keys.loginKey, melderPublicKey: armoredPublicKey,
      melderLockedPrivateKey: await crypto.lockPrivateKey({ privateKey, unlockKey: keys.unlockKey }),
      kind: 'ongewenst_gedrag', category: 'pesten', advisorId: advisor.accountId, report,
    },
  };
}

async function openCase(baseUrl: string, advisor: TestAdvisor) {
  const c = await prepareCase(baseUrl, advisor);
  const res = await call(baseUrl, 'POST', '/api/cases', { json: c.payload, from: c.from });
  if (res.status !== 201) throw new Error(`case not created: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...c, cookie: cookieFrom(res) };
}

describe.skipIf(!privatePostgresAvailable)('faults on PostgreSQL (private cluster)', () => {
  let pg: PrivatePostgres;
  let db: DatabaseHandle;
  let advisor: TestAdvisor;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    db = connectPostgres(pg.url, { max: 3 });
    await migrateToLatest(db.db);
    await createOrganisation(db.db, { slug: 'acme', name: 'Acme BV' });
    advisor = await createActiveAdvisor(db.db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna de Vries' });
  }, 120_000);
  afterAll(async () => {
    await server?.stop().catch(() => {});
    await db?.close();
    pg?.destroy();
  });

  it('kill -9 during a burst of submissions and messages loses nothing that was acknowledged', async () => {
    server = await startServerProcess({ DATABASE_URL: pg.url, SESSION_SECRET: SECRET });
    const base = server.baseUrl;
    const melders = await Promise.all(Array.from({ length: 4 }, () => openCase(base, advisor)));
    const newCases = await Promise.all(Array.from({ length: 16 }, () => prepareCase(base, advisor)));
    const messages = await Promise.all(
      melders.flatMap((m) => Array.from({ length: 12 }, async (_, i) => ({ m, ciphertext: await crypto.encryptMessage({ text: `msg ${i} ${Math.random()}`, armoredRecipientKeys: [m.publicKey, advisor.publicKey], signingKey: m.privateKey }) }))),
    );

    type Outcome = { kind: 'case' | 'message'; status: number | 'error'; sent: string; id?: string; publicKey?: string };
    const outcomes: Outcome[] = [];
    let acknowledged = 0;
    const killed = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (acknowledged >= 8) {
          clearInterval(timer);
          void server!.kill9().then(resolve);
        }
      }, 2);
    });
    const burst = [
      ...newCases.map(async (c) => {
        const o: Outcome = { kind: 'case', status: 'error', sent: c.report, publicKey: c.publicKey };
        try {
          const r = await call(base, 'POST', '/api/cases', { json: c.payload, from: c.from });
          o.status = r.status;
          if (r.status < 300) acknowledged++;
        } catch { /* connection cut by the kill */ }
        outcomes.push(o);
      }),
      ...messages.map(async ({ m, ciphertext }) => {
        const o: Outcome = { kind: 'message', status: 'error', sent: ciphertext };
        try {
          const r = await call(base, 'POST', '/api/melder/messages', { json: { kind: 'message', ciphertext }, cookie: m.cookie, from: m.from });
          o.status = r.status;
          if (r.status < 300) {
            acknowledged++;
            o.id = r.body.message.id;
          }
        } catch { /* connection cut by the kill */ }
        outcomes.push(o);
      }),
    ];
    await Promise.all(burst);
    await killed;
    const acked = outcomes.filter((o) => typeof o.status === 'number' && o.status < 300);
    const cut = outcomes.filter((o) => o.status === 'error');
    expect(acked.length).toBeGreaterThanOrEqual(8);
    expect(cut.length).toBeGreaterThan(0); // the kill really landed mid-burst
    expect(outcomes.every((o) => o.status === 'error' || o.status === 201)).toBe(true);

    server = await startServerProcess({ DATABASE_URL: pg.url, SESSION_SECRET: SECRET });
    for (const o of acked) {
      if (o.kind === 'message') {
        const row = await db.db.selectFrom('messages').select('ciphertext').where('id', '=', o.id!).executeTakeFirst();
        expect(row?.ciphertext).toBe(o.sent);
      } else {
        const row = await db.db.selectFrom('cases').innerJoin('messages', 'messages.case_id', 'cases.id').select('messages.ciphertext').where('cases.melder_public_key', '=', o.publicKey!).where('messages.kind', '=', 'report').executeTakeFirst();
        expect(row?.ciphertext).toBe(o.sent);
      }
    }
    // The restarted server serves the melders as before.
    const again = await call(server.baseUrl, 'GET', '/api/melder/case', { cookie: melders[0]!.cookie, from: melders[0]!.from });
    expect(again.status).toBe(200);
  }, 180_000);

  it('PostgreSQL going away: 503 unavailable while it is down, reconnects by itself, nothing acknowledged lost', async () => {
    server ??= await startServerProcess({ DATABASE_URL: pg.url, SESSION_SECRET: SECRET });
    const base = server.baseUrl;
    const m = await openCase(base, advisor);
    const post = async (i: number) => {
      const ciphertext = await crypto.encryptMessage({ text: `pg ${i}`, armoredRecipientKeys: [m.publicKey, advisor.publicKey], signingKey: m.privateKey });
      try {
        const r = await call(base, 'POST', '/api/melder/messages', { json: { kind: 'message', ciphertext }, cookie: m.cookie, from: m.from, timeoutMs: 15_000 });
        return { status: r.status, code: r.body?.error?.code as string | undefined, id: r.body?.message?.id as string | undefined, ciphertext, body: JSON.stringify(r.body) };
      } catch (err) {
        return { status: 0, code: String(err), id: undefined, ciphertext, body: '' };
      }
    };
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await post(i));
    pg.stop();
    const down = [];
    for (let i = 0; i < 4; i++) down.push(await post(100 + i));
    const health = await call(base, 'GET', '/api/health');
    expect(health.status).toBe(503);
    expect(server.child.exitCode).toBeNull(); // still running
    for (const d of down) {
      expect(d.status).toBe(503);
      expect(d.code).toBe('unavailable');
      expect(d.body).not.toMatch(/ECONNREFUSED|terminating|postgres|pg_|stack/i);
    }
    pg.start();
    const deadline = Date.now() + 30_000;
    let healthy = false;
    while (Date.now() < deadline && !healthy) {
      healthy = (await call(base, 'GET', '/api/health')).status === 200;
      if (!healthy) await new Promise((r) => setTimeout(r, 250));
    }
    expect(healthy).toBe(true);
    for (let i = 0; i < 3; i++) results.push(await post(200 + i));
    expect(results.filter((r) => r.status === 201).length).toBe(8);
    for (const r of results.filter((x) => x.status === 201)) {
      const row = await db.db.selectFrom('messages').select('ciphertext').where('id', '=', r.id!).executeTakeFirst();
      expect(row?.ciphertext).toBe(r.ciphertext);
    }
  }, 180_000);

  it('a storage error (database turned read-only) answers 503 without internals, never 500', async () => {
    server ??= await startServerProcess({ DATABASE_URL: pg.url, SESSION_SECRET: SECRET });
    const m = await openCase(server.baseUrl, advisor);
    await sql`ALTER SYSTEM SET default_transaction_read_only = on`.execute(db.db);
    await sql`SELECT pg_reload_conf()`.execute(db.db);
    await new Promise((r) => setTimeout(r, 500));
    try {
      const ciphertext = await crypto.encryptMessage({ text: 'ro', armoredRecipientKeys: [m.publicKey, advisor.publicKey], signingKey: m.privateKey });
      const r = await call(server.baseUrl, 'POST', '/api/melder/messages', { json: { kind: 'message', ciphertext }, cookie: m.cookie, from: m.from });
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('unavailable');
      expect(JSON.stringify(r.body)).not.toMatch(/read-only|transaction|sql/i);
    } finally {
      await sql`SET default_transaction_read_only = off`.execute(db.db).catch(() => {});
      await sql`ALTER SYSTEM RESET default_transaction_read_only`.execute(db.db);
      await sql`SELECT pg_reload_conf()`.execute(db.db);
    }
  }, 120_000);
});
