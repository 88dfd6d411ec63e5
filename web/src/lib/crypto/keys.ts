import { CryptoError, toCryptoError } from './errors.ts';
import { loadOpenPGP, writeConfig, type OpenPGPKey, type OpenPGPPrivateKey, type OpenPGPPublicKey } from './load.ts';

declare const privateKeyHandleBrand: unique symbol;

/**
 * An unlocked private key. Opaque: callers can only pass it back into this module, never read
 * it, serialise it or see openpgp types. Dropping every reference lets it be garbage-collected.
 */
export type PrivateKeyHandle = { readonly [privateKeyHandleBrand]: true };

/** Public facts about a key, read from its armored form. */
export interface KeyInfo {
  /** Primary key fingerprint, lowercase hex. */
  fingerprint: string;
  /** Key IDs (16 lowercase hex chars) of the primary key and all subkeys. */
  keyIds: string[];
  /** Key IDs of the (sub)keys currently valid for encryption: what a PKESK packet addresses. */
  encryptionKeyIds: string[];
  /** Name in the primary user ID, or null. */
  name: string | null;
  /** Primary key algorithm, e.g. `eddsaLegacy/ed25519Legacy`. */
  algorithm: string;
}

const handles = new WeakMap<PrivateKeyHandle, OpenPGPPrivateKey>();

/** Wraps a decrypted openpgp private key in an opaque handle. */
export function wrapPrivateKey(key: OpenPGPPrivateKey): PrivateKeyHandle {
  const handle = Object.freeze({ [Symbol.toStringTag]: 'PrivateKeyHandle' }) as unknown as PrivateKeyHandle;
  handles.set(handle, key);
  return handle;
}

/** Returns the openpgp private key behind a handle. */
export function unwrapPrivateKey(handle: PrivateKeyHandle): OpenPGPPrivateKey {
  const key = handles.get(handle);
  if (!key) throw new CryptoError('malformed', 'Not a PrivateKeyHandle from this module');
  return key;
}

// Parsed public keys by armored text, so encrypting or verifying many times is cheap.
const publicKeyCache = new Map<string, Promise<OpenPGPPublicKey>>();
const PUBLIC_KEY_CACHE_SIZE = 256;

/** Parses armored public keys (cached); a private key is reduced to its public part. */
export async function readPublicKeys(armoredKeys: readonly string[]): Promise<OpenPGPPublicKey[]> {
  return Promise.all(armoredKeys.map(readPublicKey));
}

function readPublicKey(armoredKey: string): Promise<OpenPGPPublicKey> {
  let parsed = publicKeyCache.get(armoredKey);
  if (!parsed) {
    parsed = (async () => {
      const openpgp = await loadOpenPGP();
      try {
        const key = await openpgp.readKey({ armoredKey });
        return key.isPrivate() ? key.toPublic() : key;
      } catch (err) {
        throw toCryptoError(err, 'malformed');
      }
    })();
    parsed.catch(() => publicKeyCache.delete(armoredKey));
    if (publicKeyCache.size >= PUBLIC_KEY_CACHE_SIZE) {
      const oldest = publicKeyCache.keys().next().value;
      if (oldest !== undefined) publicKeyCache.delete(oldest);
    }
    publicKeyCache.set(armoredKey, parsed);
  }
  return parsed;
}

/**
 * Generates a v4 curve25519 key pair (EdDSA/Ed25519 primary for signing, ECDH/X25519 subkey for
 * encryption; the "legacy" algorithm IDs, which GnuPG 2.2 reads — openpgp v6's
 * `type: 'curve25519'` would produce RFC 9580 Ed25519/X25519 keys that GnuPG 2.2 cannot use).
 * The user ID carries only `name`, no email.
 */
export async function generateKey(options: { name: string }): Promise<{ armoredPublicKey: string; privateKey: PrivateKeyHandle }> {
  const openpgp = await loadOpenPGP();
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name: options.name }],
    format: 'object',
    config: writeConfig(openpgp),
  });
  return { armoredPublicKey: publicKey.armor(), privateKey: wrapPrivateKey(privateKey) };
}

