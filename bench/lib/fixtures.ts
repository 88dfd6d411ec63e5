// What the measurements need in the database: an organisation with an advisor, and melder cases
// created through the real API exactly as a browser does (credentials, keys, encrypted report),
// each from its own loopback address. All cases of one bench share one melder key pair, so one
// real ciphertext passes the server's recipient check on every case.
import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/database.ts';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { digestToken } from '../../server/lib/tokens.ts';
import * as crypto from '../../web/src/lib/crypto/index.ts';
import { createActiveAdvisor, type TestAdvisor } from '../../tests/helpers/actors.ts';
import { call, cookieFrom } from '../../tests/helpers/server-process.ts';
import { nextAddress } from './addresses.ts';

export const BENCH_SECRET = 'cd'.repeat(32);
export const SLUG = 'bench';

export interface MelderKey {
  publicKey: string;
  privateKey: crypto.PrivateKeyHandle;
}

export interface BenchCase {
  caseId: string;
  caseCode: string;
  loginKey: string;
  cookie: string;
}

export async function setupOrganisation(db: Kysely<Database>, slug = SLUG): Promise<TestAdvisor> {
  await createOrganisation(db, { slug, name: 'Bench BV' });
  return createActiveAdvisor(db, { organisationSlug: slug, email: `advisor@${slug}.example`, name: 'Anna de Vries' });
}

export async function makeMelderKey(): Promise<MelderKey> {
  const { armoredPublicKey, privateKey } = await crypto.generateKey({ name: 'Melder' });
  return { publicKey: armoredPublicKey, privateKey };
}

/** Creates one case through the API (POST credentials, POST /api/cases) as a browser would. */
export async function openCase(baseUrl: string, db: Kysely<Database>, advisor: TestAdvisor, key: MelderKey, slug = SLUG): Promise<BenchCase> {
  const c = await openCaseNoDb(baseUrl, advisor, key, slug);
  const token = c.cookie.split('=')[1] ?? '';
  const session = await db.selectFrom('sessions').select('case_id').where('token_digest', '=', digestToken(token)).executeTakeFirstOrThrow();
  return { ...c, caseId: session.case_id! };
}

/** The same, for a server whose database the bench cannot open (PGlite): no case id. */
export async function openCaseNoDb(baseUrl: string, advisor: TestAdvisor, key: MelderKey, slug = SLUG): Promise<BenchCase> {
  const from = nextAddress();
  const creds = await call(baseUrl, 'POST', `/api/organisations/${slug}/credentials`, { from });
  if (creds.status !== 201) throw new Error(`credentials: ${creds.status} ${JSON.stringify(creds.body)}`);
  const { caseCode, passphrase } = creds.body as { caseCode: string; passphrase: string };
  const keys = await crypto.deriveMelderKeys({ passphrase, organisationSlug: slug, caseCode });
  const report = await crypto.encryptMessage({
    text: JSON.stringify({ what: 'Er gebeurde iets op de afdeling.' }),
    armoredRecipientKeys: [key.publicKey, advisor.publicKey],
    signingKey: key.privateKey,
  });
  const res = await call(baseUrl, 'POST', '/api/cases', {
    from,
    json: {
      organisationSlug: slug, caseCode, loginKey: keys.loginKey, melderPublicKey: key.publicKey,
      melderLockedPrivateKey: await crypto.lockPrivateKey({ privateKey: key.privateKey, unlockKey: keys.unlockKey }),
      kind: 'ongewenst_gedrag', category: 'pesten', advisorId: advisor.accountId, report,
    },
  });
  if (res.status !== 201) throw new Error(`create case: ${res.status} ${JSON.stringify(res.body)}`);
  return { caseId: '', caseCode, loginKey: keys.loginKey, cookie: cookieFrom(res) };
}

/** `n` cases, a few at a time. */
export async function openCases(baseUrl: string, db: Kysely<Database>, advisor: TestAdvisor, key: MelderKey, n: number, slug = SLUG): Promise<BenchCase[]> {
  const out: BenchCase[] = [];
  for (let i = 0; i < n; i += 4) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(4, n - i) }, () => openCase(baseUrl, db, advisor, key, slug)))));
  }
  return out;
}

/** A real armored ciphertext (to melder and advisor, signed by the melder) of about `bytes`. */
export async function ciphertextOfSize(bytes: number, key: MelderKey, advisor: TestAdvisor): Promise<string> {
  let textLength = Math.round(bytes * 0.7);
  let best = '';
  for (let i = 0; i < 6; i++) {
    const text = 'Dit is een bericht aan de vertrouwenspersoon. '.repeat(Math.ceil(textLength / 46)).slice(0, textLength);
    best = await crypto.encryptMessage({ text, armoredRecipientKeys: [key.publicKey, advisor.publicKey], signingKey: key.privateKey });
    const diff = bytes - best.length;
    if (Math.abs(diff) <= 16) break;
    textLength += Math.round(diff * 0.74);
  }
  return best;
}
