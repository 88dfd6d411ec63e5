import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CryptoError,
  deriveKeysFromSecret,
  deriveMelderKeys,
  generateRandomKeyBytes,
  normaliseCaseCode,
  normalisePassphrase,
} from '../../web/src/lib/crypto/index.ts';
import * as fixture from './fixtures.ts';

const base64url = (bytes: ArrayBuffer) => Buffer.from(bytes).toString('base64url');

describe('deriveMelderKeys', () => {
  const input = { passphrase: fixture.melderPassphrase, organisationSlug: fixture.organisationSlug, caseCode: fixture.caseCode };

  it('gives the known answer', async () => {
    const keys = await deriveMelderKeys(input);
    expect(keys).toEqual({ loginKey: fixture.melderLoginKey, unlockKey: fixture.melderUnlockKey });
    expect(keys.loginKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keys.unlockKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('matches an independent HKDF-SHA-256 (node:crypto hkdfSync)', () => {
    const ikm = Buffer.from('kdnwprteghsavmbtlqzc8r4e', 'utf8');
    const salt = Buffer.from('klankbord/melder/v1\u0000acme-bv\u000048210937', 'utf8');
    expect(base64url(hkdfSync('sha256', ikm, salt, 'login', 32))).toBe(fixture.melderLoginKey);
    expect(base64url(hkdfSync('sha256', ikm, salt, 'unlock', 32))).toBe(fixture.melderUnlockKey);
  });

  it('normalises case, separators and case-code punctuation', async () => {
    expect(normalisePassphrase('KDNW-prte ghsa')).toBe('kdnwprteghsa');
    expect(normalisePassphrase(' kdnw_prte.ghsa\n')).toBe('kdnwprteghsa');
    expect(normaliseCaseCode(' 4821-0937 ')).toBe('48210937');
    const a = await deriveMelderKeys({ ...input, passphrase: 'KDNW PRTE-GHSA vmbt—LQZC 8R4E', caseCode: '4821 0937' });
    expect(a).toEqual(await deriveMelderKeys(input));
    expect(await deriveMelderKeys({ passphrase: 'KDNW-prte ghsa', organisationSlug: 'o', caseCode: '1' })).toEqual(
      await deriveMelderKeys({ passphrase: 'kdnwprteghsa', organisationSlug: 'o', caseCode: '1' }),
    );
  });

  it('binds the keys to organisation and case code; login key differs from unlock key', async () => {
    const base = await deriveMelderKeys(input);
    const otherOrg = await deriveMelderKeys({ ...input, organisationSlug: 'other-org' });
    const otherCode = await deriveMelderKeys({ ...input, caseCode: '4821-0938' });
    const all = [base, otherOrg, otherCode].flatMap((k) => [k.loginKey, k.unlockKey]);
    expect(new Set(all).size).toBe(6);
    expect(base.loginKey).not.toBe(base.unlockKey);
  });

  it('rejects an empty passphrase', async () => {
    await expect(deriveMelderKeys({ ...input, passphrase: ' -- ' })).rejects.toMatchObject({ code: 'malformed' });
  });
});

describe('deriveKeysFromSecret', () => {
  it('is HKDF-SHA-256 with salt = context', async () => {
    const secretBytes = new Uint8Array(32).map((_, i) => i);
    const keys = await deriveKeysFromSecret({ secretBytes, context: 'klankbord/advisor/v1' });
    expect(keys.loginKey).toBe(base64url(hkdfSync('sha256', secretBytes, 'klankbord/advisor/v1', 'login', 32)));
    expect(keys.unlockKey).toBe(base64url(hkdfSync('sha256', secretBytes, 'klankbord/advisor/v1', 'unlock', 32)));
  });

  it('rejects empty key material', async () => {
    await expect(deriveKeysFromSecret({ secretBytes: new Uint8Array(), context: 'x' })).rejects.toBeInstanceOf(CryptoError);
  });
});

describe('generateRandomKeyBytes', () => {
  it('returns n random bytes', () => {
    const a = generateRandomKeyBytes(32);
    expect(a).toHaveLength(32);
    expect(a).not.toEqual(generateRandomKeyBytes(32));
    expect(() => generateRandomKeyBytes(0)).toThrow(RangeError);
  });
});
