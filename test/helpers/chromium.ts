// The browser for the browser tests: one executable, one set of flags that keep it off the network, and the
// popup suites' shared set-up (emulator, browser, fresh state per test).
//
// Which browser: PIMTRAY_CHROMIUM when it is set (CI sets it on every OS, to the Google Chrome it installs),
// else the first of the usual places that exists: Debian's Chromium (what .ci/run installs), then Google
// Chrome. Nothing is downloaded. A browser that cannot be used is a skip with the reason, never a pass.
import { closeSync, existsSync, mkdirSync, openSync, readSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { EmulatorSettings } from "../../emulator/index.js";
import { startTestEmulator } from "./emulator.js";

export interface ChromiumChoice {
  /** The executable to launch, or the path that was tried when there is none. */
  path: string;
  /** Why there is no usable browser; empty when `path` is one. */
  problem: string;
}

/** Where a browser usually is, per OS, in the order tried. Ubuntu's chromium-browser is left out: a snap shim. */
export function usualChromiumPaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === "darwin")
    return [
      "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
      "/Applications/Chromium.app/Contents/MacOS/Chromium",
    ];
  if (platform === "win32")
    return [env.PROGRAMFILES, env["PROGRAMFILES(X86)"], env.LOCALAPPDATA]
      .filter((dir): dir is string => !!dir)
      .map((dir) => join(dir, "Google", "Chrome", "Application", "chrome.exe"));
  return ["/usr/bin/chromium", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];
}

/** The first bytes of a file: enough to tell a launcher script from a browser. */
function head(path: string): string {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(16_384);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString("latin1");
  } finally {
    closeSync(fd);
  }
}

/**
 * Why `path` cannot be driven, or "" when it can. Ubuntu's chromium packages install only a script that
 * runs the snap, and a snap's confinement keeps Playwright's profile and pipes out: both are named as such.
 * Debian's /usr/bin/chromium is a script too, but a plain launcher, so only snap scripts are refused.
 */
export function chromiumProblem(path: string): string {
  if (!existsSync(path)) return `no file at ${path}`;
  const real = realpathSync(path);
  if (!statSync(real).isFile()) return `${path} is not a file`;
  if (real.startsWith("/snap/"))
    return `${path} is the chromium snap (${real}), which Playwright cannot drive; use Google Chrome or Debian's chromium`;
  const start = head(real);
  if (start.startsWith("#!") && /\bsnap\b/.test(start))
    return `${path} is Ubuntu's wrapper script for the chromium snap, not a browser; use Google Chrome (/usr/bin/google-chrome) or Debian's chromium`;
  return "";
}

/** The browser the tests use, from PIMTRAY_CHROMIUM or the usual places, with the reason when there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, platform = process.platform): ChromiumChoice {
  const chosen = env.PIMTRAY_CHROMIUM?.trim();
  if (chosen) {
    const problem = chromiumProblem(chosen);
    return {
      path: chosen,
      problem:
        problem &&
        `PIMTRAY_CHROMIUM=${chosen} cannot be used: ${problem}. Point it at a Chromium or Google Chrome executable`,
    };
  }
  const tried = usualChromiumPaths(platform, env);
  const found = tried.find((p) => chromiumProblem(p) === "");
  if (found) return { path: found, problem: "" };
  const install =
    platform === "linux"
      ? "install Debian's chromium (.ci/run does: apt-get install chromium)"
      : "install Google Chrome";
  return {
    path: tried[0] ?? "chromium",
    problem:
      `no Chromium or Google Chrome found (looked at ${tried.join(", ") || "no usual place on this system"}): ` +
      `${install}, or set PIMTRAY_CHROMIUM to the browser's executable`,
  };
}

const choice = findChromium();
export const CHROMIUM = choice.path;
export const haveChromium = choice.problem === "";
export const SHOTS = "test-results/screenshots";
/** The skip reason where there is no usable browser. */
export const NO_CHROMIUM = `browser tests skipped: ${choice.problem}`;

/**
 * Without the background-networking flags Chromium calls Google's hosts at every start. Every flag here is
 * a Chromium switch, so Google Chrome takes the same ones (Playwright passes most of them, and
 * --use-mock-keychain and --password-store=basic, itself; they are named here so the set does not rest on
 * its defaults). --no-sandbox: CI's Linux image forbids the unprivileged namespaces Chrome's sandbox uses.
 */
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
 * (which is skipped, with the reason, where there is no usable browser). Read the fields inside tests and hooks.
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
