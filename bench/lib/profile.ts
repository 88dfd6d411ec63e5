// Reads a V8 .cpuprofile (node --cpu-prof) and sums self time per function and per package, to
// say where a server's CPU goes. `node --import tsx bench/lib/profile.ts <file> [top]` prints it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  byFunction: Array<{ name: string; ms: number; share: number }>;
  byPackage: Array<{ name: string; ms: number; share: number }>;
}

function packageOf(url: string): string {
  if (!url) return '(native / idle / gc)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node core';
  const m = /\/(server|web|bench|tests)\/(.*)$/.exec(url);
  return m ? `${m[1]}/${m[2]!.split('/').slice(0, -1).join('/') || '.'}` : url;
}

export function summariseProfile(file: string, top = 25): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)') continue;
    total += ms;
    const where = n.callFrame.url ? `${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : '';
    const key = `${name} ${where} [${packageOf(n.callFrame.url)}]`;
    fn.set(key, (fn.get(key) ?? 0) + ms);
    pkg.set(packageOf(n.callFrame.url), (pkg.get(packageOf(n.callFrame.url)) ?? 0) + ms);
  }
  const list = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => ({ name, ms: Math.round(ms), share: Math.round((ms / total) * 1000) / 10 }));
  return { totalMs: Math.round(total), byFunction: list(fn), byPackage: list(pkg) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const s = summariseProfile(process.argv[2]!, Number(process.argv[3] ?? 25));
  console.log(`busy ${s.totalMs} ms (idle excluded)\n\nby package:`);
  for (const x of s.byPackage) console.log(`  ${String(x.share).padStart(5)} %  ${x.name}`);
  console.log('\nby function (self time):');
  for (const x of s.byFunction) console.log(`  ${String(x.share).padStart(5)} %  ${x.name}`);
}
