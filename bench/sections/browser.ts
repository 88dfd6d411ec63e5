// Browser paths in Chromium through the real UI, as a melder on a phone-sized window:
// - "send report" click → receipt shown (a 2 KB report; and with a 10 MB file, plus until that
//   file is encrypted and uploaded, which the UI does after the receipt);
// - "open my report" click → a thread of 20 messages decrypted and shown (and of 50);
// - advisor: login click → inbox shown; a case of 50 messages opened → all decrypted.
// Each run is a fresh browser profile from its own loopback address. Times are taken in the
// bench from the click until the element is there (Playwright's wait adds a few ms at most).
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Page } from 'playwright-core';
import type { Database } from '../../server/db/database.ts';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { createActiveAdvisor, freshTotpCode, type TestAdvisor, type TestMelder } from '../../tests/helpers/actors.ts';
import { activateWithPassword, ADVISOR_EMAIL, ADVISOR_PASSWORD, caseWithThread, REPORT_TEXT, SLUG } from '../lib/ui-fixtures.ts';
import { nextAddress } from '../lib/addresses.ts';
import { startBenchBrowser, type BenchBrowser } from '../lib/browser.ts';
import type { BenchContext } from '../lib/context.ts';
import type { Target } from '../lib/results.ts';

/** Through the wizard up to the review step; returns when "send" can be clicked. */
async function fillReport(page: Page, advisorId: string, file: Buffer | null): Promise<void> {
  await page.getByTestId('start-report').click();
  await page.getByTestId('kind-ongewenst_gedrag').click();
  await page.getByTestId('category-pesten').click();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId(`advisor-${advisorId}`).click();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('report-what').fill(REPORT_TEXT);
  await page.getByTestId('wizard-next').click(); // → wishes
  await page.getByTestId('wizard-next').click(); // → identity
  await page.getByTestId('wizard-next').click(); // → files
  if (file) {
    await page.getByTestId('file-input').setInputFiles({ name: 'opname.m4a', mimeType: 'audio/mp4', buffer: file });
    await page.getByTestId('chosen-files').waitFor();
  }
  await page.getByTestId('wizard-next').click(); // → review
  await page.getByTestId('send-report').waitFor();
}

async function timeThread(page: Page, melder: TestMelder, length: number): Promise<number> {
  await page.getByTestId('return-to-report').click();
  await page.getByTestId('return-code').fill(melder.caseCode);
  await page.getByTestId('return-passphrase').fill(melder.passphrase);
  const t0 = performance.now();
  await page.getByTestId('return-submit').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="thread-item"]').length >= n, length, { polling: 'raf', timeout: 60_000 });
  const ms = performance.now() - t0;
  const valid = await page.locator('[data-testid="thread-item"][data-signature="valid"]').count();
  if (valid !== length) throw new Error(`${valid} of ${length} messages decrypted and verified`);
  return ms;
}

const ADVISOR_FIGURES: [{ id: string; label: string; target?: Target }, { id: string; label: string; target?: Target }] = [
  { id: 'browser.advisor_login_inbox_ms', label: 'advisor login click → inbox shown (includes Argon2id 64 MiB × 3 in the browser)' },
  { id: 'browser.advisor_case50_ms', label: 'advisor opens a case of 50 messages (from the inbox) → all decrypted', target: { op: '<', value: 1500 } },
];

