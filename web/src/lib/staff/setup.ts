// The first-run setup, browser side. The admin account gets exactly the key material of an
// advisor's activation (lib/advisor/activation.ts prepareKeys: Argon2id of the password in a
// worker, a key pair, a recovery key, the key locked under both; a TOTP secret made here), and
// the server receives only derived and locked material. On success the server has logged the
// admin in; the session starts here with the key the browser made, as after an activation.
import { completeSetup as postSetup } from '../api/setup.ts';
import type { PreparedKeys } from '../advisor/activation.ts';
import { advisorSession } from '../advisor/session.svelte.ts';
import { asNetworkError } from '../melder/crypto.ts';

/** The setup token as the server prints it: 25 letters and digits in groups of five. */
const TOKEN_ALPHABET = /^[abcdefghjkmnpqrstuvwxyz23456789]{25}$/;

/** The token's characters without spaces or hyphens, lower-case: how the server compares it. */
export function tokenCharacters(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\-–—]/g, '');
}

/** Whether the text can be a setup token at all (the server checks whether it is the right one). */
export function looksLikeSetupToken(text: string): boolean {
  return TOKEN_ALPHABET.test(tokenCharacters(text));
}

export interface SetupInput {
  setupToken: string;
  organisation: { name: string; slug: string };
  admin: { name: string; email: string };
  adminIsAdvisor: boolean;
  keys: PreparedKeys;
  totpSecret: string;
  totpCode: string;
}

/** Sends the setup; resolves once the admin is logged in with the key unlocked in this tab. */
export async function completeSetup(input: SetupInput): Promise<void> {
  try {
    const me = await postSetup({
      setupToken: tokenCharacters(input.setupToken),
      organisation: { name: input.organisation.name.trim(), slug: input.organisation.slug },
      admin: {
        name: input.admin.name.trim(),
        email: input.admin.email.trim().toLowerCase(),
        loginKey: input.keys.loginKey,
        publicKey: input.keys.publicKey,
        lockedPrivateKey: input.keys.lockedPrivateKey,
        recoveryLoginKey: input.keys.recoveryLoginKey,
        recoveryLockedPrivateKey: input.keys.recoveryLockedPrivateKey,
        totpSecret: input.totpSecret,
        totpCode: input.totpCode,
      },
      adminIsAdvisor: input.adminIsAdvisor,
    });
    await advisorSession.begin({ privateKey: input.keys.privateKey, lockedPrivateKey: me.lockedPrivateKey, account: me.account });
  } catch (error) {
    throw asNetworkError(error);
  }
}
