// Rate limits for the advisor's credential routes, built on @fastify/rate-limit's
// `createRateLimit` so that several limits can apply to one route: the plugin's own preHandlers
// mark a request as limited once and skip every later limiter on the same route. Each limit
// keeps its own bucket (prefixed, as the Redis store shares one key space). Keys are HMACs.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppInstance } from '../app.ts';
import { AppError } from './errors.ts';
import { keyedDigest } from './tokens.ts';
import { addressKey } from '../plugins/rate-limit.ts';

export class RateLimitedError extends AppError {
  constructor(seconds: number) {
    super(429, 'rate_limited', `Too many attempts; try again in ${seconds} s`);
  }
}

type PreHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export function keyedLimit(
  app: AppInstance,
  opts: { bucket: string; max: number; timeWindow: number; key: (req: FastifyRequest) => string },
): PreHandler {
  const limiter = app.createRateLimit({
    max: opts.max,
    timeWindow: opts.timeWindow,
    keyGenerator: (req: FastifyRequest) => `${opts.bucket}:${opts.key(req)}`,
  });
  return async (req, reply) => {
    const r = await limiter(req);
    if (!r.isAllowed && r.isExceeded) {
      const err = new RateLimitedError(Math.max(1, r.ttlInSeconds));
      return reply.code(429).header('retry-after', String(Math.max(1, r.ttlInSeconds))).send({ error: { code: err.code, message: err.message } });
    }
  };
}

/** Per client address (HMAC'd, never stored). */
export function perAddress(app: AppInstance, bucket: string, max: number, timeWindow: number): PreHandler {
  return keyedLimit(app, { bucket, max, timeWindow, key: (req) => addressKey(app.config.sessionSecret, req) });
}

/**
 * Per account, across addresses, keyed on an HMAC of the email in the body. Set high enough that
 * one address (capped by perAddress) never reaches it: an attacker on one address cannot lock
 * the real advisor out; only a distributed attack slows the account, and only for the window.
 */
export function perEmail(app: AppInstance, bucket: string, max: number, timeWindow: number): PreHandler {
  return keyedLimit(app, {
    bucket,
    max,
    timeWindow,
    key: (req) => {
      const email = String((req.body as { email?: unknown } | undefined)?.email ?? '').trim().toLowerCase();
      return keyedDigest(app.config.sessionSecret, 'rate-email', email).slice(0, 22);
    },
  });
}
