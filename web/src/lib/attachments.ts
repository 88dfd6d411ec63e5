// Files in a case, both ways, the same for every role: encrypted and signed in the browser as a
// streamed binary OpenPGP message with its name, type and size in a separate encrypted manifest;
// downloaded, decrypted to the end (which is what checks integrity) and refused unless signed by
// the expected sender. The caller supplies the two endpoints of its own API.
import type { UploadOptions } from './api/client.ts';
import { ApiError } from './api/client.ts';
import type { PrivateKeyHandle } from './crypto/index.ts';
import type { CryptoModule } from './melder/crypto.ts';
import type { FileManifest } from './melder/report.ts';

export type UploadPhase = 'waiting' | 'encrypting' | 'uploading' | 'done' | 'failed';

export interface EncryptAndUploadInput {
  crypto: CryptoModule;
  file: File;
  recipients: string[];
  signingKey: PrivateKeyHandle;
  create: (encryptedManifest: string) => Promise<{ id: string; maxBytes: number }>;
  upload: (id: string, content: Blob, options: UploadOptions) => Promise<unknown>;
  signal?: AbortSignal;
  /** `progress` is 0..1 within the phase. */
  onProgress: (phase: 'encrypting' | 'uploading', progress: number) => void;
}

export async function encryptAndUpload(input: EncryptAndUploadInput): Promise<{ id: string; size: number; manifest: FileManifest }> {
  const { crypto, file, recipients, signingKey, onProgress } = input;
  onProgress('encrypting', 0);
  let read = 0;
  const counted = file.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, out) {
        read += chunk.byteLength;
        if (file.size > 0) onProgress('encrypting', Math.min(1, read / file.size));
        out.enqueue(chunk);
      },
    }),
  );
  const encrypted = await crypto.encryptFile({ data: counted, armoredRecipientKeys: recipients, signingKey });
  const content = await new Response(encrypted).blob();
  const manifest: FileManifest = { name: file.name, type: file.type, size: file.size };
  const encryptedManifest = await crypto.encryptMessage({ text: JSON.stringify(manifest), armoredRecipientKeys: recipients, signingKey });
  const created = await input.create(encryptedManifest);
  if (content.size > created.maxBytes) throw new ApiError(413, 'file_too_large', 'The encrypted file is larger than allowed');
  onProgress('uploading', 0);
  await input.upload(created.id, content, {
    signal: input.signal,
    onProgress: (sent, total) => {
      if (total > 0) onProgress('uploading', Math.min(1, sent / total));
    },
  });
  return { id: created.id, size: content.size, manifest };
}

export async function downloadAndDecrypt(input: {
  crypto: CryptoModule;
  stream: ReadableStream<Uint8Array>;
  decryptionKey: PrivateKeyHandle;
  senderPublicKey: string;
  manifest: FileManifest | null;
}): Promise<{ blob: Blob; name: string }> {
  const { crypto } = input;
  const { data, signature } = await crypto.decryptFile({
    data: input.stream,
    decryptionKey: input.decryptionKey,
    armoredVerificationKeys: [input.senderPublicKey],
  });
  // Reading to the end is what checks the file's integrity (see decryptFile).
  const plain = await new Response(data).blob();
  if ((await signature) !== 'valid') throw new crypto.CryptoError('bad_signature', 'The file is not signed by the expected sender');
  const type = input.manifest?.type || 'application/octet-stream';
  return { blob: new Blob([plain], { type }), name: input.manifest?.name || 'bestand' };
}
