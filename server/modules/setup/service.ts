// First run: while no organisation exists, whoever holds the setup token may create the first
// organisation and its admin account (with keys and TOTP, as an advisor's activation). The
// token is random, kept in the database until setup completes (so every instance and the CLI
// print the same one), printed at start-up, compared in constant time. Once an organisation
// exists, setup is over for good.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Account, Database } from '../../db/database.ts';
import { hashLoginKey } from '../../lib/argon.ts';
import { AppError, ConflictError, InvalidInputError } from '../../lib/errors.ts';
import { seal } from '../../lib/secretbox.ts';
import { isValidTotpSecret, verifyTotp } from '../../lib/totp.ts';
import { CryptoError, generateRandomKeyBytes, getKeyInfo, unlockPrivateKey } from '../../../web/src/lib/crypto/index.ts';
import * as advisorRepo from '../advisor/repository.ts';
import { KeyMismatchError, PrivateKeyNotLockedError, TOTP_SECRET_PURPOSE, TotpInvalidError } from '../advisor/service.ts';
import { audit } from '../audit/service.ts';
import { encryptionKeyIds, InvalidPublicKeyError } from '../cases/ciphertext.ts';
import { createOrganisation } from '../organisations/service.ts';
import { withCompliance } from '../organisations/tables.ts';
import type { SetupBody } from './schema.ts';

const SETUP_LOCK = 4_711_002;
const TOKEN_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export class SetupDoneError extends ConflictError {
  constructor() {
    super('setup_done', 'This installation has been set up already');
  }
}
export class SetupTokenInvalidError extends AppError {
  constructor() {
    super(403, 'setup_token_invalid', 'The setup token is not right; the server prints it at start-up (or run `npm run cli -- setup:token`)');
  }
}
export class EmailTakenError extends ConflictError {
  constructor() {
    super('email_taken', 'An account with this email address exists already');
  }
}

/** 25 characters from a 31-letter alphabet without look-alikes (~124 bits), shown in groups of five. */
function newSetupToken(): string {
  let out = '';
  for (let i = 0; i < 25; i++) out += (i > 0 && i % 5 === 0 ? '-' : '') + TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return out;
}

const normalise = (token: string) => token.toLowerCase().replace(/[\s-]/g, '');

export async function setupNeeded(db: Kysely<Database>): Promise<boolean> {
  const any = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
  return !any;
}

/** The setup token while setup is needed (made on first call), else null. */
export async function ensureSetupToken(db: Kysely<Database>): Promise<string | null> {
  if (!(await setupNeeded(db))) return null;
  const cdb = withCompliance(db);
  await cdb.insertInto('setup_token').values({ id: 1, token: newSetupToken() }).onConflict((oc) => oc.column('id').doNothing()).execute();
  const row = await cdb.selectFrom('setup_token').select('token').where('id', '=', 1).executeTakeFirst();
  return row?.token ?? null;
}

function sameToken(expected: string, given: string): boolean {
  // Digests first: equal lengths for timingSafeEqual, and no early exit on a length mismatch.
  const a = createHash('sha256').update(normalise(expected)).digest();
  const b = createHash('sha256').update(normalise(given)).digest();
  return timingSafeEqual(a, b);
}

async function fingerprintOf(armoredKey: string): Promise<string | null> {
  try {
    return (await getKeyInfo({ armoredKey })).fingerprint;
  } catch {
    return null;
  }
}

/**
 * The same checks as an advisor's activation (advisor/service.ts keeps its own private): the
 * public key is armored as a public key with an encryption subkey, and both locked private keys
 * belong to it and are really locked — probed with a random key, which only a locked key refuses
 * with wrong_key. A bare private key is never stored (I2).
 */
