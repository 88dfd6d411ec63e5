import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli.ts';

// The CLI against its embedded database in a fresh DATA_DIR, exactly as an operator runs it.
describe('cli', () => {
  let saved: NodeJS.ProcessEnv;
  let lines: string[];
  const out = (l: string) => lines.push(l);
  beforeEach(() => {
    saved = { ...process.env };
    process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'kb-cli-'));
    process.env.PUBLIC_URL = 'https://meld.example.org';
    delete process.env.DATABASE_URL;
    lines = [];
  });
  afterEach(() => {
    process.env = saved;
  });

  it('creates an organisation, invites an advisor with a one-time link, verifies the audit log', async () => {
    expect(await runCli(['migrate'], out)).toBe(0);
    expect(await runCli(['org:create', '--slug', 'acme', '--name', 'Acme BV'], out)).toBe(0);
    expect(lines.join('\n')).toContain('https://meld.example.org/acme');
    expect(await runCli(['advisor:invite', '--org', 'acme', '--email', 'anna@example.org', '--name', 'Anna de Vries'], out)).toBe(0);
    expect(lines.join('\n')).toMatch(/https:\/\/meld\.example\.org\/advisor\/activate#[A-Za-z0-9_-]{43}/);
    expect(await runCli(['audit:verify'], out)).toBe(0);
    expect(lines.at(-1)).toMatch(/audit log intact/);
  }, 60_000);

  it.each([
    [[], /usage: npm run cli/],
    [['bogus'], /unknown command "bogus"/],
    [['org:create', '--slug', 'acme'], /missing --name/],
    [['org:create', '--slug', 'acme', '--name', 'x', '--nope'], /Unknown option '--nope'/],
    [['advisor:invite', '--org', 'acme', '--email', 'not-an-email', '--name', 'X'], /.+/],
  ])('bad arguments %j print usage or a reason and exit non-zero', async (args, pattern) => {
    const code = await runCli(args as string[], out);
    expect(code).not.toBe(0);
    expect(lines.join('\n')).toMatch(pattern);
  }, 60_000);
});
