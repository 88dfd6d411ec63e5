/**
 * Why a crypto operation failed, as a stable code the UI translates:
 * - `wrong_key`: the unlock key / passphrase does not open this private key;
 * - `tampered`: the ciphertext failed its integrity check (modified or corrupted data);
 * - `bad_signature`: a signature could not be checked (reserved; decryption reports signatures as a value);
 * - `malformed`: the input is not the kind of OpenPGP data expected (bad armor, wrong packets, bad input);
 * - `not_for_me`: the message is not encrypted to the given key.
 */
export type CryptoErrorCode = 'wrong_key' | 'tampered' | 'bad_signature' | 'malformed' | 'not_for_me';

/** The only error type thrown by `lib/crypto`; `code` is meant for the UI, `message` for logs. */
export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? code, options);
    this.name = 'CryptoError';
    this.code = code;
  }
}

/**
 * Turns whatever openpgp threw into a CryptoError. openpgp only throws plain Errors, so the
 * classification goes by message text; anything unrecognised gets `fallback`.
 */
export function toCryptoError(err: unknown, fallback: CryptoErrorCode): CryptoError {
  if (err instanceof CryptoError) return err;
  const message = err instanceof Error ? err.message : String(err);
  let code: CryptoErrorCode = fallback;
  if (/Modification detected|Authentication tag mismatch|Integrity|MDC/i.test(message)) code = 'tampered';
  else if (/Incorrect key passphrase/i.test(message)) code = 'wrong_key';
  else if (/No decryption key packets found|Session key decryption failed/i.test(message)) code = 'not_for_me';
  else if (/armor|parsing|Unexpected end of packet|grammar|Unknown packet|not conform|Packet not allowed/i.test(message)) code = 'malformed';
  return new CryptoError(code, message, { cause: err });
}
