// `npm run build` (also run by `npm pack` / `npm publish` through prepack):
// the package's dist/. tsc compiles src/ file by file, except the worker
// entry, which Vite's library mode bundles into one self-contained module
// with the SQLite WASM library's glue inside. A consumer's dev server then
// serves that file as it is: nothing in it needs resolving or pre-bundling
// (Vite does not pre-bundle a worker's imports), so the app needs no bundler
// config. The library's .wasm is copied beside it and named by
// `new URL('./sqlite3.wasm', import.meta.url)`, the form bundlers turn into
// an emitted asset and dev servers serve in place.
//
// Why Rollup (through Vite) and not esbuild: the engine imports zod as the
// namespace `z`, which esbuild keeps whole (about 750 KB of the bundle's
// 1.1 MB); Rollup keeps only what is used, as the playground's build does.
import { copyFileSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build, transformWithEsbuild } from 'vite';
import { root, run } from './ensure-deps.mjs';
import { sqliteWasmUrls } from './sqlite-wasm-urls.mjs';

const dist = join(root, 'dist');
const workerDir = join(dist, 'worker');
const WASM_PACKAGE = '@sqlite.org/sqlite-wasm';
const WASM = 'sqlite3.wasm';

// A stale file from an older layout must never end up in the tarball.
rmSync(dist, { recursive: true, force: true });
run('node scripts/bundle-migrations.mjs');
// tsconfig.build.json leaves the worker entry out: its `?url` import is Vite
// syntax, for the playground's build (vite.config.ts) and for the bundle below.
run('npx tsc -p tsconfig.build.json');

// The entry's `import wasmUrl from '@sqlite.org/sqlite-wasm/sqlite3.wasm?url'`
// must come out as the literal `new URL('./…wasm', import.meta.url)` for the
// consumer's bundler to see. Written any earlier, Vite's own asset handling
// would rewrite it here (in library mode, into an inline data: URL), so the
// module is a placeholder until the chunk is rendered.
const PLACEHOLDER = '__ffBackendBrowserWasmUrl__';
const wasmUrlPlugin = {
  name: 'ff-wasm-url',
  enforce: 'pre',
  resolveId: (id) => (id === `${WASM_PACKAGE}/${WASM}?url` ? '\0ff-wasm-url' : null),
  load: (id) => (id === '\0ff-wasm-url' ? `export default ${PLACEHOLDER};` : null),
  renderChunk(code) {
    if (!code.includes(PLACEHOLDER)) throw new Error('the worker bundle lost the .wasm URL placeholder');
    // Same line, nothing after it on that line: the source map stays right.
    return { code: code.replace(PLACEHOLDER, `new URL(${JSON.stringify(`./${WASM}`)}, import.meta.url).href`), map: null };
  },
};

console.log('\n[build] bundling the worker (Vite library mode)');
await build({
  configFile: false,
  root,
  publicDir: false,
  logLevel: 'warn',
  plugins: [wasmUrlPlugin, sqliteWasmUrls()],
  build: {
    outDir: workerDir,
    emptyOutDir: false,
    target: 'es2022',
    // Minified below, whitespace too, which library mode leaves alone.
    minify: false,
    sourcemap: true,
    lib: { entry: join(root, 'src/worker/worker-entry.ts'), formats: ['es'], fileName: () => 'worker-entry.js' },
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's sources carry esbuild-style annotation comments that Rollup drops, harmlessly.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return;
        warn(warning);
      },
    },
  },
});
// Under a dev server the consumer's page loads this file as it is. Unminified (1.2 MB against 650 KB), a worker
// took 12-14 ms longer to load it and 20-40 ms longer to start the engine (status().startup's boot figures, two
// runs of 10 alternating starts). The source map, chained onto Rollup's, keeps it readable in devtools.
const entryFile = join(workerDir, 'worker-entry.js');
const minified = await transformWithEsbuild(
  readFileSync(entryFile, 'utf8'),
  entryFile,
  { minify: true, sourcemap: true, format: 'esm', target: 'es2022', loader: 'js' },
  JSON.parse(readFileSync(`${entryFile}.map`, 'utf8')),
);
writeFileSync(entryFile, `${minified.code}//# sourceMappingURL=worker-entry.js.map\n`);
writeFileSync(`${entryFile}.map`, JSON.stringify({ ...minified.map, file: 'worker-entry.js' }));

const require = createRequire(import.meta.url);
copyFileSync(require.resolve(`${WASM_PACKAGE}/${WASM}`, { paths: [root] }), join(workerDir, WASM));

// The point of the bundle: nothing left for the consumer's tooling to resolve.
const bundle = readFileSync(join(workerDir, 'worker-entry.js'), 'utf8');
const imports = bundle.match(/^\s*(import\b|export\b.*\bfrom\b).*$|\bimport\(.*$/gm);
if (imports) throw new Error(`the worker bundle still imports:\n${imports.join('\n')}`);
if (!bundle.includes('sqlite3InitModule')) throw new Error("the worker bundle does not contain the SQLite WASM library's glue");
// Only our own .wasm URL may be left for the consumer's bundler to follow.
const urls = bundle.match(/new URL\([^)]*import\.meta\.url\s*\)/g) ?? [];
if (urls.length !== 1 || !urls[0].includes(`./${WASM}`)) throw new Error(`the worker bundle names other files by import.meta.url:\n${urls.join('\n')}`);
const kib = (file) => `${Math.round(statSync(join(workerDir, file)).size / 1024)} KiB`;
console.log(`[build] dist/worker/worker-entry.js ${kib('worker-entry.js')}, ${WASM} ${kib(WASM)}`);
