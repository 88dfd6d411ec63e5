// Creates the app on an open database, listens, and closes gracefully on SIGTERM/SIGINT:
// stop accepting, finish requests in flight, then close the database.
import type { Config } from './config.ts';
import { buildApp, type AppInstance } from './app.ts';
import type { DatabaseHandle } from './db/connect.ts';

export async function startServer(config: Config, database: DatabaseHandle): Promise<AppInstance> {
  const app = await buildApp({ config, db: database.db });
  app.addHook('onClose', async () => {
    await database.close();
  });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  return app;
}
