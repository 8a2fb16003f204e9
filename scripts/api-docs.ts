/**
 * Write docs/api.md from the operation table (src/engine/operations.ts):
 *
 *   npx tsx scripts/api-docs.ts           write it
 *   npx tsx scripts/api-docs.ts --check   exit 1 when the committed copy differs
 *
 * The rendering is in scripts/api-docs/render.ts; test/unit/api-docs.test.ts
 * runs the same check.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { API_DOCS_PATH, REGENERATE_COMMAND, renderApiDocs } from './api-docs/render.js';
import { REPO_ROOT } from './api-docs/types.js';

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--check');
if (unknown.length > 0) {
  console.error(`api-docs: unknown argument ${unknown.join(' ')}; usage: ${REGENERATE_COMMAND} [--check]`);
  process.exit(2);
}

const started = performance.now();
const rendered = renderApiDocs();
const took = `${Math.round(performance.now() - started)} ms`;
const path = resolve(REPO_ROOT, API_DOCS_PATH);

if (args.includes('--check')) {
  const committed = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (committed !== rendered) {
    console.error(
      `${API_DOCS_PATH} is ${committed === null ? 'missing' : 'out of date with the operation table'}: run \`${REGENERATE_COMMAND}\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log(`${API_DOCS_PATH} is up to date (${took}).`);
} else {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, rendered);
  console.log(`wrote ${API_DOCS_PATH} (${took}).`);
}
