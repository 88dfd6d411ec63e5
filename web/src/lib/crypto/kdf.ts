import { CryptoError } from './errors.ts';

/** The two secrets every login derives: one proves who you are, the other unlocks your private key. */
export interface DerivedKeys {
  /** Sent to the server (which stores only argon2id(loginKey)). base64url, no padding, 43 chars. */
  loginKey: string;
  /** Never leaves the browser: the passphrase of the user's locked OpenPGP private key. */
  unlockKey: string;
}

const encoder = new TextEncoder();

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto (crypto.subtle) is not available; a secure context is required');
  return s;
}

/** Encodes bytes as base64url without padding. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Puts a melder passphrase in canonical form: Unicode NFKC, lowercase, and every character that
 * is not a letter or digit removed, so `KDNW-prte ghsa` and `kdnwprteghsa` are the same passphrase.
 */
export function normalisePassphrase(passphrase: string): string {
  return passphrase.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Puts a case code in canonical form: ASCII digits only (after NFKC, so full-width digits count). */
export function normaliseCaseCode(caseCode: string): string {
  return caseCode.normalize('NFKC').replace(/[^0-9]/g, '');
}

/**
 * Derives a login key and a key-unlocking key from already-strong secret material (melder
 * passphrase, advisor Argon2id output, recovery key) with HKDF-SHA-256 via WebCrypto:
 * salt = UTF-8 of `context`, info `login` / `unlock`, 32 bytes each.
 */
export async function deriveKeysFromSecret(options: { secretBytes: Uint8Array; context: string }): Promise<DerivedKeys> {
  const { secretBytes, context } = options;
  if (secretBytes.length === 0) throw new CryptoError('malformed', 'Empty secret');
  const ikm = await subtle().importKey('raw', new Uint8Array(secretBytes), 'HKDF', false, ['deriveBits']);
  const salt = encoder.encode(context);
  const derive = async (info: string): Promise<string> => {
    const bits = await subtle().deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info: encoder.encode(info) }, ikm, 256);
    return encodeBase64Url(new Uint8Array(bits));
  };
  const [loginKey, unlockKey] = await Promise.all([derive('login'), derive('unlock')]);
  return { loginKey, unlockKey };
}

/**
 * Derives a melder's login key and key-unlocking key from their passphrase. The passphrase has
 * at least 100 bits of entropy, so one HKDF-SHA-256 step is enough; the salt binds the keys to
 * the organisation and case: `klankbord/melder/v1 \0 organisationSlug \0 caseCode`.
 */
export async function deriveMelderKeys(options: {
  passphrase: string;
  organisationSlug: string;
  caseCode: string;
}): Promise<DerivedKeys> {
  const passphrase = normalisePassphrase(options.passphrase);
  const caseCode = normaliseCaseCode(options.caseCode);
  if (passphrase === '') throw new CryptoError('malformed', 'Empty passphrase');
  return deriveKeysFromSecret({
    secretBytes: encoder.encode(passphrase),
    context: `klankbord/melder/v1\u0000${options.organisationSlug}\u0000${caseCode}`,
  });
}

/** Returns `n` cryptographically random bytes (e.g. for a recovery key). */
export function generateRandomKeyBytes(n: number): Uint8Array {
  if (!Number.isInteger(n) || n <= 0 || n > 65536) throw new RangeError('n must be an integer in 1..65536');
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}
