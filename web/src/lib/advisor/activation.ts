// Activating an advisor account from the one-time invite link: everything secret is made here,
// in the browser — the key pair, the Argon2id-derived keys, the recovery key, the TOTP secret —
// and the server receives only the public key, the private key locked twice (under the password
// and under the recovery key), the two login keys and the TOTP secret with a first code.
import * as api from '../api/advisor.ts';
import type { AccountView } from '../api/advisor.ts';
import type { PrivateKeyHandle } from '../crypto/index.ts';
import { asNetworkError, loadCrypto } from '../melder/crypto.ts';
import { normaliseEmail } from './argon2-params.ts';
import { passwordKeys, recoveryKeys } from './keys.ts';
import { generateRecoveryKey } from './recovery-key.ts';

let token: string | null = null;

/**
 * The invite token from the link's fragment (`/advisor/activate#<token>`). It is read once and
 * the fragment dropped from the address bar and history entry, so it does not linger; this tab
 * keeps it in memory for the rest of the activation.
 */
export function takeInviteToken(): string | null {
  const fragment = location.hash.replace(/^#/, '');
  if (fragment !== '') {
    token = fragment;
    history.replaceState(history.state, '', location.pathname + location.search);
  }
  return token;
}

export interface PreparedKeys {
  /** For which password these keys were made (to reuse them when the advisor steps back). */
  password: string;
  publicKey: string;
  privateKey: PrivateKeyHandle;
  loginKey: string;
  lockedPrivateKey: string;
  recoveryKey: string;
  recoveryLoginKey: string;
  recoveryLockedPrivateKey: string;
}

export type PrepareStage = 'deriving' | 'generating' | 'locking';

/** Argon2id of the password (in a worker), a new key pair and a recovery key, the key locked under both. */
export async function prepareKeys(input: { password: string; email: string; name: string }, onStage: (stage: PrepareStage) => void): Promise<PreparedKeys> {
  try {
    const email = normaliseEmail(input.email);
    const crypto = await loadCrypto();
    onStage('deriving');
    const [password, pair, recovery] = await Promise.all([
      passwordKeys(input.password, email),
      crypto.generateKey({ name: input.name }),
      generateRecoveryKey(),
    ]);
    onStage('locking');
    const recoveryDerived = await recoveryKeys(recovery.bytes, email);
    recovery.bytes.fill(0);
    const [lockedPrivateKey, recoveryLockedPrivateKey] = await Promise.all([
      crypto.lockPrivateKey({ privateKey: pair.privateKey, unlockKey: password.unlockKey }),
      crypto.lockPrivateKey({ privateKey: pair.privateKey, unlockKey: recoveryDerived.unlockKey }),
    ]);
    return {
      password: input.password,
      publicKey: pair.armoredPublicKey,
      privateKey: pair.privateKey,
      loginKey: password.loginKey,
      lockedPrivateKey,
      recoveryKey: recovery.text,
      recoveryLoginKey: recoveryDerived.loginKey,
      recoveryLockedPrivateKey,
    };
  } catch (error) {
    throw asNetworkError(error);
  }
}

/** Sends the activation; on success the server has set the session cookie. */
export async function activateAccount(input: { token: string; keys: PreparedKeys; totpSecret: string; totpCode: string }): Promise<AccountView> {
  try {
    const { account } = await api.activate({
      token: input.token,
      loginKey: input.keys.loginKey,
      publicKey: input.keys.publicKey,
      lockedPrivateKey: input.keys.lockedPrivateKey,
      recoveryLoginKey: input.keys.recoveryLoginKey,
      recoveryLockedPrivateKey: input.keys.recoveryLockedPrivateKey,
      totpSecret: input.totpSecret,
      totpCode: input.totpCode,
    });
    return account;
  } catch (error) {
    throw asNetworkError(error);
  }
}
