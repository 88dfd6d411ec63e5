// What the figures were measured on: cores, memory, CPU model, kernel, versions, the commit.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import pg from 'pg';

export interface Machine {
  cores: number;
  memoryGB: number;
  cpuModel: string;
  kernel: string;
  node: string;
  postgres: string | null;
  chromium: string | null;
  commit: string | null;
  /** Uncommitted changes in the working tree when the bench ran. */
  dirty: boolean | null;
  loadAverageAtStart: number[];
}

function run(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  } catch {
    return null;
  }
}

export async function describeMachine(pgUrl: string | null, chromiumPath: string): Promise<Machine> {
  let postgres: string | null = null;
  if (pgUrl) {
    const c = new pg.Client({ connectionString: pgUrl });
    try {
      await c.connect();
      postgres = (await c.query('SHOW server_version')).rows[0].server_version as string;
    } catch {
      postgres = null;
    } finally {
      await c.end().catch(() => {});
    }
  }
  const status = run('git', ['status', '--porcelain']);
  return {
    cores: os.cpus().length,
    memoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres,
    chromium: run(chromiumPath, ['--version']),
    commit: run('git', ['rev-parse', '--short', 'HEAD']),
    dirty: status === null ? null : status.length > 0,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}
