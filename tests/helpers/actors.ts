// Test actors that use the real crypto module: an activated advisor with a key pair, and a
// melder that reports through the real API exactly as the browser does.
import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/database.ts';
import type { AppInstance } from '../../server/app.ts';
import { inviteStaff } from '../../server/modules/accounts/service.ts';
import { insertMessage } from '../../server/modules/cases/repository.ts';
import * as crypto from '../../web/src/lib/crypto/index.ts';

export interface TestAdvisor {
  accountId: string;
  name: string;
  publicKey: string;
  privateKey: crypto.PrivateKeyHandle;
}

export async function createActiveAdvisor(
  db: Kysely<Database>,
  input: { organisationSlug: string; email: string; name: string; available?: boolean },
): Promise<TestAdvisor> {
  const invited = await inviteStaff(db, { organisationSlug: input.organisationSlug, email: input.email, name: input.name });
  const { armoredPublicKey, privateKey } = await crypto.generateKey({ name: input.name });
  await db.updateTable('accounts').set({ status: 'active', public_key: armoredPublicKey, activated_at: new Date() }).where('id', '=', invited.accountId).execute();
  if (input.available === false) {
    await db.updateTable('memberships').set({ available: false }).where('account_id', '=', invited.accountId).execute();
  }
  return { accountId: invited.accountId, name: input.name, publicKey: armoredPublicKey, privateKey };
}

export function cookieOf(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const first = Array.isArray(raw) ? raw[0] : String(raw ?? '');
  return first.split(';')[0] ?? '';
}

export interface TestMelder {
  caseCode: string;
  passphrase: string;
  cookie: string;
  publicKey: string;
  privateKey: crypto.PrivateKeyHandle;
  loginKey: string;
  unlockKey: string;
  createResponse: { statusCode: number; json(): any; headers: Record<string, unknown> };
}

export interface ReportOptions {
  organisationSlug: string;
  advisor: TestAdvisor;
  text?: string;
  kind?: 'ongewenst_gedrag' | 'misstand';
  category?: string;
  /** Override what the report is encrypted to (for hostile tests). */
  recipients?: string[];
  remoteAddress?: string;
}

export async function issueCredentials(app: AppInstance, slug: string, remoteAddress = '127.0.0.1') {
  const res = await app.inject({ method: 'POST', url: `/api/organisations/${slug}/credentials`, remoteAddress });
  if (res.statusCode !== 201) throw new Error(`issue failed ${res.statusCode} ${res.body}`);
  return res.json() as { caseCode: string; passphrase: string; expiresAt: string };
}

export async function melderReports(app: AppInstance, opts: ReportOptions): Promise<TestMelder> {
  const { caseCode, passphrase } = await issueCredentials(app, opts.organisationSlug, opts.remoteAddress);
  const keys = await crypto.deriveMelderKeys({ passphrase, organisationSlug: opts.organisationSlug, caseCode });
  const { armoredPublicKey, privateKey } = await crypto.generateKey({ name: 'Melder' });
  const locked = await crypto.lockPrivateKey({ privateKey, unlockKey: keys.unlockKey });
  const report = await crypto.encryptMessage({
    text: JSON.stringify({ what: opts.text ?? 'Er gebeurde iets op de afdeling.' }),
    armoredRecipientKeys: opts.recipients ?? [armoredPublicKey, opts.advisor.publicKey],
    signingKey: privateKey,
  });
  const createResponse = await app.inject({
    method: 'POST',
    url: '/api/cases',
    remoteAddress: opts.remoteAddress ?? '127.0.0.1',
    payload: {
      organisationSlug: opts.organisationSlug,
      caseCode,
      loginKey: keys.loginKey,
      melderPublicKey: armoredPublicKey,
      melderLockedPrivateKey: locked,
      kind: opts.kind ?? 'ongewenst_gedrag',
      category: opts.category ?? 'pesten',
      advisorId: opts.advisor.accountId,
      report,
    },
  });
  return {
    caseCode, passphrase, cookie: cookieOf(createResponse), publicKey: armoredPublicKey, privateKey,
    loginKey: keys.loginKey, unlockKey: keys.unlockKey, createResponse,
  };
}

/** The advisor replies (the advisor's own API is a later module; this writes as it will). */
export async function advisorReplies(db: Kysely<Database>, advisor: TestAdvisor, melderPublicKey: string, caseId: string, text: string) {
  const ciphertext = await crypto.encryptMessage({ text, armoredRecipientKeys: [melderPublicKey, advisor.publicKey], signingKey: advisor.privateKey });
  return insertMessage(db, { caseId, senderRole: 'advisor', senderAccountId: advisor.accountId, kind: 'message', ciphertext });
}

// --- Advisors through the real advisor API ----------------------------------------------------
// What the browser does at activation and login, with the crypto module. Argon2id is replaced by
// random bytes (tests need no password stretching); the HKDF split and contexts are the real ones.

export interface ActivatedAdvisor extends TestAdvisor {
  email: string;
  /** Session cookie of a real login (password + TOTP). */
  cookie: string;
  loginKey: string;
  unlockKey: string;
  recoveryKeyBytes: Uint8Array;
  recoveryLoginKey: string;
  recoveryUnlockKey: string;
  totpSecret: string;
  lockedPrivateKey: string;
}

