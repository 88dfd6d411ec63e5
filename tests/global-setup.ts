// Once per test run: build the web app if it is missing or stale (browser tests and the
// static-serving tests need dist/web).
import { ensureWebBuilt } from '../server/web-build.ts';

export default async function setup() {
  await ensureWebBuilt((line) => console.log(`[setup] ${line}`));
}
