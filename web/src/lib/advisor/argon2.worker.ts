// Argon2id of an advisor's password, off the main thread (64 MiB, 3 passes: about a second).
// Message in: { password, email }; out: { secret } (32 bytes, transferred) or { error }.
// hash-wasm compiles its embedded WebAssembly with WebAssembly.compile — allowed by the CSP's
// 'wasm-unsafe-eval'; it never uses eval or new Function. The worker is made for one derivation
// and terminated after it, so the 64 MiB of memory are freed at once.
import { argon2id } from 'hash-wasm';
import { ARGON2_PARAMS, passwordSalt } from './argon2-params.ts';

interface Request {
  password: string;
  email: string;
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<Request>) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
};

scope.onmessage = async (event) => {
  try {
    const { password, email } = event.data;
    const salt = await passwordSalt(email);
    const secret = await argon2id({
      password: new TextEncoder().encode(password.normalize('NFKC')),
      salt,
      ...ARGON2_PARAMS,
      outputType: 'binary',
    });
    scope.postMessage({ secret }, [secret.buffer]);
  } catch (error) {
    scope.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