/** Advisor login → inbox, and opening a case of 50 messages, through the advisor pages. */
async function advisorPaths(ctx: BenchContext, h: BenchBrowser, db: Kysely<Database>): Promise<void> {
  const { rec } = ctx;
  const [login, open50] = ADVISOR_FIGURES;
  const skip = (reason: string) => {
    rec.skip({ ...login, unit: 'ms', better: 'lower', reason });
    rec.skip({ ...open50, unit: 'ms', better: 'lower', reason });
  };
  {
    const { page, context } = await h.newPage();
    await page.goto(`${h.baseUrl}/advisor/login`);
    const present = await page.getByTestId('login-form').waitFor({ timeout: 15_000 }).then(() => true, () => false);
    await context.close();
    if (!present) return skip('advisor UI not present (no login form at /advisor/login)');
  }
  let advisor: TestAdvisor;
  let totpSecret: string;
  let reference: string;
  try {
    ({ advisor, totpSecret } = await activateWithPassword(h, db));
    // The inbox: the 50-message case and a few small ones.
    const big = await caseWithThread(h, db, advisor, 50);
    for (let i = 0; i < 4; i++) await caseWithThread(h, db, advisor, 2);
    reference = (await db.selectFrom('cases').select('reference').where('id', '=', big.caseId).executeTakeFirstOrThrow()).reference;
  } catch (err) {
    return skip(`could not prepare the advisor: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
  }
  const logins: number[] = [];
  const opens: number[] = [];
  try {
    for (let run = 0; run <= ctx.runs; run++) {
      h.setSource(nextAddress());
      const { page, context } = await h.newPage();
      try {
        await page.goto(`${h.baseUrl}/advisor/login`);
        await page.getByTestId('login-email').fill(ADVISOR_EMAIL);
        await page.getByTestId('login-password').fill(ADVISOR_PASSWORD);
        await page.getByTestId('login-code').fill(await freshTotpCode(db, { accountId: advisor.accountId, totpSecret }));
        let t0 = performance.now();
        await page.getByTestId('login-submit').click();
        const row = page.locator(`[data-testid="inbox-case"][data-reference="${reference}"]`);
        await row.waitFor({ timeout: 60_000 });
        const loginMs = performance.now() - t0;
        t0 = performance.now();
        await row.getByTestId('case-link').click();
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="case-item"]').length >= 50, undefined, { polling: 'raf', timeout: 60_000 });
        const openMs = performance.now() - t0;
        const valid = await page.locator('[data-testid="case-item"][data-signature="valid"]').count();
        if (valid !== 50) throw new Error(`${valid} of 50 messages decrypted and verified`);
        if (run > 0) {
          logins.push(loginMs);
          opens.push(openMs);
        }
      } catch (err) {
        await page.screenshot({ path: path.join(ctx.tmpDir, 'browser-advisor.png') }).catch(() => {});
        throw err;
      } finally {
        await context.close();
      }
    }
  } catch (err) {
    return skip(`UI flow failed: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
  }
  rec.add({ ...login, unit: 'ms', better: 'lower', runs: logins });
  rec.add({ ...open50, unit: 'ms', better: 'lower', runs: opens });
}

export async function browserPaths(ctx: BenchContext): Promise<void> {
  const { rec } = ctx;
  const figures: Array<{ id: string; label: string; target?: Target }> = [
    { id: 'browser.send_report_ms', label: 'send report (2 KB) click → receipt shown', target: { op: '<', value: 1000 } },
    { id: 'browser.send_report_file_ms', label: 'send report with a 10 MB file click → receipt shown' },
    { id: 'browser.file_uploaded_ms', label: 'send report with a 10 MB file click → file encrypted and uploaded' },
    { id: 'browser.login_thread20_ms', label: 'melder login click → thread of 20 messages decrypted', target: { op: '<', value: 800 } },
    { id: 'browser.login_thread50_ms', label: 'melder login click → thread of 50 messages decrypted' },
  ];
  if (!ctx.webDir || !existsSync(ctx.chromiumPath)) {
    const reason = ctx.webDir ? `no Chromium at ${ctx.chromiumPath}` : 'the web app did not build';
    for (const f of [...figures, ...ADVISOR_FIGURES]) rec.skip({ ...f, unit: 'ms', better: 'lower', reason });
    return;
  }

  const h = await startBenchBrowser({ kind: ctx.pgUrl ? 'postgres' : 'pglite', webDir: ctx.webDir, chromiumPath: ctx.chromiumPath });
  try {
    const db = h.t.database.db;
    await createOrganisation(db, { slug: SLUG, name: 'Acme BV' });
    const advisor = await createActiveAdvisor(db, { organisationSlug: SLUG, email: 'anna@example.org', name: 'Anna de Vries' });
    rec.note(`in-process server on ${ctx.pgUrl ? 'PostgreSQL' : 'PGlite'} (LOG_LEVEL=warn) over loopback; Chromium ${h.browser.version()}, 390×844 window, a fresh profile per run; 1 warm-up run per path`);

    // Is the melder UI there?
    {
      const { page, context } = await h.newPage();
      await page.goto(`${h.baseUrl}/${SLUG}`);
      const present = await page.getByTestId('start-report').waitFor({ timeout: 15_000 }).then(() => true, () => false);
      await context.close();
      if (!present) {
        for (const f of figures) rec.skip({ ...f, unit: 'ms', better: 'lower', reason: 'melder UI not present (no start-report on /<org-slug>)' });
        return await advisorPaths(ctx, h, db);
      }
    }

    const measure = async (f: (typeof figures)[number], once: (run: number) => Promise<number | Record<string, number>>, extraIds: string[] = []) => {
      const values: Record<string, number[]> = {};
      try {
        for (let run = 0; run <= ctx.runs; run++) {
          h.setSource(nextAddress());
          const r = await once(run);
          if (run === 0) continue;
          const entries = typeof r === 'number' ? { [f.id]: r } : r;
          for (const [k, v] of Object.entries(entries)) (values[k] ??= []).push(v);
        }
        for (const [id, runs] of Object.entries(values)) {
          const fig = figures.find((x) => x.id === id)!;
          rec.add({ id, label: fig.label, unit: 'ms', better: 'lower', runs, ...(fig.target ? { target: fig.target } : {}) });
        }
      } catch (err) {
        const reason = `UI flow failed: ${err instanceof Error ? err.message.split('\n')[0] : err}`;
        for (const id of [f.id, ...extraIds]) {
          const fig = figures.find((x) => x.id === id)!;
          rec.skip({ ...fig, unit: 'ms', better: 'lower', reason });
        }
      }
    };

    const withPage = async <T>(name: string, fn: (page: Page) => Promise<T>): Promise<T> => {
      const { page, context } = await h.newPage();
      try {
        await page.goto(`${h.baseUrl}/${SLUG}`);
        return await fn(page);
      } catch (err) {
        await page.screenshot({ path: path.join(ctx.tmpDir, `browser-${name}.png`) }).catch(() => {});
        throw err;
      } finally {
        await context.close();
      }
    };

    await measure(figures[0]!, () => withPage('send', async (page) => {
      await fillReport(page, advisor.accountId, null);
      const t0 = performance.now();
      await page.getByTestId('send-report').click();
      await page.getByTestId('receipt').waitFor({ timeout: 30_000 });
      return performance.now() - t0;
    }));

    const file = randomBytes(10 * 1024 * 1024);
    await measure(figures[1]!, () => withPage('send-file', async (page) => {
      await fillReport(page, advisor.accountId, file);
      const t0 = performance.now();
      await page.getByTestId('send-report').click();
      await page.getByTestId('receipt').waitFor({ timeout: 30_000 });
      const receipt = performance.now() - t0;
      await page.locator('[data-testid="upload"][data-phase="done"]').waitFor({ timeout: 120_000 });
      return { 'browser.send_report_file_ms': receipt, 'browser.file_uploaded_ms': performance.now() - t0 };
    }), ['browser.file_uploaded_ms']);

    for (const [length, f] of [[20, figures[3]!], [50, figures[4]!]] as const) {
      const melders: TestMelder[] = [];
      try {
        for (let i = 0; i <= ctx.runs; i++) melders.push(await caseWithThread(h, db, advisor, length));
      } catch (err) {
        rec.skip({ ...f, unit: 'ms', better: 'lower', reason: `could not prepare the cases: ${err instanceof Error ? err.message : err}` });
        continue;
      }
      await measure(f, (run) => withPage(`thread${length}`, (page) => timeThread(page, melders[run]!, length)));
    }

    await advisorPaths(ctx, h, db);
  } finally {
    await h.close();
  }
}
