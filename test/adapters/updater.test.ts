// The electron-updater adapter against a typed double of AppUpdater (test/update/app-updater-double.ts) that
// keeps the real one's event order and quirks: settings per mode, the feed override only when policy sets
// one, events forwarded in order, prereleases refused unless allowed, the log bridged and scrubbed, and no
// unhandled rejection from a failed background download.
import { describe, expect, it } from "vitest";
import { createUpdaterPort, isPrerelease, NOT_UPDATABLE } from "../../electron/adapters/updater.js";
import type { Logger } from "../../electron/engine/logger.js";
import type { UpdaterConfig, UpdaterEvent } from "../../electron/engine/update/updater-port.js";
import { AppUpdaterDouble } from "../update/app-updater-double.js";

const AUTO: UpdaterConfig = { autoDownload: true, autoInstallOnAppQuit: true, allowPrerelease: false, feedUrl: null };
const MANUAL: UpdaterConfig = { ...AUTO, autoDownload: false, autoInstallOnAppQuit: false };

function setUp(double = new AppUpdaterDouble()) {
  const lines: Array<[string, string]> = [];
  const logger: Logger = {
    debug: (m) => lines.push(["debug", m]),
    info: (m) => lines.push(["info", m]),
    warn: (m) => lines.push(["warn", m]),
    error: (m) => lines.push(["error", m]),
  };
  let loads = 0;
  const port = createUpdaterPort({
    logger,
    load: () => {
      loads++;
      return double;
    },
  });
  const events: Array<[UpdaterEvent, unknown]> = [];
  for (const e of [
    "checking-for-update",
    "update-available",
    "update-not-available",
    "download-progress",
    "update-downloaded",
    "error",
  ] as const)
    port.on(e, (arg?: unknown) => events.push([e, arg]));
  return { port, double, lines, events, loads: () => loads };
}

const names = (events: Array<[UpdaterEvent, unknown]>) => events.map(([e]) => e);

