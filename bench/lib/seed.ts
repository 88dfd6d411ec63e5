// Seeds a large database fast, in SQL (generate_series, INSERT … SELECT): organisations, active
// advisors, cases spread over them with realistic statuses and dates, messages with fake
// ciphertext of a realistic size (about 1 KB), attachments with a chunk each, and sessions (most
// expired, as they pile up). Rows are fake but shaped like real ones, so the planner sees
// realistic tables. Used by the bench (100k cases) and by tests/server/query-plans.test.ts.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/db/database.ts';

export interface SeedSize {
  organisations: number;
  advisors: number;
  cases: number;
  messagesPerCase: number;
  /** One attachment for every `attachmentEvery` cases. */
  attachmentEvery: number;
  sessions: number;
}

export const FULL_SIZE: SeedSize = { organisations: 50, advisors: 200, cases: 100_000, messagesPerCase: 10, attachmentEvery: 5, sessions: 50_000 };

export function scaledSize(f: number): SeedSize {
  const s = (n: number, min: number) => Math.max(min, Math.round(n * f));
  return { ...FULL_SIZE, organisations: s(50, 5), advisors: s(200, 20), cases: s(100_000, 1000), sessions: s(50_000, 500) };
}

export async function seedLargeDatabase(db: Kysely<Database>, size: SeedSize, onStep: (step: string, ms: number) => void = () => {}): Promise<void> {
  await db.connection().execute(async (conn) => {
    const step = async (name: string, statement: string) => {
      const t0 = performance.now();
      await sql.raw(statement).execute(conn);
      onStep(name, performance.now() - t0);
    };
    const { organisations: O, advisors: A, cases: C, messagesPerCase: M, attachmentEvery: E, sessions: S } = size;
    await step('organisations', `
      INSERT INTO organisations (slug, name)
      SELECT 'org-' || g, 'Organisatie ' || g FROM generate_series(1, ${O}) g`);
    await step('advisors', `
      INSERT INTO accounts (email, name, status, public_key, locked_private_key, login_key_hash, activated_at)
      SELECT 'adviseur' || g || '@example.org', 'Adviseur ' || g, 'active',
             '-----BEGIN PGP PUBLIC KEY BLOCK-----' || repeat(md5('pk' || g), 20),
             '-----BEGIN PGP PRIVATE KEY BLOCK-----' || repeat(md5('sk' || g), 30),
             '$argon2id$v=19$m=19456,t=2,p=1$' || md5('salt' || g) || '$' || md5('hash' || g), now()
      FROM generate_series(1, ${A}) g`);
    await step('memberships', `
      INSERT INTO memberships (account_id, organisation_id, role)
      SELECT a.id, o.id, 'advisor'
      FROM (SELECT id, row_number() OVER (ORDER BY email) AS rn FROM accounts) a
      JOIN (SELECT id, row_number() OVER (ORDER BY slug) AS rn FROM organisations) o ON o.rn = ((a.rn - 1) % ${O}) + 1`);
    await sql.raw(`
      CREATE TEMP TABLE seed_advisors AS
      SELECT m.account_id, m.organisation_id, row_number() OVER (ORDER BY m.account_id) AS rn
      FROM memberships m WHERE m.role = 'advisor'`).execute(conn);
    // Statuses: 60 % closed, 20 % in behandeling, 10 % nazorg, 10 % nieuw; a fifth misstand;
    // created over the last three years.
    await step('cases', `
      INSERT INTO cases (organisation_id, code_digest, reference, kind, category, advisor_id, status, login_key_hash,
                         melder_public_key, melder_locked_private_key, created_at, acknowledged_at, first_reply_due_at,
                         first_reply_at, feedback_due_at, feedback_given_at, closed_at, closed_by, last_activity_at)
      SELECT adv.organisation_id, md5('code' || g) || md5('digest' || g), 'K-' || lpad(g::text, 8, '0'),
             CASE WHEN g % 5 = 0 THEN 'misstand' ELSE 'ongewenst_gedrag' END,
             CASE WHEN g % 5 = 0 THEN 'fraude' ELSE 'pesten' END,
             adv.account_id, st.status,
             '$argon2id$v=19$m=19456,t=2,p=1$' || md5('s' || g) || '$' || md5('h' || g),
             '-----BEGIN PGP PUBLIC KEY BLOCK-----' || repeat(md5('mpk' || g), 20),
             '-----BEGIN PGP PRIVATE KEY BLOCK-----' || repeat(md5('msk' || g), 30),
             t.created, t.created, t.created + interval '7 days',
             CASE WHEN st.status <> 'nieuw' THEN t.created + interval '2 days' END,
             CASE WHEN g % 5 = 0 THEN t.created + interval '3 months' END,
             CASE WHEN g % 5 = 0 AND st.status IN ('afgesloten', 'nazorg') THEN t.created + interval '60 days' END,
             CASE WHEN st.status = 'afgesloten' THEN t.created + interval '90 days' END,
             CASE WHEN st.status = 'afgesloten' THEN 'advisor' END,
             t.created + interval '5 days'
      FROM generate_series(1, ${C}) g
      JOIN seed_advisors adv ON adv.rn = ((g - 1) % ${A}) + 1
      CROSS JOIN LATERAL (SELECT CASE WHEN g % 10 < 6 THEN 'afgesloten' WHEN g % 10 < 8 THEN 'in_behandeling'
                                      WHEN g % 10 = 8 THEN 'nazorg' ELSE 'nieuw' END AS status) st
      CROSS JOIN LATERAL (SELECT now() - ((g * 7919) % 1095) * interval '1 day' - (g % 86400) * interval '1 second' AS created) t`);
    await sql.raw(`CREATE TEMP TABLE seed_cases AS SELECT id, advisor_id, status, created_at, row_number() OVER (ORDER BY id) AS rn FROM cases`).execute(conn);
    // Messages alternate melder / advisor; every seventh is an advisor's note. A new case's
    // melder messages are unread, as are the last messages of a few open cases.
    await step('messages', `
      INSERT INTO messages (case_id, sender_role, sender_account_id, kind, ciphertext, created_at, read_at)
      SELECT c.id,
             CASE WHEN k % 2 = 0 THEN 'melder' ELSE 'advisor' END,
             CASE WHEN k % 2 = 1 THEN c.advisor_id END,
             CASE WHEN k = 0 THEN 'report' WHEN k % 7 = 6 THEN 'note' ELSE 'message' END,
             E'-----BEGIN PGP MESSAGE-----\\n\\n' || repeat(md5(c.rn::text || '/' || k), 28) || E'\\n-----END PGP MESSAGE-----\\n',
             c.created_at + k * interval '1 hour',
             CASE WHEN c.status = 'nieuw' OR (c.status = 'in_behandeling' AND k = ${M - 1} AND c.rn % 3 = 0) THEN NULL
                  ELSE c.created_at + k * interval '1 hour' + interval '10 minutes' END
      FROM seed_cases c CROSS JOIN generate_series(0, ${M - 1}) k`);
    await step('attachments', `
      INSERT INTO attachments (case_id, uploader_role, encrypted_manifest, size, chunk_count, complete, created_at)
      SELECT c.id, 'melder', E'-----BEGIN PGP MESSAGE-----\\n\\n' || repeat(md5('m' || c.rn), 12), 1024, 1, true, c.created_at + interval '30 minutes'
      FROM seed_cases c WHERE c.rn % ${E} = 0`);
    await step('attachment chunks', `
      INSERT INTO attachment_chunks (attachment_id, seq, data)
      SELECT a.id, 0, decode(repeat(md5(a.id::text), 32), 'hex') FROM attachments a`);
    await step('sessions', `
      INSERT INTO sessions (token_digest, subject, case_id, account_id, created_at, last_seen_at, expires_at)
      SELECT encode(sha256(('session' || g)::bytea), 'hex'),
             CASE WHEN g % 10 = 0 THEN 'staff' ELSE 'melder' END,
             CASE WHEN g % 10 <> 0 THEN c.id END,
             CASE WHEN g % 10 = 0 THEN c.advisor_id END,
             now() - (g % 400) * interval '1 day', now() - (g % 400) * interval '1 day', now() - (g % 400) * interval '1 day' + interval '12 hours'
      FROM generate_series(1, ${S}) g JOIN seed_cases c ON c.rn = ((g * 13) % ${C}) + 1`);
    // What the notification job leaves behind: one row per new case and per melder message told.
    await step('advisor notifications', `
      INSERT INTO advisor_notifications (account_id, case_id, item, message_id, claimed_at, sent_at)
      SELECT c.advisor_id, c.id, 'new_case', NULL, c.created_at, c.created_at FROM seed_cases c
      UNION ALL
      SELECT c.advisor_id, m.case_id, 'new_message', m.id, m.created_at, m.created_at
      FROM messages m JOIN seed_cases c ON c.id = m.case_id WHERE m.sender_role = 'melder' AND m.kind = 'message'`);
    await step('analyze', 'ANALYZE');
    await sql.raw('DROP TABLE seed_cases').execute(conn);
    await sql.raw('DROP TABLE seed_advisors').execute(conn);
  });
}
