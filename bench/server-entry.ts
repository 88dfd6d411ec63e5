// The real server for the bench's measurements: server/start.ts without its first step (building
// the web app when web/ changed), so the API figures never wait for — or fail on — a build of a
// web/ that is being edited. Same config, database, migrations and startServer as `npm start`;
// the start-up section times `npm start` itself.
import { loadConfig } from '../server/config.ts';
import { connectDatabase } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { startServer } from '../server/server.ts';

const config = loadConfig();
const database = await connectDatabase(config);
await migrateToLatest(database.db);
await startServer(config, database);
