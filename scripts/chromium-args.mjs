// The flags every Chromium this repository launches gets: the e2e tests
// (playwright.config.ts), the browser benchmarks (bench/) and the consumer
// checks (scripts/consumer-smoke/), on the system's Chromium.
export const CHROMIUM_ARGS = [
  // Running as root (CI containers) needs this; harmless otherwise.
  '--no-sandbox',
  '--disable-gpu',
  // No phoning home: the test machine has no network but localhost.
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  // Headless Chromium is the whole browser, and each new page's window started the omnibox's WebUI popups in a
  // renderer of their own, which loaded about 100 chrome:// files for 200-300 ms. On a 2-core machine that took a
  // core from whatever the page did next: a cold start measured 275 ms on the page's clock with them, 203 without
  // (medians of 8, same run). A user's reload starts no new window, so the benchmarks leave them out.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup,WebUIReloadButton',
];