describe("the electron-updater adapter", () => {
  it("loads electron-updater at the first check only (never in 'off' mode), then applies the settings given before", async () => {
    const { port, double, loads } = setUp();
    port.configure(AUTO);
    await new Promise((r) => setTimeout(r, 20));
    expect(loads()).toBe(0);
    expect(double.disableWebInstaller).toBe(false);
    await port.checkForUpdates();
    await port.checkForUpdates();
    expect(loads()).toBe(1);
    expect(double.disableWebInstaller).toBe(true);
  });

  it("'auto': downloads and installs on quit; 'manual': neither; never a downgrade, never a web installer", async () => {
    const { port, double } = setUp();
    double.allowDowngrade = true;
    port.configure(AUTO);
    await port.checkForUpdates();
    expect(double).toMatchObject({
      autoDownload: true,
      autoInstallOnAppQuit: true,
      allowDowngrade: false,
      allowPrerelease: false,
      disableWebInstaller: true,
    });
    port.configure({ ...MANUAL, allowPrerelease: true });
    expect(double).toMatchObject({
      autoDownload: false,
      autoInstallOnAppQuit: false,
      allowDowngrade: false,
      allowPrerelease: true,
    });
  });

  it("sets a generic feed only when policy names one, and once", async () => {
    const { port, double } = setUp();
    port.configure(AUTO);
    await port.checkForUpdates();
    expect(double.feeds).toEqual([]);
    port.configure({ ...AUTO, feedUrl: "https://updates.contoso.example/pimtray/" });
    port.configure({ ...AUTO, feedUrl: "https://updates.contoso.example/pimtray/" });
    expect(double.feeds).toEqual([{ provider: "generic", url: "https://updates.contoso.example/pimtray/" }]);
  });

  it("forwards electron-updater's events in its order: checking, available, progress, downloaded", async () => {
    const { port, double, events } = setUp();
    double.latest = "0.2.0";
    port.configure(AUTO);
    expect(await port.checkForUpdates()).toEqual({ ran: true });
    await new Promise((r) => setTimeout(r, 20));
    expect(names(events)).toEqual([
      "checking-for-update",
      "update-available",
      "download-progress",
      "download-progress",
      "download-progress",
      "update-downloaded",
    ]);
    expect(events[1]?.[1]).toMatchObject({ version: "0.2.0" });
    expect(events[3]?.[1]).toMatchObject({ percent: 55.5 });
  });

  it("'manual': a check does not download; downloadUpdate does", async () => {
    const { port, double, events } = setUp();
    double.latest = "0.2.0";
    port.configure(MANUAL);
    await port.checkForUpdates();
    await new Promise((r) => setTimeout(r, 20));
    expect(names(events)).toEqual(["checking-for-update", "update-available"]);
    await port.downloadUpdate();
    expect(names(events).at(-1)).toBe("update-downloaded");
  });

  it("same version: not available", async () => {
    const { port, events } = setUp();
    port.configure(AUTO);
    await port.checkForUpdates();
    expect(names(events)).toEqual(["checking-for-update", "update-not-available"]);
  });

  it("refuses prereleases unless allowed, whatever the provider", async () => {
    const { port, double, events, lines } = setUp();
    double.latest = "0.2.0-beta.1";
    port.configure(MANUAL);
    await port.checkForUpdates();
    expect(names(events)).toEqual(["checking-for-update", "update-not-available"]);
    expect(lines.map(([, m]) => m)).toContain(
      "update: 0.2.0-beta.1 is a prerelease; prereleases are not allowed, so it is not offered",
    );
    events.length = 0;
    port.configure({ ...MANUAL, allowPrerelease: true });
    await port.checkForUpdates();
    expect(names(events)).toEqual(["checking-for-update", "update-available"]);
  });

  it("keeps electron-updater's own isUpdateSupported check behind the prerelease one", async () => {
    const double = new AppUpdaterDouble();
    double.isUpdateSupported = () => false; // e.g. the update needs a newer OS (minimumSystemVersion)
    const { port, events } = setUp(double);
    double.latest = "0.2.0";
    port.configure(AUTO);
    await port.checkForUpdates();
    expect(names(events)).toEqual(["checking-for-update", "update-not-available"]);
  });

  it("a copy that cannot update itself (not packaged): no check, and the reason", async () => {
    const double = new AppUpdaterDouble();
    double.packaged = false;
    const { port, events } = setUp(double);
    port.configure(AUTO);
    expect(await port.checkForUpdates()).toEqual({ ran: false, reason: NOT_UPDATABLE });
    expect(events).toEqual([]);
    expect(double.checks).toBe(0);
  });

  it("a failed check rejects and is told as an error event", async () => {
    const { port, double, events } = setUp();
    double.latest = Object.assign(new Error("getaddrinfo ENOTFOUND updates.contoso.example"), { code: "ENOTFOUND" });
    port.configure(AUTO);
    await expect(port.checkForUpdates()).rejects.toThrow("ENOTFOUND");
    expect(names(events)).toEqual(["checking-for-update", "error"]);
  });

  it("a failed background download is an error event, not an unhandled rejection", async () => {
    const { port, double, events } = setUp();
    double.latest = "0.2.0";
    double.downloadFails = Object.assign(new Error("sha512 checksum mismatch"), { code: "ERR_CHECKSUM_MISMATCH" });
    port.configure(AUTO);
    await port.checkForUpdates();
    // Vitest fails the run on an unhandled rejection; give it the time to surface.
    await new Promise((r) => setTimeout(r, 50));
    expect(names(events).at(-1)).toBe("error");
    expect(names(events)).not.toContain("update-downloaded");
  });

  it("bridges electron-updater's log to ours, scrubbed, its errors as warnings (the service reports them)", async () => {
    const { port, double, lines } = setUp();
    port.configure(AUTO);
    await port.checkForUpdates();
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGVsZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
    double.logger?.info(`Request headers: authorization=Bearer ${jwt}`);
    double.logger?.error(new Error(`failed ${jwt}`));
    expect(lines).toContainEqual(["info", "electron-updater: Checking for update"]);
    expect(lines).toContainEqual(["info", "electron-updater: Request headers: authorization=Bearer [token]"]);
    expect(lines).toContainEqual(["warn", "electron-updater: Error: failed [token]"]);
    expect(JSON.stringify(lines)).not.toContain(jwt);
  });

  it("installs silently and starts the new version; refuses before anything was loaded", async () => {
    const { port, double } = setUp();
    expect(() => port.quitAndInstall()).toThrow("No update has been downloaded");
    port.configure(AUTO);
    await port.checkForUpdates();
    port.quitAndInstall();
    expect(double.installs).toEqual([[true, true]]);
  });

  it("unsubscribes", async () => {
    const { port, double } = setUp();
    const seen: string[] = [];
    const off = port.on("checking-for-update", () => seen.push("checking"));
    port.configure(AUTO);
    await port.checkForUpdates();
    off();
    await port.checkForUpdates();
    expect(seen).toEqual(["checking"]);
    expect(double.checks).toBe(2);
  });
});

describe("isPrerelease", () => {
  it("follows semver: a hyphen after major.minor.patch, build metadata aside", () => {
    expect(["1.2.0-beta.1", "v1.2.0-rc.1", "1.2.0-0+build.5"].map(isPrerelease)).toEqual([true, true, true]);
    expect(["1.2.0", "v1.2.0", "1.2.0+build-5", "1.2"].map(isPrerelease)).toEqual([false, false, false, false]);
  });
});
