// The only module in Klankbord that talks to openpgp (loaded lazily, see load.ts). Everything
// else calls these few functions; each takes one options object and throws only CryptoError.
export { CryptoError, type CryptoErrorCode } from './errors.ts';
export {
  deriveMelderKeys,
  deriveKeysFromSecret,
  normalisePassphrase,
  normaliseCaseCode,
  generateRandomKeyBytes,
  type DerivedKeys,
} from './kdf.ts';
export {
  generateKey,
  lockPrivateKey,
  unlockPrivateKey,
  exportPrivateKey,
  getKeyInfo,
  getPublicKeyArmored,
  getFingerprint,
  type PrivateKeyHandle,
  type KeyInfo,
} from './keys.ts';
export { encryptMessage, decryptMessage, type SignatureStatus } from './messages.ts';
export { encryptFile, decryptFile, encryptBytes, decryptBytes } from './files.ts';
export { inspectEncryptedMessage, type EncryptedMessageInfo } from './inspect.ts';
