import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// The web app lives in web/ but builds into <project>/dist/web, which the Fastify server serves.
// Paths are absolute so the build works from any working directory.
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: webRoot,
  publicDir: `${webRoot}public`,
  // With a non-default root the plugin would not find the Svelte config on its own.
  plugins: [svelte({ configFile: `${webRoot}svelte.config.js` })],
  build: {
    outDir: `${projectRoot}dist/web`,
    emptyOutDir: true,
    // The server's CSP forbids inline scripts; the modulepreload polyfill is one.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URIs into JS/CSS; plain files are easier to reason about under CSP.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
