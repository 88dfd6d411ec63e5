import { toCryptoError } from './errors.ts';
import { readPublicKeys, unwrapPrivateKey, type PrivateKeyHandle } from './keys.ts';
import { loadOpenPGP, writeConfig } from './load.ts';
import {
  assertAddressedTo,
  checkSignatures,
  readEncryptedMessage,
  readRecipientKeys,
  toDecryptionError,
  type SignatureStatus,
} from './messages.ts';

function toStream(data: Uint8Array | ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  if (!(data instanceof Uint8Array)) return data;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (data.length > 0) controller.enqueue(data);
      controller.close();
    },
  });
}

/** Re-emits `source`, turning any error it ends with into a CryptoError (`tampered` unless recognised). */
function mapStreamErrors(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (err) {
        controller.error(toDecryptionError(err));
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/**
 * Encrypts and signs a file as a streamed binary OpenPGP message (SEIPD v1, AES-256, no
 * compression). Input is read as the output is consumed; nothing is buffered whole.
 */
export async function encryptFile(options: {
  data: Uint8Array | ReadableStream<Uint8Array>;
  armoredRecipientKeys: string[];
  signingKey: PrivateKeyHandle;
}): Promise<ReadableStream<Uint8Array>> {
  const openpgp = await loadOpenPGP();
  const encryptionKeys = await readRecipientKeys(options.armoredRecipientKeys);
  const signingKeys = unwrapPrivateKey(options.signingKey);
  try {
    const message = await openpgp.createMessage({ binary: toStream(options.data), format: 'binary' });
    const encrypted = await openpgp.encrypt({ message, encryptionKeys, signingKeys, format: 'binary', config: writeConfig(openpgp) });
    return encrypted as unknown as ReadableStream<Uint8Array>;
  } catch (err) {
    throw toCryptoError(err, 'malformed');
  }
}

/**
 * Decrypts a streamed binary OpenPGP message. Plaintext is released as it is decrypted, BEFORE
 * its integrity is known (SEIPD v1 has one MDC at the very end; openpgp's
 * `allowUnauthenticatedStream` is on for this call only). Therefore the caller must consume
 * `data` to the end and treat the file as usable only if the stream finishes without error:
 * on tampering the stream errors at its end with CryptoError('tampered'), and `signature` is
 * meaningful only after the stream has completed. `signature` never rejects (if the caller
 * cancels `data` early it may never settle).
 * Header problems throw right away: `malformed`, `not_for_me`.
 */
export async function decryptFile(options: {
  data: Uint8Array | ReadableStream<Uint8Array>;
  decryptionKey: PrivateKeyHandle;
  armoredVerificationKeys: string[];
}): Promise<{ data: ReadableStream<Uint8Array>; signature: Promise<SignatureStatus> }> {
  const openpgp = await loadOpenPGP();
  const message = await readEncryptedMessage(openpgp, { binaryMessage: toStream(options.data) });
  const decryptionKey = unwrapPrivateKey(options.decryptionKey);
  assertAddressedTo(message, decryptionKey);
  const verificationKeys = await readPublicKeys(options.armoredVerificationKeys);
  let result;
  try {
    result = await openpgp.decrypt({
      message,
      decryptionKeys: decryptionKey,
      verificationKeys,
      format: 'binary',
      config: { allowUnauthenticatedStream: true },
    });
  } catch (err) {
    throw toDecryptionError(err);
  }
  const signature = checkSignatures(result.signatures, verificationKeys).then((r) => r.signature);
  return { data: mapStreamErrors(result.data as unknown as ReadableStream<Uint8Array>), signature };
}

/** Encrypts and signs small binary data (e.g. a file manifest) into a binary OpenPGP message. */
export async function encryptBytes(options: {
  data: Uint8Array;
  armoredRecipientKeys: string[];
  signingKey: PrivateKeyHandle;
}): Promise<Uint8Array> {
  const openpgp = await loadOpenPGP();
  const encryptionKeys = await readRecipientKeys(options.armoredRecipientKeys);
  const signingKeys = unwrapPrivateKey(options.signingKey);
  try {
    const message = await openpgp.createMessage({ binary: options.data, format: 'binary' });
    return await openpgp.encrypt({ message, encryptionKeys, signingKeys, format: 'binary', config: writeConfig(openpgp) });
  } catch (err) {
    throw toCryptoError(err, 'malformed');
  }
}

/**
 * Decrypts a small binary message completely (integrity is checked before anything is
 * returned) and checks its signature; errors as decryptMessage.
 */
export async function decryptBytes(options: {
  data: Uint8Array;
  decryptionKey: PrivateKeyHandle;
  armoredVerificationKeys: string[];
}): Promise<{ data: Uint8Array; signature: SignatureStatus; signerFingerprint: string | null }> {
  const openpgp = await loadOpenPGP();
  const message = await readEncryptedMessage(openpgp, { binaryMessage: options.data });
  const decryptionKey = unwrapPrivateKey(options.decryptionKey);
  assertAddressedTo(message, decryptionKey);
  const verificationKeys = await readPublicKeys(options.armoredVerificationKeys);
  let result;
  try {
    result = await openpgp.decrypt({ message, decryptionKeys: decryptionKey, verificationKeys, format: 'binary' });
  } catch (err) {
    throw toDecryptionError(err);
  }
  const { signature, signerFingerprint } = await checkSignatures(result.signatures, verificationKeys);
  return { data: result.data as Uint8Array, signature, signerFingerprint };
}
