// `npm start`: validate config, build the web app if needed, open and migrate the database,
// serve. A bad setting stops here with one line naming the variable.
import { ConfigError, loadConfig } from './config.ts';
import { connectDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { startServer } from './server.ts';
import { ensureSetupToken } from './modules/setup/service.ts';
import { ensureWebBuilt } from './web-build.ts';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`klankbord: configuration error — ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  await ensureWebBuilt((line) => console.log(`klankbord: ${line}`));
  const database = await connectDatabase(config);
  console.log(`klankbord: database ${database.kind === 'pglite' ? `embedded (PGlite) in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`);
  const applied = await migrateToLatest(database.db);
  if (applied.length) console.log(`klankbord: migrations applied: ${applied.join(', ')}`);
  const app = await startServer(config, database);
  console.log(`klankbord: listening on http://${config.host}:${config.port} — public address ${config.publicUrl}`);
  const setupToken = await ensureSetupToken(database.db);
  if (setupToken) {
    console.log(`klankbord: no organisation yet — open ${config.publicUrl}/ and enter this setup token: ${setupToken}`);
    console.log('klankbord: (`npm run cli -- setup:token` prints it again)');
  }
  return app;
}

main().catch((err) => {
  console.error('klankbord: failed to start —', err instanceof Error ? err.message : err);
  process.exit(1);
});
