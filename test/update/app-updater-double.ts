// A typed double of electron-updater's AppUpdater (the part PIM Tray uses, AppUpdaterLike), for tests that
// need one to misbehave on cue. It behaves as AppUpdater.js 6.8.10 does where the adapter could get it wrong:
// - checkForUpdates returns null, and emits nothing, when the updater is not active (not packaged);
// - events come in the real order: checking-for-update; then, a tick later, update-available or
//   update-not-available; with autoDownload, download-progress (only if someone listens when the download
//   starts) and update-downloaded;
// - a version equal to or older than the current one is not offered (allowDowngrade is off), nor one that
//   isUpdateSupported refuses; its setter ignores null, as the real one does;
// - a failure emits "error" and rejects the promise too; with autoDownload, a failed download rejects the
//   result's downloadPromise, which nobody else awaits;
// - the logger defaults to console, and setting null gives a no-op logger.
// The real updater itself runs against a real feed in https-feed.test.ts.
import { CancellationToken, type UpdateInfo } from "builder-util-runtime";
import { EventEmitter } from "node:events";
import type { Logger, UpdateCheckResult, VerifyUpdateSupport } from "electron-updater";
import type { AppUpdaterLike } from "../../electron/adapters/updater.js";

type FeedOptions = Parameters<AppUpdaterLike["setFeedURL"]>[0];

/** -1, 0 or 1, by semver precedence (numbers, then a prerelease below its release). */
export function compareVersions(a: string, b: string): number {
  const [ab = "", ap] = a.split("-", 2);
  const [bb = "", bp] = b.split("-", 2);
  const an = ab.split(".").map(Number);
  const bn = bb.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (an[i] ?? 0) - (bn[i] ?? 0);
    if (d) return Math.sign(d);
  }
  if (ap === bp) return 0;
  if (ap === undefined) return 1;
  if (bp === undefined) return -1;
  return ap < bp ? -1 : 1;
}

const info = (version: string): UpdateInfo => ({
  version,
  files: [{ url: `PIM-Tray-${version}.AppImage`, sha512: "x", size: 3 }],
  path: `PIM-Tray-${version}.AppImage`,
  sha512: "x",
  releaseDate: "2026-12-01T09:00:00.000Z",
});

export class AppUpdaterDouble extends EventEmitter implements AppUpdaterLike {
  autoDownload = true;
  autoInstallOnAppQuit = true;
  allowDowngrade = false;
  allowPrerelease = false;
  disableWebInstaller = false;
  #logger: Logger = console;
  #supported: VerifyUpdateSupport = () => true;

  /** What the app is and what the feed says; tests change these. */
  currentVersion = "0.1.0";
  packaged = true;
  latest: string | Error = "0.1.0";
  downloadFails: Error | null = null;

  readonly feeds: FeedOptions[] = [];
  readonly installs: Array<[boolean | undefined, boolean | undefined]> = [];
  checks = 0;

  get logger(): Logger | null {
    return this.#logger;
  }
  set logger(value: Logger | null) {
    this.#logger = value ?? { info() {}, warn() {}, error() {} };
  }

  get isUpdateSupported(): VerifyUpdateSupport {
    return this.#supported;
  }
  set isUpdateSupported(value: VerifyUpdateSupport) {
    if (value) this.#supported = value;
  }

  isUpdaterActive(): boolean {
    if (!this.packaged)
      this.#logger.info("Skip checkForUpdates because application is not packed and dev update config is not forced");
    return this.packaged;
  }

  setFeedURL(options: FeedOptions): void {
    this.feeds.push(options);
  }

  async checkForUpdates(): Promise<UpdateCheckResult | null> {
    if (!this.isUpdaterActive()) return null;
    this.checks++;
    this.#logger.info("Checking for update");
    this.emit("checking-for-update");
    await new Promise((r) => setImmediate(r));
    const latest = this.latest;
    if (latest instanceof Error) {
      this.emit("error", latest, `Cannot check for updates: ${latest.stack ?? latest}`);
      throw latest;
    }
    const found = info(latest);
    const newer = compareVersions(latest, this.currentVersion) > 0;
    if (!newer || !(await this.#supported(found))) {
      this.emit("update-not-available", found);
      return { isUpdateAvailable: false, updateInfo: found, versionInfo: found };
    }
    this.#pending = found;
    this.emit("update-available", found);
    return {
      isUpdateAvailable: true,
      updateInfo: found,
      versionInfo: found,
      cancellationToken: new CancellationToken(),
      downloadPromise: this.autoDownload ? this.downloadUpdate() : null,
    };
  }

  #pending: UpdateInfo | null = null;

  async downloadUpdate(): Promise<string[]> {
    const pending = this.#pending;
    if (!pending) {
      const e = new Error("Please check update first");
      this.emit("error", e, String(e.stack));
      throw e;
    }
    const listening = this.listenerCount("download-progress") > 0;
    for (const percent of [10, 55.5, 100]) {
      await new Promise((r) => setImmediate(r));
      if (listening)
        this.emit("download-progress", {
          percent,
          total: 1000,
          transferred: percent * 10,
          delta: 1,
          bytesPerSecond: 1,
        });
    }
    if (this.downloadFails) {
      this.emit("error", this.downloadFails, String(this.downloadFails.stack));
      throw this.downloadFails;
    }
    this.emit("update-downloaded", { ...pending, downloadedFile: `/cache/pending/${pending.path}` });
    return [`/cache/pending/${pending.path}`];
  }

  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter]);
  }
}
