import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, NewCase } from '../../server/db/database.ts';
import { csvCell, toCsv } from '../../server/modules/register/csv.ts';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { createSession } from '../../server/modules/sessions/service.ts';
import { databaseKinds } from '../helpers/db.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createActiveAdvisor } from '../helpers/actors.ts';

describe('csv cells', () => {
  it('quotes text, doubles quotes, keeps ; and line breaks inside one cell, and defuses formulas', () => {
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('say "hi"\nthen')).toBe('"say ""hi""\nthen"');
    for (const f of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(csvCell(f)).toBe(`"'${f.replace(/"/g, '""')}"`);
    expect(csvCell(-3)).toBe('-3'); // numbers we computed stay numbers
    expect(csvCell(null)).toBe('');
    expect(toCsv([['a', 1], ['b', null]])).toBe('\uFEFF"a";1\r\n"b";\r\n');
  });
});

describe.each(databaseKinds)('meldingenregister on %s', (kind) => {
  let t: TestApp;
  let db: Kysely<Database>;
  let annaCookie: string;
  let bobCookie: string;
  let adminCookie: string;
  let olgaCookie: string;
  let orgId: string;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(kind);
    db = t.database.db;
    orgId = (await createOrganisation(db, { slug: 'acme', name: 'Acme BV' })).id;
    const other = await createOrganisation(db, { slug: 'other', name: 'Other NV' });
    const anna = await createActiveAdvisor(db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna' });
    const bob = await createActiveAdvisor(db, { organisationSlug: 'acme', email: 'bob@example.org', name: 'Bob' });
    const olga = await createActiveAdvisor(db, { organisationSlug: 'other', email: 'olga@example.org', name: 'Olga' });
    const admin = await db.insertInto('accounts').values({ email: 'admin@example.org', name: 'Admin', status: 'active' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('memberships').values({ account_id: admin.id, organisation_id: orgId, role: 'admin' }).execute();
    const cookie = async (accountId: string) => `kb_session=${await createSession(db, { subject: 'staff', accountId })}`;
    annaCookie = await cookie(anna.accountId);
    bobCookie = await cookie(bob.accountId);
    adminCookie = await cookie(admin.id);
    olgaCookie = await cookie(olga.accountId);

    const add = async (v: Partial<NewCase> & { reference: string; created_at: string }) => {
      const row = await db.insertInto('cases').values({
        organisation_id: orgId, code_digest: `t-${randomUUID()}`, kind: 'misstand', category: 'fraude', advisor_id: anna.accountId,
        acknowledged_at: v.created_at, first_reply_due_at: new Date(Date.parse(v.created_at) + 7 * 86400_000), registration: JSON.stringify({ behaviour: [], help: ['referral'], referredTo: 'Geheim Adres', outcome: 'referred' }),
        ...v,
      }).returning('id').executeTakeFirstOrThrow();
      ids.push(row.id);
    };
    await add({ reference: 'K-AAAA2222', created_at: '2026-03-01T09:00:00.000Z', first_reply_at: '2026-03-03T10:00:00.000Z', feedback_due_at: '2026-06-01T09:00:00.000Z', feedback_given_at: '2026-05-20T12:00:00.000Z', status: 'afgesloten', closed_at: '2026-06-02T08:00:00.000Z', closed_by: 'advisor' });
    await add({ reference: 'K-BBBB3333', created_at: '2026-04-10T09:00:00.000Z', feedback_due_at: '2026-07-10T09:00:00.000Z', advisor_id: bob.accountId });
    await add({ reference: 'K-CCCC4444', created_at: '2025-01-05T09:00:00.000Z', feedback_due_at: '2025-04-05T09:00:00.000Z', status: 'afgesloten', closed_at: '2025-02-01T00:00:00.000Z', content_deleted_at: '2026-02-02T00:00:00.000Z', registration: null, login_key_hash: null });
    await add({ reference: 'K-DDDD5555', created_at: '2026-05-01T09:00:00.000Z', kind: 'ongewenst_gedrag', category: 'pesten' }); // not a misstand
    await add({ reference: 'K-EEEE6666', created_at: '2026-05-01T09:00:00.000Z', organisation_id: other.id, advisor_id: olga.accountId }); // other organisation
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('lists every misstand case of the organisation with dates and status only, for any of its advisors', async () => {
    for (const cookie of [annaCookie, bobCookie]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/advisor/organisations/acme/register', headers: { cookie } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        organisation: { slug: 'acme', name: 'Acme BV' },
        entries: [
          {
            reference: 'K-CCCC4444', receivedAt: '2025-01-05T09:00:00.000Z', acknowledgedAt: '2025-01-05T09:00:00.000Z', firstReplyDueAt: '2025-01-12T09:00:00.000Z',
            firstReplyAt: null, feedbackDueAt: '2025-04-05T09:00:00.000Z', feedbackGivenAt: null, status: 'afgesloten', closedAt: '2025-02-01T00:00:00.000Z',
            contentDeletedAt: '2026-02-02T00:00:00.000Z',
          },
          {
            reference: 'K-AAAA2222', receivedAt: '2026-03-01T09:00:00.000Z', acknowledgedAt: '2026-03-01T09:00:00.000Z', firstReplyDueAt: '2026-03-08T09:00:00.000Z',
            firstReplyAt: '2026-03-03T10:00:00.000Z', feedbackDueAt: '2026-06-01T09:00:00.000Z', feedbackGivenAt: '2026-05-20T12:00:00.000Z', status: 'afgesloten',
            closedAt: '2026-06-02T08:00:00.000Z', contentDeletedAt: null,
          },
          {
            reference: 'K-BBBB3333', receivedAt: '2026-04-10T09:00:00.000Z', acknowledgedAt: '2026-04-10T09:00:00.000Z', firstReplyDueAt: '2026-04-17T09:00:00.000Z',
            firstReplyAt: null, feedbackDueAt: '2026-07-10T09:00:00.000Z', feedbackGivenAt: null, status: 'nieuw', closedAt: null, contentDeletedAt: null,
          },
        ],
      });
      for (const secret of ['fraude', 'Geheim', 'referral', ...ids]) expect(res.body).not.toContain(secret);
    }
  });

  it('exports the same as CSV: an attachment, ISO dates, every text cell quoted', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/advisor/organisations/acme/register.csv', headers: { cookie: bobCookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="meldingenregister-acme.csv"');
    const lines = res.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines).toEqual([
      '"referentie";"ontvangen";"ontvangst_bevestigd";"eerste_reactie_uiterlijk";"eerste_reactie";"terugkoppeling_uiterlijk";"terugkoppeling_gegeven";"status";"afgesloten";"inhoud_verwijderd"',
      '"K-CCCC4444";"2025-01-05T09:00:00.000Z";"2025-01-05T09:00:00.000Z";"2025-01-12T09:00:00.000Z";;"2025-04-05T09:00:00.000Z";;"afgesloten";"2025-02-01T00:00:00.000Z";"2026-02-02T00:00:00.000Z"',
      '"K-AAAA2222";"2026-03-01T09:00:00.000Z";"2026-03-01T09:00:00.000Z";"2026-03-08T09:00:00.000Z";"2026-03-03T10:00:00.000Z";"2026-06-01T09:00:00.000Z";"2026-05-20T12:00:00.000Z";"afgesloten";"2026-06-02T08:00:00.000Z";',
      '"K-BBBB3333";"2026-04-10T09:00:00.000Z";"2026-04-10T09:00:00.000Z";"2026-04-17T09:00:00.000Z";;"2026-07-10T09:00:00.000Z";;"nieuw";;',
    ]);
    const en = await t.app.inject({ method: 'GET', url: '/api/advisor/organisations/acme/register.csv?lang=en', headers: { cookie: bobCookie } });
    expect(en.body.split('\r\n')[0]).toBe('\uFEFF"reference";"received";"acknowledged";"first_reply_due";"first_reply";"feedback_due";"feedback_given";"status";"closed";"contents_deleted"');
    expect((await t.app.inject({ method: 'GET', url: '/api/advisor/organisations/acme/register.csv?lang=de', headers: { cookie: bobCookie } })).statusCode).toBe(400);
  });

  it('an admin who is not an advisor, another organisation\'s advisor and no session get nothing', async () => {
    for (const cookie of [adminCookie, olgaCookie]) {
      for (const url of ['/api/advisor/organisations/acme/register', '/api/advisor/organisations/acme/register.csv']) {
        const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
        expect(res.statusCode).toBe(404);
        expect(res.json().error.code).toBe('organisation_not_found');
      }
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/advisor/organisations/acme/register' })).statusCode).toBe(401);
  });

  it('every view and export is audited', async () => {
    const events = await db.selectFrom('audit_events').select(['actor_type', 'organisation_id', 'case_id', 'detail']).where('action', '=', 'register.exported').orderBy('id').execute();
    expect(events.map((e) => (e.detail as { format: string }).format)).toEqual(['json', 'json', 'csv', 'csv']);
    expect(events.every((e) => e.actor_type === 'staff' && e.organisation_id === orgId && e.case_id === null)).toBe(true);
  });
});
