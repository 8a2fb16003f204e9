// Every consumer check against one packed tarball: Node (ESM, CommonJS,
// types, Vitest), the Playwright fixture, then Vite apps in dev and build.
import { execFileSync } from 'node:child_process';
import { packTarball, scratchDir } from './lib.mjs';

const scratch = scratchDir('pack');
try {
  const tarball = process.env.FF_SMOKE_TARBALL ?? packTarball(scratch.dir);
  for (const check of ['node.mjs', 'playwright.mjs', 'vite.mjs']) {
    execFileSync('node', [new URL(check, import.meta.url).pathname], { stdio: 'inherit', env: { ...process.env, FF_SMOKE_TARBALL: tarball } });
  }
} finally {
  scratch.cleanup();
}
