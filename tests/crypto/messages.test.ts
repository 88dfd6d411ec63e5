import { beforeAll, describe, expect, it } from 'vitest';
import {
  CryptoError,
  decryptBytes,
  decryptMessage,
  encryptBytes,
  encryptMessage,
  getKeyInfo,
  inspectEncryptedMessage,
} from '../../web/src/lib/crypto/index.ts';
import { allPacketTags, flipByte, makeParty, openpgp, type TestParty } from './helpers.ts';

let melder: TestParty;
let advisor: TestParty;
let outsider: TestParty;

beforeAll(async () => {
  [melder, advisor, outsider] = await Promise.all([makeParty('Melder'), makeParty('Vertrouwenspersoon'), makeParty('Outsider')]);
});

const toBoth = () => [melder.armoredPublicKey, advisor.armoredPublicKey];

describe('encryptMessage / decryptMessage round trips', () => {
  const texts: Array<[string, string]> = [
    ['unicode', 'Goedemiddag — ik wil iets melden: “ongewenst gedrag” 😟 ½ ünïcödé 中文 עברית'],
    ['empty', ''],
    ['100 KB', 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(1800).slice(0, 100_000)],
  ];
  for (const [label, text] of texts) {
    it(`round-trips ${label} text to both recipients with a valid signature`, async () => {
      const armoredMessage = await encryptMessage({ text, armoredRecipientKeys: toBoth(), signingKey: melder.privateKey });
      expect(armoredMessage).toMatch(/^-----BEGIN PGP MESSAGE-----/);
      for (const reader of [melder, advisor]) {
        const result = await decryptMessage({
          armoredMessage,
          decryptionKey: reader.privateKey,
          armoredVerificationKeys: [melder.armoredPublicKey, advisor.armoredPublicKey],
        });
        expect(result.text).toBe(text);
        expect(result.signature).toBe('valid');
        expect(result.signerFingerprint).toBe(melder.raw.getFingerprint());
      }
    });
  }

  it('round-trips bytes with encryptBytes / decryptBytes', async () => {
    const data = new TextEncoder().encode(JSON.stringify({ name: 'verslag.pdf', type: 'application/pdf', size: 1234 }));
    const encrypted = await encryptBytes({ data, armoredRecipientKeys: toBoth(), signingKey: advisor.privateKey });
    expect(encrypted).toBeInstanceOf(Uint8Array);
    const result = await decryptBytes({ data: encrypted, decryptionKey: melder.privateKey, armoredVerificationKeys: [advisor.armoredPublicKey] });
    expect(result.data).toEqual(data);
    expect(result.signature).toBe('valid');
    expect(result.signerFingerprint).toBe(advisor.raw.getFingerprint());
  });

  it('requires at least one recipient', async () => {
    await expect(encryptMessage({ text: 'x', armoredRecipientKeys: [], signingKey: melder.privateKey })).rejects.toMatchObject({ code: 'malformed' });
    await expect(encryptMessage({ text: 'x', armoredRecipientKeys: ['junk'], signingKey: melder.privateKey })).rejects.toMatchObject({
      code: 'malformed',
    });
  });
});

