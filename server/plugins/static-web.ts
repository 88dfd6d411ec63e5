// Serves the built single-page app from dist/web, with a fallback to index.html for client
// routes (/<org-slug>, /advisor/...). Unknown /api paths and missing assets stay 404 JSON.
import path from 'node:path';
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

export default fp(async function staticWeb(app: FastifyInstance, opts: { webDir: string }) {
  const hasApp = existsSync(path.join(opts.webDir, 'index.html'));
  if (hasApp) {
    await app.register(fastifyStatic, {
      root: opts.webDir,
      wildcard: true,
      index: false,
      cacheControl: false,
      etag: false,
      lastModified: false,
      dotfiles: 'deny',
      // gzip/brotli copies made at build time (server/web-build.ts), when the browser accepts them.
      preCompressed: true,
    });
    // The root is a directory to @fastify/static (403); it is the app.
    app.get('/', (_req, reply) => reply.type('text/html; charset=utf-8').sendFile('index.html'));
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0] ?? '/';
    const looksLikeFile = /\.[a-z0-9]+$/i.test(url);
    if (hasApp && (req.method === 'GET' || req.method === 'HEAD') && !url.startsWith('/api/') && url !== '/api' && !looksLikeFile) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    return reply.code(404).send({ error: { code: 'not_found', message: 'Not found' } });
  });
});
