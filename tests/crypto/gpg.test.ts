// GnuPG interoperability (invariant I7): what lib/crypto writes must be usable with Debian 12's
// gpg 2.2, and what gpg writes must be readable by lib/crypto.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decryptMessage,
  encryptFile,
  encryptMessage,
  exportPrivateKey,
  generateKey,
  getFingerprint,
  type PrivateKeyHandle,
} from '../../web/src/lib/crypto/index.ts';
import { readAll } from './helpers.ts';

const GPG = '/usr/bin/gpg';
const hasGpg = existsSync(GPG);
if (!hasGpg) console.warn(`[crypto] ${GPG} not found: skipping the GnuPG interoperability tests`);

describe.skipIf(!hasGpg)('GnuPG 2.2 interoperability', () => {
  const passphrase = 'gpg-export-passphrase';
  let home: string;
  let melder: { armoredPublicKey: string; privateKey: PrivateKeyHandle; fingerprint: string };
  let advisor: { armoredPublicKey: string; privateKey: PrivateKeyHandle; fingerprint: string };

  const gpg = (args: string[], input?: string | Uint8Array) =>
    execFileSync(GPG, ['--homedir', home, '--batch', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', passphrase, ...args], {
      input,
      env: { ...process.env, GNUPGHOME: home, LC_ALL: 'C' },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 15_000,
    });

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'kb-gpg-'));
    const make = async (name: string) => {
      const key = await generateKey({ name });
      return { ...key, fingerprint: await getFingerprint({ privateKey: key.privateKey }) };
    };
    [melder, advisor] = await Promise.all([make('Melder'), make('Vertrouwenspersoon')]);
    // gpg holds the melder's secret key (as exported) and the advisor's public key.
    gpg(['--import'], await exportPrivateKey({ privateKey: melder.privateKey, passphrase }));
    gpg(['--import'], advisor.armoredPublicKey);
  });

  afterAll(() => {
    if (!home) return;
    try {
      execFileSync('gpgconf', ['--homedir', home, '--kill', 'all'], { env: { ...process.env, GNUPGHOME: home }, stdio: 'ignore' });
    } catch {
      // agent may not be running
    }
    rmSync(home, { recursive: true, force: true });
  });

  it('imports the exported locked private key', () => {
    const listing = gpg(['--with-colons', '--list-secret-keys']).toString();
    expect(listing).toContain(`fpr:::::::::${melder.fingerprint.toUpperCase()}:`);
  });

  it('decrypts a message made by the module and reports a good signature', async () => {
    const text = 'Melding via Klankbord — ünïcödé ✓';
    const armoredMessage = await encryptMessage({
      text,
      armoredRecipientKeys: [melder.armoredPublicKey, advisor.armoredPublicKey],
      signingKey: advisor.privateKey,
    });
    const file = join(home, 'message.asc');
    writeFileSync(file, armoredMessage);
    const outFile = join(home, 'message.txt');
    const status = gpg(['--status-fd', '1', '--output', outFile, '--decrypt', file]).toString('utf8');
    expect(readFileSync(outFile, 'utf8')).toBe(text);
    expect(status).toContain(`[GNUPG:] GOODSIG`);
    expect(status).toContain(`[GNUPG:] VALIDSIG ${advisor.fingerprint.toUpperCase()}`);
    expect(status).toContain('[GNUPG:] DECRYPTION_OKAY');
    expect(status).toMatch(/\[GNUPG:\] DECRYPTION_INFO 2 9/); // MDC (SHA-1 = 2), AES-256 (9)
  });

  it('decrypts a binary file made by encryptFile', async () => {
    const data = new Uint8Array(randomBytes(200_000));
    const ciphertext = await readAll(await encryptFile({ data, armoredRecipientKeys: [melder.armoredPublicKey], signingKey: advisor.privateKey }));
    const file = join(home, 'file.gpg');
    writeFileSync(file, ciphertext);
    const output = gpg(['--output', '-', '--decrypt', file]);
    expect(Buffer.compare(output, data)).toBe(0);
  });

  it('what gpg encrypts and signs, the module decrypts with a valid signature', async () => {
    const input = 'Antwoord uit GnuPG';
    const armoredMessage = gpg(
      ['--trust-model', 'always', '--armor', '--encrypt', '--sign', '--local-user', melder.fingerprint, '--recipient', advisor.fingerprint, '--recipient', melder.fingerprint],
      input,
    ).toString();
    const result = await decryptMessage({ armoredMessage, decryptionKey: melder.privateKey, armoredVerificationKeys: [melder.armoredPublicKey] });
    expect(result).toEqual({ text: input, signature: 'valid', signerFingerprint: melder.fingerprint });
  });
});
