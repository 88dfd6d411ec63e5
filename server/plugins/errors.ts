// One error handler: every failure answers { error: { code, message } } with a stable code.
// Validation failures name the field; 5xx text is hidden; a database that is away is 503.
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../lib/errors.ts';

const DB_DOWN_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
  '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', '53300',
  // Storage trouble: read-only (failover), disk full, out of memory, I/O error.
  '25006', '53100', '53200', '58030',
]);

export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  if (e.code && DB_DOWN_CODES.has(e.code)) return true;
  const m = e.message ?? '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (shutting down|starting up)/i.test(m);
}

function fieldOf(err: FastifyError): string {
  const v = err.validation?.[0];
  if (!v) return '';
  const path = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
  const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
  const field = [path, missing].filter(Boolean).join('.');
  return field || (err.validationContext ?? '');
}

export default fp(async function errors(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      return reply.code(err.status).send({ error: { code: err.code, message: err.message } });
    }
    if (err.validation) {
      const field = fieldOf(err);
      return reply.code(400).send({
        error: { code: 'invalid_input', message: `Invalid value for ${field || err.validationContext || 'input'}`, field },
      });
    }
    if (isDatabaseUnavailable(err)) {
      req.log.warn({ errCode: (err as { code?: string }).code }, 'database unavailable');
      reply.header('retry-after', '5');
      return reply.code(503).send({ error: { code: 'unavailable', message: 'Temporarily unavailable; try again shortly' } });
    }
    const status = err.statusCode ?? 500;
    if (status === 429) {
      return reply.code(429).send({ error: { code: 'rate_limited', message: 'Too many attempts; wait and try again' } });
    }
    if (status === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.code === 'FST_REQ_FILE_TOO_LARGE') {
      return reply.code(413).send({ error: { code: 'payload_too_large', message: 'The request is too large' } });
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
      return reply.code(415).send({ error: { code: 'unsupported_media_type', message: 'Unsupported content type' } });
    }
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err instanceof SyntaxError) {
      return reply.code(400).send({ error: { code: 'invalid_json', message: 'The request body is not valid JSON' } });
    }
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: { code: status === 404 ? 'not_found' : 'bad_request', message: 'The request could not be handled' } });
    }
    // Internals stay in the server log (never input values) and out of the answer.
    req.log.error({ err: { type: err.name, code: err.code, message: err.message, stack: err.stack } }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'internal', message: 'Something went wrong on our side' } });
  });
});
