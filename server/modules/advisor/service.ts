// The advisor's account: activation from a one-time invite, login with a login key + TOTP code,
// change of password, reset with the recovery key. The server sees derived login keys (stored
// as argon2id hashes) and locked private keys only; the TOTP secret is sealed under the server
// secret. Every failed login answers the same, whatever failed.
import { audit } from '../audit/service.ts';
import type { Kysely } from 'kysely';
import type { Account, Database } from '../../db/database.ts';
import { hashLoginKey, verifyLoginKey } from '../../lib/argon.ts';
import { InvalidInputError, NotFoundError, UnauthorizedError } from '../../lib/errors.ts';
import { open, seal } from '../../lib/secretbox.ts';
import { digestToken } from '../../lib/tokens.ts';
import { isValidTotpSecret, verifyTotp } from '../../lib/totp.ts';
import { CryptoError, generateRandomKeyBytes, getKeyInfo, unlockPrivateKey } from '../../../web/src/lib/crypto/index.ts';
import { encryptionKeyIds, InvalidPublicKeyError } from '../cases/ciphertext.ts';
import * as repo from './repository.ts';
import type { AccountView, ActivationBody, ChangePasswordBody, LoginBody, MeResponse, RecoveryCompleteBody } from './schema.ts';

/** The secretbox purpose of sealed TOTP secrets (associated data: the account id). */
export const TOTP_SECRET_PURPOSE = 'totp-secret';

export class InviteInvalidError extends NotFoundError {
  constructor() {
    super('invite_invalid', 'This activation link is not valid: it was used already, has expired or does not exist. Ask for a new invitation.');
  }
}
export class TotpInvalidError extends InvalidInputError {
  constructor() {
    super('totp_invalid', 'The code from the authenticator app is not right; check the time on your phone and try the current code');
  }
}
export class LoginFailedError extends UnauthorizedError {
  constructor() {
    super('login_failed', 'The email address, password or code is not right');
  }
}
export class KeyMismatchError extends InvalidInputError {
  constructor() {
    super('key_mismatch', 'The private key does not belong to this account\'s public key');
  }
}
export class CurrentPasswordError extends InvalidInputError {
  constructor() {
    super('current_password_incorrect', 'The current password is not right');
  }
}

