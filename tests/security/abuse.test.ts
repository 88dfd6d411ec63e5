// Abuse: a login flood is bounded. Argon2 runs at most two at a time with a bounded queue; past
// it the server answers 503 `busy` at once instead of queueing without limit, and everything
// else — health, the public page — keeps answering during the flood.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { argonLoad } from '../../server/lib/argon.ts';
import { createActiveAdvisor, melderReports, type TestMelder } from '../helpers/actors.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

describe('login flood (PGlite)', () => {
  let t: TestApp;
  let melder: TestMelder;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    await createOrganisation(t.database.db, { slug: 'acme', name: 'Acme BV' });
    const anna = await createActiveAdvisor(t.database.db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna' });
    melder = await melderReports(t.app, { organisationSlug: 'acme', advisor: anna });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('150 simultaneous logins from 150 addresses: argon2 stays capped, the excess gets 503 busy, health keeps answering', async () => {
    let maxRunning = 0;
    let maxWaiting = 0;
    const sampler = setInterval(() => {
      const l = argonLoad();
      maxRunning = Math.max(maxRunning, l.running);
      maxWaiting = Math.max(maxWaiting, l.waiting);
    }, 1);
    const flood = Array.from({ length: 150 }, (_, i) =>
      t.app.inject({ method: 'POST', url: '/api/melder/session', remoteAddress: `10.77.${Math.floor(i / 200)}.${i % 200}`, payload: { organisationSlug: 'acme', caseCode: melder.caseCode, loginKey: `${'Q'.repeat(40)}${String(i).padStart(3, '0')}` } }),
    );
    const health = Array.from({ length: 10 }, () => t.app.inject({ method: 'GET', url: '/api/health' }));
    const page = t.app.inject({ method: 'GET', url: '/api/organisations/acme' });
    const [floodResults, healthResults, pageResult] = await Promise.all([Promise.all(flood), Promise.all(health), page]);
    clearInterval(sampler);
    const statuses = floodResults.map((r) => r.statusCode);
    expect(statuses.every((s) => s === 401 || s === 503)).toBe(true);
    const busy = floodResults.filter((r) => r.statusCode === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]!.json().error.code).toBe('busy');
    expect(maxRunning).toBeLessThanOrEqual(2);
    expect(maxWaiting).toBeLessThanOrEqual(64);
    expect(healthResults.every((r) => r.statusCode === 200)).toBe(true);
    expect(pageResult.statusCode).toBe(200);
    // After the flood the real melder logs in as usual.
    const real = await t.app.inject({ method: 'POST', url: '/api/melder/session', remoteAddress: '10.78.0.1', payload: { organisationSlug: 'acme', caseCode: melder.caseCode, loginKey: melder.loginKey } });
    expect(real.statusCode).toBe(200);
  }, 120_000);
});
