// Chromium against the real app for the bundle and browser figures: like tests/helpers/browser.ts
// (Debian's Chromium through playwright-core, the in-process app on a fresh database), but
// serving the bench's own snapshot of the built web app, so the figures belong to one build.
// Chromium reaches the app through a small TCP relay that connects from a chosen loopback
// address (setSource): each measured run is then a different person to the per-address rate
// limits (melder login: 10 a minute per address), as it would be in real use.
import net from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../../tests/helpers/app.ts';
import type { DatabaseKind } from '../../server/db/connect.ts';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BenchBrowser {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  newPage(): Promise<{ page: Page; context: BrowserContext }>;
  /** Loopback address new connections to the app come from. */
  setSource(address: string): void;
  close(): Promise<void>;
}

export async function startBenchBrowser(opts: { kind: DatabaseKind; webDir: string; chromiumPath: string; env?: Record<string, string> }): Promise<BenchBrowser> {
  const t = await createTestApp(opts.kind, { webDir: opts.webDir, env: { LOG_LEVEL: 'warn', ...opts.env } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  const appPort = typeof address === 'object' && address ? address.port : 0;
  let source = '127.0.0.1';
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: appPort, localAddress: source });
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const relayPort = (relay.address() as net.AddressInfo).port;
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: opts.chromiumPath, args: ARGS });
  } catch (err) {
    relay.close();
    await t.close();
    throw err;
  }
  return {
    t,
    baseUrl: `http://127.0.0.1:${relayPort}`,
    browser,
    setSource(a: string) {
      source = a;
    },
    async newPage() {
      // A phone-sized window, Dutch, as most melders will be.
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'nl-NL', acceptDownloads: true });
      return { page: await context.newPage(), context };
    },
    async close() {
      await browser.close().catch(() => {});
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
      await t.close();
    },
  };
}
