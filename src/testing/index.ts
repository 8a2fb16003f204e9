/**
 * ff-backend-browser/testing: what an app installs so end-to-end tests can
 * drive its backend. It is safe to bundle into the app (no test-runner
 * code); the Playwright fixture lives in `ff-backend-browser/testing/playwright`.
 */
export { installTestHandle, matches, type InstallTestHandleOptions, type InstalledTestHandle } from './window-handle.js';
export {
  DEFAULT_GLOBAL_NAME,
  HANDLE_ERROR_MARKER,
  type AdvanceResult,
  type EventMatch,
  type EventOf,
  type FfTestHandle,
  type SeedInput,
  type SeedResult,
  type TestHandleChange,
  type WaitForEventInput,
} from './handle-types.js';
