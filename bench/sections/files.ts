// Files: a 50 MB file encrypted with the crypto module (a streamed binary OpenPGP message, as the
// browser makes it), uploaded with PUT …/content and downloaded again through the real API.
// Throughput, and the server's peak RSS growth while each transfer runs (the design says files
// are streamed in 256 KiB chunks, never whole in memory).
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import * as crypto from '../../web/src/lib/crypto/index.ts';
import { log, startRealServer, type BenchContext, type RealServer } from '../lib/context.ts';
import { BENCH_SECRET, makeMelderKey, openCases, setupOrganisation } from '../lib/fixtures.ts';
import { createBenchDatabase } from '../lib/pg.ts';
import { memStatus, resetPeak, sampleRss } from '../lib/proc.ts';
import { call } from '../../tests/helpers/server-process.ts';

const PLAINTEXT_BYTES = 50_000_000;
const MB = 1_000_000;

async function streamToBuffer(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(Buffer.from(value));
  }
  return Buffer.concat(parts);
}

function upload(baseUrl: string, path: string, cookie: string, data: Buffer): Promise<{ status: number; body: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: 'PUT', path, agent: false, headers: { cookie, 'content-type': 'application/octet-stream', 'content-length': String(data.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    // As a browser sends a Blob: in slices, with back-pressure.
    let offset = 0;
    const slice = 64 * 1024;
    const pump = () => {
      while (offset < data.length) {
        const ok = req.write(data.subarray(offset, offset + slice));
        offset += slice;
        if (!ok) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

function download(baseUrl: string, path: string, cookie: string): Promise<{ status: number; bytes: number; sha256: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    http.get({ host: url.hostname, port: url.port, path, agent: false, headers: { cookie } }, (res) => {
      let bytes = 0;
      const hash = createHash('sha256');
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        hash.update(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, sha256: hash.digest('hex') }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

export async function files(ctx: BenchContext): Promise<void> {
  const { rec } = ctx;
  if (!ctx.pgUrl) {
    rec.skip({ id: 'files.upload_mb_s', label: '50 MB upload throughput', unit: 'MB/s', better: 'higher', reason: 'no PostgreSQL answers' });
    return;
  }
  const database = await createBenchDatabase(ctx.pgUrl, 'files');
  let server: RealServer | undefined;
  try {
    const advisor = await setupOrganisation(database.handle.db);
    server = await startRealServer(ctx, { DATABASE_URL: database.url, SESSION_SECRET: BENCH_SECRET }, 'files');
    const key = await makeMelderKey();
    // One case per run: a case holds at most 200 MB of files.
    const cases = await openCases(server.baseUrl, database.handle.db, advisor, key, ctx.runs + 1);
    const recipients = [key.publicKey, advisor.publicKey];
    const t0 = performance.now();
    const ciphertext = await streamToBuffer(await crypto.encryptFile({ data: randomBytes(PLAINTEXT_BYTES), armoredRecipientKeys: recipients, signingKey: key.privateKey }));
    log(`50 MB file encrypted in ${((performance.now() - t0) / 1000).toFixed(1)} s in Node (${ciphertext.length} bytes of ciphertext)`);
    const sha = createHash('sha256').update(ciphertext).digest('hex');
    const manifest = await crypto.encryptMessage({ text: JSON.stringify({ name: 'opname.mp4', type: 'video/mp4', size: PLAINTEXT_BYTES }), armoredRecipientKeys: recipients, signingKey: key.privateKey });
    rec.note(`file: ${PLAINTEXT_BYTES / MB} MB of random bytes, ${ciphertext.length} bytes encrypted; MB = 10^6 bytes; RSS sampled every 5 ms plus VmHWM`);

    const up: number[] = [];
    const down: number[] = [];
    const upGrowth: number[] = [];
    const downGrowth: number[] = [];
    for (let run = 0; run <= ctx.runs; run++) {
      const c = cases[run]!;
      const created = await call(server.baseUrl, 'POST', '/api/melder/attachments', { cookie: c.cookie, json: { encryptedManifest: manifest } });
      if (created.status !== 201) throw new Error(`create attachment: ${created.status} ${JSON.stringify(created.body)}`);
      const id = created.body.id as string;

      await new Promise((r) => setTimeout(r, 300));
      let before = memStatus(server.pid).rssMB;
      resetPeak(server.pid);
      let sampler = sampleRss(server.pid, 5);
      let t = performance.now();
      const u = await upload(server.baseUrl, `/api/melder/attachments/${id}/content`, c.cookie, ciphertext);
      const upSeconds = (performance.now() - t) / 1000;
      let s = sampler.stop();
      if (u.status !== 200) throw new Error(`upload: ${u.status} ${u.body}`);
      const upPeak = Math.max(s.maxRssMB, Number.isFinite(s.hwmMB) ? s.hwmMB : 0) - before;

      await new Promise((r) => setTimeout(r, 300));
      before = memStatus(server.pid).rssMB;
      resetPeak(server.pid);
      sampler = sampleRss(server.pid, 5);
      t = performance.now();
      const d = await download(server.baseUrl, `/api/melder/attachments/${id}/content`, c.cookie);
      const downSeconds = (performance.now() - t) / 1000;
      s = sampler.stop();
      if (d.status !== 200 || d.bytes !== ciphertext.length || d.sha256 !== sha) throw new Error(`download: ${d.status}, ${d.bytes} bytes, same content: ${d.sha256 === sha}`);
      const downPeak = Math.max(s.maxRssMB, Number.isFinite(s.hwmMB) ? s.hwmMB : 0) - before;
      if (run === 0) continue; // warm-up
      up.push(ciphertext.length / MB / upSeconds);
      down.push(ciphertext.length / MB / downSeconds);
      upGrowth.push(upPeak);
      downGrowth.push(downPeak);
    }
    rec.add({ id: 'files.upload_mb_s', label: '50 MB upload throughput', unit: 'MB/s', better: 'higher', runs: up });
    rec.add({ id: 'files.download_mb_s', label: '50 MB download throughput', unit: 'MB/s', better: 'higher', runs: down });
    rec.add({ id: 'files.upload_rss_growth', label: 'server peak RSS growth during upload', unit: 'MB', better: 'lower', runs: upGrowth, target: { op: '<', value: 64 } });
    rec.add({ id: 'files.download_rss_growth', label: 'server peak RSS growth during download', unit: 'MB', better: 'lower', runs: downGrowth, target: { op: '<', value: 64 } });
  } finally {
    await server?.stop().catch(() => {});
    await database.drop().catch((err) => log(`dropping ${database.name} failed: ${err}`));
  }
}
