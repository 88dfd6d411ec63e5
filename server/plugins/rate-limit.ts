// @fastify/rate-limit, opted into per route (config.rateLimit). In memory by default; a Redis
// store when REDIS_URL is set so several instances share counters. Keys are an HMAC of the
// client address under the server secret, so even the Redis store never holds an IP (I4).
import { createHmac } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface RateLimitOptions {
  secret: Buffer;
  redisUrl: string | null;
}

export function addressKey(secret: Buffer, req: FastifyRequest): string {
  // The only place the client address is read; it is keyed into an HMAC and never stored — not
  // even in Redis (tests/security/rate-limit-store.test.ts scans the store to prove it).
  const address = req.ip ?? 'unknown';
  return createHmac('sha256', secret).update('rate:').update(address).digest('base64url').slice(0, 22);
}

export default fp(async function rateLimitPlugin(app: FastifyInstance, opts: RateLimitOptions) {
  let redis: import('ioredis').Redis | undefined;
  if (opts.redisUrl) {
    const { Redis } = await import('ioredis');
    redis = new Redis(opts.redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1, lazyConnect: false });
    redis.on('error', () => {});
    app.addHook('onClose', async () => {
      redis?.disconnect();
    });
  }
  await app.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: 'klankbord-rl-', skipOnError: true } : {}),
    keyGenerator: (req) => addressKey(opts.secret, req),
    errorResponseBuilder: (_req, context) => ({
      statusCode: 429,
      error: { code: 'rate_limited', message: `Too many attempts; try again in ${Math.ceil(context.ttl / 1000)} s` },
    }),
  });
});
