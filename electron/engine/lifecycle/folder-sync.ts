import type { Logger } from "../logger.js";
import { ConfigWatcher, type FolderChange } from "./config-watcher.js";

// What this instance does when another PIM Tray process (the tray app, `pimtray watch`, a one-off
// command) writes to the shared config folder: config-watcher.ts says what kind of change it was,
// this decides what it costs. Without a watch, such changes are seen at the next reconcile.

export interface FolderSyncDeps {
  dir: string;
  logger: Logger;
  /** Whether a history line was written by this instance (HistoryLog.ownsLine). */
  ownsHistoryLine?: (line: string) => boolean;
  /** This instance's picture (knownKey), compared with the one another instance saved. */
  pictureKey: () => string | null;
  debounceMs: number;
  running: () => boolean;
  /** A reconcile that starts after any in flight. */
  reconcile: (reason: string) => Promise<void>;
  /** Whether the signed-in account is not the one in the picture (or the picture wants a sign-in). */
  accountChanged: () => Promise<boolean>;
  /** Re-arms the expiry warnings from the settings, after any reconcile in flight; no request. */
  rearm: () => Promise<void>;
  /** Background work the service waits for in idle(). */
  track: (work: Promise<void>) => void;
}

export class FolderSync {
  readonly #d: FolderSyncDeps;
  #watcher: ConfigWatcher | null;

  constructor(deps: FolderSyncDeps) {
    this.#d = deps;
    this.#watcher = new ConfigWatcher({
      dir: deps.dir,
      logger: deps.logger,
      ...(deps.ownsHistoryLine ? { ownsHistoryLine: deps.ownsHistoryLine } : {}),
      pictureKey: deps.pictureKey,
      debounceMs: deps.debounceMs,
    });
  }

  /** Starts watching; where the platform cannot, says so and carries on without. */
  async start(): Promise<void> {
    try {
      await this.#watcher?.start((kinds) => this.#d.track(this.#changed(kinds)));
    } catch (e) {
      this.#watcher = null;
      this.#d.logger.warn(
        `cannot watch ${this.#d.dir}; changes by other PIM Tray processes are seen at the next reconcile`,
        e,
      );
    }
  }

  close(): void {
    this.#watcher?.close();
    this.#watcher = null;
  }

  /**
   * An activation, deactivation or cancel made elsewhere, or a picture seen elsewhere that this
   * instance has not: one reconcile. A sign-in or sign-out: a reconcile only if the account differs.
   * Settings (profiles, lead times): re-arm the timers, no request.
   */
  async #changed(kinds: ReadonlySet<FolderChange>): Promise<void> {
    const { logger } = this.#d;
    if (!this.#d.running()) return;
    const what = [...kinds].join(", ");
    if (kinds.has("activity") || kinds.has("picture")) {
      logger.info(`another PIM Tray process changed something (${what}); reconciling`);
      return this.#d.reconcile("changed by another PIM Tray process");
    }
    if (kinds.has("account") && (await this.#d.accountChanged())) {
      logger.info("the signed-in account changed in another PIM Tray process; reconciling");
      return this.#d.reconcile("account changed by another PIM Tray process");
    }
    if (kinds.has("settings")) {
      logger.info("settings changed by another PIM Tray process; re-arming expiry warnings");
      await this.#d.rearm();
    }
  }
}
