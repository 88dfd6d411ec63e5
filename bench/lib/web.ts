// A snapshot of the built web app for the bundle and browser measurements, built from the
// current web/ sources into the bench's scratch folder — so the figures belong to one build even
// while web/ changes, and dist/web is left alone.
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function buildWebSnapshot(outDir: string): Promise<void> {
  const { build } = await import('vite');
  await build({
    configFile: path.join(ROOT, 'web', 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
  writeFileSync(path.join(outDir, '.build-stamp'), new Date().toISOString() + '\n');
}
