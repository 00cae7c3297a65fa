// The update service's decisions, on a fake clock: when it checks, what the tray shows at each step, what
// "off" and "manual" do, how settings changes apply, and when a restart may happen. It drives the real
// electron-updater adapter over the AppUpdater double (app-updater-double.ts); the real updater against a
// real feed is https-feed.test.ts.
import { describe, expect, it } from "vitest";
import { createUpdaterPort } from "../../electron/adapters/updater.js";
import type { Clock, TimerHandle } from "../../electron/engine/lifecycle/clock.js";
import { UpdateService } from "../../electron/engine/update/update-service.js";
import type { UpdateSettings } from "../../electron/engine/update/update-settings.js";
import {
  describeUpdateError,
  describeUpdateState,
  updateMenuItem,
  type UpdateState,
} from "../../electron/engine/update/update-state.js";
import { AppUpdaterDouble } from "./app-updater-double.js";

const MIN = 60_000;
const HOUR = 3_600_000;

class TestClock implements Clock {
  #timers: Array<{ id: number; at: number; fn: () => void }> = [];
  #mono = 0;
  #wall = Date.parse("2026-12-07T09:00:00Z");
  #next = 1;
  now = () => this.#wall;
  monotonic = () => this.#mono;
  setTimer = (fn: () => void, ms: number): TimerHandle => {
    const id = this.#next++;
    this.#timers.push({ id, at: this.#mono + Math.max(0, ms), fn });
    return { id };
  };
  clearTimer = (h: TimerHandle): void => {
    this.#timers = this.#timers.filter((t) => t.id !== (h as { id: number }).id);
  };
  /** Moves time on, firing due timers in order and letting the work they start finish. */
  async advance(ms: number): Promise<void> {
    const target = this.#mono + ms;
    for (;;) {
      await settle();
      const due = this.#timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#wall += due.at - this.#mono;
      this.#mono = due.at;
      this.#timers = this.#timers.filter((t) => t.id !== due.id);
      due.fn();
    }
    this.#wall += target - this.#mono;
    this.#mono = target;
    await settle();
  }
  /** Wall time moves (the laptop slept); timers do not notice. */
  sleep(ms: number): void {
    this.#wall += ms;
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

function setUp(settings: UpdateSettings, o: { busy?: () => boolean | Promise<boolean>; random?: number } = {}) {
  const clock = new TestClock();
  const double = new AppUpdaterDouble();
  const port = createUpdaterPort({ logger: { debug() {}, info() {}, warn() {}, error() {} }, load: () => double });
  const service = new UpdateService({
    port,
    settings,
    busy: o.busy ?? (() => false),
    clock,
    random: () => o.random ?? 0.5,
  });
  const states: UpdateState[] = [];
  service.onChange((s) => states.push(s));
  return { clock, double, service, states };
}

describe("when it checks", () => {
  it("'auto': a minute after start, then every 4 hours (±10%)", async () => {
    const { clock, double, service } = setUp({ mode: "auto" }, { random: 0 });
    service.start();
    await clock.advance(MIN - 1);
    expect(double.checks).toBe(0);
    await clock.advance(1);
    expect(double.checks).toBe(1);
    // random 0: the earliest, 4 h − 10%.
    await clock.advance(3.6 * HOUR - 1);
    expect(double.checks).toBe(1);
    await clock.advance(1);
    expect(double.checks).toBe(2);
  });

  it("the jitter reaches 4 h + 10% at most", async () => {
    const { clock, double, service } = setUp({ mode: "auto" }, { random: 0.999999 });
    service.start();
    await clock.advance(MIN);
    await clock.advance(4.39 * HOUR);
    expect(double.checks).toBe(1);
    await clock.advance(0.01 * HOUR);
    expect(double.checks).toBe(2);
  });

  it("'manual': never by itself; 'Check for updates' checks and downloads", async () => {
    const { clock, double, service } = setUp({ mode: "manual" });
    service.start();
    await clock.advance(48 * HOUR);
    expect(double.checks).toBe(0);
    double.latest = "0.2.0";
    await service.checkNow();
    await settle();
    expect(double.autoDownload).toBe(false);
    expect(service.state()).toEqual({ kind: "ready", version: "0.2.0", restartWhenIdle: false });
    await clock.advance(48 * HOUR);
    expect(double.checks).toBe(1);
  });

  it("'off': never, not even when asked, and electron-updater is not configured", async () => {
    const { clock, double, service } = setUp({ mode: "off" });
    service.start();
    expect(await service.checkNow()).toMatchObject({ kind: "disabled", by: "policy" });
    service.wake();
    await clock.advance(48 * HOUR);
    expect(double.checks).toBe(0);
    expect(double.disableWebInstaller).toBe(false); // never configured
  });

  it("after sleep: an overdue check happens a minute after waking, not hours later", async () => {
    const { clock, double, service } = setUp({ mode: "auto" });
    service.start();
    await clock.advance(MIN);
    expect(double.checks).toBe(1);
    service.wake(); // not overdue: nothing
    await clock.advance(MIN);
    expect(double.checks).toBe(1);
    clock.sleep(2 * 24 * HOUR);
    service.wake();
    await clock.advance(MIN);
    expect(double.checks).toBe(2);
  });

  it("a copy that cannot update itself stops checking, and the tray shows no update item", async () => {
    const { clock, double, service } = setUp({ mode: "auto" });
    double.packaged = false;
    service.start();
    await clock.advance(MIN);
    expect(service.state()).toMatchObject({ kind: "disabled", by: "build" });
    expect(updateMenuItem(service.state())).toBeNull();
    await clock.advance(24 * HOUR);
    expect(double.checks).toBe(0);
  });

  it("a check under way is not started twice", async () => {
    const { double, service } = setUp({ mode: "manual" });
    service.start();
    await Promise.all([service.checkNow(), service.checkNow()]);
    expect(double.checks).toBe(1);
  });
});

describe("what the tray shows", () => {
  it("checking, downloading by whole percent, then Restart to update to X.Y.Z", async () => {
    const { clock, double, service, states } = setUp({ mode: "auto" });
    double.latest = "0.2.0";
    service.start();
    expect(updateMenuItem(service.state())).toEqual({
      id: "update",
      label: "Check for updates",
      enabled: true,
      action: "check",
    });
    await clock.advance(MIN);
    expect(states).toEqual([
      { kind: "checking" },
      { kind: "downloading", version: "0.2.0", percent: 0 },
      { kind: "downloading", version: "0.2.0", percent: 10 },
      { kind: "downloading", version: "0.2.0", percent: 55 },
      { kind: "downloading", version: "0.2.0", percent: 100 },
      { kind: "ready", version: "0.2.0", restartWhenIdle: false },
    ]);
    expect(states.map((s) => updateMenuItem(s)?.label)).toEqual([
      "Checking for updates…",
      "Downloading update 0.2.0… 0%",
      "Downloading update 0.2.0… 10%",
      "Downloading update 0.2.0… 55%",
      "Downloading update 0.2.0… 100%",
      "Restart to update to 0.2.0",
    ]);
    expect(updateMenuItem(service.state())).toMatchObject({ enabled: true, action: "restart" });
  });

  it("up to date: idle, with the time of the check", async () => {
    const { clock, service } = setUp({ mode: "auto" });
    service.start();
    await clock.advance(MIN);
    expect(service.state()).toEqual({ kind: "idle", checkedAt: clock.now(), latest: "0.1.0" });
    expect(describeUpdateState(service.state(), "0.1.0")).toBe(
      "PIM Tray 0.1.0 is up to date (checked 2026-12-07T09:01:00.000Z).",
    );
  });

  it("a later check keeps a ready update ready, even when it fails", async () => {
    const { clock, double, service, states } = setUp({ mode: "auto" });
    double.latest = "0.2.0";
    service.start();
    await clock.advance(MIN);
    states.length = 0;
    await clock.advance(4.4 * HOUR); // finds 0.2.0 again
    double.latest = Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    await clock.advance(4.4 * HOUR);
    expect(double.checks).toBe(3);
    expect(new Set(states.map((s) => s.kind))).toEqual(new Set(["ready"]));
    expect(service.state()).toEqual({ kind: "ready", version: "0.2.0", restartWhenIdle: false });
  });

  it("a newer version found later replaces the one that was ready", async () => {
    const { clock, double, service } = setUp({ mode: "auto" });
    double.latest = "0.2.0";
    service.start();
    await clock.advance(MIN);
    double.latest = "0.3.0";
    await clock.advance(4.4 * HOUR);
    expect(service.state()).toEqual({ kind: "ready", version: "0.3.0", restartWhenIdle: false });
  });

  it("a failure says what to do, and the next check tries again", async () => {
    const { clock, double, service } = setUp({ mode: "auto" });
    double.latest = Object.assign(new Error("getaddrinfo ENOTFOUND updates.contoso.example"), { code: "ENOTFOUND" });
    service.start();
    await clock.advance(MIN);
    expect(service.state()).toEqual({
      kind: "error",
      message:
        "PIM Tray could not reach the update feed (ENOTFOUND). Check your network connection or proxy; PIM Tray tries again at the next check.",
    });
    expect(updateMenuItem(service.state())).toMatchObject({ action: "check", enabled: true });
    double.latest = "0.1.0";
    await clock.advance(4.4 * HOUR);
    expect(service.state()).toMatchObject({ kind: "idle", latest: "0.1.0" });
  });

  it("off by policy: a disabled item that says who decided", () => {
    const { service } = setUp({ mode: "off" });
    expect(updateMenuItem(service.state())).toEqual({
      id: "update",
      label: "Updates are managed by your organisation",
      enabled: false,
      action: null,
    });
    expect(describeUpdateState(service.state(), "0.1.0")).toMatch(/turned off by your organisation/);
  });
});

describe("settings changes", () => {
  it("turned off: checks and a restart waiting for idle stop; turned on again: a check a minute later", async () => {
    let busy = true;
    const { clock, double, service } = setUp({ mode: "auto" }, { busy: () => busy });
    double.latest = "0.2.0";
    service.start();
    await clock.advance(MIN);
    expect(await service.restart()).toMatchObject({ whenIdle: true });
    service.applySettings({ mode: "off" });
    expect(double).toMatchObject({ autoDownload: false, autoInstallOnAppQuit: false });
    busy = false;
    await clock.advance(24 * HOUR);
    expect(double.checks).toBe(1);
    expect(double.installs).toEqual([]);
    expect(service.state()).toMatchObject({ kind: "disabled", by: "policy" });
    service.applySettings({ mode: "auto" });
    expect(service.state()).toMatchObject({ kind: "idle" });
    await clock.advance(MIN);
    expect(double.checks).toBe(2);
  });

  it("a feed set by policy that is not https: an error that names the fix; nothing configured or fetched", async () => {
    const { clock, double, service } = setUp({ mode: "auto", feedUrl: "http://updates.contoso.example/pimtray/" });
    service.start();
    await service.checkNow();
    await clock.advance(24 * HOUR);
    expect(double.checks).toBe(0);
    expect(double.feeds).toEqual([]);
    expect(service.state()).toEqual({
      kind: "error",
      message:
        "The update feed set by your organisation (http://updates.contoso.example) is not https://, so PIM Tray does not use it: its checksums could be changed on the way. Ask your IT team to serve the feed over https.",
    });
    service.applySettings({ mode: "auto", feedUrl: "https://updates.contoso.example/pimtray/" });
    await clock.advance(MIN);
    expect(double.checks).toBe(1);
    expect(double.feeds).toEqual([{ provider: "generic", url: "https://updates.contoso.example/pimtray/" }]);
  });
});

describe("restart", () => {
  it("refuses when nothing is ready", async () => {
    const { service } = setUp({ mode: "auto" });
    service.start();
    expect(await service.restart()).toEqual({
      restarting: false,
      whenIdle: false,
      reason: "No update is ready to install yet.",
    });
  });

  it("installs at once when no request is in flight", async () => {
    const { clock, double, service } = setUp({ mode: "auto" });
    double.latest = "0.2.0";
    service.start();
    await clock.advance(MIN);
    expect(await service.restart()).toEqual({ restarting: true, version: "0.2.0" });
    expect(double.installs).toEqual([[true, true]]);
  });

  it("waits for the requests in flight (asked every second), then installs once", async () => {
    let busy = true;
    let asked = 0;
    const { clock, double, service } = setUp(
      { mode: "auto" },
      {
        busy: async () => {
          asked++;
          return busy;
        },
      },
    );
    double.latest = "0.2.0";
    service.start();
    await clock.advance(MIN);
    const outcome = await service.restart();
    expect(outcome).toMatchObject({ restarting: false, whenIdle: true });
    expect(updateMenuItem(service.state())).toEqual({
      id: "update",
      label: "Restarting to update to 0.2.0 once the activation finishes (click to cancel)",
      enabled: true,
      action: "cancel-restart",
    });
    await clock.advance(10_000);
    expect(asked).toBe(11);
    expect(double.installs).toEqual([]);
    busy = false;
    await clock.advance(1_000);
    expect(double.installs).toEqual([[true, true]]);
    await clock.advance(10_000);
    expect(double.installs).toHaveLength(1);
  });

  it("unsure is busy: a busy() that throws does not restart", async () => {
    const { clock, double, service } = setUp(
      { mode: "auto" },
      {
        busy: () => {
          throw new Error("engine not ready");
        },
      },
    );
    double.latest = "0.2.0";
    service.start();
    await clock.advance(MIN);
    expect(await service.restart()).toMatchObject({ restarting: false, whenIdle: true });
    await clock.advance(10_000);
    expect(double.installs).toEqual([]);
  });
});

describe("error texts", () => {
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
  it.each([
    [withCode("sha512 checksum mismatch, expected a, got b", "ERR_CHECKSUM_MISMATCH"), /did not match the checksum/],
    [
      withCode("New version 0.2.0 is not signed by the application owner", "ERR_UPDATER_INVALID_SIGNATURE"),
      /not signed/,
    ],
    [
      withCode('Cannot find channel "latest.yml"', "ERR_UPDATER_CHANNEL_FILE_NOT_FOUND"),
      /latest\*\.yml file is missing/,
    ],
    [Object.assign(new Error("HttpError: 403 Forbidden"), { statusCode: 403 }), /answered HTTP 403/],
    [
      withCode("unable to verify the first certificate", "UNABLE_TO_VERIFY_LEAF_SIGNATURE"),
      /certificate is not trusted/,
    ],
    [new Error("net::ERR_CERT_AUTHORITY_INVALID"), /certificate is not trusted \(ERR_CERT_AUTHORITY_INVALID\)/],
    [new Error("net::ERR_INTERNET_DISCONNECTED"), /could not reach the update feed/],
    [withCode("ENOENT: no such file, open '/opt/PIM Tray/resources/app-update.yml'", "ENOENT"), /no update feed/],
  ])("%s", (e, want) => {
    expect(describeUpdateError(e)).toMatch(want);
  });

  it("anything else: its first line, without tokens", () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGVsZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
    const text = describeUpdateError(new Error(`boom with Bearer ${jwt}\n    at stack (file.js:1:1)`));
    expect(text).toBe("The update failed: boom with Bearer [token]. PIM Tray tries again at the next check.");
  });
});
