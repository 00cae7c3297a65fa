// The updater port (electron/engine/update/updater-port.ts) over electron-updater's autoUpdater: the update
// service decides; this only maps its decisions onto autoUpdater's settings and forwards its events.
//
// - The feed: the app's own app-update.yml, which electron-builder writes at packaging time from the
//   `publish` section of electron-builder.yml (GitHub Releases). setFeedURL is called only when policy sets a
//   generic feed, as electron-builder advises against calling it otherwise: the file also carries what a
//   provider override must not lose (the updater's cache folder name and, on Windows, the publisher name the
//   installer's signature is verified against), and setFeedURL replaces the provider only, so both still apply.
// - autoDownload and autoInstallOnAppQuit follow the mode ("auto": both on; "manual": both off).
// - allowDowngrade is always off: a feed (or someone in its path) offering an older version is ignored.
// - Prereleases are refused unless allowed, for every provider: electron-updater's allowPrerelease applies to
//   the GitHub provider only, so a generic feed publishing 1.2.0-beta.1 would be offered to everyone.
// - disableWebInstaller: web installers may skip signature verification, and PIM Tray publishes none.
// - Its log goes to ours, scrubbed (it logs feed URLs and file paths; PIM Tray gives it no token).
import type { AppUpdater } from "electron-updater";
import type { AppUpdaterEvents } from "electron-updater/out/AppUpdater.js";
import { scrub, type Logger } from "../engine/logger.js";
import type {
  CheckResult,
  UpdaterConfig,
  UpdaterEvent,
  UpdaterEvents,
  UpdaterPort,
} from "../engine/update/updater-port.js";

/** What PIM Tray uses of electron-updater's AppUpdater, so that tests can hand in a typed double. */
export type AppUpdaterLike = Pick<
  AppUpdater,
  | "autoDownload"
  | "autoInstallOnAppQuit"
  | "allowDowngrade"
  | "allowPrerelease"
  | "disableWebInstaller"
  | "logger"
  | "isUpdateSupported"
  | "isUpdaterActive"
  | "setFeedURL"
  | "checkForUpdates"
  | "downloadUpdate"
  | "quitAndInstall"
> & {
  // Only the subscription: AppUpdater's `on` returns the updater itself, which a double cannot be.
  on<E extends keyof AppUpdaterEvents>(event: E, listener: AppUpdaterEvents[E]): unknown;
};

export const NOT_UPDATABLE =
  "This copy of PIM Tray cannot update itself: it is a development run, or it was installed in a way that is updated by a package manager or your organisation's software distribution. Update it the way it was installed.";

/** electron-updater's own singleton, loaded at the first check or download only: "off" never loads it. */
async function loadAutoUpdater(): Promise<AppUpdaterLike> {
  const mod = await import("electron-updater");
  // Node's import of a CommonJS package may not see the lazily created `autoUpdater` as a named export.
  return (mod.default ?? mod).autoUpdater;
}

/** A semver prerelease (1.2.0-beta.1): a hyphen after major.minor.patch, before any build metadata. */
export function isPrerelease(version: string): boolean {
  return /^v?\d+\.\d+\.\d+-/.test(version.split("+")[0] ?? "");
}

