// `npm start` and `npm run demo` where no Electron binary can be had: two lines that say so, the
// fixes, a non-zero exit, and no stack trace. The launch command is taken from package.json itself, so
// the test follows what `npm start` really runs (the build step before `&&` is left out: it rewrites
// dist/ under other suites). The download is pointed at a closed local port: no test reaches the internet.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
const dir = mkdtempSync(join(tmpdir(), "pimtray-launch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The part of an npm script after its build step. */
const launchPart = (script: string | undefined) => (script ?? "").split("&&").at(-1)?.trim() ?? "";

describe.each(["start", "demo"])("npm run %s without an Electron binary", (name) => {
  it("says what is missing and how to fix it, and exits non-zero", () => {
    const r = spawnSync(launchPart(scripts[name]), {
      shell: true,
      encoding: "utf8",
      timeout: 60_000,
      env: {
        ...process.env,
        // An empty folder where the binary should be, even where one is installed (CI on other OSes).
        ELECTRON_OVERRIDE_DIST_PATH: join(dir, `dist-${name}`),
        electron_config_cache: join(dir, `cache-${name}`),
        ELECTRON_MIRROR: "https://127.0.0.1:9/",
        ELECTRON_GET_USE_PROXY: "",
      },
    });
    const out = `${r.stdout}${r.stderr}`;
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBeNull();
    expect(out).toMatch(
      /the Electron [\d.]+ binary is not installed, and fetching it failed \(could not reach the download server/,
    );
    expect(out).toContain("npx install-electron");
    expect(out).toContain("ELECTRON_MIRROR=");
    expect(out).toContain("HTTPS_PROXY=");
    expect(out).toContain("npm run preview");
    // No stack trace from inside the electron package.
    expect(out).not.toMatch(/^\s+at /m);
    expect(out).not.toContain("node_modules/electron");
  });
});
