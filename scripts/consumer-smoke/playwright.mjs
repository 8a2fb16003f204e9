// The Playwright fixture as the README shows it, in a fresh project: a small
// Vite app that reads the URL switches with backendOptionsFromUrl and
// installs the test handle, and a Playwright project (CommonJS: no "type")
// whose one test is the README's: seed a budget, move to the next reset,
// expect usage 0. FF_SMOKE_TARBALL=path checks that tarball.
import { CHROMIUM_ARGS } from '../chromium-args.mjs';
import { freePort, log, npmInstall, packTarball, runIn, scratchDir, writeFiles } from './lib.mjs';

const README_TEST = `import { test, expect } from 'ff-backend-browser/testing/playwright';

test('usage drops to zero at the reset', async ({ ffBackend }) => {
  await ffBackend.seed({ budgets: [{ budgetId: 'daily', dimensions: [{ name: 'tokens', hardLimit: 1000 }], resetIntervalMs: 86_400_000 }] });
  await ffBackend.call('reportUsageAdmin', { budgetId: 'daily', usage: { tokens: 400 } });
  await ffBackend.clock.toNext('budget_reset');
  await ffBackend.waitForEvent({ channel: 'budget', match: { budgetId: 'daily', eventType: 'reset' } });
  expect((await ffBackend.call('getBudgetStatus', { budgetId: 'daily' })).usage['tokens']).toBe(0);
});
`;

function files(port) {
  return {
    'package.json': JSON.stringify({ name: 'playwright-consumer', private: true, version: '0.0.0' }, null, 2),
    'index.html': '<!doctype html>\n<html><body><p id="app">app</p><script type="module" src="/src/main.ts"></script></body></html>\n',
    // The README's app snippet, word for word.
    'src/main.ts': `import { backendOptionsFromUrl, createBrowserBackend } from 'ff-backend-browser';
import { installTestHandle } from 'ff-backend-browser/testing';

const { options, testHandle } = backendOptionsFromUrl(location, { name: 'my-app' });
const backend = await createBrowserBackend({ devMode: true, ...options });
if (testHandle) await installTestHandle(backend);
`,
    'vite.config.mjs': "export default { build: { target: 'es2022' } };\n",
    'tests/budget.spec.ts': README_TEST,
    'playwright.config.ts': `import { defineConfig } from '@playwright/test';
export default defineConfig({
  testDir: 'tests',
  timeout: 60_000,
  use: { baseURL: 'http://127.0.0.1:${port}' },
  projects: [{ name: 'chromium', use: { launchOptions: { executablePath: process.env.FF_CHROMIUM ?? '/usr/bin/chromium', args: ${JSON.stringify(CHROMIUM_ARGS)} } } }],
  webServer: { command: 'npx vite build --logLevel error && npx vite preview --port ${port} --strictPort --host 127.0.0.1', url: 'http://127.0.0.1:${port}/', timeout: 120_000 },
});
`,
  };
}

const scratch = scratchDir('playwright');
try {
  const tarball = process.env.FF_SMOKE_TARBALL ?? packTarball(scratch.dir);
  writeFiles(scratch.dir, files(await freePort()));
  log('playwright: installing the tarball, vite and @playwright/test');
  npmInstall(scratch.dir, [tarball, 'vite@^7', '@playwright/test@~1.65.1']);
  runIn(scratch.dir, 'npx', ['playwright', 'test', '--reporter=line']);
  log("playwright: the README's fixture test passed against an app that reads backendOptionsFromUrl");
} finally {
  scratch.cleanup();
}
