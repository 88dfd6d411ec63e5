import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateAllDown, migrateToLatest } from '../../server/db/migrate.ts';
import { createEmptyDatabase, databaseKinds, type TestDatabase } from '../helpers/db.ts';

async function tables(database: TestDatabase): Promise<string[]> {
  const r = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(database.db);
  return r.rows.map((x) => x.table_name);
}

describe.each(databaseKinds)('migrations on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createEmptyDatabase(kind);
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('migrate up creates the schema, down removes it, up again works', async () => {
    expect(await tables(database)).toEqual([]);
    const applied = await migrateToLatest(database.db);
    expect(applied.length).toBeGreaterThan(0);
    expect(await tables(database)).toEqual(
      expect.arrayContaining(['organisations', 'accounts', 'memberships', 'cases', 'messages', 'attachments', 'attachment_chunks', 'sessions', 'audit_events']),
    );
    expect(await migrateToLatest(database.db)).toEqual([]);
    await migrateAllDown(database.db);
    expect(await tables(database)).toEqual([]);
    await migrateToLatest(database.db);
    expect(await tables(database)).toContain('cases');
  });

  it('two migrators starting at once apply each migration once', async () => {
    if (kind !== 'postgres') return; // PGlite is single-process by nature
    await migrateAllDown(database.db);
    const { connectPostgres } = await import('../../server/db/connect.ts');
    const other = connectPostgres(database.url!, { max: 2 });
    try {
      const [a, b] = await Promise.all([migrateToLatest(database.db), migrateToLatest(other.db)]);
      expect([...a, ...b].filter((x) => x.startsWith('↑')).length).toBe(a.length + b.length);
      expect(a.length + b.length).toBe(Math.max(a.length, b.length));
      expect(await tables(database)).toContain('cases');
    } finally {
      await other.close();
    }
  });
});

describe('migrations/index.ts', () => {
  it('lists every migration file in the folder, in order', async () => {
    const { readdirSync } = await import('node:fs');
    const { migrations } = await import('../../migrations/index.ts');
    const { MIGRATIONS_DIR } = await import('../../server/db/migrate.ts');
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{4}_\d{2}_\d{2}_\d{4}_.+\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(Object.keys(migrations)).toEqual(files);
  });
});