async function checkKeyMaterial(admin: SetupBody['admin']): Promise<void> {
  if (!/^-----BEGIN PGP PUBLIC KEY BLOCK-----/.test(admin.publicKey.trim())) throw new InvalidPublicKeyError();
  await encryptionKeyIds(admin.publicKey);
  const publicFp = await fingerprintOf(admin.publicKey);
  for (const locked of [admin.lockedPrivateKey, admin.recoveryLockedPrivateKey]) {
    if (!/^-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(locked.trim())) {
      throw new InvalidInputError('invalid_private_key', 'The locked private key is not an armored OpenPGP private key');
    }
    const fp = await fingerprintOf(locked);
    if (!fp || fp !== publicFp) throw new KeyMismatchError();
    const probe = Buffer.from(generateRandomKeyBytes(32)).toString('base64url');
    const outcome = await unlockPrivateKey({ armoredLockedKey: locked, unlockKey: probe }).then(
      () => 'opened',
      (err: unknown) => (err instanceof CryptoError ? err.code : 'error'),
    );
    if (outcome !== 'wrong_key') throw new PrivateKeyNotLockedError();
  }
  if (admin.loginKey === admin.recoveryLoginKey) throw new InvalidInputError('recovery_key_reused', 'The recovery key must differ from the password');
  if (!isValidTotpSecret(admin.totpSecret)) throw new InvalidInputError('invalid_totp_secret', 'The authenticator secret must be 20 random bytes in base32');
}

export async function completeSetup(db: Kysely<Database>, secret: Buffer, body: SetupBody, now = new Date()): Promise<Account> {
  if (!(await setupNeeded(db))) throw new SetupDoneError();
  const stored = await withCompliance(db).selectFrom('setup_token').select('token').where('id', '=', 1).executeTakeFirst();
  // Always one comparison, also when no token was made yet.
  const tokenOk = sameToken(stored?.token ?? newSetupToken(), body.setupToken) && !!stored;
  if (!tokenOk) {
    // Setup may have completed meanwhile (its token is then gone): say so, not "wrong token".
    if (!(await setupNeeded(db))) throw new SetupDoneError();
    throw new SetupTokenInvalidError();
  }
  await checkKeyMaterial(body.admin);
  const totpSecret = body.admin.totpSecret.toUpperCase();
  const step = verifyTotp(totpSecret, body.admin.totpCode, now);
  if (step === null) throw new TotpInvalidError();
  const email = body.admin.email.trim().toLowerCase();
  const name = body.admin.name.trim();
  if (!/^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/.test(email)) throw new InvalidInputError('invalid_email', 'Not a valid email address');
  if (name.length < 1) throw new InvalidInputError('invalid_name', 'A name is 1–200 characters');
  const [loginKeyHash, recoveryLoginKeyHash] = [await hashLoginKey(body.admin.loginKey), await hashLoginKey(body.admin.recoveryLoginKey)];

  const accountId = await db.transaction().execute(async (trx) => {
    // Two wizards submitting at once: the second waits here, then finds setup done.
    await sql`SELECT pg_advisory_xact_lock(${sql.lit(SETUP_LOCK)})`.execute(trx);
    if (await trx.selectFrom('organisations').select('id').limit(1).executeTakeFirst()) throw new SetupDoneError();
    const org = await createOrganisation(trx, body.organisation);
    if (await trx.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirst()) throw new EmailTakenError();
    const account = await trx.insertInto('accounts').values({ email, name }).returning('id').executeTakeFirstOrThrow();
    const activated = await advisorRepo.activateAccount(trx, account.id, {
      publicKey: body.admin.publicKey,
      lockedPrivateKey: body.admin.lockedPrivateKey,
      recoveryLockedPrivateKey: body.admin.recoveryLockedPrivateKey,
      loginKeyHash,
      recoveryLoginKeyHash,
      totpSecretEncrypted: seal(secret, TOTP_SECRET_PURPOSE, totpSecret, account.id),
      totpLastStep: step,
    }, now);
    if (!activated) throw new Error('admin account not activated');
    const roles = body.adminIsAdvisor ? (['admin', 'advisor'] as const) : (['admin'] as const);
    for (const role of roles) {
      await trx.insertInto('memberships').values({ account_id: account.id, organisation_id: org.id, role, affiliation: 'internal' }).execute();
    }
    await withCompliance(trx).deleteFrom('setup_token').execute();
    await audit(trx, {
      actorType: 'staff', actorId: account.id, organisationId: org.id, action: 'setup.completed',
      detail: { roles: [...roles] },
    }, now);
    return account.id;
  });
  return (await advisorRepo.findAccountById(db, accountId))!;
}
