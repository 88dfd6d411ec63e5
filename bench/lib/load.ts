// A closed-loop HTTP load generator on node:http keep-alive agents (no dependency): N
// connections, each sending its next request as soon as the previous answer is read, for a fixed
// time after a warm-up. Latency is measured per request from send to the last byte.
import http from 'node:http';
import { percentileSorted } from './stats.ts';

export interface LoadRequest {
  method: string;
  path: string;
  body?: Buffer;
  headers?: Record<string, string>;
}

export interface LoadOptions {
  baseUrl: string;
  connections: number;
  durationMs: number;
  warmupMs: number;
  /** The request connection `i` sends. */
  request: (i: number) => LoadRequest;
  /** Source address of connection `i` (per-address rate limits). */
  localAddress?: (i: number) => string;
  expectStatus: number;
  /** Called when the measured window starts and when it ends (e.g. to read CPU time). */
  onWindow?: (edge: 'start' | 'end') => void;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  /** Status code → count, for everything measured (2xx and not). */
  statuses: Record<string, number>;
  errors: number;
  unexpected: number;
  bytesIn: number;
}

export function send(agent: http.Agent, url: URL, req: LoadRequest): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers: {
          ...(req.body ? { 'content-type': 'application/json', 'content-length': String(req.body.length) } : {}),
          ...req.headers,
        },
      },
      (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    if (req.body) r.end(req.body);
    else r.end();
  });
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const url = new URL(opts.baseUrl);
  const agents = Array.from({ length: opts.connections }, (_, i) => {
    const localAddress = opts.localAddress?.(i);
    return new http.Agent({ keepAlive: true, maxSockets: 1, ...(localAddress ? { localAddress } : {}) });
  });
  const start = performance.now();
  const measureFrom = start + opts.warmupMs;
  const end = measureFrom + opts.durationMs;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let unexpected = 0;
  let bytesIn = 0;
  let stopped = false;
  const edges = opts.onWindow
    ? [setTimeout(() => opts.onWindow!('start'), opts.warmupMs), setTimeout(() => opts.onWindow!('end'), opts.warmupMs + opts.durationMs)]
    : [];

  const worker = async (i: number) => {
    const agent = agents[i]!;
    while (!stopped) {
      const t0 = performance.now();
      if (t0 >= end) break;
      const counted = t0 >= measureFrom;
      try {
        const res = await send(agent, url, opts.request(i));
        const dt = performance.now() - t0;
        if (counted) {
          latencies.push(dt);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          bytesIn += res.bytes;
          if (res.status !== opts.expectStatus) unexpected++;
        }
      } catch {
        if (counted) errors++;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  };
  await Promise.all(agents.map((_, i) => worker(i)));
  stopped = true;
  for (const t of edges) clearTimeout(t);
  const elapsed = Math.max(1, Math.min(performance.now(), end) - measureFrom);
  for (const a of agents) a.destroy();
  latencies.sort((a, b) => a - b);
  const sum = latencies.reduce((s, x) => s + x, 0);
  return {
    requests: latencies.length,
    rps: (latencies.length / elapsed) * 1000,
    p50: percentileSorted(latencies, 50),
    p90: percentileSorted(latencies, 90),
    p99: percentileSorted(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    mean: latencies.length ? sum / latencies.length : NaN,
    statuses,
    errors,
    unexpected,
    bytesIn,
  };
}

/**
 * Open-loop probe: one request every `intervalMs` on its own schedule (a slow answer does not
 * delay the next one, so slowness is not hidden), for `durationMs`. Returns latencies in ms.
 */
export async function probe(baseUrl: string, path: string, intervalMs: number, durationMs: number): Promise<{ latencies: number[]; failures: number }> {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const latencies: number[] = [];
  let failures = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let k = 0; ; k++) {
    const due = start + k * intervalMs;
    if (due > start + durationMs) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      (async () => {
        const t0 = performance.now();
        try {
          const res = await send(agent, url, { method: 'GET', path });
          if (res.status === 200) latencies.push(performance.now() - t0);
          else failures++;
        } catch {
          failures++;
        }
      })(),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return { latencies, failures };
}
