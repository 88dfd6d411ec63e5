// An organisation's admin walks every route of the app with their session and real ids in the
// parameters, and never gets a case: no case id, no reference, no ciphertext, no melder key.
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database.ts';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { createSession } from '../../server/modules/sessions/service.ts';
import * as crypto from '../../web/src/lib/crypto/index.ts';
import { databaseKinds } from '../helpers/db.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { advisorReplies, createActiveAdvisor, melderReports, type TestMelder } from '../helpers/actors.ts';

interface Route {
  method: string;
  url: string;
}

/** Every route from printRoutes' tree (commonPrefix off): each line's segment appends to its parent's path. */
function routesOf(tree: string): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const path = (stack[depth - 1] ?? '') + m[2]!;
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) routes.push({ method, url: path });
  }
  return routes;
}

describe.each(databaseKinds)('admin walks every route on %s', (kind) => {
  let t: TestApp;
  let db: Kysely<Database>;
  let adminId: string;
  let advisorId: string;
  const melders: TestMelder[] = [];
  const caseIds: string[] = [];
  const references: string[] = [];
  const attachmentIds: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(kind);
    db = t.database.db;
    const org = await createOrganisation(db, { slug: 'acme', name: 'Acme BV' });
    const anna = await createActiveAdvisor(db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna' });
    advisorId = anna.accountId;
    for (const [i, k] of (['misstand', 'ongewenst_gedrag'] as const).entries()) {
      const m = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, kind: k, category: k === 'misstand' ? 'fraude' : 'pesten', remoteAddress: `10.8.0.${i + 1}` });
      expect(m.createResponse.statusCode).toBe(201);
      melders.push(m);
      const c = await db.selectFrom('cases').select(['id', 'reference']).where('melder_public_key', '=', m.publicKey).executeTakeFirstOrThrow();
      caseIds.push(c.id);
      references.push(c.reference);
      await advisorReplies(db, anna, m.publicKey, c.id, 'Dank je, ik lees mee.');
      await db.updateTable('cases').set({ registration: JSON.stringify({ behaviour: [], help: ['advice'], outcome: 'resolved' }) }).where('id', '=', c.id).execute();
      const manifest = await crypto.encryptMessage({ text: '{"name":"bewijs.pdf"}', armoredRecipientKeys: [m.publicKey, anna.publicKey], signingKey: m.privateKey });
      const att = await db.insertInto('attachments').values({ case_id: c.id, uploader_role: 'melder', encrypted_manifest: manifest, size: 3, chunk_count: 1, complete: true }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('attachment_chunks').values({ attachment_id: att.id, seq: 0, data: Buffer.from([0xc1, 1, 2]) }).execute();
      attachmentIds.push(att.id);
    }
    // The admin: an active account with role 'admin' on this organisation, nothing else.
    const admin = await db.insertInto('accounts').values({ email: 'beheer@example.org', name: 'Beheer', status: 'active' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('memberships').values({ account_id: admin.id, organisation_id: org.id, role: 'admin' }).execute();
    adminId = admin.id;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  /** Good bodies for the admin console's own routes, so their successful answers are walked too. */
  const bodies: Record<string, unknown> = {
    'PATCH /api/admin/organisations/:slug/profile': { name: 'Acme BV' },
    'PATCH /api/admin/organisations/:slug/settings': { retentionDays: 400 },
    'PUT /api/admin/organisations/:slug/texts': { nl: { introduction: 'Hallo', procedure: 'Zo' }, en: { introduction: 'Hello', procedure: 'So' } },
    'PUT /api/admin/organisations/:slug/authorities': { enabled: ['huis_voor_klokkenluiders'] },
    'POST /api/admin/organisations/:slug/advisors': { email: 'nieuw@example.org', name: 'Nieuw' },
    'PATCH /api/admin/organisations/:slug/advisors/:accountId': { available: true },
    'POST /api/admin/organisations/:slug/categories/:kind': { key: 'walk_extra', label: { nl: 'Extra', en: 'Extra' } },
    'PATCH /api/admin/organisations/:slug/categories/:kind/:key': { hidden: false },
  };

  it('no answer to any route carries a case id, a reference, ciphertext or a melder key', async () => {
    const routes = routesOf(t.app.printRoutes({ commonPrefix: false })).filter((r) => r.method !== 'HEAD' && !r.url.includes('*'));
    expect(routes.length).toBeGreaterThan(40);
    expect(routes).toContainEqual({ method: 'GET', url: '/api/admin/organisations/:slug/advisors' });
    expect(routes).toContainEqual({ method: 'GET', url: '/api/advisor/cases/:id' });

    const forbidden = [
      ...caseIds, ...references, ...attachmentIds, '-----BEGIN PGP MESSAGE',
      // Each melder's armored public key (line breaks are escaped in JSON, so its longest line).
      ...melders.map((m) => m.publicKey.split('\n').reduce((a, b) => (b.length > a.length ? b : a))),
    ];
    const substitutions = (url: string): string[] => {
      const base = url
        .replace(':slug', 'acme').replace(':accountId', advisorId).replace(':kind', 'misstand').replace(':key', 'fraude').replace(':year', '2026');
      if (!base.includes(':id') && !base.includes(':attachmentId')) return [base];
      const out: string[] = [];
      for (const id of [...caseIds, ...attachmentIds]) {
        for (const att of attachmentIds) out.push(base.replace(':id', id).replace(':attachmentId', att));
      }
      return [...new Set(out)];
    };

    let walked = 0;
    const statuses = new Map<string, number[]>();
    for (const r of routes) {
      for (const url of substitutions(r.url)) {
        const cookie = `kb_session=${await createSession(db, { subject: 'staff', accountId: adminId })}`;
        const withBody = r.method === 'POST' || r.method === 'PUT' || r.method === 'PATCH';
        const payload = bodies[`${r.method} ${r.url}`] ?? {};
        const res = await t.app.inject({
          method: r.method as 'GET', url, headers: { cookie }, remoteAddress: '10.8.1.1',
          ...(withBody ? { payload: payload as object } : {}),
        });
        walked++;
        expect(res.statusCode, `${r.method} ${url}`).toBeLessThan(500);
        for (const secret of forbidden) expect(res.body.includes(secret), `${r.method} ${url} leaks ${secret.slice(0, 20)}`).toBe(false);
        expect(res.body).not.toMatch(/K-[23456789A-HJ-NP-Z]{8}/);
        statuses.set(`${r.method} ${r.url}`, [...(statuses.get(`${r.method} ${r.url}`) ?? []), res.statusCode]);
      }
    }
    expect(walked).toBeGreaterThan(60);
    // The admin console itself works for the admin (so its answers were really looked at) …
    for (const key of ['GET /api/admin/organisations/:slug', 'GET /api/admin/organisations/:slug/advisors', 'GET /api/admin/organisations/:slug/categories', ...Object.keys(bodies)]) {
      expect(statuses.get(key)?.[0], key).toBeLessThan(300);
    }
    // … and every case, register and report route refuses them.
    for (const [key, codes] of statuses) {
      if (/\/api\/(advisor\/cases\/:id|melder\/(case|messages|attachments)|advisor\/organisations)/.test(key)) {
        expect(codes.every((c) => c === 401 || c === 404 || c === 400), `${key} ${codes}`).toBe(true);
      }
    }
  }, 120_000);
});
