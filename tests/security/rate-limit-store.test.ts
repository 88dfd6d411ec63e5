// I4: rate limits need the client address, but it is only ever an HMAC key. With REDIS_URL set,
// the counters live in Redis, shared by every instance: this test scans every key and value the
// app wrote there and finds neither the client's address nor the case code it guessed at.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379/0';

async function redisAnswers(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0 });
  r.on('error', () => {});
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

const available = await redisAnswers();

describe.skipIf(!available)('rate-limit counters in Redis hold no address (PGlite + Redis)', () => {
  let t: TestApp;
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    const stale = await redis.keys('klankbord-rl-*');
    if (stale.length) await redis.del(...stale);
    t = await createTestApp('pglite', { env: { REDIS_URL } });
    await createOrganisation(t.database.db, { slug: 'acme', name: 'Acme BV' });
  });
  afterAll(async () => {
    const keys = await redis.keys('klankbord-rl-*');
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await t?.close();
  });

  it('keys and values are HMACs and counts, and the limit is still enforced through Redis', async () => {
    const address = '203.0.113.199';
    const caseCode = '9876-5432-1098-7654';
    for (let i = 0; i < 3; i++) {
      await t.app.inject({ method: 'POST', url: '/api/organisations/acme/credentials', remoteAddress: address });
      await t.app.inject({ method: 'POST', url: '/api/melder/session', remoteAddress: address, payload: { organisationSlug: 'acme', caseCode, loginKey: 'Z'.repeat(43) } });
    }
    const keys = await redis.keys('klankbord-rl-*');
    expect(keys.length).toBeGreaterThan(0); // the store is really used
    const values = await Promise.all(keys.map((k) => redis.get(k).catch(() => '')));
    const stored = [...keys, ...values].join('\n');
    for (const leak of [address, address.replace(/\./g, ''), '::ffff:203.0.113.199', caseCode, caseCode.replace(/-/g, '')]) {
      expect(stored).not.toContain(leak);
    }
    // Enforcement goes through the shared store: the per-address login window closes at 10.
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      statuses.push((await t.app.inject({ method: 'POST', url: '/api/melder/session', remoteAddress: address, payload: { organisationSlug: 'acme', caseCode, loginKey: 'Z'.repeat(43) } })).statusCode);
    }
    expect(statuses.slice(0, 7).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(7)).toEqual([429, 429]);
  });
});
