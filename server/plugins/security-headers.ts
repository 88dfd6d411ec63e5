// Security headers for every response: a strict CSP without 'unsafe-inline' for scripts
// ('wasm-unsafe-eval' only, for Argon2 in the browser), no referrer, same-origin isolation,
// a Permissions-Policy denying what the app does not use, HSTS behind https, and no-store.
import helmet, { type HelmetOptions } from 'helmet';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

const PERMISSIONS_POLICY = [
  'accelerometer=()', 'autoplay=()', 'bluetooth=()',
  'browsing-topics=()', 'camera=()', 'display-capture=()', 'geolocation=()', 'gyroscope=()',
  'hid=()', 'idle-detection=()', 'magnetometer=()', 'microphone=()', 'midi=()', 'payment=()',
  'publickey-credentials-get=()', 'screen-wake-lock=()', 'serial=()', 'usb=()', 'xr-spatial-tracking=()',
].join(', ');

/** The options we give helmet (the library @fastify/helmet wraps). */
export function helmetOptions(secure: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        mediaSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
    hsts: secure ? { maxAge: 63072000, includeSubDomains: true, preload: false } : false,
    xFrameOptions: { action: 'deny' },
  };
}

/**
 * Every header helmet would set with these options, computed once. Our options hold no
 * per-request values (no nonces, no functions), so the headers are the same for every response;
 * @fastify/helmet instead re-parses the options and sets each header on every request, which
 * cost 0.15 ms per request (see docs/decisions.md). tests/server/http.test.ts checks the result
 * equals what @fastify/helmet sends.
 */
export function securityHeaderSet(secure: boolean): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failed: unknown = null;
  helmet(helmetOptions(secure))({} as never, res as never, (err?: unknown) => {
    if (err) failed = err;
  });
  if (failed) throw failed;
  return {
    ...headers,
    'permissions-policy': PERMISSIONS_POLICY,
    // Every response, the app shell and its assets included: a shared or seized device keeps
    // no trace of a visit in its HTTP cache (I4). The bundle is small; the cost is acceptable.
    'cache-control': 'no-store',
    'x-robots-tag': 'noindex, nofollow',
  };
}

export default fp(async function securityHeaders(app: FastifyInstance, opts: { secure: boolean }) {
  const headers = securityHeaderSet(opts.secure);
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
});
