// A Vite plugin for the worker's builds (scripts/build.mjs, and the
// playground's vite.config.ts). The SQLite WASM library names three files
// as `new URL('<file>', import.meta.url)`: its .wasm, which the worker
// locates itself through a `?url` import, and the scripts of two features
// this backend never uses (the OPFS VFS's async proxy and Worker API #1).
// Bundlers follow that form: Vite emits the scripts as assets or worker
// chunks (inlines them as data: URLs in library mode), and a consumer's
// bundler would look for them beside our bundle, where they are not.
// Resolved against the worker's location instead, each is the same URL at
// run time (a bundled module worker's location is its own script) and
// invisible to bundlers.
const LIBRARY = /[\\/]@sqlite\.org[\\/]sqlite-wasm[\\/]dist[\\/]index\.mjs$/;
const FILES = ['sqlite3.wasm', 'sqlite3-opfs-async-proxy.js', 'sqlite3-worker1.mjs'];

export function sqliteWasmUrls() {
  return {
    name: 'ff-sqlite-wasm-urls',
    enforce: 'pre',
    transform(code, id) {
      if (!LIBRARY.test(id.split('?')[0])) return null;
      let out = code;
      for (const file of FILES) {
        const pattern = new RegExp(`new URL\\(\\s*"${file.replace(/[.]/g, '\\.')}"\\s*,\\s*import\\.meta\\.url\\s*\\)`, 'g');
        // A new release that names its files differently must fail the build, not ship them.
        if (!pattern.test(out)) throw new Error(`@sqlite.org/sqlite-wasm no longer names ${file} as expected; review scripts/sqlite-wasm-urls.mjs`);
        out = out.replace(pattern, `new URL(${JSON.stringify(file)}, globalThis.location.href)`);
      }
      return { code: out, map: null };
    },
  };
}
