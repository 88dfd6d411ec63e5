// The browser's openpgp: the lightweight build (its rarely used parts load as further chunks).
// Only ever reached through the dynamic import in load.ts, so Vite puts it in its own lazily
// loaded chunk. Never loaded in Node: `openpgp/lightweight` has only a "browser" export condition.
export * from 'openpgp/lightweight';
