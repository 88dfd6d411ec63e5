// I6: hostile input gets a documented 4xx — never a 5xx, a hang or a crash. fast-check throws
// at least 10,000 hostile requests at every route taken from Fastify's own route table: wrong
// types, huge and unicode strings, __proto__ keys, SQL-looking strings, malformed and truncated
// armor, truncated binary uploads. Afterwards the server is still healthy.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { createActiveAdvisor, melderReports } from '../helpers/actors.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const DOCUMENTED = new Set([400, 401, 403, 404, 405, 409, 413, 414, 415, 429, 503]);

const ARMOR = '-----BEGIN PGP MESSAGE-----\n\nwcBMA0Vb8LXQ1cJGAQf/ZsdW1k4n7k0L8q\n=AbCd\n-----END PGP MESSAGE-----\n';
const hostileString = fc.oneof(
  fc.string({ maxLength: 64 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    "' OR '1'='1", "1; DROP TABLE cases; --", "\u0000", "../../etc/passwd", '%00', '<script>alert(1)</script>',
    '${7*7}', '{{7*7}}', 'null', 'undefined', '__proto__', 'constructor', '1234-5678-9012-3456', 'A'.repeat(43),
    '00000000-0000-0000-0000-000000000000', ARMOR, ARMOR.slice(0, 40), ARMOR.replace('=AbCd', ''),
    '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxx\n-----END PGP PRIVATE KEY BLOCK-----', 'ongewenst_gedrag', 'misstand',
  ),
  fc.integer({ min: 1, max: 3 }).map((n) => 'x'.repeat(n * 70_000)),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'prototype')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

function propertiesOf(schema: unknown): string[] {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : [];
}

/** A body shaped like the route's schema (so validation sometimes passes) with hostile values. */
function bodyFor(schema: unknown): fc.Arbitrary<string> {
  const keys = propertiesOf(schema);
  const shaped = fc.record(Object.fromEntries(keys.map((k) => [k, hostileValue])), { requiredKeys: [] });
  return fc.oneof(
    shaped.map((o) => JSON.stringify(o)),
    shaped.map((o) => `{"__proto__": {"polluted": true}, ${JSON.stringify(o).slice(1)}`.replace(', }', '}')),
    hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
    hostileString, // not JSON at all
    shaped.map((o) => JSON.stringify(o).slice(0, Math.max(1, JSON.stringify(o).length - 3))), // truncated
  );
}

function urlFor(url: string, params: string[]): string {
  let i = 0;
  return url.replace(/:[A-Za-z]+/g, () => encodeURIComponent(params[i++] ?? 'x').slice(0, 300));
}

describe('fuzzing every route (PGlite)', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    await createOrganisation(t.database.db, { slug: 'acme', name: 'Acme BV' });
    const anna = await createActiveAdvisor(t.database.db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna' });
    cookie = (await melderReports(t.app, { organisationSlug: 'acme', advisor: anna })).cookie;
  });
  afterAll(async () => {
    await t?.close();
  });

  it(`${RUNS} hostile requests get documented 4xx answers only, and the server stays healthy`, async () => {
    const routes = t.app.routeTable.filter((r) => r.url.startsWith('/api/'));
    expect(routes.length).toBeGreaterThan(5);
    const seen = new Map<number, number>();
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes.map((r, i) => i)).map((i) => routes[i]!),
        fc.array(hostileString, { minLength: 3, maxLength: 3 }),
        fc.boolean(),
        fc.oneof(fc.constant('json'), fc.constant('octet'), fc.constant('text')),
        fc.integer({ min: 0, max: 1_000_000 }),
        async (route, params, withSession, contentType, seed) => {
          const url = urlFor(route.url, params);
          const base = { method: route.method as 'GET', url, headers: withSession ? { cookie } : {}, remoteAddress: `10.${seed % 200}.${(seed >> 8) % 250}.${(seed >> 16) % 250}` };
          let res;
          if (route.method === 'GET' || route.method === 'DELETE') {
            res = await t.app.inject(base);
          } else if (contentType === 'octet') {
            const bytes = Buffer.from(ARMOR.repeat(1 + (seed % 5))).subarray(0, seed % 2000); // truncated binary
            res = await t.app.inject({ ...base, headers: { ...base.headers, 'content-type': 'application/octet-stream' }, payload: bytes });
          } else {
            const body = fc.sample(bodyFor(route.schema?.body), { numRuns: 1, seed })[0]!;
            res = await t.app.inject({ ...base, headers: { ...base.headers, 'content-type': contentType === 'json' ? 'application/json' : 'text/plain' }, payload: body });
          }
          seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
          const ok = res.statusCode < 300 || DOCUMENTED.has(res.statusCode);
          if (!ok) failures.push(`${route.method} ${route.url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
          if (res.statusCode >= 400) {
            const body = res.json();
            if (typeof body?.error?.code !== 'string') failures.push(`${route.method} ${route.url} → ${res.statusCode} without error code`);
          }
          return true; // failures are collected, not thrown: counterexamples can be megabytes
        },
      ),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261122), verbose: 0 },
    );
    expect([...new Set(failures)].slice(0, 10)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    // The run exercised real refusals, not just one kind of answer.
    expect([...seen.keys()].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(3);
  }, 600_000);
});
