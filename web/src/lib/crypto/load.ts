import type * as OpenPGPModule from 'openpgp';

/** The openpgp module namespace; only `lib/crypto` ever sees this type. */
export type OpenPGP = typeof OpenPGPModule;
export type OpenPGPConfig = OpenPGPModule.PartialConfig;
export type OpenPGPPrivateKey = OpenPGPModule.PrivateKey;
export type OpenPGPPublicKey = OpenPGPModule.PublicKey;
export type OpenPGPKey = OpenPGPModule.Key;

let loading: Promise<OpenPGP> | undefined;

// The full build, for Node only (vitest, the Fastify server via inspect.ts). The specifier is a
// variable and marked @vite-ignore so that Vite neither bundles nor emits it for the browser;
// in Node the runtime resolves 'openpgp' through the package's "import" condition.
const FULL_BUILD = 'openpgp';

function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return typeof proc?.versions?.node === 'string';
}

/**
 * Loads openpgp once and caches it. In the browser (window or Web Worker) this is the
 * lightweight build as a lazily loaded chunk; in Node it is the full build.
 *
 * `openpgp/lightweight` has only a "browser" export condition, so it cannot resolve in Node —
 * and Vite's SSR transform (vitest) resolves every literal dynamic import at transform time.
 * Hence the indirection through ./openpgp-browser.ts: Vite's browser build sees that literal
 * import and makes a separate chunk of it (plus the lightweight build), while in Node that file
 * is never loaded. The full build is imported through a variable that Vite ignores, so it is
 * never bundled into the browser app.
 */
export function loadOpenPGP(): Promise<OpenPGP> {
  loading ??= (isNode()
    ? (import(/* @vite-ignore */ FULL_BUILD) as Promise<OpenPGP>)
    : import('./openpgp-browser.ts')
  ).catch((err: unknown) => {
    loading = undefined; // allow a retry, e.g. after a failed chunk download
    throw err;
  });
  return loading;
}

/**
 * The openpgp settings for everything this module writes. Passed explicitly on every call
 * (instead of mutating openpgp.config) and pinned even where they equal the v6 defaults, so a
 * future default change cannot silently alter the output format.
 *
 * GnuPG interoperability (invariant I7): Debian 12's gpg 2.2 must be able to import our keys
 * and decrypt our messages. gpg 2.2 reads neither v6 keys, nor the RFC 9580 Ed25519/X25519
 * algorithms, nor SEIPD v2 (AEAD) messages, nor AEAD- or Argon2-protected secret keys. So:
 * - v4 keys with the legacy curve25519 algorithms (EdDSA + ECDH/Curve25519), `v6Keys: false`;
 * - `aeadProtect: false`: keys advertise only the MDC feature, so messages are SEIPD v1
 *   (CFB + SHA-1 MDC) and private keys are locked with iterated+salted S2K, AES-256 CFB;
 * - AES-256 as preferred cipher, SHA-512 for signatures, no compression (compression leaks
 *   information about the plaintext and bloats the attack surface; files are mostly
 *   compressed already);
 * - no version/comment headers in armor.
 */
export function writeConfig(openpgp: OpenPGP): OpenPGPConfig {
  const { enums } = openpgp;
  return {
    v6Keys: false,
    aeadProtect: false,
    preferredSymmetricAlgorithm: enums.symmetric.aes256,
    preferredHashAlgorithm: enums.hash.sha512,
    preferredCompressionAlgorithm: enums.compression.uncompressed,
    s2kType: enums.s2k.iterated,
    s2kIterationCountByte: 224,
    showVersion: false,
    showComment: false,
  };
}
