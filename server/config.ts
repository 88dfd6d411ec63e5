// Environment → typed, validated configuration. A bad value stops start-up with one line that
// names the variable and says what is allowed; nothing here ever prints a secret's value.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  /** true when PUBLIC_URL is https: Secure cookies and HSTS. */
  secure: boolean;
  databaseUrl: string | null;
  dataDir: string;
  smtpUrl: string | null;
  mailFrom: string;
  redisUrl: string | null;
  logLevel: LogLevel;
  /** 32+ bytes; keys the case-code digests, encrypts TOTP secrets. */
  sessionSecret: Buffer;
  bodyLimitBytes: number;
  maxFileBytes: number;
  maxCaseBytes: number;
  trustProxy: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly allowed: string,
  ) {
    super(`${variable}: invalid value; allowed: ${allowed}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const v = str(env, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v)) throw new ConfigError(name, `a whole number from ${min} to ${max}`);
  const n = Number(v);
  if (n < min || n > max) throw new ConfigError(name, `a whole number from ${min} to ${max}`);
  return n;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const v = str(env, name);
  if (v === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw new ConfigError(name, `a URL starting with ${protocols.join(' or ')}`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `a URL starting with ${protocols.join(' or ')}`);
  }
  return v;
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const MB = 1024 * 1024;

/**
 * Reads SESSION_SECRET (hex or base64, at least 32 bytes) or, when absent, the secret persisted
 * in DATA_DIR (created on first start) so a newcomer needs nothing.
 */
function sessionSecret(env: Env, dataDir: string, persist: boolean): Buffer {
  const v = str(env, 'SESSION_SECRET');
  if (v !== undefined) {
    const buf = /^[0-9a-fA-F]+$/.test(v) && v.length % 2 === 0 ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
    if (buf.length < 32) throw new ConfigError('SESSION_SECRET', 'at least 32 random bytes, hex or base64 (e.g. `openssl rand -hex 32`)');
    return buf;
  }
  if (!persist) return randomBytes(32);
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) {
    const buf = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
    if (buf.length >= 32) return buf;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const buf = randomBytes(32);
  writeFileSync(file, buf.toString('hex') + '\n', { mode: 0o600 });
  return buf;
}

export function loadConfig(env: Env = process.env, options: { persistSecret?: boolean } = {}): Config {
  const port = int(env, 'PORT', 3000, 1, 65535);
  const host = str(env, 'HOST') ?? '127.0.0.1';
  if (!/^[0-9A-Za-z.:\-[\]]+$/.test(host)) throw new ConfigError('HOST', 'an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0');
  const publicUrl = (url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']) ?? null;
  const dataDir = path.resolve(str(env, 'DATA_DIR') ?? './data');
  const smtpUrl = url(env, 'SMTP_URL', ['smtp:', 'smtps:']) ?? null;
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']) ?? null;
  const level = (str(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(level as LogLevel)) throw new ConfigError('LOG_LEVEL', LOG_LEVELS.join(', '));
  const mailFrom = str(env, 'MAIL_FROM') ?? `Klankbord <no-reply@${new URL(publicUrl).hostname}>`;
  const trust = (str(env, 'TRUST_PROXY') ?? 'false').toLowerCase();
  if (!['true', 'false'].includes(trust)) throw new ConfigError('TRUST_PROXY', 'true or false');
  return {
    port,
    host,
    publicUrl,
    secure: publicUrl.startsWith('https:'),
    databaseUrl,
    dataDir,
    smtpUrl,
    mailFrom,
    redisUrl,
    logLevel: level as LogLevel,
    sessionSecret: sessionSecret(env, dataDir, options.persistSecret ?? true),
    bodyLimitBytes: int(env, 'BODY_LIMIT_KB', 1024, 16, 65536) * 1024,
    maxFileBytes: int(env, 'MAX_FILE_MB', 50, 1, 2048) * MB,
    maxCaseBytes: int(env, 'MAX_CASE_MB', 200, 1, 20480) * MB,
    trustProxy: trust === 'true',
  };
}
