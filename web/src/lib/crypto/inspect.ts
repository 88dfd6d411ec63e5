// Imported by the server (Node): checks ciphertexts without decrypting them. In Node the loader
// picks the full openpgp build.
import { CryptoError } from './errors.ts';
import { loadOpenPGP } from './load.ts';

/** What the server can see of an encrypted message without any key. */
export interface EncryptedMessageInfo {
  /** Key IDs (16 lowercase hex) the session key is encrypted to, one per PKESK packet, in order. */
  recipientKeyIds: string[];
  /** Kind of the encrypted data packet; ours is always `seipd-v1`. */
  symmetric: 'seipd-v1' | 'seipd-v2' | 'other';
  /** Whether a literal (plaintext) data packet sits next to the encrypted data. */
  hasLiteralOutsideEncryption: boolean;
}

/**
 * Parses an armored or binary OpenPGP message and reports its recipients and encryption kind,
 * without decrypting. Throws CryptoError('malformed') unless it is exactly: one or more
 * public-key session key packets (PKESK), no password-based ones (SKESK), then one encrypted
 * data packet that is complete. The caller compares `recipientKeyIds` with the expected keys'
 * `encryptionKeyIds` (getKeyInfo) and should accept only `symmetric: 'seipd-v1'`.
 */
export async function inspectEncryptedMessage(options: {
  armoredMessage?: string;
  binaryMessage?: Uint8Array;
}): Promise<EncryptedMessageInfo> {
  const { armoredMessage, binaryMessage } = options;
  if ((armoredMessage === undefined) === (binaryMessage === undefined)) {
    throw new CryptoError('malformed', 'Pass exactly one of armoredMessage and binaryMessage');
  }
  const openpgp = await loadOpenPGP();
  const { enums } = openpgp;
  // Strict parsing: unknown/unsupported packets are errors instead of being skipped.
  const config = { ignoreUnsupportedPackets: false, ignoreMalformedPackets: false, enforceGrammar: true };
  let message;
  try {
    message =
      armoredMessage !== undefined
        ? await openpgp.readMessage({ armoredMessage, config })
        : await openpgp.readMessage({ binaryMessage: binaryMessage as Uint8Array, config });
  } catch (err) {
    throw new CryptoError('malformed', err instanceof Error ? err.message : String(err), { cause: err });
  }

  let pkeskCount = 0;
  let encryptedCount = 0;
  let symmetric: EncryptedMessageInfo['symmetric'] = 'other';
  let hasLiteralOutsideEncryption = false;
  for (const packet of message.packets) {
    const tag = (packet.constructor as { tag?: number }).tag;
    switch (tag) {
      case enums.packet.publicKeyEncryptedSessionKey:
        if (encryptedCount > 0) throw new CryptoError('malformed', 'Session key packet after encrypted data');
        pkeskCount++;
        break;
      case enums.packet.symEncryptedIntegrityProtectedData: {
        encryptedCount++;
        const seipd = packet as unknown as { version: number; encrypted: unknown };
        symmetric = seipd.version === 1 ? 'seipd-v1' : seipd.version === 2 ? 'seipd-v2' : 'other';
        // Lower bounds, not exact sizes: v1 = 18-byte random prefix (AES) + 22-byte MDC packet;
        // v2 = at least one 16-byte chunk tag + the 16-byte final tag.
        const minimum = seipd.version === 1 ? 40 : 32;
        const length = byteLength(seipd.encrypted);
        if (length === null || length < minimum) {
          throw new CryptoError('malformed', 'Encrypted data packet is too short');
        }
        break;
      }
      case enums.packet.aeadEncryptedData:
      case enums.packet.symmetricallyEncryptedData:
        encryptedCount++;
        symmetric = 'other';
        break;
      case enums.packet.literalData:
        hasLiteralOutsideEncryption = true;
        break;
      case enums.packet.marker:
        break;
      case enums.packet.symEncryptedSessionKey:
        throw new CryptoError('malformed', 'Password-encrypted session key (SKESK) is not allowed');
      default:
        throw new CryptoError('malformed', `Unexpected packet (tag ${String(tag)}) outside the encrypted data`);
    }
  }
  if (pkeskCount === 0) throw new CryptoError('malformed', 'No public-key encrypted session key');
  if (encryptedCount !== 1) throw new CryptoError('malformed', 'Expected exactly one encrypted data packet');

  return {
    recipientKeyIds: message.getEncryptionKeyIDs().map((id) => id.toHex()),
    symmetric,
    hasLiteralOutsideEncryption,
  };
}

/**
 * Length of a parsed packet body: openpgp keeps it as a Uint8Array or, even for non-streamed
 * input, as an "ArrayStream" (an Array subclass of Uint8Array chunks). null if neither.
 */
function byteLength(data: unknown): number | null {
  if (data instanceof Uint8Array) return data.length;
  if (Array.isArray(data) && data.every((chunk) => chunk instanceof Uint8Array)) {
    return data.reduce((sum: number, chunk: Uint8Array) => sum + chunk.length, 0);
  }
  return null;
}
