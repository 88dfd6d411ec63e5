// Logging through Fastify's pino: one line per request with method, route pattern, status code
// and duration. Never an IP address, a header, a query string or a body (I4).
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { LogLevel } from './config.ts';

export function loggerOptions(level: LogLevel, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    base: undefined,
    // Fastify's default serializers would add IP, host and URL; ours keep nothing of the request.
    serializers: {
      req: () => ({}),
      res: () => ({}),
    },
  } as unknown as FastifyServerOptions['logger'];
}

export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (req, reply) => {
    req.log.info(
      {
        method: req.method,
        route: req.routeOptions.url ?? '(unmatched)',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });
}
