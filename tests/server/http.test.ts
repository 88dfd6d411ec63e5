import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { inviteStaff } from '../../server/modules/accounts/service.ts';
import { databaseKinds } from '../helpers/db.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import Fastify from 'fastify';
import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import { helmetOptions } from '../../server/plugins/security-headers.ts';

/** The headers @fastify/helmet itself sends with our options, on a bare Fastify route. */
async function fastifyHelmetHeaders(secure: boolean): Promise<Record<string, unknown>> {
  const app = Fastify();
  // Same options object; the cast bridges helmet's ESM and CommonJS type declarations.
  await app.register(fastifyHelmet, helmetOptions(secure) as unknown as FastifyHelmetOptions);
  app.get('/x', async () => ({ ok: true }));
  const res = await app.inject({ method: 'GET', url: '/x' });
  await app.close();
  const bare = Fastify();
  bare.get('/x', async () => ({ ok: true }));
  const plain = await bare.inject({ method: 'GET', url: '/x' });
  await bare.close();
  return Object.fromEntries(Object.entries(res.headers).filter(([name]) => !(name in plain.headers) || name === 'x-powered-by'));
}

describe.each(databaseKinds)('HTTP baseline on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await createOrganisation(t.database.db, { slug: 'acme', name: 'Acme BV' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('GET /api/health says the database answers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', db: 'ok' });
  });

  it.each(['/', '/api/health', '/acme'])('%s carries the security headers', async (url) => {
    const res = await t.app.inject({ method: 'GET', url });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(String(res.headers['permissions-policy'])).toMatch(/camera=\(\).*geolocation=\(\).*microphone=\(\)/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  // The headers are computed once from helmet at start-up instead of per request: they must be
  // exactly those @fastify/helmet would send with the same options, none missing or different.
  it('sends every header @fastify/helmet would, with the same values', async () => {
    const expected = await fastifyHelmetHeaders(false);
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(10);
    for (const url of ['/api/health', '/', '/api/no/such/route']) {
      const res = await t.app.inject({ method: 'GET', url });
      for (const [name, value] of Object.entries(expected)) expect([url, name, res.headers[name]]).toEqual([url, name, value]);
    }
  });

  it('sends HSTS when PUBLIC_URL is https', async () => {
    const secure = await createTestApp(kind, { env: { PUBLIC_URL: 'https://meld.example.org' } });
    try {
      const res = await secure.app.inject({ method: 'GET', url: '/api/health' });
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
      expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
      const expected = await fastifyHelmetHeaders(true);
      expect(expected['strict-transport-security']).toBeDefined();
      for (const [name, value] of Object.entries(expected)) expect([name, res.headers[name]]).toEqual([name, value]);
    } finally {
      await secure.close();
    }
  });

  it('unknown API routes are 404 not_found in the error format', async () => {
    for (const method of ['GET', 'POST', 'DELETE'] as const) {
      const res = await t.app.inject({ method, url: '/api/no/such/route?x=1' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
  });

  it('/ serves the app', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<div id="app"');
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('scripts are served compressed when the browser accepts it, with the same security headers', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/' });
    const script = /<script[^>]+src="([^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeTruthy();
    const br = await t.app.inject({ method: 'GET', url: script!, headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('no-store');
    const plain = await t.app.inject({ method: 'GET', url: script!, headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(Number(br.headers['content-length'] ?? br.rawPayload.length)).toBeLessThan(plain.rawPayload.length / 2);
  });

  it('client routes fall back to the app; missing assets do not', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/acme' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('<div id="app"');
    const asset = await t.app.inject({ method: 'GET', url: '/assets/missing-file.js' });
    expect(asset.statusCode).toBe(404);
  });

  it('the public organisation page lists only active advisors', async () => {
    await inviteStaff(t.database.db, { organisationSlug: 'acme', email: 'pending@example.org', name: 'Not Yet Active' });
    const invited = await inviteStaff(t.database.db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna de Vries', affiliation: 'external' });
    await t.database.db.updateTable('accounts').set({ status: 'active', public_key: '-----BEGIN PGP PUBLIC KEY BLOCK-----\ntest\n-----END PGP PUBLIC KEY BLOCK-----' }).where('id', '=', invited.accountId).execute();
    const res = await t.app.inject({ method: 'GET', url: '/api/organisations/acme' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.organisation).toEqual({ slug: 'acme', name: 'Acme BV' });
    expect(body.advisors).toEqual([{ id: invited.accountId, name: 'Anna de Vries', role: 'external', introduction: '', available: true, publicKey: expect.stringContaining('PGP PUBLIC KEY') }]);
    expect(res.body).not.toContain('@example.org');
    expect(body.categories.misstand).toContain('fraude');
    expect(body.categories.ongewenst_gedrag).toContain('pesten');
  });

  it('an unknown organisation is 404 organisation_not_found', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/organisations/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('organisation_not_found');
  });

  it('a parameter of the wrong shape is 400 invalid_input naming the field', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/organisations/${'x'.repeat(60)}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_input', field: 'slug' });
  });

  it('log lines carry method, route pattern, status and duration — never an IP, header or query', async () => {
    t.logs.length = 0;
    await t.app.inject({
      method: 'GET',
      url: '/api/organisations/acme?secret-query=1',
      remoteAddress: '203.0.113.77',
      headers: { 'user-agent': 'CanaryAgent/1.0', 'x-forwarded-for': '198.51.100.23', cookie: 'kb_session=canarycookie' },
    });
    expect(t.logs.length).toBeGreaterThan(0);
    const joined = t.logs.join('\n');
    for (const leak of ['203.0.113.77', '198.51.100.23', '127.0.0.1', 'CanaryAgent', 'canarycookie', 'secret-query', 'remoteAddress', 'hostname']) {
      expect(joined).not.toContain(leak);
    }
    const line = t.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'request');
    expect(line).toMatchObject({ method: 'GET', route: '/api/organisations/:slug', status: 200 });
    expect(typeof line.ms).toBe('number');
  });
});
