// What the browser measurements need in the database: cases with real encrypted threads (made
// with the crypto module, as the browsers would have), and an advisor whose keys come from a real
// password, so the real login page works.
import { createHash } from 'node:crypto';
import { argon2id } from 'hash-wasm';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/database.ts';
import { inviteStaff } from '../../server/modules/accounts/service.ts';
import { insertMessage } from '../../server/modules/cases/repository.ts';
import { digestToken } from '../../server/lib/tokens.ts';
import * as crypto from '../../web/src/lib/crypto/index.ts';
import {
  ADVISOR_CONTEXT, advisorPasswordKeys, advisorRecoveryKeys, advisorReplies, melderReports, randomTotpSecret, totpCodeAt,
  type TestAdvisor, type TestMelder,
} from '../../tests/helpers/actors.ts';
import { nextAddress } from './addresses.ts';
import type { BenchBrowser } from './browser.ts';

export const SLUG = 'acme';
export const REPORT_TEXT = 'Mijn leidinggevende maakt tijdens het werkoverleg regelmatig opmerkingen over mij waar collega’s bij zijn. '.repeat(20).slice(0, 2000);
const MESSAGE_TEXT = 'Dank je voor je bericht. Ik wil graag vertellen wat er vorige week gebeurde tijdens de vergadering. '.repeat(5);

/** A case reported through the API, with a thread of `length` messages (report included), half from the advisor. */
export async function caseWithThread(h: BenchBrowser, db: Kysely<Database>, advisor: TestAdvisor, length: number): Promise<TestMelder & { caseId: string }> {
  const melder = await melderReports(h.t.app, { organisationSlug: SLUG, advisor, text: REPORT_TEXT, remoteAddress: nextAddress() });
  if (melder.createResponse.statusCode !== 201) throw new Error(`case: ${melder.createResponse.statusCode} ${JSON.stringify(melder.createResponse.json())}`);
  const token = melder.cookie.split('=')[1] ?? '';
  const caseId = (await db.selectFrom('sessions').select('case_id').where('token_digest', '=', digestToken(token)).executeTakeFirstOrThrow()).case_id!;
  for (let i = 1; i < length; i++) {
    if (i % 2 === 1) {
      await advisorReplies(db, advisor, melder.publicKey, caseId, `${i}: ${MESSAGE_TEXT}`);
    } else {
      const ciphertext = await crypto.encryptMessage({ text: `${i}: ${MESSAGE_TEXT}`, armoredRecipientKeys: [melder.publicKey, advisor.publicKey], signingKey: melder.privateKey });
      await insertMessage(db, { caseId, senderRole: 'melder', senderAccountId: null, kind: 'message', ciphertext });
    }
  }
  return { ...melder, caseId };
}

export const ADVISOR_EMAIL = 'vp@acme.example';
export const ADVISOR_PASSWORD = 'paarse olifant fietst naar Zwolle';

/**
 * An advisor activated through the API with keys from a real password, derived as the browser
 * does (web/src/lib/advisor/argon2-params.ts): Argon2id(password NFKC, salt = first 16 bytes of
 * SHA-256(ADVISOR_CONTEXT + email)), 64 MiB, 3 passes, 32 bytes, then the HKDF split — so the
 * real login page can log in with the password.
 */
export async function activateWithPassword(h: BenchBrowser, db: Kysely<Database>) {
  const invited = await inviteStaff(db, { organisationSlug: SLUG, email: ADVISOR_EMAIL, name: 'Vera Peters' });
  const salt = createHash('sha256').update(ADVISOR_CONTEXT + ADVISOR_EMAIL).digest().subarray(0, 16);
  const secretBytes = await argon2id({ password: new TextEncoder().encode(ADVISOR_PASSWORD.normalize('NFKC')), salt, memorySize: 65536, iterations: 3, parallelism: 1, hashLength: 32, outputType: 'binary' });
  const { loginKey, unlockKey } = await advisorPasswordKeys(ADVISOR_EMAIL, secretBytes);
  const recovery = await advisorRecoveryKeys(ADVISOR_EMAIL, crypto.generateRandomKeyBytes(16));
  const { armoredPublicKey, privateKey } = await crypto.generateKey({ name: 'Vera Peters' });
  const totpSecret = await randomTotpSecret();
  const res = await h.t.app.inject({
    method: 'POST', url: '/api/advisor/activation', remoteAddress: nextAddress(),
    payload: {
      token: invited.token, loginKey, publicKey: armoredPublicKey, lockedPrivateKey: await crypto.lockPrivateKey({ privateKey, unlockKey }),
      recoveryLoginKey: recovery.loginKey, recoveryLockedPrivateKey: await crypto.lockPrivateKey({ privateKey, unlockKey: recovery.unlockKey }),
      totpSecret, totpCode: await totpCodeAt(totpSecret, new Date(Date.now() - 30_000)),
    },
  });
  if (res.statusCode !== 201) throw new Error(`activation: ${res.statusCode} ${res.body}`);
  const advisor: TestAdvisor = { accountId: invited.accountId, name: 'Vera Peters', publicKey: armoredPublicKey, privateKey };
  return { advisor, totpSecret };
}