export class PrivateKeyNotLockedError extends InvalidInputError {
  constructor() {
    super('private_key_not_locked', 'The private key must be locked (encrypted) in the browser before it is sent');
  }
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

const isArmoredPrivateKey = (armored: string) => /^-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(armored.trim());

async function fingerprintOf(armoredKey: string): Promise<string | null> {
  try {
    return (await getKeyInfo({ armoredKey })).fingerprint;
  } catch {
    return null;
  }
}

/**
 * A locked private key must be an armored private key, really locked, whose public part is
 * `publicKey`. "Really locked" is probed by trying to open it with a random key: only a locked
 * key answers wrong_key — a bare private key must never be stored (I2).
 */
async function assertPrivateKeyMatches(lockedPrivateKey: string, publicKey: string): Promise<void> {
  if (!isArmoredPrivateKey(lockedPrivateKey)) throw new InvalidInputError('invalid_private_key', 'The locked private key is not an armored OpenPGP private key');
  const [a, b] = await Promise.all([fingerprintOf(lockedPrivateKey), fingerprintOf(publicKey)]);
  if (!a || !b || a !== b) throw new KeyMismatchError();
  const probe = Buffer.from(generateRandomKeyBytes(32)).toString('base64url');
  const outcome = await unlockPrivateKey({ armoredLockedKey: lockedPrivateKey, unlockKey: probe }).then(
    () => 'opened',
    (err: unknown) => (err instanceof CryptoError ? err.code : 'error'),
  );
  if (outcome !== 'wrong_key') throw new PrivateKeyNotLockedError();
}

/** The public key: armored as a public key (never a private one) with an encryption subkey. */
async function assertPublicKey(publicKey: string): Promise<void> {
  if (!/^-----BEGIN PGP PUBLIC KEY BLOCK-----/.test(publicKey.trim())) throw new InvalidPublicKeyError();
  await encryptionKeyIds(publicKey);
}

export function toAccountView(a: Account): AccountView {
  return { id: a.id, name: a.name, email: a.email, publicKey: a.public_key ?? '' };
}

// --- activation ----------------------------------------------------------------------------

async function requireUsableInvite(db: Kysely<Database>, token: string, now: Date) {
  const invite = await repo.findInviteByDigest(db, digestToken(token));
  // Unknown, used and expired links get the same answer: no oracle for which it is.
  if (!invite || invite.used_at || new Date(invite.expires_at) <= now || invite.status !== 'invited') throw new InviteInvalidError();
  return invite;
}

export async function lookupInvite(db: Kysely<Database>, token: string, now = new Date()) {
  const invite = await requireUsableInvite(db, token, now);
  const memberships = await repo.listMemberships(db, invite.account_id);
  const organisations = [...new Map(memberships.map((m) => [m.slug, { slug: m.slug, name: m.name }])).values()];
  return { email: invite.email, name: invite.name, organisations };
}

export async function activate(db: Kysely<Database>, secret: Buffer, body: ActivationBody, now = new Date()): Promise<Account> {
  const invite = await requireUsableInvite(db, body.token, now);
  await assertPublicKey(body.publicKey);
  await assertPrivateKeyMatches(body.lockedPrivateKey, body.publicKey);
  await assertPrivateKeyMatches(body.recoveryLockedPrivateKey, body.publicKey);
  if (body.loginKey === body.recoveryLoginKey) throw new InvalidInputError('recovery_key_reused', 'The recovery key must differ from the password');
  if (!isValidTotpSecret(body.totpSecret)) throw new InvalidInputError('invalid_totp_secret', 'The authenticator secret must be 20 random bytes in base32');
  const totpSecret = body.totpSecret.toUpperCase();
  const step = verifyTotp(totpSecret, body.totpCode, now);
  if (step === null) throw new TotpInvalidError();
  const [loginKeyHash, recoveryLoginKeyHash] = [await hashLoginKey(body.loginKey), await hashLoginKey(body.recoveryLoginKey)];
  const activated = await db.transaction().execute(async (trx) => {
    // The conditional UPDATEs are the claim: of two concurrent activations exactly one wins.
    if (!(await repo.claimInvite(trx, invite.id, now))) throw new InviteInvalidError();
    const ok = await repo.activateAccount(trx, invite.account_id, {
      publicKey: body.publicKey,
      lockedPrivateKey: body.lockedPrivateKey,
      recoveryLockedPrivateKey: body.recoveryLockedPrivateKey,
      loginKeyHash,
      recoveryLoginKeyHash,
      totpSecretEncrypted: seal(secret, TOTP_SECRET_PURPOSE, totpSecret, invite.account_id),
      totpLastStep: step,
    }, now);
    if (!ok) throw new InviteInvalidError();
    await audit(trx, { actorType: 'staff', actorId: invite.account_id, action: 'staff.activated' }, now);
    return repo.findAccountById(trx, invite.account_id);
  });
  return activated!;
}

// --- login ---------------------------------------------------------------------------------

export async function me(db: Kysely<Database>, account: Account): Promise<MeResponse> {
  return {
    lockedPrivateKey: account.locked_private_key ?? '',
    account: toAccountView(account),
    organisations: await repo.listMemberships(db, account.id),
  };
}

/** An active account and whether `loginKey` is its login key; one argon2 verification always. */
async function checkLoginKey(db: Kysely<Database>, email: string, loginKey: string, which: 'password' | 'recovery') {
  const account = await repo.findAccountByEmail(db, normaliseEmail(email));
  const usable = account && account.status === 'active' ? account : undefined;
  const hash = which === 'password' ? usable?.login_key_hash : usable?.recovery_login_key_hash;
  const ok = await verifyLoginKey(hash ?? null, loginKey);
  return ok && usable ? usable : null;
}

export async function login(db: Kysely<Database>, secret: Buffer, body: LoginBody, now = new Date()): Promise<Account> {
  const account = await checkLoginKey(db, body.email, body.loginKey, 'password');
  if (!account || !account.totp_secret_encrypted) throw new LoginFailedError();
  let totpSecret: string;
  try {
    totpSecret = open(secret, TOTP_SECRET_PURPOSE, account.totp_secret_encrypted, account.id);
  } catch {
    throw new LoginFailedError();
  }
  const lastStep = account.totp_last_step === null ? null : Number(account.totp_last_step);
  const step = verifyTotp(totpSecret, body.totpCode, now, lastStep);
  // A code is used once: the conditional UPDATE also stops two concurrent uses of one code.
  if (step === null || !(await repo.useTotpStep(db, account.id, step))) throw new LoginFailedError();
  await audit(db, { actorType: 'staff', actorId: account.id, action: 'staff.login' }, now);
  return account;
}

/** The account behind a staff session, when it is still active. */
export async function requireActiveAccount(db: Kysely<Database>, accountId: string): Promise<Account> {
  const account = await repo.findAccountById(db, accountId);
  if (!account || account.status !== 'active') throw new UnauthorizedError('session_expired', 'Your session has ended; log in again');
  return account;
}

// --- password and recovery -----------------------------------------------------------------

export async function changePassword(db: Kysely<Database>, account: Account, sessionTokenDigest: string, body: ChangePasswordBody): Promise<void> {
  if (!(await verifyLoginKey(account.login_key_hash, body.currentLoginKey))) throw new CurrentPasswordError();
  await assertPrivateKeyMatches(body.newLockedPrivateKey, account.public_key ?? '');
  const hash = await hashLoginKey(body.newLoginKey);
  await db.transaction().execute(async (trx) => {
    await repo.setPassword(trx, account.id, hash, body.newLockedPrivateKey);
    await repo.deleteSessionsOfAccountExcept(trx, account.id, sessionTokenDigest);
    await audit(trx, { actorType: 'staff', actorId: account.id, action: 'staff.password_changed' });
  });
}

export async function startRecovery(db: Kysely<Database>, body: { email: string; recoveryLoginKey: string }): Promise<string> {
  const account = await checkLoginKey(db, body.email, body.recoveryLoginKey, 'recovery');
  if (!account || !account.recovery_locked_private_key) throw new LoginFailedError();
  return account.recovery_locked_private_key;
}

/** Sets a new password after proof with the recovery key; ends every session (log in again, with TOTP). */
export async function completeRecovery(db: Kysely<Database>, body: RecoveryCompleteBody): Promise<void> {
  const account = await checkLoginKey(db, body.email, body.recoveryLoginKey, 'recovery');
  if (!account) throw new LoginFailedError();
  await assertPrivateKeyMatches(body.newLockedPrivateKey, account.public_key ?? '');
  const hash = await hashLoginKey(body.newLoginKey);
  await db.transaction().execute(async (trx) => {
    await repo.setPassword(trx, account.id, hash, body.newLockedPrivateKey);
    await trx.deleteFrom('sessions').where('account_id', '=', account.id).execute();
    await audit(trx, { actorType: 'staff', actorId: account.id, action: 'staff.recovered' });
  });
}
