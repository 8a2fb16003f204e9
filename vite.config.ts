import { defineConfig } from 'vite';

// The playground lives in demo/. sql.js's .wasm is imported with `?url`, so
// Vite serves and bundles it from the app's own origin (no CDN).
export default defineConfig({
  root: 'demo',
  build: { outDir: '../dist-demo', emptyOutDir: true, target: 'es2022' },
  server: { port: 5173, strictPort: false },
  preview: { port: 4173 },
  worker: { format: 'es' },
});
