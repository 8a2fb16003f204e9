import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { sqliteWasmUrls } from './scripts/sqlite-wasm-urls.mjs';

// The playground lives in demo/. The worker imports SQLite's .wasm with
// `?url`, so Vite serves and bundles it from the app's own origin (no CDN);
// sqliteWasmUrls keeps the library's unused helper scripts out of the build.
export default defineConfig({
  root: 'demo',
  build: {
    // FF_DEMO_OUT lets two e2e suites build side by side (see playwright.config.ts).
    outDir: process.env['FF_DEMO_OUT'] ?? '../dist-demo',
    emptyOutDir: true,
    target: 'es2022',
    // The playground, plus the pages the e2e tests and the browser benchmark drive.
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./demo/index.html', import.meta.url)),
        harness: fileURLToPath(new URL('./demo/harness.html', import.meta.url)),
        bench: fileURLToPath(new URL('./demo/bench.html', import.meta.url)),
      },
    },
  },
  resolve: {
    // src/client/worker-transport.ts also names the worker by its package export (the URL Vite 7's dev server
    // resolves from a pre-bundled copy of the package); here that is the source entry, as its relative URL is.
    alias: { 'ff-backend-browser/worker': fileURLToPath(new URL('./src/worker/worker-entry.ts', import.meta.url)) },
  },
  server: { port: 5173, strictPort: false },
  preview: { port: 4173 },
  // The worker is bundled by its own pipeline, with its own plugins.
  worker: { format: 'es', plugins: () => [sqliteWasmUrls()] },
});
