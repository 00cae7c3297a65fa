// What the update service needs from an updater: electron-updater's autoUpdater in the app
// (electron/adapters/updater.ts), a double in tests. Event names and arguments are electron-updater's own,
// so the adapter forwards them as they come and the service sees the order the real updater keeps:
// checking-for-update, then update-available or update-not-available, then download-progress (any number)
// and update-downloaded; error at any point.

/** The part of electron-updater's UpdateInfo the service reads. */
export interface UpdateInfoLike {
  readonly version: string;
}

/** electron-updater's ProgressInfo. */
export interface DownloadProgress {
  readonly percent: number;
  readonly transferred: number;
  readonly total: number;
  readonly bytesPerSecond: number;
}

export interface UpdaterEvents {
  "checking-for-update": [];
  "update-available": [info: UpdateInfoLike];
  "update-not-available": [info: UpdateInfoLike];
  "download-progress": [progress: DownloadProgress];
  "update-downloaded": [info: UpdateInfoLike];
  error: [error: Error];
}

export type UpdaterEvent = keyof UpdaterEvents;

/** How the updater behaves, decided by the service from the update settings (policy, else defaults). */
export interface UpdaterConfig {
  /** Start the download as soon as a check finds an update ("auto" mode). */
  readonly autoDownload: boolean;
  /** Install a downloaded update when the app quits anyway ("auto" mode). */
  readonly autoInstallOnAppQuit: boolean;
  /** Offer prerelease versions (1.2.0-beta.1); off, they are ignored whatever the feed publishes. */
  readonly allowPrerelease: boolean;
  /** A generic feed (an https:// folder with latest*.yml) set by policy; null: the feed built into the app. */
  readonly feedUrl: string | null;
}

/** A check ran, or this copy of the app cannot update itself and nothing was asked of any feed. */
export type CheckResult = { readonly ran: true } | { readonly ran: false; readonly reason: string };

export interface UpdaterPort {
  /** Applies the settings; nothing is fetched. */
  configure(config: UpdaterConfig): void;
  /** Asks the feed whether there is an update; the answer comes as events. Rejects when the check fails. */
  checkForUpdates(): Promise<CheckResult>;
  /** Downloads the update the last check found (when autoDownload is off). Rejects when the download fails. */
  downloadUpdate(): Promise<void>;
  /** Quits the app, installs the downloaded update and starts the new version. */
  quitAndInstall(): void;
  /** Returns the unsubscribe function. */
  on<E extends UpdaterEvent>(event: E, listener: (...args: UpdaterEvents[E]) => void): () => void;
}
