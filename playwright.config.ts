/**
 * Playwright: the e2e tests in real Chromium against a fresh production
 * build of demo/ (the harness page), served by `vite preview`. Playwright's
 * own browser download does not work everywhere, so the tests run on the
 * system's Chromium: FF_CHROMIUM, else /usr/bin/chromium.
 */
import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS } from './scripts/chromium-args.mjs';

// FF_E2E_PORT (with FF_DEMO_OUT for the build) lets two suites run side by side.
const PORT = Number(process.env['FF_E2E_PORT'] ?? 4173);


export default defineConfig({
  testDir: 'test/e2e',
  // Two cores: one browser at a time keeps timings sane.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: { executablePath: process.env['FF_CHROMIUM'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
      },
    },
  ],
  webServer: {
    // A fresh build every run, so the tests never see a stale bundle.
    command: `npx vite build --config vite.config.ts --logLevel error && npx vite preview --config vite.config.ts --port ${PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/harness.html?autostart=0`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
