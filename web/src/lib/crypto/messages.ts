import { CryptoError, toCryptoError } from './errors.ts';
import { readPublicKeys, unwrapPrivateKey, type PrivateKeyHandle } from './keys.ts';
import { loadOpenPGP, writeConfig, type OpenPGP, type OpenPGPPrivateKey, type OpenPGPPublicKey } from './load.ts';

/**
 * Outcome of signature checking: `valid` = signed by one of the given verification keys and the
 * signature checks out; `invalid` = a signature is present but is bad, or is made by a key that
 * is not among the verification keys (the UI shows a red warning); `missing` = not signed.
 */
export type SignatureStatus = 'valid' | 'invalid' | 'missing';

type Message = Awaited<ReturnType<OpenPGP['readMessage']>>;
type VerificationResult = Awaited<ReturnType<OpenPGP['decrypt']>>['signatures'][number];

/** Encrypts `text` to all recipients (each gets its own PKESK) and signs it with `signingKey`; returns an armored message. */
export async function encryptMessage(options: {
  text: string;
  armoredRecipientKeys: string[];
  signingKey: PrivateKeyHandle;
}): Promise<string> {
  const openpgp = await loadOpenPGP();
  const encryptionKeys = await readRecipientKeys(options.armoredRecipientKeys);
  const signingKeys = unwrapPrivateKey(options.signingKey);
  try {
    const message = await openpgp.createMessage({ text: options.text });
    return await openpgp.encrypt({ message, encryptionKeys, signingKeys, format: 'armored', config: writeConfig(openpgp) });
  } catch (err) {
    throw toCryptoError(err, 'malformed');
  }
}

/**
 * Decrypts an armored message and checks its signature against `armoredVerificationKeys`.
 * Throws CryptoError `malformed` (not an encrypted OpenPGP message), `not_for_me` (not encrypted
 * to `decryptionKey`) or `tampered` (integrity check failed). A bad or foreign signature does
 * not throw: it comes back as `signature: 'invalid'`. Line endings come back as `\n`.
 */
export async function decryptMessage(options: {
  armoredMessage: string;
  decryptionKey: PrivateKeyHandle;
  armoredVerificationKeys: string[];
}): Promise<{ text: string; signature: SignatureStatus; signerFingerprint: string | null }> {
  const openpgp = await loadOpenPGP();
  const message = await readEncryptedMessage(openpgp, { armoredMessage: options.armoredMessage });
  const decryptionKey = unwrapPrivateKey(options.decryptionKey);
  assertAddressedTo(message, decryptionKey);
  const verificationKeys = await readPublicKeys(options.armoredVerificationKeys);
  let result;
  try {
    result = await openpgp.decrypt({ message, decryptionKeys: decryptionKey, verificationKeys, format: 'utf8' });
  } catch (err) {
    throw toDecryptionError(err);
  }
  const { signature, signerFingerprint } = await checkSignatures(result.signatures, verificationKeys);
  return { text: result.data as string, signature, signerFingerprint };
}

/** Parses recipient keys; at least one is required. */
export async function readRecipientKeys(armoredKeys: string[]): Promise<OpenPGPPublicKey[]> {
  if (armoredKeys.length === 0) throw new CryptoError('malformed', 'No recipient keys');
  return readPublicKeys(armoredKeys);
}

/** Reads an armored or binary (possibly streamed) message; anything unreadable is `malformed`. */
export async function readEncryptedMessage(
  openpgp: OpenPGP,
  input: { armoredMessage: string } | { binaryMessage: Uint8Array | ReadableStream<Uint8Array> },
): Promise<Message> {
  try {
    return 'armoredMessage' in input
      ? await openpgp.readMessage({ armoredMessage: input.armoredMessage })
      : await openpgp.readMessage({ binaryMessage: input.binaryMessage });
  } catch (err) {
    throw toCryptoError(err, 'malformed');
  }
}

/**
 * Checks, before any decryption, that the message has a public-key session key for `key`
 * (`not_for_me` otherwise) so that error is never confused with a damaged message.
 */
export function assertAddressedTo(message: Message, key: OpenPGPPrivateKey): void {
  const recipients = message.getEncryptionKeyIDs();
  if (recipients.length === 0) throw new CryptoError('malformed', 'Not encrypted to any public key');
  const mine = key.getKeyIDs();
  const addressed = recipients.some((recipient) => mine.some((own) => own.equals(recipient, true)));
  if (!addressed) throw new CryptoError('not_for_me', 'Message is not encrypted to this key');
}

/**
 * Maps an error thrown while decrypting a message that assertAddressedTo accepted: it is
 * addressed to us, so a failing session key means a damaged PKESK, i.e. `tampered` too.
 */
export function toDecryptionError(err: unknown): CryptoError {
  const error = toCryptoError(err, 'tampered');
  return error.code === 'not_for_me' ? new CryptoError('tampered', error.message, { cause: err }) : error;
}

/**
 * Summarises openpgp's verification results. Every result's promise is awaited (none is left
 * to reject unhandled). `valid` only if there is at least one signature and every signature
 * verifies against a key in `verificationKeys`.
 */
export async function checkSignatures(
  signatures: VerificationResult[],
  verificationKeys: OpenPGPPublicKey[],
): Promise<{ signature: SignatureStatus; signerFingerprint: string | null }> {
  if (signatures.length === 0) return { signature: 'missing', signerFingerprint: null };
  const outcomes = await Promise.allSettled(signatures.map((s) => s.verified));
  let signerFingerprint: string | null = null;
  for (const [i, outcome] of outcomes.entries()) {
    const keyID = signatures[i]?.keyID;
    const signer = keyID && verificationKeys.find((key) => key.getKeyIDs().some((id) => id.equals(keyID)));
    if (outcome.status !== 'fulfilled' || outcome.value !== true || !signer) {
      return { signature: 'invalid', signerFingerprint: null };
    }
    signerFingerprint ??= signer.getFingerprint();
  }
  return { signature: 'valid', signerFingerprint };
}
