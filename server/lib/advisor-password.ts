// The advisor password contract on Node (same as the browser's Web Worker, see
// web/src/lib/advisor/argon2-params.ts): Argon2id → HKDF → login key + unlock key. Used by the
// CLI's key export, which the advisor runs themself; the server never sees a password.
import { argon2id } from 'hash-wasm';
import { ADVISOR_CONTEXT, ARGON2_PARAMS, normaliseEmail, passwordSalt } from '../../web/src/lib/advisor/argon2-params.ts';
import { deriveKeysFromSecret, type DerivedKeys } from '../../web/src/lib/crypto/index.ts';

export async function advisorKeysFromPassword(password: string, email: string): Promise<DerivedKeys> {
  const secretBytes = await argon2id({
    password: new TextEncoder().encode(password.normalize('NFKC')),
    salt: await passwordSalt(email),
    ...ARGON2_PARAMS,
    outputType: 'binary',
  });
  try {
    return await deriveKeysFromSecret({ secretBytes, context: ADVISOR_CONTEXT + normaliseEmail(email) });
  } finally {
    secretBytes.fill(0);
  }
}