export const ADVISOR_CONTEXT = 'klankbord/advisor/v1\u0000';
export const RECOVERY_CONTEXT = 'klankbord/recovery/v1\u0000';

/** Stands in for Argon2id(password): any 32 secret bytes, then the real HKDF split. */
export async function advisorPasswordKeys(email: string, secretBytes = crypto.generateRandomKeyBytes(32)) {
  return crypto.deriveKeysFromSecret({ secretBytes, context: ADVISOR_CONTEXT + email.toLowerCase() });
}

export async function advisorRecoveryKeys(email: string, recoveryKeyBytes: Uint8Array) {
  return crypto.deriveKeysFromSecret({ secretBytes: recoveryKeyBytes, context: RECOVERY_CONTEXT + email.toLowerCase() });
}

/** A TOTP code as an authenticator app computes it (otpauth: an implementation independent of ours). */
export async function totpCodeAt(secret: string, at: Date = new Date()): Promise<string> {
  const { TOTP, Secret } = await import('otpauth');
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: at.getTime() });
}

/** What the browser generates at enrolment: 20 random bytes, base32. */
export async function randomTotpSecret(): Promise<string> {
  const { Secret } = await import('otpauth');
  return new Secret({ size: 20 }).base32;
}

/**
 * Test shortcut: forgets the account's last used TOTP step, so a test can log in again within
 * the same 30 seconds. Never used by the replay tests.
 */
export async function freshTotpCode(db: Kysely<Database>, advisor: { accountId: string; totpSecret: string }): Promise<string> {
  await db.updateTable('accounts').set({ totp_last_step: null }).where('id', '=', advisor.accountId).execute();
  return totpCodeAt(advisor.totpSecret);
}

export async function advisorLogin(
  app: AppInstance,
  db: Kysely<Database>,
  advisor: { accountId: string; email: string; loginKey: string; totpSecret: string },
  remoteAddress = '127.0.0.1',
) {
  const totpCode = await freshTotpCode(db, advisor);
  return app.inject({ method: 'POST', url: '/api/advisor/session', remoteAddress, payload: { email: advisor.email, loginKey: advisor.loginKey, totpCode } });
}

/**
 * Invites an advisor (or admin), activates the account through POST /api/advisor/activation
 * with keys made by the crypto module, then logs in through POST /api/advisor/session.
 */
export async function activateAdvisorViaApi(
  app: AppInstance,
  db: Kysely<Database>,
  input: { organisationSlug: string; email: string; name: string; role?: 'advisor' | 'admin'; remoteAddress?: string; available?: boolean },
): Promise<ActivatedAdvisor> {
  const remoteAddress = input.remoteAddress ?? '127.0.0.1';
  const invited = await inviteStaff(db, { organisationSlug: input.organisationSlug, email: input.email, name: input.name, role: input.role ?? 'advisor' });
  if (!invited.token) throw new Error('account is active already');
  const email = input.email.toLowerCase();
  const { loginKey, unlockKey } = await advisorPasswordKeys(email);
  const recoveryKeyBytes = crypto.generateRandomKeyBytes(16);
  const recovery = await advisorRecoveryKeys(email, recoveryKeyBytes);
  const { armoredPublicKey, privateKey } = await crypto.generateKey({ name: input.name });
  const lockedPrivateKey = await crypto.lockPrivateKey({ privateKey, unlockKey });
  const totpSecret = await randomTotpSecret();
  const res = await app.inject({
    method: 'POST', url: '/api/advisor/activation', remoteAddress,
    payload: {
      token: invited.token, loginKey, publicKey: armoredPublicKey, lockedPrivateKey,
      recoveryLoginKey: recovery.loginKey, recoveryLockedPrivateKey: await crypto.lockPrivateKey({ privateKey, unlockKey: recovery.unlockKey }),
      totpSecret,
      // The previous step's code (still valid), so the login below can use the current one.
      totpCode: await totpCodeAt(totpSecret, new Date(Date.now() - 30_000)),
    },
  });
  if (res.statusCode !== 201) throw new Error(`activation failed ${res.statusCode} ${res.body}`);
  if (input.available === false) {
    await db.updateTable('memberships').set({ available: false }).where('account_id', '=', invited.accountId).execute();
  }
  const advisor = { accountId: invited.accountId, email, loginKey, totpSecret };
  const login = await app.inject({
    method: 'POST', url: '/api/advisor/session', remoteAddress,
    payload: { email, loginKey, totpCode: await totpCodeAt(totpSecret) },
  });
  if (login.statusCode !== 200) throw new Error(`login failed ${login.statusCode} ${login.body}`);
  return {
    ...advisor, name: input.name, publicKey: armoredPublicKey, privateKey, cookie: cookieOf(login), unlockKey,
    recoveryKeyBytes, recoveryLoginKey: recovery.loginKey, recoveryUnlockKey: recovery.unlockKey, lockedPrivateKey,
  };
}
