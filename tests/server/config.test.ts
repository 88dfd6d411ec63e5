import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'kb-config-'));

describe('config', () => {
  it('has working defaults so a newcomer sets nothing', () => {
    const dir = tmp();
    const c = loadConfig({ DATA_DIR: dir });
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.databaseUrl).toBeNull();
    expect(c.secure).toBe(false);
    expect(c.sessionSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('persists a generated session secret in DATA_DIR and reuses it', () => {
    const dir = tmp();
    const a = loadConfig({ DATA_DIR: dir });
    const b = loadConfig({ DATA_DIR: dir });
    expect(a.sessionSecret.equals(b.sessionSecret)).toBe(true);
    expect(readFileSync(path.join(dir, 'session-secret'), 'utf8').trim()).toBe(a.sessionSecret.toString('hex'));
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['HOST', 'bad host!'],
    ['PUBLIC_URL', 'ftp://example.org'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['SMTP_URL', 'not a url'],
    ['REDIS_URL', 'http://localhost'],
    ['LOG_LEVEL', 'loud'],
    ['SESSION_SECRET', 'abcd'],
    ['MAX_FILE_MB', '0'],
    ['TRUST_PROXY', 'maybe'],
  ])('rejects %s=%s naming the variable and what is allowed', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: tmp(), [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(name);
    expect((error as ConfigError).message).toMatch(new RegExp(`^${name}: .*allowed: .+`));
    // The rejected value itself is never echoed (it may be a secret).
    if (value.length > 3) expect((error as ConfigError).message).not.toContain(value);
  });

  it('https PUBLIC_URL turns on secure cookies and HSTS', () => {
    expect(loadConfig({ DATA_DIR: tmp(), PUBLIC_URL: 'https://meld.example.org/' }).secure).toBe(true);
  });

  it('a bad value stops `npm start` with one clear line', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/start.ts'], {
      env: { ...process.env, PORT: 'eighty', DATA_DIR: tmp() },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PORT: .*allowed: a whole number from 1 to 65535/);
  });
});