/**
 * Returns the private key armored and locked with `unlockKey` as passphrase (iterated+salted
 * S2K, AES-256 CFB, as GnuPG 2.2 imports it). This is what the server stores.
 */
export async function lockPrivateKey(options: { privateKey: PrivateKeyHandle; unlockKey: string }): Promise<string> {
  const openpgp = await loadOpenPGP();
  if (options.unlockKey === '') throw new CryptoError('malformed', 'Empty unlock key');
  try {
    const locked = await openpgp.encryptKey({
      privateKey: unwrapPrivateKey(options.privateKey),
      passphrase: options.unlockKey,
      config: writeConfig(openpgp),
    });
    return locked.armor();
  } catch (err) {
    throw toCryptoError(err, 'malformed');
  }
}

/** Opens a locked armored private key; a wrong `unlockKey` throws CryptoError('wrong_key'). */
export async function unlockPrivateKey(options: { armoredLockedKey: string; unlockKey: string }): Promise<PrivateKeyHandle> {
  const openpgp = await loadOpenPGP();
  let locked: OpenPGPPrivateKey;
  try {
    locked = await openpgp.readPrivateKey({ armoredKey: options.armoredLockedKey });
  } catch (err) {
    throw toCryptoError(err, 'malformed');
  }
  if (locked.isDecrypted()) throw new CryptoError('malformed', 'Private key is not locked');
  try {
    return wrapPrivateKey(await openpgp.decryptKey({ privateKey: locked, passphrase: options.unlockKey }));
  } catch (err) {
    throw toCryptoError(err, 'wrong_key');
  }
}

/**
 * Exports the private key armored and locked with `passphrase`, for import into GnuPG
 * (`gpg --import`). Same format as lockPrivateKey.
 */
export async function exportPrivateKey(options: { privateKey: PrivateKeyHandle; passphrase: string }): Promise<string> {
  return lockPrivateKey({ privateKey: options.privateKey, unlockKey: options.passphrase });
}

/** Returns the armored public key of an unlocked private key. */
export async function getPublicKeyArmored(options: { privateKey: PrivateKeyHandle }): Promise<string> {
  return unwrapPrivateKey(options.privateKey).toPublic().armor();
}

/** Returns the primary key fingerprint (lowercase hex) of an unlocked private key. */
export async function getFingerprint(options: { privateKey: PrivateKeyHandle }): Promise<string> {
  return unwrapPrivateKey(options.privateKey).getFingerprint();
}

/** Reads fingerprint, key IDs, encryption key IDs, name and algorithm from an armored public or private key. */
export async function getKeyInfo(options: { armoredKey: string }): Promise<KeyInfo> {
  const openpgp = await loadOpenPGP();
  let key: OpenPGPKey;
  try {
    key = await openpgp.readKey({ armoredKey: options.armoredKey });
  } catch (err) {
    throw toCryptoError(err, 'malformed');
  }
  const keyIds = key.getKeyIDs();
  const encryptionKeyIds: string[] = [];
  for (const keyId of keyIds) {
    try {
      const encryptionKey = await key.getEncryptionKey(keyId);
      const hex = encryptionKey.getKeyID().toHex();
      if (!encryptionKeyIds.includes(hex)) encryptionKeyIds.push(hex);
    } catch {
      // not (or no longer) valid for encryption
    }
  }
  // openpgp fills `name` only for "Name <email>" user IDs; ours are the bare name, so fall back
  // to the whole user ID string.
  let userID: { name: string; userID: string } | null | undefined;
  try {
    userID = (await key.getPrimaryUser()).user.userID;
  } catch {
    userID = key.users[0]?.userID;
  }
  const name = userID ? userID.name || userID.userID || null : null;
  const info = key.getAlgorithmInfo();
  const detail = 'curve' in info && info.curve ? info.curve : 'bits' in info && info.bits ? String(info.bits) : '';
  return {
    fingerprint: key.getFingerprint(),
    keyIds: keyIds.map((id) => id.toHex()),
    encryptionKeyIds,
    name,
    algorithm: detail ? `${info.algorithm}/${detail}` : info.algorithm,
  };
}
