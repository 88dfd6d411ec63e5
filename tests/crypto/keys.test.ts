import { describe, expect, it } from 'vitest';
import {
  CryptoError,
  decryptBytes,
  decryptMessage,
  deriveMelderKeys,
  exportPrivateKey,
  generateKey,
  getFingerprint,
  getKeyInfo,
  getPublicKeyArmored,
  lockPrivateKey,
  unlockPrivateKey,
} from '../../web/src/lib/crypto/index.ts';
import * as fixture from './fixtures.ts';
import { openpgp } from './helpers.ts';

describe('committed fixtures (format drift)', () => {
  it('unlocks the fixture melder key with the key derived from the fixture passphrase', async () => {
    const { unlockKey } = await deriveMelderKeys({
      passphrase: fixture.melderPassphrase,
      organisationSlug: fixture.organisationSlug,
      caseCode: fixture.caseCode,
    });
    const melder = await unlockPrivateKey({ armoredLockedKey: fixture.melderLockedKey, unlockKey });
    expect(await getFingerprint({ privateKey: melder })).toBe(fixture.melderFingerprint);
  });

  it('still decrypts and verifies the fixture message, for both recipients', async () => {
    for (const [lockedKey, unlockKey] of [
      [fixture.melderLockedKey, fixture.melderUnlockKey],
      [fixture.advisorLockedKey, fixture.advisorUnlockKey],
    ] as const) {
      const decryptionKey = await unlockPrivateKey({ armoredLockedKey: lockedKey, unlockKey });
      const result = await decryptMessage({
        armoredMessage: fixture.armoredMessage,
        decryptionKey,
        armoredVerificationKeys: [fixture.advisorPublicKey, fixture.melderPublicKey],
      });
      expect(result).toEqual({ text: fixture.messageText, signature: 'valid', signerFingerprint: fixture.advisorFingerprint });
    }
  });

  it('still decrypts the fixture binary manifest', async () => {
    const decryptionKey = await unlockPrivateKey({ armoredLockedKey: fixture.advisorLockedKey, unlockKey: fixture.advisorUnlockKey });
    const result = await decryptBytes({
      data: new Uint8Array(Buffer.from(fixture.manifestMessageBase64, 'base64')),
      decryptionKey,
      armoredVerificationKeys: [fixture.melderPublicKey],
    });
    expect(new TextDecoder().decode(result.data)).toBe(fixture.manifestJson);
    expect(result.signature).toBe('valid');
    expect(result.signerFingerprint).toBe(fixture.melderFingerprint);
  });
});

describe('generateKey / getKeyInfo', () => {
  it('makes a v4 EdDSA key with an ECDH Curve25519 subkey and a name-only user ID', async () => {
    const { armoredPublicKey, privateKey } = await generateKey({ name: 'Melder' });
    const info = await getKeyInfo({ armoredKey: armoredPublicKey });
    expect(info.fingerprint).toMatch(/^[0-9a-f]{40}$/);
    expect(info.fingerprint).toBe(await getFingerprint({ privateKey }));
    expect(info.name).toBe('Melder');
    expect(info.algorithm).toBe('eddsaLegacy/ed25519Legacy');
    expect(info.keyIds).toHaveLength(2);
    for (const id of info.keyIds) expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(info.keyIds[0]).toBe(info.fingerprint.slice(-16));
    expect(info.encryptionKeyIds).toEqual([info.keyIds[1]]);

    const key = await openpgp.readKey({ armoredKey: armoredPublicKey });
    expect(key.keyPacket.version).toBe(4);
    expect(key.subkeys).toHaveLength(1);
    expect(key.subkeys[0]!.getAlgorithmInfo()).toMatchObject({ algorithm: 'ecdh', curve: 'curve25519Legacy' });
    expect(key.users[0]!.userID!.userID).toBe('Melder'); // no email
    // (getPrimarySelfSignature and enums.features exist at runtime but are missing from openpgp's .d.ts.)
    const selfSig = await (key as unknown as { getPrimarySelfSignature(): Promise<openpgp.SignaturePacket> }).getPrimarySelfSignature();
    const seipdv2Feature = (openpgp.enums as unknown as { features: { seipdv2: number } }).features.seipdv2;
    expect(seipdv2Feature).toBe(8);
    expect(selfSig.features![0]! & seipdv2Feature).toBe(0); // so senders use SEIPD v1
    expect(selfSig.preferredSymmetricAlgorithms![0]).toBe(openpgp.enums.symmetric.aes256);
    expect(selfSig.preferredCompressionAlgorithms![0]).toBe(openpgp.enums.compression.uncompressed);
  });

  it('getPublicKeyArmored gives the public key of an unlocked key', async () => {
    const { armoredPublicKey, privateKey } = await generateKey({ name: 'A' });
    const armored = await getPublicKeyArmored({ privateKey });
    expect(armored).toContain('BEGIN PGP PUBLIC KEY BLOCK');
    expect((await getKeyInfo({ armoredKey: armored })).fingerprint).toBe((await getKeyInfo({ armoredKey: armoredPublicKey })).fingerprint);
  });

  it('rejects garbage as malformed', async () => {
    await expect(getKeyInfo({ armoredKey: 'not a key' })).rejects.toMatchObject({ code: 'malformed' });
  });
});

