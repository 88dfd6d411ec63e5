// Builds the real app on a fresh, migrated database and captures every log line it writes.
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../server/config.ts';
import { buildApp, type AppInstance } from '../../server/app.ts';
import type { DatabaseKind } from '../../server/db/connect.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface TestApp {
  app: AppInstance;
  database: TestDatabase;
  config: Config;
  /** Every line the server logged, raw JSON text. */
  logs: string[];
  close(): Promise<void>;
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'info', DATA_DIR: '/tmp/klankbord-test-unused', ...env }, { persistSecret: false });
}

export async function createTestApp(kind: DatabaseKind, options: { env?: Record<string, string>; webDir?: string; beforeReady?: (app: AppInstance) => void } = {}): Promise<TestApp> {
  const database = await createTestDatabase(kind);
  const config = testConfig(options.env);
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(line);
      cb();
    },
  });
  const app = await buildApp({ config, db: database.db, logStream, ...(options.webDir ? { webDir: options.webDir } : {}) });
  options.beforeReady?.(app);
  await app.ready();
  return {
    app,
    database,
    config,
    logs,
    close: async () => {
      await app.close();
      await database.destroy();
    },
  };
}
