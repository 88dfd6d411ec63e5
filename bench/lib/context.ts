// What every bench section gets: the recorder, the PostgreSQL admin URL, the built web app,
// Chromium, a scratch folder, and how many runs to make.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Recorder } from './results.ts';
import { freePort } from '../../tests/helpers/private-postgres.ts';
import { startNodeFlags } from '../../server/node-flags.ts';

/**
 * The Node flags `npm start` gives the server (package.json); every server the bench starts —
 * the real one and the bare baseline alike — runs with them, so a ratio compares code, not
 * runtime settings.
 */
export const SERVER_NODE_FLAGS = startNodeFlags();

export interface BenchContext {
  rec: Recorder;
  pgUrl: string | null;
  /** A snapshot of the built web app (bench/results/tmp/web). */
  webDir: string | null;
  chromiumPath: string;
  tmpDir: string;
  runs: number;
  /** Scale of the big seeded database (1 = 100,000 cases, 1,000,000 messages). */
  scale: number;
  /** Write V8 CPU profiles of the servers into tmpDir/prof. */
  profile: boolean;
  quick: boolean;
}

export function log(line: string): void {
  console.log(`[bench] ${line}`);
}

export interface Child {
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  output: string[];
  stop(): Promise<void>;
}

/** Runs a TypeScript entry point as its own process and waits for `healthPath` to answer 200. */
export async function startTsProcess(entry: string, env: Record<string, string>, healthPath: string, nodeArgs: string[] = []): Promise<Child> {
  const port = await freePort();
  const output: string[] = [];
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeArgs, '--import', 'tsx', entry], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited: ${output.join('')}`);
    try {
      const res = await fetch(baseUrl + healthPath);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${entry} did not become healthy: ${output.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    pid: child.pid!,
    baseUrl,
    output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export interface RealServer {
  pid: number;
  baseUrl: string;
  output: string[];
  stop(): Promise<void>;
}

/**
 * The real server as its own process (bench/server-entry.ts: what `npm start` runs, minus the
 * web build) with LOG_LEVEL=warn, a scratch DATA_DIR, and with --cpu-prof when profiling.
 */
export async function startRealServer(ctx: BenchContext, env: Record<string, string>, profileName: string): Promise<RealServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kb-bench-'));
  // One folder per server: each thread (main, module-loader hooks) writes its own profile.
  const profDir = path.join(ctx.tmpDir, 'prof', profileName);
  if (ctx.profile) mkdirSync(profDir, { recursive: true });
  const s = await startTsProcess('bench/server-entry.ts', { LOG_LEVEL: 'warn', DATA_DIR: dataDir, ...env }, '/api/health', ctx.profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []);
  return {
    pid: s.pid,
    baseUrl: s.baseUrl,
    output: s.output,
    stop: async () => {
      await s.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
