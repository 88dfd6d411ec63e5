// A fresh, migrated database per test file: PGlite always; PostgreSQL too when
// TEST_DATABASE_URL is set (a uniquely named database, dropped afterwards).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectPglite, connectPostgres, type DatabaseHandle, type DatabaseKind } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || null;

/** The databases every database test runs on. */
export const databaseKinds: DatabaseKind[] = TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase extends DatabaseHandle {
  /** For PostgreSQL: the connection string of this test's own database (pg_dump uses it). */
  url: string | null;
  /** Close and, for PostgreSQL, drop the database. */
  destroy(): Promise<void>;
}

export async function createEmptyDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const handle = await connectPglite();
    return { ...handle, url: null, destroy: () => handle.close() };
  }
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `klankbord_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const handle = connectPostgres(url.toString(), { max: 5 });
  return {
    ...handle,
    url: url.toString(),
    destroy: async () => {
      await handle.close();
      const drop = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const database = await createEmptyDatabase(kind);
  await migrateToLatest(database.db);
  return database;
}