describe('wrong keys and signatures', () => {
  it('not_for_me when decrypting with a third party key', async () => {
    const armoredMessage = await encryptMessage({ text: 'secret', armoredRecipientKeys: toBoth(), signingKey: melder.privateKey });
    const error = await decryptMessage({ armoredMessage, decryptionKey: outsider.privateKey, armoredVerificationKeys: [melder.armoredPublicKey] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CryptoError);
    expect(error).toMatchObject({ code: 'not_for_me' });
    const bytes = await encryptBytes({ data: new Uint8Array([1, 2, 3]), armoredRecipientKeys: toBoth(), signingKey: melder.privateKey });
    await expect(decryptBytes({ data: bytes, decryptionKey: outsider.privateKey, armoredVerificationKeys: [] })).rejects.toMatchObject({
      code: 'not_for_me',
    });
  });

  it('a message signed by C but verified against A is never valid', async () => {
    // The outsider encrypts to the melder and signs with their own key, pretending to be the advisor.
    const armoredMessage = await encryptMessage({ text: 'I am your advisor', armoredRecipientKeys: [melder.armoredPublicKey], signingKey: outsider.privateKey });
    const result = await decryptMessage({ armoredMessage, decryptionKey: melder.privateKey, armoredVerificationKeys: [advisor.armoredPublicKey] });
    expect(result.text).toBe('I am your advisor');
    expect(result.signature).not.toBe('valid');
    expect(result.signature).toBe('invalid');
    expect(result.signerFingerprint).toBeNull();
    // With no verification keys at all the signature cannot be valid either.
    const unverified = await decryptMessage({ armoredMessage, decryptionKey: melder.privateKey, armoredVerificationKeys: [] });
    expect(unverified.signature).toBe('invalid');
  });

  it('an unsigned message is reported as missing', async () => {
    const message = await openpgp.createMessage({ text: 'unsigned' });
    const armoredMessage = await openpgp.encrypt({ message, encryptionKeys: await openpgp.readKey({ armoredKey: melder.armoredPublicKey }) });
    const result = await decryptMessage({ armoredMessage, decryptionKey: melder.privateKey, armoredVerificationKeys: [advisor.armoredPublicKey] });
    expect(result).toEqual({ text: 'unsigned', signature: 'missing', signerFingerprint: null });
  });

  it('a forged signature (right key ID, wrong signature bytes) is invalid', async () => {
    // A [Signature, Literal] message: a detached advisor signature with its last byte (the end
    // of the signature MPI) flipped, in front of the literal data; encrypted to the melder.
    const detached = await openpgp.sign({ message: await openpgp.createMessage({ text: 'signed' }), signingKeys: advisor.raw, detached: true, format: 'binary' });
    const literal = (await openpgp.createMessage({ text: 'signed' })).write() as Uint8Array;
    const forged = new Uint8Array([...flipByte(detached, detached.length - 1), ...literal]);
    const armoredMessage = await openpgp.encrypt({
      message: await openpgp.readMessage({ binaryMessage: forged }),
      encryptionKeys: await openpgp.readKey({ armoredKey: melder.armoredPublicKey }),
    });
    const result = await decryptMessage({ armoredMessage, decryptionKey: melder.privateKey, armoredVerificationKeys: [advisor.armoredPublicKey] });
    expect(result.text).toBe('signed');
    expect(result.signature).toBe('invalid');
  });
});

describe('tampering', () => {
  it('flipping a byte in the middle of a binary message throws a CryptoError; inside the encrypted data: tampered', async () => {
    const data = new Uint8Array(10_000).fill(42);
    const encrypted = await encryptBytes({ data, armoredRecipientKeys: toBoth(), signingKey: melder.privateKey });
    const packets = await openpgp.readMessage({ binaryMessage: encrypted });
    const seipd = packets.packets.findPacket(openpgp.enums.packet.symEncryptedIntegrityProtectedData);
    expect(seipd).toBeDefined();
    // The two PKESK packets are ~94 bytes each, so the middle is well inside the SEIPD body.
    const middle = Math.floor(encrypted.length / 2);
    const error = await decryptBytes({ data: flipByte(encrypted, middle), decryptionKey: melder.privateKey, armoredVerificationKeys: [] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CryptoError);
    expect(error).toMatchObject({ code: 'tampered' });
    // Near the end: the encrypted MDC.
    await expect(
      decryptBytes({ data: flipByte(encrypted, encrypted.length - 5), decryptionKey: advisor.privateKey, armoredVerificationKeys: [] }),
    ).rejects.toMatchObject({ code: 'tampered' });
    // Anywhere in the first packet (structure, key ID, ephemeral key, wrapped session key): some CryptoError.
    for (const index of [0, 1, 5, 15, 40, 80]) {
      await expect(
        decryptBytes({ data: flipByte(encrypted, index), decryptionKey: melder.privateKey, armoredVerificationKeys: [] }),
      ).rejects.toBeInstanceOf(CryptoError);
    }
  });

  it('a modified armored message is tampered; garbage armor is malformed', async () => {
    const armoredMessage = await encryptMessage({ text: 'x'.repeat(3000), armoredRecipientKeys: toBoth(), signingKey: melder.privateKey });
    const binary = (await openpgp.unarmor(armoredMessage)).data as Uint8Array;
    const tampered = openpgp.armor(openpgp.enums.armor.message, flipByte(binary, binary.length - 100));
    await expect(decryptMessage({ armoredMessage: tampered, decryptionKey: melder.privateKey, armoredVerificationKeys: [] })).rejects.toMatchObject({
      code: 'tampered',
    });
    for (const garbage of ['hello', '-----BEGIN PGP MESSAGE-----\n\nnot base64!!\n-----END PGP MESSAGE-----', armoredMessage.slice(0, 200)]) {
      await expect(decryptMessage({ armoredMessage: garbage, decryptionKey: melder.privateKey, armoredVerificationKeys: [] })).rejects.toMatchObject({
        code: 'malformed',
      });
    }
  });
});

describe('packet-level checks of what encryptMessage writes', () => {
  it('2 PKESKs for exactly the encryption subkeys, SEIPD v1 with MDC, AES-256, signed inside, no compression', async () => {
    const armoredMessage = await encryptMessage({ text: 'packet check', armoredRecipientKeys: toBoth(), signingKey: advisor.privateKey });
    const expectedRecipients = [
      ...(await getKeyInfo({ armoredKey: melder.armoredPublicKey })).encryptionKeyIds,
      ...(await getKeyInfo({ armoredKey: advisor.armoredPublicKey })).encryptionKeyIds,
    ];
    expect(expectedRecipients).toHaveLength(2);

    // What the server sees.
    const inspected = await inspectEncryptedMessage({ armoredMessage });
    expect(inspected.symmetric).toBe('seipd-v1');
    expect(inspected.hasLiteralOutsideEncryption).toBe(false);
    expect([...inspected.recipientKeyIds].sort()).toEqual([...expectedRecipients].sort());

    // What openpgp sees.
    const message = await openpgp.readMessage({ armoredMessage });
    const tags = [...message.packets].map((p) => (p.constructor as unknown as { tag: number }).tag);
    const { packet } = openpgp.enums;
    expect(tags).toEqual([packet.publicKeyEncryptedSessionKey, packet.publicKeyEncryptedSessionKey, packet.symEncryptedIntegrityProtectedData]);
    const pkesks = message.packets.filterByTag(packet.publicKeyEncryptedSessionKey) as unknown as Array<{
      version: number;
      publicKeyID: openpgp.KeyID;
      publicKeyAlgorithm: number;
    }>;
    expect(pkesks.map((p) => p.version)).toEqual([3, 3]);
    expect(pkesks.map((p) => p.publicKeyID.toHex()).sort()).toEqual([...expectedRecipients].sort());
    expect(pkesks.every((p) => p.publicKeyAlgorithm === openpgp.enums.publicKey.ecdh)).toBe(true);
    const seipd = message.packets.findPacket(packet.symEncryptedIntegrityProtectedData) as unknown as { version: number };
    expect(seipd.version).toBe(1);

    const [sessionKey] = await openpgp.decryptSessionKeys({ message, decryptionKeys: melder.raw });
    expect(sessionKey!.algorithm).toBe('aes256');

    // (decryptSessionKeys consumed the PKESK packets of `message`, so read it again.)
    const decrypted = await (await openpgp.readMessage({ armoredMessage })).decrypt([advisor.raw]);
    const signature = decrypted.packets.findPacket(packet.onePassSignature) as unknown as { issuerKeyID: openpgp.KeyID };
    expect(signature.issuerKeyID.equals(advisor.raw.getKeyID())).toBe(true);
    const innerTags = await allPacketTags(decrypted);
    expect(innerTags).toEqual([packet.onePassSignature, packet.literalData, packet.signature]);
    expect(innerTags).not.toContain(packet.compressedData);
  });
});
