// Builds the web app when dist/web is missing or older than any file under web/ — so
// `npm start` on a fresh clone needs no separate build step.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB_SRC = path.join(ROOT, 'web');
export const WEB_DIST = path.join(ROOT, 'dist', 'web');
const STAMP = path.join(WEB_DIST, '.build-stamp');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export function webBuildIsStale(): boolean {
  if (!existsSync(STAMP) || !existsSync(path.join(WEB_DIST, 'index.html'))) return true;
  const inputs = Math.max(newestMtime(WEB_SRC), statSync(path.join(ROOT, 'package.json')).mtimeMs);
  return inputs > statSync(STAMP).mtimeMs;
}

/** gzip and brotli copies next to each text asset; @fastify/static serves them (preCompressed). */
function compressAssets(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) compressAssets(full);
    else if (/\.(js|css|html|svg|json|mjs)$/.test(entry.name)) {
      const data = readFileSync(full);
      if (data.length < 1024) continue;
      writeFileSync(`${full}.gz`, gzipSync(data, { level: 9 }));
      writeFileSync(`${full}.br`, brotliCompressSync(data, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }));
    }
  }
}

export async function ensureWebBuilt(log: (line: string) => void = console.log): Promise<void> {
  if (!webBuildIsStale()) return;
  log('building the web app (dist/web is missing or stale)…');
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB_SRC, 'vite.config.ts'), logLevel: 'warn' });
  compressAssets(WEB_DIST);
  writeFileSync(STAMP, new Date().toISOString() + '\n');
  log(`web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // `npm run build`: always rebuild.
  const { rmSync } = await import('node:fs');
  rmSync(STAMP, { force: true });
  await ensureWebBuilt();
}
