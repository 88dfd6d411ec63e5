// The V8/Node flags the server runs with, as written in package.json's `start` script (the
// Dockerfile's CMD repeats them; tests/server/node-flags.test.ts keeps the two equal).
//
// --max-semi-space-size=32 (MiB; Node 20's default is 16): a thread read answers ~80 KB of
// ciphertext, and with dozens of requests in flight their rows and JSON outlive a small young
// generation, get copied and promoted, and the old generation — large in this process — is
// collected far more often. Measured at 50 connections: server CPU per thread read 1.0 → 0.8 ms
// (docs/decisions.md). The young generation grows to this size only under such load.
import { readFileSync } from 'node:fs';

export function startNodeFlags(packageJson = new URL('../package.json', import.meta.url)): string[] {
  const start = (JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts: { start: string } }).scripts.start;
  const words = start.split(/\s+/);
  if (words[0] !== 'node') throw new Error(`package.json start does not run node: ${start}`);
  const flags: string[] = [];
  for (const w of words.slice(1)) {
    if (w === '--import') break;
    flags.push(w);
  }
  return flags;
}
