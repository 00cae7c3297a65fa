// electron-updater's own Linux updater (AppImageUpdater) under plain Node, as electron-builder's own updater
// tests run it: its real provider, version comparison, download, sha512 check, cache and install code, with
// two stand-ins where Electron itself would be:
// - `require("electron")` inside electron-updater gets test/main/electron-fake.ts (its `app`: version 0.1.0,
//   whenReady, quit, relaunch, the "quit" event) plus an `autoUpdater` emitter, which BaseUpdater pokes
//   before it quits for an install;
// - HTTP goes through Node's https with the feed's CA, in place of Electron's net (a builder-util-runtime
//   HttpExecutor, as builder-util's NodeHttpExecutor is).
// The app adapter is electron-updater's ElectronAppAdapter over the fake app, with the folders of a
// packaged app pointed at temporary ones (electron-builder's TestAppAdapter does the same).
import { configureRequestOptions, configureRequestUrl, HttpExecutor, type DownloadOptions } from "builder-util-runtime";
import { EventEmitter } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { ClientRequest, IncomingMessage, RequestOptions } from "node:http";
import { request } from "node:https";
import { createRequire, Module } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AppImageUpdater } from "electron-updater";
import { ElectronAppAdapter } from "electron-updater/out/ElectronAppAdapter.js";

const require = createRequire(import.meta.url);

export type Fake = typeof import("../main/electron-fake.js");

/**
 * Node's https with the feed's CA, where the app has Electron's net (and the OS trust store). `download` is
 * electron-updater's ElectronHttpExecutor.download, which the base class leaves to each executor.
 */
class NodeHttpsExecutor extends HttpExecutor<ClientRequest> {
  constructor(private readonly ca: string) {
    super();
  }
  override createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    return request({ ...options, ca: this.ca }, callback);
  }
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error) => (error == null ? resolve(destination) : reject(error)),
          responseHandler: null,
        },
        0,
      );
    });
  }
}

/** electron-updater's require("electron") gets the Electron fake; returns it and how to take it away. */
export async function installElectronStandIn(): Promise<{ fake: Fake; autoUpdater: EventEmitter; remove(): void }> {
  const fake = await import("../main/electron-fake.js");
  const autoUpdater = new EventEmitter();
  const electronPath = createRequire(require.resolve("electron-updater")).resolve("electron");
  const m = new Module(electronPath);
  m.filename = electronPath;
  m.loaded = true;
  m.exports = { ...fake, autoUpdater };
  require.cache[electronPath] = m;
  return { fake, autoUpdater, remove: () => void delete require.cache[electronPath] };
}

export interface Install {
  readonly dir: string;
  /** The running AppImage (APPIMAGE), as electron-updater finds it. */
  readonly appImage: string;
  /** electron-updater's cache: downloads wait in `<cacheDir>/pending`. */
  readonly cacheDir: string;
  readonly updater: AppImageUpdater;
  remove(): void;
}

/**
 * A packaged PIM Tray 0.1.0 run from an AppImage, whose app-update.yml names `builtInFeed` (what
 * electron-builder writes from the `publish` section), with electron-updater's real AppImageUpdater.
 */
export function packagedApp(o: { fake: Fake; caPem: string; builtInFeed: string; appImageScript?: string }): Install {
  const dir = mkdtempSync(join(tmpdir(), "pimtray-update-"));
  const resources = join(dir, "resources");
  const cache = join(dir, "cache");
  const userData = join(dir, "userData");
  for (const d of [resources, cache, userData]) mkdirSync(d, { recursive: true });
  writeFileSync(join(resources, "app-update.yml"), `${o.builtInFeed}updaterCacheDirName: pimtray-updater\n`);
  const appImage = join(dir, "apps", "PIM-Tray-0.1.0.AppImage");
  mkdirSync(join(dir, "apps"));
  writeFileSync(appImage, o.appImageScript ?? "#!/bin/sh\necho 'PIM Tray 0.1.0'\n", { mode: 0o755 });
  process.env.APPIMAGE = appImage;

  class PackagedAppAdapter extends ElectronAppAdapter {
    override get isPackaged(): boolean {
      return true;
    }
    override get appUpdateConfigPath(): string {
      return join(resources, "app-update.yml");
    }
    override get userDataPath(): string {
      return userData;
    }
    override get baseCachePath(): string {
      return cache;
    }
  }
  const { AppImageUpdater: Updater } = require("electron-updater") as typeof import("electron-updater");
  const updater = new Updater(null, new PackagedAppAdapter(o.fake.app));
  // Passing an app adapter leaves electron-updater without an HTTP executor (it makes Electron's own only for
  // its default adapter); electron-builder's tests set this field the same way.
  (updater as unknown as { httpExecutor: HttpExecutor<ClientRequest> }).httpExecutor = new NodeHttpsExecutor(o.caPem);
  // AppImageUpdater falls back from a differential to a full download only on Linux; the feed's payload has no
  // embedded block map, so the full download is what every OS would do with it.
  updater.disableDifferentialDownload = true;
  return {
    dir,
    appImage,
    cacheDir: join(cache, "pimtray-updater"),
    updater,
    remove() {
      delete process.env.APPIMAGE;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** app-update.yml's provider lines for a generic feed, as electron-builder writes them. */
export const genericFeed = (url: string): string => `provider: generic\nurl: ${url}\n`;
/** …and for GitHub Releases. */
export const githubFeed = (owner: string, repo: string): string => `owner: ${owner}\nrepo: ${repo}\nprovider: github\n`;
