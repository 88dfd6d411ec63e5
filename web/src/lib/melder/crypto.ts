// The crypto module is loaded only when a report is started or a case opened, so the public
// organisation page stays small. A failed chunk download reads as a network failure.
import { ApiError } from '../api/client.ts';

export type CryptoModule = typeof import('../crypto/index.ts');

let loading: Promise<CryptoModule> | undefined;

export function loadCrypto(): Promise<CryptoModule> {
  loading ??= import('../crypto/index.ts').catch(() => {
    loading = undefined;
    throw new ApiError(0, 'network', 'The encryption code could not be loaded');
  });
  return loading;
}

/** A lazily loaded chunk that failed to download (inside lib/crypto too) is a network failure. */
export function asNetworkError(error: unknown): unknown {
  if (error instanceof TypeError && /dynamically imported module|Importing a module script failed|Failed to fetch/i.test(error.message)) {
    return new ApiError(0, 'network', error.message);
  }
  return error;
}
