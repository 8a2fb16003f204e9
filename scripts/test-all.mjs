// `npm test`: every test, on a fresh machine too. Installs what is missing,
// then runs typecheck and lint, the unit suite on sql.js, the same suite
// on the native better-sqlite3 driver, the Playwright e2e suite in the
// system's Chromium (Playwright's own browser download is not used), and
// last the consumer checks: the packed package in fresh Node, CommonJS,
// TypeScript, Vitest, Playwright and Vite projects (scripts/consumer-smoke/).
// They install from the npm registry, so they come after everything that
// needs no network.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureDeps, run } from './ensure-deps.mjs';

/** FF_CHROMIUM, else /usr/bin/chromium, else `chromium` on PATH; null when there is none. */
function findChromium() {
  if (process.env.FF_CHROMIUM) return existsSync(process.env.FF_CHROMIUM) ? process.env.FF_CHROMIUM : null;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  try {
    return execSync('command -v chromium', { encoding: 'utf8', shell: '/bin/sh' }).trim() || null;
  } catch {
    return null;
  }
}

ensureDeps();
run('npx tsc -p tsconfig.json --noEmit');
// The worker side again, without DOM types: a Web Worker has no window or document.
run('npx tsc -p tsconfig.worker.json --noEmit');
run('npx eslint .');
run('npx vitest run', { FF_TEST_DRIVER: 'sql.js' });
run('npx vitest run', { FF_TEST_DRIVER: 'better-sqlite3' });
/** As root with apt-get (a CI container), install Debian's Chromium; elsewhere, leave it to the user. */
function installChromium() {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  let apt = false;
  try {
    apt = execSync('command -v apt-get', { encoding: 'utf8', shell: '/bin/sh' }).trim() !== '';
  } catch {
    apt = false;
  }
  if (!root || !apt) return null;
  run('apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium');
  return findChromium();
}

const chromium = findChromium() ?? installChromium();
if (!chromium) {
  console.error('\n[test] e2e needs Chromium: install it (Debian: apt-get install -y chromium) or set FF_CHROMIUM=/path/to/chromium, then rerun npm test');
  process.exit(1);
}
run('npx playwright test', { FF_CHROMIUM: chromium });
run('node scripts/consumer-smoke/all.mjs', { FF_CHROMIUM: chromium });
console.log('\n[test] all passed');
