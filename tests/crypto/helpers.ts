// Test-only helpers. Tests may use openpgp directly to look at packets; the app may not.
import * as openpgp from 'openpgp';
import { generateKey, lockPrivateKey, type PrivateKeyHandle } from '../../web/src/lib/crypto/index.ts';

export { openpgp };

export interface TestParty {
  armoredPublicKey: string;
  privateKey: PrivateKeyHandle;
  /** The same private key as a raw openpgp object, for packet-level checks. */
  raw: openpgp.PrivateKey;
}

/** Generates a key through the module, and gets the raw openpgp key back via lock + openpgp.decryptKey. */
export async function makeParty(name: string): Promise<TestParty> {
  const { armoredPublicKey, privateKey } = await generateKey({ name });
  const armoredKey = await lockPrivateKey({ privateKey, unlockKey: 'test' });
  const raw = await openpgp.decryptKey({ privateKey: await openpgp.readPrivateKey({ armoredKey }), passphrase: 'test' });
  return { armoredPublicKey, privateKey, raw };
}

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * A stream of `total` pseudo-random bytes in chunks of `chunkSize`, the same bytes whole, and
 * how many bytes have been pulled from the stream so far (to check that consumers stream).
 */
export function chunkedStream(
  total: number,
  chunkSize = 64 * 1024,
  source?: Uint8Array,
): { stream: ReadableStream<Uint8Array>; bytes: Uint8Array; pulled: () => number } {
  let bytes = source;
  if (!bytes) {
    bytes = new Uint8Array(total);
    for (let offset = 0; offset < total; offset += 65536) {
      crypto.getRandomValues(bytes.subarray(offset, Math.min(total, offset + 65536)));
    }
  }
  const all = bytes;
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= total) return controller.close();
        controller.enqueue(all.slice(offset, offset + chunkSize));
        offset += chunkSize;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, bytes: all, pulled: () => Math.min(offset, total) };
}

export function flipByte(data: Uint8Array, index: number): Uint8Array {
  const copy = data.slice();
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

/**
 * Tags of all packets of a (decrypted) message. openpgp parses the packets after streamed
 * literal data lazily into `packets.stream`, so read the literal data first, then drain that.
 */
export async function allPacketTags(message: openpgp.Message<openpgp.MaybeStream<Uint8Array | string>>): Promise<number[]> {
  const data = message.getLiteralData();
  if (data && !(data instanceof Uint8Array)) await readAll(data as ReadableStream<Uint8Array>);
  const packets: unknown[] = [...message.packets];
  const rest = (message.packets as unknown as { stream?: ReadableStream<unknown> | null }).stream;
  if (rest) {
    const reader = rest.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      packets.push(value);
    }
  }
  return packets.map((p) => (p as { constructor: { tag: number } }).constructor.tag);
}
