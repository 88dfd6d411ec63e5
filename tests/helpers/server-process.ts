// Runs the real server as a separate process (`server/start.ts`), so tests can kill -9 it, and
// talks to it over HTTP from chosen loopback addresses (127.0.0.x) so per-address rate limits
// behave as they would for many different people.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './private-postgres.ts';

export interface ServerProcess {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  output: string[];
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export async function startServerProcess(env: Record<string, string>, port?: number): Promise<ServerProcess> {
  const p = port ?? (await freePort());
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/start.ts'], {
    env: { ...process.env, PORT: String(p), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'kb-srv-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  const baseUrl = `http://127.0.0.1:${p}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output.join('')}`);
    try {
      const res = await call(baseUrl, 'GET', '/api/health');
      if (res.status === 200) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy: ${output.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const exited = () => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
  return {
    baseUrl,
    port: p,
    child,
    output,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited();
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited();
    },
  };
}

export interface CallResult {
  status: number;
  body: any;
  headers: http.IncomingHttpHeaders;
}

/** One HTTP request from a chosen loopback address; JSON in, JSON out. */
export function call(baseUrl: string, method: string, urlPath: string, options: { json?: unknown; cookie?: string; from?: string; timeoutMs?: number } = {}): Promise<CallResult> {
  const url = new URL(urlPath, baseUrl);
  const payload = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        localAddress: options.from,
        agent: false,
        timeout: options.timeoutMs ?? 20_000,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          ...(options.cookie ? { cookie: options.cookie } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export function cookieFrom(res: CallResult): string {
  const raw = res.headers['set-cookie'];
  return ((Array.isArray(raw) ? raw[0] : raw) ?? '').split(';')[0] ?? '';
}
