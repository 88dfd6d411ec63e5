// Distinct loopback source addresses (127.x.y.z all reach the server on Linux), so per-address
// rate limits see as many different people as the benchmark needs. Each address is used once
// per purpose; the bench never reuses one within a rate-limit window.
let counter = 0;

/** A fresh loopback address in 127.64.0.0/10, different on every call. */
export function nextAddress(): string {
  const n = ++counter;
  return `127.${64 + Math.floor(n / 62_500)}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
}
