// I7: no lock-in. A case made through the real melder UI (report + file), with the advisor's
// reply; the advisor exports their private key with `npm run cli -- advisor:export-key`, GnuPG
// (Debian's gpg 2.2) imports it and decrypts every message and file, and every signature verifies.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { inviteStaff } from '../../server/modules/accounts/service.ts';
import { advisorKeysFromPassword } from '../../server/lib/advisor-password.ts';
import { runCli } from '../../server/cli.ts';
import * as crypto from '../../web/src/lib/crypto/index.ts';
import { advisorReplies } from '../helpers/actors.ts';
import { TEST_DATABASE_URL } from '../helpers/db.ts';
import { passRetypeCheck, reportThroughUi, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

const GPG = '/usr/bin/gpg';

describe.skipIf(!TEST_DATABASE_URL || !existsSync(GPG))('GnuPG decrypts a real case with the exported advisor key (PostgreSQL)', () => {
  let h: BrowserHarness;
  let home: string;
  const password = `correct horse ${randomBytes(6).toString('hex')}`;
  const email = 'anna@example.org';
  beforeAll(async () => {
    h = await startBrowserHarness('postgres');
    home = mkdtempSync(path.join(tmpdir(), 'kb-gpg-case-'));
  }, 120_000);
  afterAll(async () => {
    try {
      execFileSync('gpgconf', ['--homedir', home, '--kill', 'all'], { stdio: 'ignore' });
    } catch {
      /* no agent */
    }
    rmSync(home, { recursive: true, force: true });
    await h?.close();
  });

  const gpg = (args: string[], input?: string | Uint8Array) =>
    execFileSync(GPG, ['--homedir', home, '--batch', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', password, ...args], {
      input, env: { ...process.env, GNUPGHOME: home, LC_ALL: 'C' }, stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000, maxBuffer: 64 * 1024 * 1024,
    });
  const decrypt = (ciphertext: string | Uint8Array) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kb-gpg-out-'));
    const status = path.join(dir, 'status');
    const out = path.join(dir, 'out');
    gpg(['--status-file', status, '--output', out, '--decrypt'], ciphertext);
    const result = { plaintext: readFileSync(out), status: readFileSync(status, 'utf8') };
    rmSync(dir, { recursive: true, force: true });
    return result;
  };

  it('every message and file of the case decrypts in gpg with a good signature', async () => {
    const db = h.t.database.db;
    await createOrganisation(db, { slug: 'acme', name: 'Acme BV' });
    // The advisor's key material as the activation page makes it, from a real password.
    const invited = await inviteStaff(db, { organisationSlug: 'acme', email, name: 'Anna de Vries' });
    const { armoredPublicKey, privateKey } = await crypto.generateKey({ name: 'Anna de Vries' });
    const { unlockKey } = await advisorKeysFromPassword(password, email);
    await db.updateTable('accounts').set({ status: 'active', public_key: armoredPublicKey, locked_private_key: await crypto.lockPrivateKey({ privateKey, unlockKey }) }).where('id', '=', invited.accountId).execute();

    const what = `GPG-CANARY-${randomBytes(8).toString('hex')}`;
    const fileName = 'bewijs-gpg.pdf';
    const fileBytes = randomBytes(300_000);
    const w = await h.newPage({ viewport: { width: 390, height: 844 } });
    await w.page.goto(`${h.baseUrl}/acme`);
    const { passphrase } = await reportThroughUi(w.page, { advisorName: 'Anna de Vries', what, files: [{ name: fileName, mimeType: 'application/pdf', buffer: fileBytes }] });
    await expect.poll(() => w.page.getByTestId('upload').getAttribute('data-phase'), { timeout: 90_000 }).toBe('done');
    await passRetypeCheck(w.page, passphrase);

    const c = await db.selectFrom('cases').selectAll().executeTakeFirstOrThrow();
    await advisorReplies(db, { accountId: invited.accountId, name: 'Anna de Vries', publicKey: armoredPublicKey, privateKey }, c.melder_public_key!, c.id, 'Antwoord van Anna via GnuPG te lezen');

    // The advisor exports the key with the CLI (the password typed on standard input).
    const keyFile = path.join(home, 'anna.asc');
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = h.t.database.url!;
    const lines: string[] = [];
    try {
      expect(await runCli(['advisor:export-key', '--email', email, '--out', keyFile], (l) => lines.push(l), async () => password)).toBe(0);
      expect(await runCli(['advisor:export-key', '--email', email], (l) => lines.push(l), async () => 'wrong password')).toBe(1);
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
    expect(readFileSync(keyFile, 'utf8')).toContain('-----BEGIN PGP PRIVATE KEY BLOCK-----');
    gpg(['--import', keyFile]);
    writeFileSync(path.join(home, 'melder.asc'), c.melder_public_key!);
    gpg(['--import', path.join(home, 'melder.asc')]);

    const messages = await db.selectFrom('messages').select(['kind', 'sender_role', 'ciphertext']).where('case_id', '=', c.id).orderBy('created_at').execute();
    expect(messages.map((m) => m.kind)).toEqual(['report', 'message']);
    for (const m of messages) {
      const { plaintext, status } = decrypt(m.ciphertext);
      expect(status).toMatch(/GOODSIG/);
      expect(status).toMatch(/VALIDSIG/);
      expect(status).toMatch(/DECRYPTION_OKAY/);
      expect(status).not.toMatch(/BADSIG|ERRSIG/);
      if (m.kind === 'report') expect(JSON.parse(plaintext.toString('utf8')).what).toBe(what);
      else expect(plaintext.toString('utf8')).toBe('Antwoord van Anna via GnuPG te lezen');
    }

    const attachments = await db.selectFrom('attachments').select(['id', 'encrypted_manifest']).where('case_id', '=', c.id).where('complete', '=', true).execute();
    expect(attachments).toHaveLength(1);
    const manifest = decrypt(attachments[0]!.encrypted_manifest);
    expect(manifest.status).toMatch(/GOODSIG/);
    expect(JSON.parse(manifest.plaintext.toString('utf8')).name).toBe(fileName);
    const chunks = await db.selectFrom('attachment_chunks').select('data').where('attachment_id', '=', attachments[0]!.id).orderBy('seq').execute();
    const file = decrypt(Buffer.concat(chunks.map((x) => Buffer.from(x.data))));
    expect(file.status).toMatch(/GOODSIG/);
    expect(file.status).toMatch(/DECRYPTION_OKAY/);
    expect(Buffer.compare(file.plaintext, fileBytes)).toBe(0);
  }, 300_000);
});
