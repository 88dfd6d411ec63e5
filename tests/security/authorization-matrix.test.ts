// I3: every route of Fastify's own route table is classified in ONE table, and every route is
// called as each of eight roles with a request that would succeed for the right person. A route
// missing from the table fails the test, so every new route must be classified here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { inviteStaff } from '../../server/modules/accounts/service.ts';
import { createSession } from '../../server/modules/sessions/service.ts';
import * as crypto from '../../web/src/lib/crypto/index.ts';
import { createActiveAdvisor, melderReports, type TestAdvisor, type TestMelder } from '../helpers/actors.ts';
import { databaseKinds } from '../helpers/db.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

const ROLES = ['anonymous', 'melderX', 'melderY', 'advisorAssigned', 'advisorUnassigned', 'advisorOther', 'admin', 'adminOther'] as const;
type Role = (typeof ROLES)[number];

/**
 * Who may use a route:
 * - public: the answer does not depend on who asks (same status for every role);
 * - melder: a melder's own case (X's ids: only melder X);
 * - staff: any logged-in staff account (their own account or inbox);
 * - caseAdvisor: only the advisor assigned to the case; everyone else 401/404 as if it did not exist;
 * - orgAdvisor: advisors of the organisation;
 * - orgAdmin: admins of the organisation.
 */
type Access = 'public' | 'melder' | 'melderOwnIds' | 'staff' | 'caseAdvisor' | 'orgAdvisor' | 'orgAdmin' | 'static';

const ALLOWED: Record<Exclude<Access, 'public' | 'static'>, Role[]> = {
  melder: ['melderX', 'melderY'],
  melderOwnIds: ['melderX'],
  staff: ['advisorAssigned', 'advisorUnassigned', 'advisorOther', 'admin', 'adminOther'],
  caseAdvisor: ['advisorAssigned'],
  orgAdvisor: ['advisorAssigned', 'advisorUnassigned'],
  orgAdmin: ['admin'],
};

interface Ctx {
  caseX: string;
  melderAttachmentX: string;
  advisorAttachmentX: string;
  melderX: TestMelder;
  anna: TestAdvisor;
  bobId: string;
  messageToX: string;
  noteForAnna: string;
  manifestX: string;
  lockedKey: string;
  loginKey: string;
}

type Build = (c: Ctx) => Omit<InjectOptions, 'method'> & { url: string };
const json = (url: string, payload: unknown): ReturnType<Build> => ({ url, payload: payload as object });
const binary = (url: string): ReturnType<Build> => ({ url, headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from([0xc1, 1, 2, 3, 4, 5]) });

