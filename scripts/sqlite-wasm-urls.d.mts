import type { Plugin } from 'vite';
export function sqliteWasmUrls(): Plugin;
