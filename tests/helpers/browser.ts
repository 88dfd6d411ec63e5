// Drives Debian's Chromium with playwright-core (never a downloaded browser) against the real
// server listening on 127.0.0.1, and records what a careful auditor would look for: console
// errors, CSP violations and requests to any origin but the server's.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { DatabaseKind } from '../../server/db/connect.ts';
import { createTestApp, type TestApp } from './app.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BrowserHarness {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A fresh context (like a fresh browser profile) with a watched page. */
  newPage(options?: { viewport?: { width: number; height: number }; locale?: string }): Promise<WatchedPage>;
  close(): Promise<void>;
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  consoleErrors: string[];
  foreignRequests: string[];
  cspViolations(): Promise<string[]>;
}

export async function startBrowserHarness(kind: DatabaseKind, env: Record<string, string> = {}): Promise<BrowserHarness> {
  const t = await createTestApp(kind, { env });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  // playwright's launch() gives Chromium a fresh, empty --user-data-dir of its own (in the
  // system temp folder, removed on close); it refuses the flag being passed by hand.
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
  return {
    t,
    baseUrl,
    browser,
    async newPage(options = {}) {
      const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, locale: options.locale ?? 'nl-NL', acceptDownloads: true });
      await context.addInitScript(() => {
        (window as unknown as { __csp: string[] }).__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => {
          (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
        });
      });
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      const foreignRequests: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') consoleErrors.push(msg.text());
      });
      page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
      context.on('request', (req) => {
        const url = req.url();
        if (!url.startsWith(baseUrl) && !url.startsWith('data:') && !url.startsWith('blob:') && !url.startsWith('about:')) foreignRequests.push(url);
      });
      return {
        page,
        context,
        consoleErrors,
        foreignRequests,
        cspViolations: async () => {
          const all: string[] = [];
          for (const p of context.pages()) {
            try {
              all.push(...(await p.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])));
            } catch {
              /* page gone */
            }
          }
          return all;
        },
      };
    },
    async close() {
      await browser.close().catch(() => {});
      await t.close();
    },
  };
}
