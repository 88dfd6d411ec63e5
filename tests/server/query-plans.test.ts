// The hot queries, exactly as the server compiles them (bench/lib/query-plans.ts records the SQL
// the repository functions send), must use an index and never scan a large table sequentially —
// checked with EXPLAIN ANALYZE on PostgreSQL with 20,000 cases and 100,000 messages. A missing
// index is invisible on a small test database and painful at 100,000 cases (`npm run bench`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createSession } from '../../server/modules/sessions/service.ts';
import { explain, hotQueries, LARGE_TABLES, sampleIds, type SampleIds } from '../../bench/lib/query-plans.ts';
import { seedLargeDatabase } from '../../bench/lib/seed.ts';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/db.ts';

const PLACEHOLDER: SampleIds = { caseId: '', codeDigest: '', advisorId: '', attachmentId: '', sessionToken: '' };
const NAMES = hotQueries(PLACEHOLDER).map((q) => q.name);

describe('query plans on PostgreSQL with 20,000 cases and 100,000 messages', () => {
  let database: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  let ids: SampleIds;

  beforeAll(async () => {
    if (!TEST_DATABASE_URL) return;
    database = await createTestDatabase('postgres');
    await seedLargeDatabase(database.db, { organisations: 20, advisors: 100, cases: 20_000, messagesPerCase: 5, attachmentEvery: 5, sessions: 10_000 });
    pool = new pg.Pool({ connectionString: database.url!, max: 2 });
    ids = await sampleIds(pool, 'none yet');
    ids.sessionToken = await createSession(database.db, { subject: 'melder', caseId: ids.caseId });
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    await database?.destroy();
  });

  for (const name of NAMES) {
    it.skipIf(!TEST_DATABASE_URL)(`${name}: uses an index, no sequential scan of ${LARGE_TABLES.join(', ')}`, async () => {
      const hq = hotQueries(ids).find((q) => q.name === name)!;
      const compiled = await hq.capture();
      expect(compiled.length).toBeGreaterThan(0);
      for (const query of compiled) {
        const e = await explain(pool!, query, hq.writes);
        expect({ sql: e.sql, seqScans: e.seqScans }).toEqual({ sql: e.sql, seqScans: [] });
        expect(e.indexes.length, `${e.sql}\n${e.nodes.join(' → ')}`).toBeGreaterThan(0);
      }
    });
  }

  it.skipIf(!TEST_DATABASE_URL)('every ON DELETE CASCADE / SET NULL foreign key of a growing table has an index on its column', async () => {
    // Deleting a case (retention) runs each such check once per deleted row; without an index
    // every check scans the whole referencing table.
    const r = await pool!.query(`
      SELECT con.conrelid::regclass::text AS tbl, a.attname AS col,
             EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = con.conrelid AND i.indkey[0] = con.conkey[1]) AS indexed
      FROM pg_constraint con
      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
      WHERE con.contype = 'f' AND con.confdeltype IN ('c', 'n') AND array_length(con.conkey, 1) = 1
        AND con.conrelid::regclass::text = ANY($1)`, [[...LARGE_TABLES, 'advisor_notifications']]);
    const missing = r.rows.filter((x) => !x.indexed).map((x) => `${x.tbl}.${x.col}`);
    expect(r.rows.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });
});
