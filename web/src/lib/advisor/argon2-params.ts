// The advisor password contract (the server tests and every browser must agree on it):
// Argon2id(password UTF-8 NFKC, salt = first 16 bytes of SHA-256("klankbord/advisor/v1\0" +
// lower-cased trimmed email)), 64 MiB, 3 passes, 1 lane, 32 bytes. The salt is deterministic per
// account, so logging in needs no salt look-up that would tell whether an account exists.

export const ADVISOR_CONTEXT = 'klankbord/advisor/v1\u0000';
export const RECOVERY_CONTEXT = 'klankbord/recovery/v1\u0000';

export const ARGON2_PARAMS = { memorySize: 65536, iterations: 3, parallelism: 1, hashLength: 32 } as const;

/** How an email address is compared everywhere: trimmed and lower-case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function passwordSalt(email: string): Promise<Uint8Array> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(ADVISOR_CONTEXT + normaliseEmail(email)));
  return new Uint8Array(digest).slice(0, 16);
}
