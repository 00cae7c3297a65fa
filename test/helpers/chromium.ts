// Debian's Chromium for the browser tests: one path (PIMTRAY_CHROMIUM overrides it), one set of flags that
// keep it off the network, and the popup suites' shared set-up (emulator, browser, fresh state per test).
import { existsSync, mkdirSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { EmulatorSettings } from "../../emulator/index.js";
import { startTestEmulator } from "./emulator.js";

export const CHROMIUM = process.env.PIMTRAY_CHROMIUM || "/usr/bin/chromium";
export const haveChromium = existsSync(CHROMIUM);
export const SHOTS = "test-results/screenshots";
export const NO_CHROMIUM = `Chromium not found at ${CHROMIUM}; .ci/run installs it (apt-get install chromium)`;

/** Without the background-networking flags Chromium calls Google's hosts at every start. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

export interface PopupSuite {
  emu: Awaited<ReturnType<typeof startTestEmulator>>;
  browser: Browser;
}

/**
 * One emulator and one browser for the file, and the emulator reset to `settings` before each test
 * (which is skipped, with the reason, where Chromium is missing). Read the fields inside tests and hooks.
 */
export function popupSuite(settings: Partial<EmulatorSettings>): PopupSuite {
  const suite = {} as PopupSuite; // filled in by beforeAll, before any test reads it
  beforeAll(async () => {
    if (!haveChromium) return;
    mkdirSync(SHOTS, { recursive: true });
    suite.emu = await startTestEmulator({ settings });
    suite.browser = await launchChromium();
  });
  afterAll(async () => {
    if (!haveChromium) return;
    await suite.browser.close();
    await suite.emu.stop();
  });
  beforeEach(async (t) => {
    if (!haveChromium) t.skip(NO_CHROMIUM);
    await suite.emu.control.reset();
    await suite.emu.control.configure(settings);
  });
  return suite;
}
