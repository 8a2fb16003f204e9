// `npm test`: every test, on a fresh machine too. Installs what is missing,
// then runs typecheck and lint, the unit suite on sql.js, and the same suite
// on the native better-sqlite3 driver.
import { ensureDeps, run } from './ensure-deps.mjs';

ensureDeps();
run('npx tsc -p tsconfig.json --noEmit');
run('npx eslint .');
run('npx vitest run', { FF_TEST_DRIVER: 'sql.js' });
run('npx vitest run', { FF_TEST_DRIVER: 'better-sqlite3' });
console.log('\n[test] all passed');