export function createUpdaterPort(o: {
  logger: Logger;
  load?: () => AppUpdaterLike | Promise<AppUpdaterLike>;
}): UpdaterPort {
  const log = o.logger;
  const listeners = new Map<UpdaterEvent, Set<(...args: never[]) => void>>();
  let config: UpdaterConfig | null = null;
  let feedSet: string | null = null;
  let loaded: AppUpdaterLike | null = null;
  let loading: Promise<AppUpdaterLike> | null = null;

  const tell = (event: UpdaterEvent, args: unknown[]) => {
    for (const l of listeners.get(event) ?? []) {
      try {
        (l as (...a: unknown[]) => void)(...args);
      } catch (e) {
        log.warn(`update: a listener of ${event} failed`, e);
      }
    }
  };

  const apply = (u: AppUpdaterLike, c: UpdaterConfig) => {
    u.autoDownload = c.autoDownload;
    u.autoInstallOnAppQuit = c.autoInstallOnAppQuit;
    u.allowPrerelease = c.allowPrerelease;
    u.allowDowngrade = false;
    u.disableWebInstaller = true;
    if (c.feedUrl && c.feedUrl !== feedSet) {
      u.setFeedURL({ provider: "generic", url: c.feedUrl });
      feedSet = c.feedUrl;
      log.info(`update: using the update feed set by policy, ${new URL(c.feedUrl).origin}`);
    } else if (!c.feedUrl && feedSet) {
      // electron-updater has no way back to app-update.yml's provider short of a new updater.
      log.warn("update: the policy no longer sets an update feed; the built-in feed applies from the next start");
    }
  };

  const wire = (u: AppUpdaterLike) => {
    u.logger = {
      info: (m?: unknown) => log.info(`electron-updater: ${scrub(String(m))}`),
      warn: (m?: unknown) => log.warn(`electron-updater: ${scrub(String(m))}`),
      // Its errors also come as an "error" event, which the service reports; here they are only logged.
      error: (m?: unknown) => log.warn(`electron-updater: ${scrub(String(m))}`),
      debug: (m: string) => log.debug(`electron-updater: ${scrub(m)}`),
    };
    const builtIn = u.isUpdateSupported;
    u.isUpdateSupported = (info) => {
      if (isPrerelease(info.version) && !(config?.allowPrerelease ?? false)) {
        log.info(`update: ${info.version} is a prerelease; prereleases are not allowed, so it is not offered`);
        return false;
      }
      return builtIn(info);
    };
    // Listeners are attached before any check: electron-updater reports download progress only when someone
    // listens at the moment the download starts.
    u.on("checking-for-update", () => tell("checking-for-update", []));
    u.on("update-available", (info) => tell("update-available", [info]));
    u.on("update-not-available", (info) => tell("update-not-available", [info]));
    u.on("download-progress", (p) => tell("download-progress", [p]));
    u.on("update-downloaded", (info) => tell("update-downloaded", [info]));
    u.on("error", (e) => tell("error", [e]));
  };

  const updater = (): Promise<AppUpdaterLike> => {
    loading ??= (async () => {
      const u = await (o.load ?? loadAutoUpdater)();
      wire(u);
      if (config) apply(u, config);
      loaded = u;
      return u;
    })();
    return loading;
  };

  return {
    configure(c) {
      config = c;
      // Not loaded yet: applied on load, at the first check (a minute after start at the earliest), so a start
      // or a short run never loads electron-updater at all.
      if (loaded) apply(loaded, c);
    },

    async checkForUpdates(): Promise<CheckResult> {
      const u = await updater();
      if (!u.isUpdaterActive()) return { ran: false, reason: NOT_UPDATABLE };
      const result = await u.checkForUpdates();
      if (result === null) return { ran: false, reason: NOT_UPDATABLE };
      // A failed background download is reported by the "error" event; unobserved, its promise would be an
      // unhandled rejection.
      result.downloadPromise?.catch(() => undefined);
      return { ran: true };
    },

    async downloadUpdate(): Promise<void> {
      await (await updater()).downloadUpdate();
    },

    quitAndInstall(): void {
      if (!loaded) throw new Error("No update has been downloaded, so there is nothing to install.");
      // Silent (the NSIS installer shows no wizard: the user already chose to update), then start the new
      // version. macOS ignores both flags; an AppImage is replaced and started.
      loaded.quitAndInstall(true, true);
    },

    on<E extends UpdaterEvent>(event: E, listener: (...args: UpdaterEvents[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (...args: never[]) => void;
      set.add(l);
      return () => set.delete(l);
    },
  };
}
