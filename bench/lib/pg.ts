// The PostgreSQL the bench measures on: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the
// local cluster at postgres://postgres@127.0.0.1:5432/postgres (started if it is down and this
// machine can). Every bench database is its own, created and dropped here.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectPostgres, type DatabaseHandle } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { DEFAULT_PG_URL } from './pg-url.ts';

export { DEFAULT_PG_URL };

async function answers(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** The admin URL of a PostgreSQL that answers, or null. */
export async function findPostgres(): Promise<string | null> {
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_PG_URL;
  if (await answers(url)) return url;
  if (url === DEFAULT_PG_URL && existsSync('/etc/postgresql')) {
    for (const v of readdirSync('/etc/postgresql')) {
      try {
        execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', v, 'main', 'start'], { stdio: 'ignore', timeout: 30_000 });
      } catch {
        /* not startable here */
      }
    }
    for (let i = 0; i < 10; i++) {
      if (await answers(url)) return url;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  return null;
}

export interface BenchDatabase {
  name: string;
  url: string;
  handle: DatabaseHandle;
  drop(): Promise<void>;
}

async function admin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh database (migrated unless `migrate: false`) with a pool of `max` connections. */
export async function createBenchDatabase(adminUrl: string, label: string, options: { migrate?: boolean; max?: number } = {}): Promise<BenchDatabase> {
  const name = `klankbord_bench_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
  await admin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const handle = connectPostgres(url, { max: options.max ?? 4 });
  if (options.migrate !== false) await migrateToLatest(handle.db);
  return {
    name,
    url,
    handle,
    drop: async () => {
      await handle.close().catch(() => {});
      await admin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** Drops databases left behind by an earlier bench run that was killed. */
export async function dropLeftovers(adminUrl: string): Promise<string[]> {
  return admin(adminUrl, async (c) => {
    const rows = (await c.query(`SELECT datname FROM pg_database WHERE datname LIKE 'klankbord_bench_%'`)).rows as Array<{ datname: string }>;
    const dropped: string[] = [];
    for (const { datname } of rows) {
      const pid = Number(/_(\d+)_[0-9a-f]{6}$/.exec(datname)?.[1]);
      if (pid && pidAlive(pid)) continue;
      await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      dropped.push(datname);
    }
    return dropped;
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
