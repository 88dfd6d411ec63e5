import { beforeAll, describe, expect, it } from 'vitest';
import { CryptoError, encryptBytes, encryptMessage, getKeyInfo, inspectEncryptedMessage } from '../../web/src/lib/crypto/index.ts';
import * as fixture from './fixtures.ts';
import { makeParty, openpgp, type TestParty } from './helpers.ts';

let melder: TestParty;
let advisor: TestParty;

beforeAll(async () => {
  [melder, advisor] = await Promise.all([makeParty('Melder'), makeParty('Vertrouwenspersoon')]);
});

async function expectMalformed(options: Parameters<typeof inspectEncryptedMessage>[0]) {
  const error = await inspectEncryptedMessage(options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CryptoError);
  expect(error).toMatchObject({ code: 'malformed' });
}

describe('inspectEncryptedMessage accepts', () => {
  it('the committed fixture message, addressed to the encryption subkeys of melder and advisor', async () => {
    const info = await inspectEncryptedMessage({ armoredMessage: fixture.armoredMessage });
    const expected = [
      ...(await getKeyInfo({ armoredKey: fixture.melderPublicKey })).encryptionKeyIds,
      ...(await getKeyInfo({ armoredKey: fixture.advisorPublicKey })).encryptionKeyIds,
    ];
    expect(info).toEqual({ recipientKeyIds: expected, symmetric: 'seipd-v1', hasLiteralOutsideEncryption: false });
  });

  it('binary messages', async () => {
    const binaryMessage = await encryptBytes({ data: new Uint8Array([1]), armoredRecipientKeys: [advisor.armoredPublicKey], signingKey: melder.privateKey });
    const info = await inspectEncryptedMessage({ binaryMessage });
    expect(info.recipientKeyIds).toEqual((await getKeyInfo({ armoredKey: advisor.armoredPublicKey })).encryptionKeyIds);
    for (const id of info.recipientKeyIds) expect(id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('reports SEIPD v2 (AEAD) messages as seipd-v2, so the server can refuse them', async () => {
    const message = await openpgp.createMessage({ text: 'aead' });
    const armoredMessage = await openpgp.encrypt({
      message,
      encryptionKeys: await openpgp.readKey({ armoredKey: melder.armoredPublicKey }),
      config: { aeadProtect: true },
    });
    // Our keys do not advertise SEIPD v2, so openpgp still writes v1 here…
    expect((await inspectEncryptedMessage({ armoredMessage })).symmetric).toBe('seipd-v1');
    // …but a key that does gets v2.
    const { publicKey } = await openpgp.generateKey({ userIDs: [{ name: 'v6' }], config: { aeadProtect: true }, format: 'object' });
    const v2 = await openpgp.encrypt({ message: await openpgp.createMessage({ text: 'aead' }), encryptionKeys: publicKey });
    expect((await inspectEncryptedMessage({ armoredMessage: v2 })).symmetric).toBe('seipd-v2');
  });
});

describe('inspectEncryptedMessage rejects (malformed)', () => {
  it('plain text and plain armored literal data', async () => {
    await expectMalformed({ armoredMessage: 'Dit is gewoon tekst, geen versleuteld bericht.' });
    const literal = (await openpgp.createMessage({ text: 'unencrypted' })).armor();
    await expectMalformed({ armoredMessage: literal });
  });

  it('a signed-only message, cleartext-signed or not', async () => {
    const cleartext = await openpgp.sign({ message: await openpgp.createCleartextMessage({ text: 'signed only' }), signingKeys: melder.raw });
    expect(cleartext).toContain('BEGIN PGP SIGNED MESSAGE');
    await expectMalformed({ armoredMessage: cleartext });
    const signed = await openpgp.sign({ message: await openpgp.createMessage({ text: 'signed only' }), signingKeys: melder.raw });
    await expectMalformed({ armoredMessage: signed });
  });

  it('truncated armor and truncated binary', async () => {
    const armoredMessage = await encryptMessage({ text: 'x'.repeat(2000), armoredRecipientKeys: [melder.armoredPublicKey], signingKey: melder.privateKey });
    await expectMalformed({ armoredMessage: armoredMessage.slice(0, Math.floor(armoredMessage.length / 2)) });
    // Lines cut out of the middle, the END line kept.
    const lines = armoredMessage.split('\n');
    await expectMalformed({ armoredMessage: [...lines.slice(0, 8), ...lines.slice(-3)].join('\n') });
    const binary = (await openpgp.unarmor(armoredMessage)).data as Uint8Array;
    await expectMalformed({ binaryMessage: binary.subarray(0, binary.length - 10) });
    await expectMalformed({ binaryMessage: binary.subarray(0, 120) });
  });

  it('random bytes and empty input', async () => {
    for (let i = 0; i < 20; i++) await expectMalformed({ binaryMessage: crypto.getRandomValues(new Uint8Array(500)) });
    await expectMalformed({ binaryMessage: new Uint8Array() });
    await expectMalformed({ armoredMessage: '' });
  });

  it('a password-only (SKESK) message, and a mixed PKESK + SKESK one', async () => {
    const passwordOnly = await openpgp.encrypt({ message: await openpgp.createMessage({ text: 'pw' }), passwords: ['secret'] });
    await expectMalformed({ armoredMessage: passwordOnly });
    const mixed = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: 'pw' }),
      passwords: ['secret'],
      encryptionKeys: await openpgp.readKey({ armoredKey: melder.armoredPublicKey }),
    });
    await expectMalformed({ armoredMessage: mixed });
  });

  it('a key instead of a message, and bad arguments', async () => {
    await expectMalformed({ armoredMessage: melder.armoredPublicKey });
    await expectMalformed({});
    await expectMalformed({ armoredMessage: fixture.armoredMessage, binaryMessage: new Uint8Array([1]) });
  });
});