describe('lockPrivateKey / unlockPrivateKey / exportPrivateKey', () => {
  it('round-trips, with a GnuPG 2.2-readable protection (iterated S2K, AES-256 CFB)', async () => {
    const { privateKey } = await generateKey({ name: 'Melder' });
    const locked = await lockPrivateKey({ privateKey, unlockKey: 'k1' });
    expect(locked).toContain('BEGIN PGP PRIVATE KEY BLOCK');
    const unlocked = await unlockPrivateKey({ armoredLockedKey: locked, unlockKey: 'k1' });
    expect(await getFingerprint({ privateKey: unlocked })).toBe(await getFingerprint({ privateKey }));

    const raw = await openpgp.readPrivateKey({ armoredKey: locked });
    for (const packet of [raw.keyPacket, ...raw.subkeys.map((s) => s.keyPacket)] as unknown as Array<{
      s2kUsage: number;
      symmetric: number;
      s2k: { type: string };
      isDecrypted(): boolean;
    }>) {
      expect(packet.isDecrypted()).toBe(false);
      expect(packet.s2kUsage).toBe(254); // CFB + SHA-1 checksum, not AEAD (253)
      expect(packet.symmetric).toBe(openpgp.enums.symmetric.aes256);
      expect(packet.s2k.type).toBe('iterated');
    }
  });

  it('rejects a wrong unlock key with wrong_key', async () => {
    const { privateKey } = await generateKey({ name: 'Melder' });
    const locked = await lockPrivateKey({ privateKey, unlockKey: 'right' });
    const error = await unlockPrivateKey({ armoredLockedKey: locked, unlockKey: 'wrong' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CryptoError);
    expect(error).toMatchObject({ code: 'wrong_key' });
  });

  it('rejects a locked key with wrong_key for the fixture too, and garbage as malformed', async () => {
    await expect(unlockPrivateKey({ armoredLockedKey: fixture.melderLockedKey, unlockKey: fixture.advisorUnlockKey })).rejects.toMatchObject({
      code: 'wrong_key',
    });
    await expect(unlockPrivateKey({ armoredLockedKey: fixture.melderPublicKey, unlockKey: 'x' })).rejects.toMatchObject({ code: 'malformed' });
    await expect(unlockPrivateKey({ armoredLockedKey: 'garbage', unlockKey: 'x' })).rejects.toMatchObject({ code: 'malformed' });
  });

  it('exportPrivateKey locks with the given passphrase', async () => {
    const { privateKey } = await generateKey({ name: 'Advisor' });
    const exported = await exportPrivateKey({ privateKey, passphrase: 'export-pass' });
    await expect(unlockPrivateKey({ armoredLockedKey: exported, unlockKey: 'export-pass' })).resolves.toBeDefined();
  });
});
