import { beforeAll, describe, expect, it } from 'vitest';
import { CryptoError, decryptFile, encryptFile, inspectEncryptedMessage } from '../../web/src/lib/crypto/index.ts';
import { chunkedStream, flipByte, makeParty, openpgp, readAll, type TestParty } from './helpers.ts';

let melder: TestParty;
let advisor: TestParty;
let outsider: TestParty;

beforeAll(async () => {
  [melder, advisor, outsider] = await Promise.all([makeParty('Melder'), makeParty('Vertrouwenspersoon'), makeParty('Outsider')]);
});

describe('encryptFile / decryptFile (streams)', () => {
  it('round-trips a 5 MB stream, streamed both ways, with a valid signature', async () => {
    const total = 5 * 1024 * 1024;
    const source = chunkedStream(total);
    const encrypted = await encryptFile({
      data: source.stream,
      armoredRecipientKeys: [melder.armoredPublicKey, advisor.armoredPublicKey],
      signingKey: melder.privateKey,
    });
    expect(encrypted).toBeInstanceOf(ReadableStream);
    const encryptedReader = encrypted.getReader();
    const chunks: Uint8Array[] = [];
    const first = await encryptedReader.read();
    chunks.push(first.value!);
    expect(source.pulled()).toBeLessThan(total / 2); // output starts before the input is read whole
    for (let r = await encryptedReader.read(); !r.done; r = await encryptedReader.read()) chunks.push(r.value);
    const ciphertext = new Uint8Array(Buffer.concat(chunks));
    expect(ciphertext.length).toBeGreaterThan(total);
    expect((await inspectEncryptedMessage({ binaryMessage: ciphertext })).symmetric).toBe('seipd-v1');

    // Feed the ciphertext back in as a chunked stream, as it would come from the server.
    const input = chunkedStream(ciphertext.length, 100_000, ciphertext);
    const result = await decryptFile({ data: input.stream, decryptionKey: advisor.privateKey, armoredVerificationKeys: [melder.armoredPublicKey] });
    expect(result.data).toBeInstanceOf(ReadableStream);
    const decryptedReader = result.data.getReader();
    const plainChunks: Uint8Array[] = [];
    const firstPlain = await decryptedReader.read();
    plainChunks.push(firstPlain.value!);
    expect(input.pulled()).toBeLessThan(ciphertext.length / 2); // plaintext is released while streaming
    for (let r = await decryptedReader.read(); !r.done; r = await decryptedReader.read()) plainChunks.push(r.value);
    const plaintext = Buffer.concat(plainChunks);
    expect(plaintext.length).toBe(total);
    expect(Buffer.compare(plaintext, source.bytes)).toBe(0);
    expect(await result.signature).toBe('valid');
  });

  it('accepts a Uint8Array and writes a binary message with no compression inside', async () => {
    const data = new TextEncoder().encode('small file');
    const ciphertext = await readAll(await encryptFile({ data, armoredRecipientKeys: [melder.armoredPublicKey], signingKey: advisor.privateKey }));
    expect(ciphertext[0]! & 0x80).toBe(0x80); // a binary packet, not armor
    const result = await decryptFile({ data: ciphertext, decryptionKey: melder.privateKey, armoredVerificationKeys: [advisor.armoredPublicKey] });
    expect(new TextDecoder().decode(await readAll(result.data))).toBe('small file');
    expect(await result.signature).toBe('valid');

    const message = await openpgp.readMessage({ binaryMessage: ciphertext });
    const decrypted = await message.decrypt([melder.raw]);
    expect(decrypted.packets.findPacket(openpgp.enums.packet.compressedData)).toBeUndefined();
    expect(decrypted.packets.findPacket(openpgp.enums.packet.literalData)).toBeDefined();
  });

  it('round-trips an empty file', async () => {
    const ciphertext = await readAll(
      await encryptFile({ data: new Uint8Array(), armoredRecipientKeys: [melder.armoredPublicKey], signingKey: melder.privateKey }),
    );
    const result = await decryptFile({ data: ciphertext, decryptionKey: melder.privateKey, armoredVerificationKeys: [melder.armoredPublicKey] });
    expect(await readAll(result.data)).toHaveLength(0);
    expect(await result.signature).toBe('valid');
  });

  it('a tampered stream errors at the end with tampered; the signature is then not valid', async () => {
    const { stream } = chunkedStream(300_000);
    const ciphertext = await readAll(await encryptFile({ data: stream, armoredRecipientKeys: [melder.armoredPublicKey], signingKey: melder.privateKey }));
    const result = await decryptFile({
      data: flipByte(ciphertext, Math.floor(ciphertext.length / 2)),
      decryptionKey: melder.privateKey,
      armoredVerificationKeys: [melder.armoredPublicKey],
    });
    const error = await readAll(result.data).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CryptoError);
    expect(error).toMatchObject({ code: 'tampered' });
    expect(await result.signature).not.toBe('valid');
  });

  it('a file signed by someone else is not valid', async () => {
    const ciphertext = await readAll(
      await encryptFile({ data: new Uint8Array([1, 2, 3]), armoredRecipientKeys: [melder.armoredPublicKey], signingKey: outsider.privateKey }),
    );
    const result = await decryptFile({ data: ciphertext, decryptionKey: melder.privateKey, armoredVerificationKeys: [advisor.armoredPublicKey] });
    expect(await readAll(result.data)).toEqual(new Uint8Array([1, 2, 3]));
    expect(await result.signature).toBe('invalid');
  });

  it('rejects up front: not_for_me for a third party, malformed for random bytes', async () => {
    const ciphertext = await readAll(
      await encryptFile({ data: new Uint8Array([1, 2, 3]), armoredRecipientKeys: [melder.armoredPublicKey], signingKey: melder.privateKey }),
    );
    await expect(decryptFile({ data: ciphertext, decryptionKey: outsider.privateKey, armoredVerificationKeys: [] })).rejects.toMatchObject({
      code: 'not_for_me',
    });
    await expect(
      decryptFile({ data: crypto.getRandomValues(new Uint8Array(1000)), decryptionKey: melder.privateKey, armoredVerificationKeys: [] }),
    ).rejects.toMatchObject({ code: 'malformed' });
  });
});
