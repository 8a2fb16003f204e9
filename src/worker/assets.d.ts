// Vite's `?url` imports (SQLite's .wasm), for builds that do not load vite/client types.
declare module '*.wasm?url' {
  const url: string;
  export default url;
}
