// Builds the application: plugins in a fixed order (third-party, then our own decorators, then
// routes). That order is the architecture. It never listens; server.ts does.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyReply, type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { loggerOptions, registerRequestLog } from './logging.ts';
import securityHeaders from './plugins/security-headers.ts';
import errors from './plugins/errors.ts';
import rateLimitPlugin from './plugins/rate-limit.ts';
import staticWeb from './plugins/static-web.ts';
import healthRoutes from './modules/health/routes.ts';
import organisationRoutes from './modules/organisations/routes.ts';
import melderRoutes from './modules/melder/routes.ts';
import advisorRoutes from './modules/advisor/routes.ts';
import notificationJob from './jobs/notifications.ts';
import setupRoutes from './modules/setup/routes.ts';
import adminRoutes from './modules/admin/routes.ts';
import registerRoutes from './modules/register/routes.ts';
import jaarverslagRoutes from './modules/jaarverslag/routes.ts';
import auditRoutes from './modules/audit/routes.ts';
import retentionJob from './modules/retention/job.ts';
import sessionPlugin from './plugins/session.ts';

export type AppInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface RouteEntry {
  method: string;
  url: string;
  schema?: { body?: unknown; params?: unknown; querystring?: unknown };
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>;
    config: Config;
    /** Every route as registered, for the authorisation matrix and the fuzzer. */
    routeTable: RouteEntry[];
  }
}

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../dist/web', import.meta.url));

export interface BuildAppOptions {
  config: Config;
  db: Kysely<Database>;
  /** Where log lines go (tests capture them); stdout by default. */
  logStream?: NodeJS.WritableStream;
  webDir?: string;
}

export async function buildApp(opts: BuildAppOptions): Promise<AppInstance> {
  const { config } = opts;
  const app = Fastify({
    logger: loggerOptions(config.logLevel, opts.logStream),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    // Router-level failures (over-long path parameters, malformed URLs) in our error format,
    // without echoing the URL back.
    frameworkErrors: (err, _req, reply) => {
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      (reply as unknown as FastifyReply).code(tooLong ? 414 : 400).send({ error: { code: tooLong ? 'uri_too_long' : 'bad_request', message: tooLong ? 'The address is too long' : 'The request could not be handled' } });
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('db', opts.db);
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routeTable.push({ method, url: route.url, schema: route.schema as RouteEntry['schema'] });
    }
  });
  app.decorate('config', config);
  registerRequestLog(app);

  // Third-party plugins
  await app.register(securityHeaders, { secure: config.secure });
  await app.register(cookie);
  await app.register(rateLimitPlugin, { secret: config.sessionSecret, redisUrl: config.redisUrl });
  // Our own
  await app.register(errors);
  await app.register(sessionPlugin);
  // Encrypted file uploads arrive as a raw stream; the route consumes it chunk by chunk.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
  // Routes
  await app.register(healthRoutes);
  await app.register(organisationRoutes);
  await app.register(melderRoutes);
  await app.register(advisorRoutes);
  await app.register(setupRoutes);
  await app.register(adminRoutes);
  await app.register(registerRoutes);
  await app.register(jaarverslagRoutes);
  await app.register(auditRoutes);
  // Background jobs (each under a PostgreSQL advisory lock)
  await app.register(notificationJob);
  await app.register(retentionJob);
  // Last: the web app and the fallback for everything else
  await app.register(staticWeb, { webDir: opts.webDir ?? DEFAULT_WEB_DIR });
  return app;
}

export const PROJECT_ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
