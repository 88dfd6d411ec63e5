// From what an advisor types to the two derived keys: the login key (sent, stored by the server
// only as an argon2id hash) and the unlock key (never leaves this browser). Passwords go through
// Argon2id in a Web Worker; the recovery key is 128 random bits already, so HKDF alone suffices.
import type { DerivedKeys } from '../crypto/index.ts';
import { loadCrypto } from '../melder/crypto.ts';
import { ADVISOR_CONTEXT, normaliseEmail, RECOVERY_CONTEXT } from './argon2-params.ts';

/** Thrown when the browser cannot run the password derivation (no workers, WebAssembly blocked). */
export class KeyDerivationError extends Error {
  override readonly name = 'KeyDerivationError';
  readonly code = 'kdf_failed';
}

/** Argon2id of the password in a fresh worker; resolves with the 32-byte output. */
export function argon2Secret(password: string, email: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./argon2.worker.ts', import.meta.url), { type: 'module' });
    } catch (error) {
      reject(new KeyDerivationError(String(error)));
      return;
    }
    const done = () => worker.terminate();
    worker.onmessage = (event: MessageEvent<{ secret?: Uint8Array; error?: string }>) => {
      done();
      if (event.data.secret) resolve(event.data.secret);
      else reject(new KeyDerivationError(event.data.error ?? 'Argon2 failed'));
    };
    worker.onerror = (event) => {
      done();
      event.preventDefault();
      reject(new KeyDerivationError(event.message || 'The key derivation worker failed'));
    };
    worker.postMessage({ password, email: normaliseEmail(email) });
  });
}

/** Login key and unlock key from a password (about a second of work, off the main thread). */
export async function passwordKeys(password: string, email: string): Promise<DerivedKeys> {
  const [crypto, secretBytes] = await Promise.all([loadCrypto(), argon2Secret(password, email)]);
  try {
    return await crypto.deriveKeysFromSecret({ secretBytes, context: ADVISOR_CONTEXT + normaliseEmail(email) });
  } finally {
    secretBytes.fill(0);
  }
}

/** Login key and unlock key from the 16 bytes of a recovery key. */
export async function recoveryKeys(recoveryBytes: Uint8Array, email: string): Promise<DerivedKeys> {
  const crypto = await loadCrypto();
  return crypto.deriveKeysFromSecret({ secretBytes: recoveryBytes, context: RECOVERY_CONTEXT + normaliseEmail(email) });
}
