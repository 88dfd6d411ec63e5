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
