// argon2id hashing of login keys, with a concurrency cap: at most ARGON_CONCURRENCY hashes run
// at once and at most ARGON_QUEUE wait, so a login flood can neither exhaust memory nor stall
// other requests. Login keys are 256-bit values derived in the browser, so moderate parameters
// suffice here (the expensive stretching of human passwords happens in the browser).
import argon2 from 'argon2';
import { AppError } from './errors.ts';

const ARGON_CONCURRENCY = 2;
const ARGON_QUEUE = 64;
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

let running = 0;
const waiting: Array<() => void> = [];

export class BusyError extends AppError {
  constructor() {
    super(503, 'busy', 'The server is busy; try again in a moment');
  }
}

async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= ARGON_CONCURRENCY) {
    if (waiting.length >= ARGON_QUEUE) throw new BusyError();
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export function hashLoginKey(loginKey: string): Promise<string> {
  return withSlot(() => argon2.hash(loginKey, OPTIONS));
}

// Verified against when no account/case matches, so "unknown" and "wrong" take the same time.
let dummyHash: Promise<string> | undefined;

export async function verifyLoginKey(hash: string | null | undefined, loginKey: string): Promise<boolean> {
  const target = hash ?? (await (dummyHash ??= argon2.hash('klankbord-dummy-login-key', OPTIONS)));
  const ok = await withSlot(() => argon2.verify(target, loginKey).catch(() => false));
  return ok && !!hash;
}

export function argonLoad(): { running: number; waiting: number } {
  return { running, waiting: waiting.length };
}