// THE table. Key: "METHOD url" exactly as Fastify registers it.
const TABLE: Record<string, [Access, Build]> = {
  'GET /': ['static', () => ({ url: '/' })],
  'GET /*': ['static', () => ({ url: '/acme' })],
  'GET /api/health': ['public', () => ({ url: '/api/health' })],
  'GET /api/organisations/:slug': ['public', () => ({ url: '/api/organisations/acme' })],
  'POST /api/organisations/:slug/credentials': ['public', () => ({ url: '/api/organisations/acme/credentials' })],
  'POST /api/cases': ['public', (c) => json('/api/cases', { organisationSlug: 'acme', caseCode: '1111-2222-3333-4444', loginKey: c.loginKey, melderPublicKey: c.melderX.publicKey, melderLockedPrivateKey: c.lockedKey, kind: 'misstand', category: 'fraude', advisorId: c.anna.accountId, report: c.messageToX })],
  'POST /api/melder/session': ['public', (c) => json('/api/melder/session', { organisationSlug: 'acme', caseCode: '1111-2222-3333-4444', loginKey: c.loginKey })],
  'DELETE /api/melder/session': ['public', () => ({ url: '/api/melder/session' })],
  'GET /api/melder/case': ['melder', () => ({ url: '/api/melder/case' })],
  'POST /api/melder/messages': ['melder', (c) => json('/api/melder/messages', { kind: 'message', ciphertext: c.messageToX })],
  'POST /api/melder/messages/read': ['melder', () => ({ url: '/api/melder/messages/read' })],
  'POST /api/melder/case/end': ['melder', () => ({ url: '/api/melder/case/end' })],
  'POST /api/melder/attachments': ['melder', (c) => json('/api/melder/attachments', { encryptedManifest: c.manifestX })],
  'PUT /api/melder/attachments/:id/content': ['melderOwnIds', (c) => binary(`/api/melder/attachments/${c.melderAttachmentX}/content`)],
  'GET /api/melder/attachments/:id/content': ['melderOwnIds', (c) => ({ url: `/api/melder/attachments/${c.melderAttachmentX}/content` })],
  'GET /api/setup': ['public', () => ({ url: '/api/setup' })],
  'POST /api/setup': ['public', (c) => json('/api/setup', { setupToken: 'nope', organisation: { slug: 'x', name: 'X' }, admin: { email: 'x@example.org', name: 'X', loginKey: c.loginKey, publicKey: c.melderX.publicKey, lockedPrivateKey: c.lockedKey, recoveryLoginKey: c.loginKey, recoveryLockedPrivateKey: c.lockedKey, totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', totpCode: '123456' }, adminIsAdvisor: false })],
  'POST /api/advisor/activation/lookup': ['public', () => json('/api/advisor/activation/lookup', { token: 'x'.repeat(43) })],
  'POST /api/advisor/activation': ['public', (c) => json('/api/advisor/activation', { token: 'x'.repeat(43), loginKey: c.loginKey, publicKey: c.melderX.publicKey, lockedPrivateKey: c.lockedKey, recoveryLoginKey: c.loginKey, recoveryLockedPrivateKey: c.lockedKey, totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', totpCode: '123456' })],
  'POST /api/advisor/session': ['public', (c) => json('/api/advisor/session', { email: 'nobody@example.org', loginKey: c.loginKey, totpCode: '123456' })],
  'POST /api/advisor/recovery/start': ['public', (c) => json('/api/advisor/recovery/start', { email: 'nobody@example.org', recoveryLoginKey: c.loginKey })],
  'POST /api/advisor/recovery/complete': ['public', (c) => json('/api/advisor/recovery/complete', { email: 'nobody@example.org', recoveryLoginKey: c.loginKey, newLoginKey: c.loginKey, newLockedPrivateKey: c.lockedKey })],
  'DELETE /api/advisor/session': ['public', () => ({ url: '/api/advisor/session' })],
  'DELETE /api/advisor/sessions': ['staff', () => ({ url: '/api/advisor/sessions' })],
  'GET /api/advisor/me': ['staff', () => ({ url: '/api/advisor/me' })],
  'POST /api/advisor/password': ['staff', (c) => json('/api/advisor/password', { currentLoginKey: c.loginKey, newLoginKey: c.loginKey, newLockedPrivateKey: c.lockedKey })],
  'GET /api/advisor/cases': ['staff', () => ({ url: '/api/advisor/cases' })],
  'GET /api/advisor/registration-options': ['staff', () => ({ url: '/api/advisor/registration-options' })],
  'GET /api/advisor/cases/:id': ['caseAdvisor', (c) => ({ url: `/api/advisor/cases/${c.caseX}` })],
  'PATCH /api/advisor/cases/:id': ['caseAdvisor', (c) => json(`/api/advisor/cases/${c.caseX}`, { status: 'in_behandeling' })],
  'POST /api/advisor/cases/:id/messages': ['caseAdvisor', (c) => json(`/api/advisor/cases/${c.caseX}/messages`, { kind: 'note', ciphertext: c.noteForAnna })],
  'POST /api/advisor/cases/:id/messages/read': ['caseAdvisor', (c) => ({ url: `/api/advisor/cases/${c.caseX}/messages/read` })],
  'PUT /api/advisor/cases/:id/registration': ['caseAdvisor', (c) => json(`/api/advisor/cases/${c.caseX}/registration`, { behaviour: [], help: ['advice'], outcome: 'unknown' })],
  'POST /api/advisor/cases/:id/attachments': ['caseAdvisor', (c) => json(`/api/advisor/cases/${c.caseX}/attachments`, { encryptedManifest: c.manifestX })],
  'PUT /api/advisor/cases/:id/attachments/:attachmentId/content': ['caseAdvisor', (c) => binary(`/api/advisor/cases/${c.caseX}/attachments/${c.advisorAttachmentX}/content`)],
  'GET /api/advisor/cases/:id/attachments/:attachmentId/content': ['caseAdvisor', (c) => ({ url: `/api/advisor/cases/${c.caseX}/attachments/${c.melderAttachmentX}/content` })],
  'GET /api/advisor/cases/:id/audit': ['caseAdvisor', (c) => ({ url: `/api/advisor/cases/${c.caseX}/audit` })],
  'GET /api/advisor/organisations/:slug/register': ['orgAdvisor', () => ({ url: '/api/advisor/organisations/acme/register' })],
  'GET /api/advisor/organisations/:slug/register.csv': ['orgAdvisor', () => ({ url: '/api/advisor/organisations/acme/register.csv' })],
  'GET /api/advisor/organisations/:slug/jaarverslag': ['orgAdvisor', () => ({ url: '/api/advisor/organisations/acme/jaarverslag?year=2026' })],
  'GET /api/advisor/organisations/:slug/jaarverslag.csv': ['orgAdvisor', () => ({ url: '/api/advisor/organisations/acme/jaarverslag.csv?year=2026' })],
  'GET /api/advisor/organisations/:slug/jaarverslag.pdf': ['orgAdvisor', () => ({ url: '/api/advisor/organisations/acme/jaarverslag.pdf?year=2026' })],
  'PUT /api/advisor/organisations/:slug/jaarverslag/:year/recommendations': ['orgAdvisor', () => json('/api/advisor/organisations/acme/jaarverslag/2026/recommendations', { text: 'Meer voorlichting.' })],
  'GET /api/admin/organisations/:slug': ['orgAdmin', () => ({ url: '/api/admin/organisations/acme' })],
  'GET /api/admin/organisations/:slug/advisors': ['orgAdmin', () => ({ url: '/api/admin/organisations/acme/advisors' })],
  'POST /api/admin/organisations/:slug/advisors': ['orgAdmin', () => json('/api/admin/organisations/acme/advisors', { email: `new${Math.random().toString(36).slice(2)}@example.org`, name: 'Nieuw' })],
  'PATCH /api/admin/organisations/:slug/advisors/:accountId': ['orgAdmin', (c) => json(`/api/admin/organisations/acme/advisors/${c.bobId}`, { available: true })],
  'POST /api/admin/organisations/:slug/advisors/:accountId/deactivate': ['orgAdmin', (c) => ({ url: `/api/admin/organisations/acme/advisors/${c.bobId}/deactivate` })],
  'PUT /api/admin/organisations/:slug/authorities': ['orgAdmin', () => json('/api/admin/organisations/acme/authorities', { enabled: [] })],
  'GET /api/admin/organisations/:slug/categories': ['orgAdmin', () => ({ url: '/api/admin/organisations/acme/categories' })],
  'POST /api/admin/organisations/:slug/categories/:kind': ['orgAdmin', () => json('/api/admin/organisations/acme/categories/misstand', { key: `extra_${Math.random().toString(36).replace(/[^a-z]/g, '').slice(0, 8)}`, label: { nl: 'Extra', en: 'Extra' } })],
  'PATCH /api/admin/organisations/:slug/categories/:kind/:key': ['orgAdmin', () => json('/api/admin/organisations/acme/categories/misstand/fraude', { hidden: false })],
  'PATCH /api/admin/organisations/:slug/profile': ['orgAdmin', () => json('/api/admin/organisations/acme/profile', { name: 'Acme BV' })],
  'PATCH /api/admin/organisations/:slug/settings': ['orgAdmin', () => json('/api/admin/organisations/acme/settings', { firstReplyDays: 7 })],
  'PUT /api/admin/organisations/:slug/texts': ['orgAdmin', () => json('/api/admin/organisations/acme/texts', { nl: { introduction: 'Welkom', procedure: 'Zo werkt het' }, en: { introduction: 'Welcome', procedure: 'How it works' } })],
};

// Mutating routes that would change what later rows see run last, in this order.
const LAST = ['POST /api/advisor/organisations/:slug/advisors/:accountId/deactivate', 'POST /api/admin/organisations/:slug/advisors/:accountId/deactivate', 'POST /api/melder/case/end', 'DELETE /api/advisor/sessions'];

describe.each(databaseKinds)('authorisation matrix on %s', (kind) => {
  let t: TestApp;
  let ctx: Ctx;
  const accounts = {} as Record<Role, { subject: 'melder'; caseId: string } | { subject: 'staff'; accountId: string } | null>;
  let ip = 0;

  beforeAll(async () => {
    t = await createTestApp(kind);
    const db = t.database.db;
    await createOrganisation(db, { slug: 'acme', name: 'Acme BV' });
    await createOrganisation(db, { slug: 'other', name: 'Other NV' });
    const anna = await createActiveAdvisor(db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna' });
    const bob = await createActiveAdvisor(db, { organisationSlug: 'acme', email: 'bob@example.org', name: 'Bob' });
    const olga = await createActiveAdvisor(db, { organisationSlug: 'other', email: 'olga@example.org', name: 'Olga' });
    const admin = await inviteStaff(db, { organisationSlug: 'acme', email: 'admin@example.org', name: 'Admin', role: 'admin' });
    const adminOther = await inviteStaff(db, { organisationSlug: 'other', email: 'admin2@example.org', name: 'Admin 2', role: 'admin' });
    await db.updateTable('accounts').set({ status: 'active' }).where('id', 'in', [admin.accountId, adminOther.accountId]).execute();
    const melderX = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, kind: 'misstand', category: 'fraude', remoteAddress: '10.1.0.1' });
    const melderY = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna, remoteAddress: '10.1.0.2' });
    const caseX = (await db.selectFrom('cases').select('id').where('melder_public_key', '=', melderX.publicKey).executeTakeFirstOrThrow()).id;
    const caseY = (await db.selectFrom('cases').select('id').where('melder_public_key', '=', melderY.publicKey).executeTakeFirstOrThrow()).id;
    const recipients = [melderX.publicKey, anna.publicKey];
    const manifestX = await crypto.encryptMessage({ text: '{"name":"a.txt","type":"text/plain","size":3}', armoredRecipientKeys: recipients, signingKey: melderX.privateKey });
    const enc = Buffer.from(await crypto.encryptBytes({ data: new Uint8Array([1, 2, 3]), armoredRecipientKeys: recipients, signingKey: melderX.privateKey }));
    const mAtt = await t.app.inject({ method: 'POST', url: '/api/melder/attachments', headers: { cookie: melderX.cookie }, payload: { encryptedManifest: manifestX } });
    await t.app.inject({ method: 'PUT', url: `/api/melder/attachments/${mAtt.json().id}/content`, headers: { cookie: melderX.cookie, 'content-type': 'application/octet-stream' }, payload: enc });
    const annaCookie = `kb_session=${await createSession(db, { subject: 'staff', accountId: anna.accountId })}`;
    const aAtt = await t.app.inject({ method: 'POST', url: `/api/advisor/cases/${caseX}/attachments`, headers: { cookie: annaCookie }, payload: { encryptedManifest: manifestX } });
    expect(aAtt.statusCode).toBe(201);
    const keys = await crypto.deriveMelderKeys({ passphrase: 'abcd', organisationSlug: 'acme', caseCode: '1111222233334444' });
    ctx = {
      caseX, melderX, anna, bobId: bob.accountId, manifestX,
      melderAttachmentX: mAtt.json().id,
      advisorAttachmentX: aAtt.json().id,
      messageToX: await crypto.encryptMessage({ text: 'x', armoredRecipientKeys: recipients, signingKey: melderX.privateKey }),
      noteForAnna: await crypto.encryptMessage({ text: 'note', armoredRecipientKeys: [anna.publicKey], signingKey: anna.privateKey }),
      lockedKey: await crypto.lockPrivateKey({ privateKey: melderX.privateKey, unlockKey: keys.unlockKey }),
      loginKey: keys.loginKey,
    };
    Object.assign(accounts, {
      anonymous: null,
      melderX: { subject: 'melder', caseId: caseX },
      melderY: { subject: 'melder', caseId: caseY },
      advisorAssigned: { subject: 'staff', accountId: anna.accountId },
      advisorUnassigned: { subject: 'staff', accountId: bob.accountId },
      advisorOther: { subject: 'staff', accountId: olga.accountId },
      admin: { subject: 'staff', accountId: admin.accountId },
      adminOther: { subject: 'staff', accountId: adminOther.accountId },
    });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('every route in the route table is classified, and the table names no route that does not exist', () => {
    const registered = t.app.routeTable.map((r) => `${r.method} ${r.url}`);
    expect(registered.filter((r) => !(r in TABLE))).toEqual([]);
    expect(Object.keys(TABLE).filter((r) => !registered.includes(r))).toEqual([]);
  });

  it('each role gets exactly what the table allows — and nothing about case X unless it is theirs', async () => {
    const problems: string[] = [];
    const order = [...Object.keys(TABLE).filter((k) => !LAST.includes(k)), ...LAST.filter((k) => k in TABLE)];
    for (const key of order) {
      const [access, build] = TABLE[key]!;
      const method = key.split(' ')[0] as InjectOptions['method'];
      const statuses = new Map<Role, number>();
      for (const role of ROLES) {
        const who = accounts[role];
        const cookie = who ? `kb_session=${await createSession(t.database.db, who)}` : undefined;
        const req = build(ctx);
        const res = await t.app.inject({ ...req, method, remoteAddress: `10.2.${Math.floor(++ip / 250)}.${ip % 250}`, headers: { ...(req.headers ?? {}), ...(cookie ? { cookie } : {}) } });
        statuses.set(role, res.statusCode);
        const body = res.body;
        if (res.statusCode >= 500) problems.push(`${key} as ${role}: ${res.statusCode}`);
        if (access === 'public' || access === 'static') continue;
        const allowed = ALLOWED[access].includes(role);
        const denied = [401, 403, 404].includes(res.statusCode);
        if (allowed && denied) problems.push(`${key} as ${role}: expected access, got ${res.statusCode} ${body.slice(0, 120)}`);
        if (!allowed && !denied) problems.push(`${key} as ${role}: expected refusal, got ${res.statusCode} ${body.slice(0, 120)}`);
        // Staff who may not see case X get 404 (no existence oracle), not 403.
        if (!allowed && access === 'caseAdvisor' && who?.subject === 'staff' && res.statusCode !== 404) problems.push(`${key} as ${role}: expected 404, got ${res.statusCode}`);
        // Nobody but X's two parties ever receives X's ciphertext or melder key.
        if (!['melderX', 'advisorAssigned'].includes(role) && (body.includes(ctx.messageToX.slice(40, 120)) || body.includes(ctx.melderX.publicKey.slice(60, 140)))) problems.push(`${key} as ${role}: response contains case X's data`);
      }
      if (access === 'public') {
        const distinct = new Set(statuses.values());
        if (distinct.size !== 1) problems.push(`${key}: public route answers differently per role: ${JSON.stringify(Object.fromEntries(statuses))}`);
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
