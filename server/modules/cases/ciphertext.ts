// Checks, without decrypting, that a ciphertext is a well-formed OpenPGP message encrypted to
// exactly the expected public keys — so a buggy or hostile client cannot store plaintext or
// leave a party unable to read. Uses the crypto module's inspector; the server never decrypts.
import { getKeyInfo, inspectEncryptedMessage } from '../../../web/src/lib/crypto/index.ts';
import { InvalidInputError } from '../../lib/errors.ts';

export class WrongRecipientsError extends InvalidInputError {
  constructor() {
    super('wrong_recipients', 'The message must be encrypted to exactly the melder and the advisor');
  }
}

export class MalformedCiphertextError extends InvalidInputError {
  constructor(what = 'message') {
    super('malformed_ciphertext', `The ${what} is not a well-formed OpenPGP encrypted message`);
  }
}

export class InvalidPublicKeyError extends InvalidInputError {
  constructor() {
    super('invalid_public_key', 'The public key is not a usable OpenPGP key');
  }
}

const keyCache = new Map<string, string[]>();

/** The encryption (sub)key IDs of an armored public key; cached. */
export async function encryptionKeyIds(armoredKey: string): Promise<string[]> {
  const hit = keyCache.get(armoredKey);
  if (hit) return hit;
  let ids: string[];
  try {
    ids = (await getKeyInfo({ armoredKey })).encryptionKeyIds;
  } catch {
    throw new InvalidPublicKeyError();
  }
  if (ids.length === 0) throw new InvalidPublicKeyError();
  if (keyCache.size > 5000) keyCache.clear();
  keyCache.set(armoredKey, ids);
  return ids;
}

/**
 * Every recipient of the message is one of the given keys, and every given key is a recipient.
 */
export async function assertEncryptedTo(
  message: { armoredMessage: string } | { binaryMessage: Uint8Array },
  armoredKeys: string[],
  what = 'message',
): Promise<void> {
  let recipients: string[];
  try {
    const info = await inspectEncryptedMessage(message);
    // Only SEIPD v1 (with MDC): what GnuPG 2.2 reads (I7) and what our crypto module writes.
    if (info.symmetric !== 'seipd-v1' || info.hasLiteralOutsideEncryption) throw new Error('unprotected');
    recipients = info.recipientKeyIds;
  } catch {
    throw new MalformedCiphertextError(what);
  }
  const perKey = await Promise.all(armoredKeys.map((k) => encryptionKeyIds(k)));
  const allowed = new Set(perKey.flat());
  const everyRecipientAllowed = recipients.length > 0 && recipients.every((r) => allowed.has(r));
  const everyKeyCovered = perKey.every((ids) => ids.some((id) => recipients.includes(id)));
  if (!everyRecipientAllowed || !everyKeyCovered || recipients.length !== armoredKeys.length) throw new WrongRecipientsError();
}
