// Bundle: the JavaScript Chromium loads for /<org-slug> before a report is started, and after
// "start a report" (when the crypto chunk and OpenPGP load). Each file's bytes as received, and
// gzip -9 of each (zlib) — the server itself sends them uncompressed. Also how long the public
// page takes to show the organisation.
import { gzipSync } from 'node:zlib';
import type { Page, Response } from 'playwright-core';
import { existsSync } from 'node:fs';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { createActiveAdvisor } from '../../tests/helpers/actors.ts';
import { freshTotpCode } from '../../tests/helpers/actors.ts';
import { nextAddress } from '../lib/addresses.ts';
import { startBenchBrowser, type BenchBrowser } from '../lib/browser.ts';
import { activateWithPassword, ADVISOR_EMAIL, ADVISOR_PASSWORD, caseWithThread, SLUG } from '../lib/ui-fixtures.ts';
import type { BenchContext } from '../lib/context.ts';

interface Loaded {
  url: string;
  bytes: number;
  gzip: number;
}

function collect(page: Page): { files: Map<string, Loaded>; pending: Promise<void>[] } {
  const files = new Map<string, Loaded>();
  const pending: Promise<void>[] = [];
  page.on('response', (res: Response) => {
    const url = res.url();
    if (res.request().resourceType() !== 'script' && !/\.m?js(\?|$)/.test(url)) return;
    pending.push(
      res.body().then(
        (body) => {
          files.set(url, { url, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length });
        },
        () => {},
      ),
    );
  });
  return { files, pending };
}

const sum = (xs: Iterable<Loaded>, k: 'bytes' | 'gzip') => [...xs].reduce((s, x) => s + x[k], 0) / 1024;
const short = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');

