// `npm run test:load`: 200 simulated melders post and read for 60 s against a real server
// process on PostgreSQL (TEST_DATABASE_URL or the local cluster; a fresh database, dropped after).
// Passes when there were no errors but intended 429s and every acknowledged message is stored
// byte-identical. Prints p50/p99 per operation. LOAD_MELDERS / LOAD_SECONDS override the size.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectPostgres } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import * as crypto from '../../web/src/lib/crypto/index.ts';
import { createActiveAdvisor } from '../helpers/actors.ts';
import { call, cookieFrom, startServerProcess } from '../helpers/server-process.ts';

const MELDERS = Number(process.env.LOAD_MELDERS ?? 200);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const ADMIN_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

async function main() {
  const name = `klankbord_load_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = connectPostgres(url.toString(), { max: 4 });
  let server: Awaited<ReturnType<typeof startServerProcess>> | undefined;
  let failed = false;
  try {
    await migrateToLatest(db.db);
    await createOrganisation(db.db, { slug: 'acme', name: 'Acme BV' });
    const anna = await createActiveAdvisor(db.db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna' });
    server = await startServerProcess({ DATABASE_URL: url.toString(), SESSION_SECRET: randomBytes(32).toString('hex') });
    const base = server.baseUrl;
    console.log(`[load] creating ${MELDERS} cases…`);
    const melders = [];
    for (let i = 0; i < MELDERS; i++) {
      const from = `127.${20 + Math.floor(i / 250)}.${i % 250}.1`;
      const creds = (await call(base, 'POST', '/api/organisations/acme/credentials', { from })).body;
      const keys = await crypto.deriveMelderKeys({ passphrase: creds.passphrase, organisationSlug: 'acme', caseCode: creds.caseCode });
      const { armoredPublicKey, privateKey } = await crypto.generateKey({ name: 'Melder' });
      const report = await crypto.encryptMessage({ text: 'report', armoredRecipientKeys: [armoredPublicKey, anna.publicKey], signingKey: privateKey });
      const res = await call(base, 'POST', '/api/cases', { from, json: { organisationSlug: 'acme', caseCode: creds.caseCode, loginKey: keys.loginKey, melderPublicKey: armoredPublicKey, melderLockedPrivateKey: await crypto.lockPrivateKey({ privateKey, unlockKey: keys.unlockKey }), kind: 'ongewenst_gedrag', category: 'pesten', advisorId: anna.accountId, report } });
      if (res.status !== 201) throw new Error(`case ${i}: ${res.status}`);
      // A few distinct ciphertexts per melder, encrypted ahead so the load is the server's.
      const texts = await Promise.all([0, 1, 2].map((k) => crypto.encryptMessage({ text: `m${i}-${k}`, armoredRecipientKeys: [armoredPublicKey, anna.publicKey], signingKey: privateKey })));
      melders.push({ from, cookie: cookieFrom(res), texts });
    }
    console.log(`[load] ${MELDERS} melders posting and reading for ${SECONDS} s…`);
    const latency: Record<'post' | 'read', number[]> = { post: [], read: [] };
    const counts: Record<string, number> = {};
    const acked: Array<{ id: string; ciphertext: string }> = [];
    const until = Date.now() + SECONDS * 1000;
    await Promise.all(melders.map(async (m, i) => {
      let n = 0;
      await new Promise((r) => setTimeout(r, (i * 37) % 2000)); // spread the start
      while (Date.now() < until) {
        const posting = n % 2 === 0;
        const started = performance.now();
        try {
          const res = posting
            ? await call(base, 'POST', '/api/melder/messages', { from: m.from, cookie: m.cookie, json: { kind: 'message', ciphertext: m.texts[n % 3] } })
            : await call(base, 'GET', '/api/melder/case', { from: m.from, cookie: m.cookie });
          latency[posting ? 'post' : 'read'].push(performance.now() - started);
          counts[res.status] = (counts[res.status] ?? 0) + 1;
          if (posting && res.status === 201) acked.push({ id: res.body.message.id, ciphertext: m.texts[n % 3]! });
        } catch (err) {
          counts[`error:${(err as Error).message}`] = (counts[`error:${(err as Error).message}`] ?? 0) + 1;
        }
        n++;
        await new Promise((r) => setTimeout(r, 1000 + ((i * 13 + n * 7) % 1000))); // a person, not a bot
      }
    }));
    const lost: string[] = [];
    for (let k = 0; k < acked.length; k += 500) {
      const slice = acked.slice(k, k + 500);
      const rows = await db.db.selectFrom('messages').select(['id', 'ciphertext']).where('id', 'in', slice.map((a) => a.id)).execute();
      const byId = new Map(rows.map((r) => [r.id, r.ciphertext]));
      for (const a of slice) if (byId.get(a.id) !== a.ciphertext) lost.push(a.id);
    }
    const unexpected = Object.entries(counts).filter(([status]) => !['200', '201', '429'].includes(status));
    for (const op of ['post', 'read'] as const) {
      console.log(`[load] ${op}: ${latency[op].length} requests, p50 ${pct(latency[op], 50).toFixed(1)} ms, p99 ${pct(latency[op], 99).toFixed(1)} ms`);
    }
    console.log(`[load] answers: ${JSON.stringify(counts)}; acknowledged messages ${acked.length}, lost ${lost.length}`);
    failed = unexpected.length > 0 || lost.length > 0 || acked.length === 0;
    console.log(failed ? `[load] FAILED: unexpected ${JSON.stringify(unexpected)}, lost ${lost.length}` : '[load] passed: nothing lost, no errors but intended 429s');
  } finally {
    await server?.stop();
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error('[load] crashed:', err);
  process.exit(1);
});
