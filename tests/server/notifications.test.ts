import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { connectPostgres } from '../../server/db/connect.ts';
import { createSmtpMailer, type Mailer } from '../../server/modules/notifications/mailer.ts';
import { NOTIFICATION_LOCK_KEY, runNotifications } from '../../server/modules/notifications/service.ts';
import notificationJob from '../../server/jobs/notifications.ts';
import * as crypto from '../../web/src/lib/crypto/index.ts';
import { databaseKinds } from '../helpers/db.ts';
import { createTestApp, testConfig, type TestApp } from '../helpers/app.ts';
import { advisorReplies, createActiveAdvisor, melderReports, type TestAdvisor } from '../helpers/actors.ts';

const DAY = 86400_000;
const PUBLIC_URL = 'https://klankbord.example.net';

interface Received {
  from: string;
  to: string[];
  raw: string;
  subject: string;
}

/** A real SMTP server on 127.0.0.1 and a random port, keeping every message it receives. */
async function startSmtp() {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject: /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '',
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    received,
    url: `smtp://127.0.0.1:${port}`,
    take: () => received.splice(0, received.length),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(databaseKinds)('advisor notifications on %s', (kind) => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let mailer: Mailer;
  let t: TestApp;
  let anna: TestAdvisor;
  let olga: TestAdvisor;
  let ip = 0;
  const nextIp = () => `10.50.${Math.floor(++ip / 250)}.${ip % 250}`;
  const run = (now: Date, m: Mailer = mailer, db = t.database.db) => runNotifications(db, m, now, { publicUrl: PUBLIC_URL });

  beforeAll(async () => {
    smtp = await startSmtp();
    mailer = createSmtpMailer({ smtpUrl: smtp.url, from: 'Klankbord <no-reply@klankbord.example.net>' });
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
  });

  beforeAll(async () => {
    t = await createTestApp(kind);
    await createOrganisation(t.database.db, { slug: 'acme', name: 'Acme BV' });
    await createOrganisation(t.database.db, { slug: 'other', name: 'Other NV' });
    anna = await createActiveAdvisor(t.database.db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna de Vries' });
    olga = await createActiveAdvisor(t.database.db, { organisationSlug: 'other', email: 'olga@example.org', name: 'Olga Other' });
  });
  beforeEach(async () => {
    // Each test starts without cases (messages and notification rows go with them), so a moved
    // clock only sees that test's cases.
    await t.database.db.deleteFrom('cases').execute();
    await t.database.db.updateTable('accounts').set({ status: 'active' }).execute();
    smtp.take();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function newCase(advisor: TestAdvisor, opts: { slug?: string; kind?: 'misstand' | 'ongewenst_gedrag'; text?: string } = {}) {
    const m = await melderReports(t.app, {
      organisationSlug: opts.slug ?? 'acme', advisor, kind: opts.kind ?? 'ongewenst_gedrag', category: opts.kind === 'misstand' ? 'fraude' : 'pesten',
      text: opts.text ?? 'canary-report-text', remoteAddress: nextIp(),
    });
    const row = await t.database.db.selectFrom('cases').selectAll().where('melder_public_key', '=', m.publicKey).executeTakeFirstOrThrow();
    return { melder: m, row };
  }
  const melderWrites = async (c: Awaited<ReturnType<typeof newCase>>, advisor: TestAdvisor, text = 'canary-message-text') => {
    const ciphertext = await crypto.encryptMessage({ text, armoredRecipientKeys: [c.melder.publicKey, advisor.publicKey], signingKey: c.melder.privateKey });
    const res = await t.app.inject({ method: 'POST', url: '/api/melder/messages', headers: { cookie: c.melder.cookie }, payload: { kind: 'message', ciphertext } });
    expect(res.statusCode).toBe(201);
  };
  const summary = (mails: Received[]) => mails.map((m) => [m.to.join(','), m.subject]).sort();

  it('one batched email per advisor for new cases and new messages; never the same item twice; no case details', async () => {
    const a1 = await newCase(anna, { kind: 'misstand' });
    const a2 = await newCase(anna);
    const o1 = await newCase(olga, { slug: 'other' });
    const now = new Date();
    expect(await run(now)).toEqual({ ran: true, emails: 2, items: 3, failed: 0 });
    const mails = smtp.take();
    expect(summary(mails)).toEqual([
      ['anna@example.org', 'Klankbord: je hebt 2 nieuwe meldingen of berichten'],
      ['olga@example.org', 'Klankbord: je hebt 1 nieuwe melding of bericht'],
    ]);
    for (const m of mails) {
      expect(m.from).toBe('no-reply@klankbord.example.net');
      expect(m.raw).toContain(`${PUBLIC_URL}/advisor`);
      expect(m.raw).toMatch(/You have [12] new items?/);
      const lower = m.raw.toLowerCase();
      for (const c of [a1, a2, o1]) {
        for (const secret of [c.row.reference, c.row.id, c.row.category, c.melder.caseCode, c.melder.caseCode.replace(/-/g, '')]) expect(m.raw).not.toContain(secret);
      }
      for (const word of ['canary', 'misstand', 'ongewenst', 'fraude', 'pesten', 'acme', 'other nv', 'begin pgp']) expect(lower).not.toContain(word);
    }
    // Nothing new: nothing sent.
    expect(await run(now)).toEqual({ ran: true, emails: 0, items: 0, failed: 0 });
    expect(smtp.take()).toEqual([]);

    // A new melder message is one new item; messages the advisor already read are not.
    await melderWrites(a1, anna);
    await melderWrites(a1, anna);
    expect(await run(new Date())).toMatchObject({ emails: 1, items: 2 });
    expect(summary(smtp.take())).toEqual([['anna@example.org', 'Klankbord: je hebt 2 nieuwe meldingen of berichten']]);
    await melderWrites(a2, anna);
    await t.database.db.updateTable('messages').set({ read_at: new Date() }).where('case_id', '=', a2.row.id).where('sender_role', '=', 'melder').execute();
    const fresh = await newCase(anna);
    await t.database.db.updateTable('messages').set({ read_at: new Date() }).where('case_id', '=', fresh.row.id).execute();
    expect(await run(new Date())).toMatchObject({ emails: 0, items: 0 });
    expect(smtp.take()).toEqual([]);
  });

  it('deadline reminders: first reply due within 2 days, then overdue; feedback due within 14 days, then overdue; each once', async () => {
    const c = await newCase(anna, { kind: 'misstand' });
    const closed = await newCase(anna);
    const ack = new Date(c.row.acknowledged_at).getTime();
    expect(await run(new Date(ack))).toMatchObject({ emails: 1, items: 2 }); // two new cases
    await t.database.db.updateTable('cases').set({ status: 'afgesloten', closed_at: new Date(ack), closed_by: 'melder' }).where('id', '=', closed.row.id).execute();
    smtp.take();
    const at = (ms: number) => new Date(ack + ms);
    const expectOne = async (when: Date) => {
      expect(await run(when)).toMatchObject({ emails: 1, items: 1 });
      expect(summary(smtp.take())).toEqual([['anna@example.org', 'Klankbord: je hebt 1 nieuwe melding of bericht']]);
    };
    const expectNone = async (when: Date) => {
      expect(await run(when)).toMatchObject({ emails: 0, items: 0 });
      expect(smtp.take()).toEqual([]);
    };
    await expectNone(at(4 * DAY)); // first reply due in 3 days: not yet
    await expectOne(at(5.5 * DAY)); // due within 2 days
    await expectNone(at(6 * DAY));
    await expectOne(at(7 * DAY + 60_000)); // overdue
    await expectNone(at(8 * DAY));
    // The advisor replies; then the feedback deadline (3 months after the acknowledgement) counts.
    await advisorReplies(t.database.db, anna, c.melder.publicKey, c.row.id, 'eerste reactie');
    await t.database.db.updateTable('cases').set({ first_reply_at: at(8 * DAY) }).where('id', '=', c.row.id).execute();
    const feedbackDue = new Date(c.row.feedback_due_at!).getTime();
    await expectNone(new Date(feedbackDue - 20 * DAY));
    await expectOne(new Date(feedbackDue - 13 * DAY));
    await expectNone(new Date(feedbackDue - 12 * DAY));
    await expectOne(new Date(feedbackDue + DAY));
    await expectNone(new Date(feedbackDue + 2 * DAY));
    const sent = await sql<{ item: string }>`SELECT item FROM advisor_notifications WHERE case_id = ${c.row.id} ORDER BY claimed_at`.execute(t.database.db);
    expect(sent.rows.map((r) => r.item)).toEqual(['new_case', 'first_reply_due_soon', 'first_reply_overdue', 'feedback_due_soon', 'feedback_overdue']);
  });

  it('a case already overdue when first seen gets the overdue reminder only; a deactivated advisor gets nothing', async () => {
    const c = await newCase(anna);
    await newCase(olga, { slug: 'other' });
    await t.database.db.updateTable('accounts').set({ status: 'deactivated' }).where('id', '=', olga.accountId).execute();
    expect(await run(new Date(Date.now() + 30 * DAY))).toMatchObject({ emails: 1, items: 2 });
    expect(summary(smtp.take())).toEqual([['anna@example.org', 'Klankbord: je hebt 2 nieuwe meldingen of berichten']]);
    const items = await sql<{ item: string }>`SELECT item FROM advisor_notifications WHERE case_id = ${c.row.id} ORDER BY item`.execute(t.database.db);
    expect(items.rows.map((r) => r.item)).toEqual(['first_reply_overdue', 'new_case']);
  });

  it('a failed send is tried again on the next run; nothing is lost', async () => {
    await newCase(anna);
    const failing: Mailer = { send: async () => { throw Object.assign(new Error('421 try later'), { code: 'EENVELOPE' }); }, close: () => {} };
    expect(await run(new Date(), failing)).toEqual({ ran: true, emails: 0, items: 0, failed: 1 });
    expect(smtp.take()).toEqual([]);
    expect(await run(new Date())).toMatchObject({ emails: 1, items: 1 });
    expect(smtp.take()).toHaveLength(1);
  });

  it('a claim left by a crashed run is taken over after 15 minutes', async () => {
    const c = await newCase(anna);
    const now = new Date();
    await sql`INSERT INTO advisor_notifications (account_id, case_id, item, claimed_at) VALUES (${anna.accountId}, ${c.row.id}, 'new_case', ${now})`.execute(t.database.db);
    expect(await run(new Date(now.getTime() + 60_000))).toMatchObject({ emails: 0 });
    expect(await run(new Date(now.getTime() + 16 * 60_000))).toMatchObject({ emails: 1, items: 1 });
    expect(smtp.take()).toHaveLength(1);
  });

  it('two runs at once send once (advisory lock); a run finding the lock taken does nothing', async () => {
    await newCase(anna);
    await newCase(olga, { slug: 'other' });
    // On PostgreSQL the second run goes through its own pool, like a second instance.
    const second = kind === 'postgres' ? connectPostgres(t.database.url!, { max: 2 }) : null;
    try {
      const now = new Date();
      const results = await Promise.all([run(now), run(now, mailer, second?.db ?? t.database.db)]);
      expect(results.reduce((n, r) => n + r.emails, 0)).toBe(2);
      expect(summary(smtp.take())).toEqual([
        ['anna@example.org', 'Klankbord: je hebt 1 nieuwe melding of bericht'],
        ['olga@example.org', 'Klankbord: je hebt 1 nieuwe melding of bericht'],
      ]);
      if (second) {
        // Another instance holds the lock: this run skips, and sends once the lock is free.
        await newCase(anna);
        await second.db.connection().execute(async (conn) => {
          await sql`SELECT pg_advisory_lock(${sql.lit(NOTIFICATION_LOCK_KEY)})`.execute(conn);
          try {
            expect(await run(new Date())).toEqual({ ran: false, emails: 0, items: 0, failed: 0 });
          } finally {
            await sql`SELECT pg_advisory_unlock(${sql.lit(NOTIFICATION_LOCK_KEY)})`.execute(conn);
          }
        });
        expect(smtp.take()).toEqual([]);
        expect(await run(new Date())).toMatchObject({ ran: true, emails: 1 });
        expect(smtp.take()).toHaveLength(1);
      }
    } finally {
      await second?.close();
    }
  });

  it('the job runs inside the server when SMTP_URL is set, and says at start-up when email is off', async () => {
    expect(t.logs.some((l) => l.includes('email is off (SMTP_URL is not set)'))).toBe(true);
    await newCase(anna);
    const lines: string[] = [];
    const app = Fastify({ logger: { level: 'info', stream: { write: (line: string) => void lines.push(line) } } });
    app.decorate('db', t.database.db);
    app.decorate('config', testConfig({ SMTP_URL: smtp.url, PUBLIC_URL }));
    await app.register(notificationJob, { intervalMs: 50 });
    await app.ready();
    const deadline = Date.now() + 10_000;
    while (smtp.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    await app.close();
    const mails = smtp.take();
    expect(summary(mails)).toEqual([['anna@example.org', 'Klankbord: je hebt 1 nieuwe melding of bericht']]);
    expect(mails[0]!.raw).toContain(`${PUBLIC_URL}/advisor`);
    // Closed: no more runs.
    await newCase(anna);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.received).toEqual([]);

    expect(lines.some((l) => l.includes('email notifications to advisors are on'))).toBe(true);
    expect(lines.some((l) => l.includes('email is off'))).toBe(false);
  });
});