/** JS for the advisor: the login page, and everything up to an opened case. */
async function advisorFlow(ctx: BenchContext, h: BenchBrowser): Promise<void> {
  const { rec } = ctx;
  const ids = { login: 'bundle.advisor_login_gzip_kb', flow: 'bundle.advisor_flow_gzip_kb' };
  const skip = (reason: string) => {
    rec.skip({ id: ids.login, label: 'JS for /advisor/login, gzip -9', unit: 'KB', better: 'lower', reason });
    rec.skip({ id: ids.flow, label: 'JS for the advisor flow up to an opened case, gzip -9', unit: 'KB', better: 'lower', reason });
  };
  let reference: string;
  let totpSecret: string;
  let accountId: string;
  try {
    const activated = await activateWithPassword(h, h.t.database.db);
    totpSecret = activated.totpSecret;
    accountId = activated.advisor.accountId;
    const c = await caseWithThread(h, h.t.database.db, activated.advisor, 3);
    reference = (await h.t.database.db.selectFrom('cases').select('reference').where('id', '=', c.caseId).executeTakeFirstOrThrow()).reference;
  } catch (err) {
    return skip(`could not prepare the advisor: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
  }
  const loginGzip: number[] = [];
  const flowGzip: number[] = [];
  try {
    for (let run = 0; run < ctx.runs; run++) {
      h.setSource(nextAddress());
      const { page, context } = await h.newPage();
      try {
        const { files, pending } = collect(page);
        await page.goto(`${h.baseUrl}/advisor/login`);
        if (!(await page.getByTestId('login-form').waitFor({ timeout: 15_000 }).then(() => true, () => false))) return skip('advisor UI not present (no login form at /advisor/login)');
        await page.waitForLoadState('networkidle');
        await Promise.all(pending);
        loginGzip.push(sum(files.values(), 'gzip'));
        const atLogin = new Map(files);
        await page.getByTestId('login-email').fill(ADVISOR_EMAIL);
        await page.getByTestId('login-password').fill(ADVISOR_PASSWORD);
        await page.getByTestId('login-code').fill(await freshTotpCode(h.t.database.db, { accountId, totpSecret }));
        await page.getByTestId('login-submit').click();
        const row = page.locator(`[data-testid="inbox-case"][data-reference="${reference}"]`);
        await row.waitFor({ timeout: 60_000 });
        await row.getByTestId('case-link').click();
        await page.getByTestId('case-item').first().waitFor({ timeout: 60_000 });
        await page.waitForLoadState('networkidle');
        await Promise.all(pending);
        flowGzip.push(sum(files.values(), 'gzip'));
        if (run === 0) {
          rec.note(`advisor login page loads: ${list(atLogin)}`);
          const later = new Map([...files].filter(([u]) => !atLogin.has(u)));
          rec.note(`advisor, after login up to an opened case: ${later.size ? list(later) : 'nothing more'}`);
        }
      } finally {
        await context.close();
      }
    }
  } catch (err) {
    return skip(`UI flow failed: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
  }
  rec.add({ id: ids.login, label: 'JS for /advisor/login, gzip -9', unit: 'KB', better: 'lower', runs: loginGzip });
  rec.add({ id: ids.flow, label: 'JS for the advisor flow up to an opened case, gzip -9', unit: 'KB', better: 'lower', runs: flowGzip });
}

const list = (m: Map<string, Loaded>) => [...m.values()].map((f) => `${short(f.url)} ${(f.bytes / 1024).toFixed(1)} KB (gzip ${(f.gzip / 1024).toFixed(1)})`).join(', ');

export async function bundle(ctx: BenchContext): Promise<void> {
  const { rec } = ctx;
  if (!ctx.webDir || !existsSync(ctx.chromiumPath)) {
    rec.skip({ id: 'bundle.public_gzip_kb', label: 'JS for /<org-slug> before a report, gzip', unit: 'KB', better: 'lower', reason: ctx.webDir ? `no Chromium at ${ctx.chromiumPath}` : 'the web app did not build', target: { op: '<=', value: 60 } });
    return;
  }
  const h = await startBenchBrowser({ kind: 'pglite', webDir: ctx.webDir, chromiumPath: ctx.chromiumPath });
  try {
    await createOrganisation(h.t.database.db, { slug: SLUG, name: 'Acme BV' });
    await createActiveAdvisor(h.t.database.db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna de Vries' });
    const publicRaw: number[] = [];
    const publicGzip: number[] = [];
    const flowRaw: number[] = [];
    const flowGzip: number[] = [];
    const shown: number[] = [];
    const crypto: number[] = [];
    let listed = false;
    for (let run = 0; run < ctx.runs; run++) {
      const { page, context } = await h.newPage();
      try {
        const { files, pending } = collect(page);
        const t0 = performance.now();
        await page.goto(`${h.baseUrl}/${SLUG}`);
        await page.getByTestId('org-name').waitFor({ state: 'visible' });
        shown.push(performance.now() - t0);
        await page.waitForLoadState('networkidle');
        await Promise.all(pending);
        const before = new Map(files);
        publicRaw.push(sum(before.values(), 'bytes'));
        publicGzip.push(sum(before.values(), 'gzip'));
        const start = page.getByTestId('start-report');
        if (await start.count()) {
          const t1 = performance.now();
          await start.click();
          await page.waitForLoadState('networkidle');
          // The crypto chunk loads while the melder reads the first step; wait until it is in.
          for (let i = 0; i < 100 && ![...files.keys()].some((u) => /openpgp/.test(u)); i++) await page.waitForTimeout(50);
          await Promise.all(pending);
          crypto.push(performance.now() - t1);
          flowRaw.push(sum(files.values(), 'bytes'));
          flowGzip.push(sum(files.values(), 'gzip'));
        }
        if (!listed) {
          listed = true;
          rec.note(`public page loads: ${list(before)}`);
          const later = new Map([...files].filter(([u]) => !before.has(u)));
          rec.note(`after "start a report": ${later.size ? list(later) : 'nothing more'}`);
          if ([...before.keys()].some((u) => /openpgp/.test(u))) rec.note('**OpenPGP is loaded on the public page already**');
        }
      } finally {
        await context.close();
      }
    }
    rec.add({ id: 'bundle.public_gzip_kb', label: 'JS for /<org-slug> before a report, gzip -9', unit: 'KB', better: 'lower', runs: publicGzip, target: { op: '<=', value: 60 } });
    rec.add({ id: 'bundle.public_raw_kb', label: 'JS for /<org-slug> before a report, as sent (uncompressed)', unit: 'KB', better: 'lower', runs: publicRaw });
    if (flowGzip.length) {
      rec.add({ id: 'bundle.report_flow_gzip_kb', label: 'JS for the melder flow once a report is started (incl. crypto, OpenPGP), gzip -9', unit: 'KB', better: 'lower', runs: flowGzip });
      rec.add({ id: 'bundle.report_flow_raw_kb', label: 'JS for the melder flow once a report is started, as sent', unit: 'KB', better: 'lower', runs: flowRaw });
      rec.add({ id: 'bundle.crypto_load_ms', label: 'click "start a report" → crypto chunks loaded (loopback)', unit: 'ms', better: 'lower', runs: crypto });
    } else rec.note('no start-report button: the report flow was not measured');
    rec.add({ id: 'bundle.public_shown_ms', label: '/<org-slug> opened → organisation shown (loopback, fresh profile)', unit: 'ms', better: 'lower', runs: shown });
    await advisorFlow(ctx, h);
  } finally {
    await h.close();
  }
}
