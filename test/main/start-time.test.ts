// Issue 12, "Fast start", in the tray app: the built composition root (dist/electron/main.cjs, as Electron
// loads it) starts under Node with the Electron fake, and every module it resolves before its Tray exists
// is recorded (start-time-harness.ts), started as an installed build (packaged: its update service runs). Nothing
// here is timed: bench/startup-bench.ts measures the start.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  appEnv,
  electronFakeArgs,
  loadedFrom,
  loadRecorder,
  MAIN,
  recorded,
  sourcesLoaded,
  TRAY_MARK,
} from "./start-time-harness.js";

const dir = mkdtempSync(join(tmpdir(), "pimtray-start-time-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the app until its tray shows, then ends it; what it printed. */
function startUntilTray(env: NodeJS.ProcessEnv, nodeArgs: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, MAIN], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill(), 20_000);
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes("tray\n")) child.kill();
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", () => {
      clearTimeout(timer);
      resolve({ stdout, stderr });
    });
  });
}

describe("the tray app's start, up to the tray", () => {
  it("loads MSAL and zod, and neither undici, node-notifier, electron-store, electron-updater nor the emulator", async () => {
    const record = join(dir, "loaded.txt");
    const config = join(dir, "config");
    mkdirSync(config);
    const nodeArgs = [
      "--import",
      loadRecorder(dir, record),
      ...(await electronFakeArgs(dir, record, { packaged: true })),
    ];
    const r = await startUntilTray(appEnv(config, dir), nodeArgs);
    expect(r.stdout, r.stderr).toContain("tray");
    const lines = recorded(record);
    expect(lines).toContain(TRAY_MARK);
    const before = sourcesLoaded(recorded(record, TRAY_MARK));
    // What the tray needs (the account from the token cache, the settings): the recorder sees packages.
    expect(loadedFrom(before, "node_modules/@azure/msal-node/")).toBe(true);
    expect(loadedFrom(before, "node_modules/zod/")).toBe(true);
    // electron-updater (and its YAML, semver and fs-extra) is loaded at the first update check, a minute later.
    for (const pkg of ["undici", "node-notifier", "electron-store", "electron-updater"])
      expect(loadedFrom(before, `node_modules/${pkg}/`), pkg).toBe(false);
    expect(loadedFrom(before, "emulator/")).toBe(false);
  });
});
