// The update service: when to check, what the tray shows, and when a restart may happen. It drives an
// updater port (electron-updater's autoUpdater in the app) and obeys the update settings (policy first):
// "off" never asks anything of any feed; "manual" checks only when asked; "auto" checks a minute after start
// and every few hours, and downloads in the background. "Restart to update" never restarts while an
// activation request is in flight: it says so, and restarts once the request has finished, because the
// user asked for it. Nothing ever restarts on its own.
import { systemClock, type Clock, type TimerHandle } from "../lifecycle/clock.js";
import { Listeners } from "../lifecycle/listeners.js";
import { silentLogger, type Logger } from "../logger.js";
import {
  CHECK_INTERVAL_MS,
  CHECK_JITTER,
  FIRST_CHECK_DELAY_MS,
  IDLE_POLL_MS,
  feedUrlProblem,
  type UpdateSettings,
} from "./update-settings.js";
import {
  POLICY_OFF_MESSAGE,
  RESTART_NOTHING_READY,
  describeUpdateError,
  restartWaitsReason,
  type RestartOutcome,
  type UpdateState,
} from "./update-state.js";
import type { UpdaterConfig, UpdaterPort } from "./updater-port.js";

export interface UpdateServiceOptions {
  readonly port: UpdaterPort;
  readonly settings: UpdateSettings;
  /** True while an activation request is in flight (see in-flight.ts); a restart waits for false. */
  readonly busy: () => boolean | Promise<boolean>;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** 0 ≤ x < 1, for the checks' jitter. */
  readonly random?: () => number;
  readonly firstCheckDelayMs?: number;
  readonly intervalMs?: number;
  readonly idlePollMs?: number;
}

export class UpdateService {
  readonly #o: UpdateServiceOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #listeners: Listeners<UpdateState>;
  readonly #unsubscribe: Array<() => void>;
  #settings: UpdateSettings;
  #state: UpdateState;
  #started = false;
  /** The port was configured at least once, so turning updates off must tell it too. */
  #configured = false;
  #nextCheck: TimerHandle | null = null;
  #idlePoll: TimerHandle | null = null;
  #checking: Promise<UpdateState> | null = null;
  /** Wall time of the last check's end, for wake(). */
  #lastCheckAt: number | null = null;

  constructor(o: UpdateServiceOptions) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
    this.#log = o.logger ?? silentLogger;
    this.#listeners = new Listeners((e) => this.#log.warn("update: a listener failed", e));
    this.#settings = o.settings;
    this.#state = this.#initialState();
    const p = o.port;
    this.#unsubscribe = [
      p.on("checking-for-update", () => this.#onChecking()),
      p.on("update-available", (info) => this.#onAvailable(info.version)),
      p.on("update-not-available", (info) => this.#onNotAvailable(info.version)),
      p.on("download-progress", (progress) => this.#onProgress(progress.percent)),
      p.on("update-downloaded", (info) => this.#onDownloaded(info.version)),
      p.on("error", (e) => this.#onError(e)),
    ];
  }

  state(): UpdateState {
    return this.#state;
  }

  /** Returns the unsubscribe function. */
  onChange(listener: (state: UpdateState) => void): () => void {
    return this.#listeners.add(listener);
  }

  /** Configures the updater and, in "auto" mode, arms the first check. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#configure();
    if (this.#checksAutomatically()) this.#schedule(this.#o.firstCheckDelayMs ?? FIRST_CHECK_DELAY_MS);
  }

  /** Stops every timer and listens to the updater no more. A download under way is left to finish. */
  stop(): void {
    this.#started = false;
    this.#cancelNextCheck();
    this.#cancelIdlePoll();
    for (const u of this.#unsubscribe) u();
  }

  /** New settings (the policy changed): applies at once; "off" stops checks and a restart waiting for idle. */
  applySettings(settings: UpdateSettings): void {
    this.#settings = settings;
    if (settings.mode === "off") {
      this.#cancelNextCheck();
      this.#cancelIdlePoll();
      if (this.#configured) this.#o.port.configure(this.#portConfig());
      this.#set(this.#initialState());
      return;
    }
    const s = this.#state;
    if ((s.kind === "disabled" && s.by === "policy") || s.kind === "error") this.#set(this.#initialState());
    if (!this.#started) return;
    this.#configure();
    if (!this.#checksAutomatically()) this.#cancelNextCheck();
    else if (!this.#nextCheck) this.#schedule(this.#o.firstCheckDelayMs ?? FIRST_CHECK_DELAY_MS);
  }

  /** "Check for updates": checks now (and, in "manual" mode, downloads what it finds). Never in "off" mode. */
  checkNow(): Promise<UpdateState> {
    return this.#check(true);
  }

  /** After sleep: a check that is overdue happens soon, not hours after the timer would have fired. */
  wake(): void {
    if (!this.#started || !this.#checksAutomatically() || this.#checking) return;
    const interval = this.#o.intervalMs ?? CHECK_INTERVAL_MS;
    if (this.#lastCheckAt !== null && this.#clock.now() - this.#lastCheckAt < interval) return;
    this.#schedule(this.#o.firstCheckDelayMs ?? FIRST_CHECK_DELAY_MS);
  }

  /**
   * "Restart to update to X.Y.Z". Refuses, with the reason, when nothing is ready or while an activation
   * request is in flight; in the second case PIM Tray restarts once the request has finished, unless
   * cancelRestart() is called first.
   */
  async restart(): Promise<RestartOutcome> {
    const s = this.#state;
    if (s.kind !== "ready") return { restarting: false, whenIdle: false, reason: RESTART_NOTHING_READY };
    if (await this.#busy()) {
      const now = this.#state;
      if (now.kind !== "ready") return { restarting: false, whenIdle: false, reason: RESTART_NOTHING_READY };
      this.#set({ ...now, restartWhenIdle: true });
      this.#log.info(`update: restart to ${now.version} asked while a request is in flight; waiting for it`);
      this.#armIdlePoll();
      return { restarting: false, whenIdle: true, reason: restartWaitsReason(now.version) };
    }
    return this.#install();
  }

  /** The user changed their mind about a restart waiting for an activation to finish. */
  cancelRestart(): void {
    this.#cancelIdlePoll();
    const s = this.#state;
    if (s.kind === "ready" && s.restartWhenIdle) this.#set({ ...s, restartWhenIdle: false });
  }

  // --- checks

  #checksAutomatically(): boolean {
    return this.#settings.mode === "auto" && this.#feedProblem() === null;
  }

  #feedProblem(): string | null {
    const url = this.#settings.feedUrl;
    return url ? feedUrlProblem(url) : null;
  }

  #initialState(): UpdateState {
    if (this.#settings.mode === "off") return { kind: "disabled", by: "policy", message: POLICY_OFF_MESSAGE };
    const problem = this.#feedProblem();
    if (problem) return { kind: "error", message: problem };
    return { kind: "idle", checkedAt: null, latest: null };
  }

  #portConfig(): UpdaterConfig {
    const s = this.#settings;
    const auto = s.mode === "auto";
    return {
      autoDownload: auto,
      autoInstallOnAppQuit: auto,
      allowPrerelease: s.allowPrerelease === true,
      feedUrl: s.mode === "off" ? null : (s.feedUrl ?? null),
    };
  }

  /** Nothing is configured in "off" mode (the updater is never even loaded) or with a feed policy refuses. */
  #configure(): void {
    if (this.#settings.mode === "off" || this.#feedProblem()) return;
    this.#o.port.configure(this.#portConfig());
    this.#configured = true;
  }

  #schedule(delay: number): void {
    this.#cancelNextCheck();
    this.#nextCheck = this.#clock.setTimer(() => {
      this.#nextCheck = null;
      void this.#check(false);
    }, delay);
  }

  #cancelNextCheck(): void {
    if (this.#nextCheck) this.#clock.clearTimer(this.#nextCheck);
    this.#nextCheck = null;
  }

  #check(asked: boolean): Promise<UpdateState> {
    if (this.#settings.mode === "off") return Promise.resolve(this.#state);
    const problem = this.#feedProblem();
    if (problem) {
      this.#set({ kind: "error", message: problem });
      return Promise.resolve(this.#state);
    }
    if (this.#checking) return this.#checking;
    if (!this.#configured) this.#configure();
    this.#checking = this.#runCheck(asked).finally(() => {
      this.#checking = null;
    });
    return this.#checking;
  }

  async #runCheck(asked: boolean): Promise<UpdateState> {
    this.#log.info(`update: checking for updates (${asked ? "asked" : "scheduled"})`);
    let again = true;
    try {
      const result = await this.#o.port.checkForUpdates();
      if (!result.ran) {
        again = false;
        this.#set({ kind: "disabled", by: "build", message: result.reason });
      } else if (this.#state.kind === "checking") {
        // Every check ends in an event; should one ever be missing, the tray must not say "Checking…" forever.
        this.#set({ kind: "idle", checkedAt: this.#clock.now(), latest: null });
      }
    } catch (e) {
      this.#onError(e instanceof Error ? e : new Error(String(e)));
    }
    this.#lastCheckAt = this.#clock.now();
    if (again && this.#started && this.#checksAutomatically()) this.#schedule(this.#interval());
    return this.#state;
  }

  #interval(): number {
    const base = this.#o.intervalMs ?? CHECK_INTERVAL_MS;
    const r = (this.#o.random ?? Math.random)();
    return Math.round(base * (1 + CHECK_JITTER * (2 * r - 1)));
  }

  // --- the updater's events

  /** Events after policy turned updates off (a check that was already under way) change nothing. */
  #off(): boolean {
    return this.#settings.mode === "off";
  }

  #onChecking(): void {
    if (this.#off()) return;
    const k = this.#state.kind;
    // A background check while an update downloads or waits for a restart keeps showing that.
    if (k !== "downloading" && k !== "ready") this.#set({ kind: "checking" });
  }

  #onAvailable(version: string): void {
    if (this.#off()) return;
    const s = this.#state;
    if (s.kind === "ready" && s.version === version) return;
    if (s.kind === "downloading" && s.version === version) return;
    this.#log.info(`update: ${version} is available; downloading it in the background`);
    this.#set({ kind: "downloading", version, percent: 0 });
    // In "manual" mode the updater does not download by itself; this check was asked for, so download.
    if (this.#settings.mode === "manual")
      this.#o.port.downloadUpdate().catch((e: unknown) => this.#log.debug("update: download failed", e));
  }

  #onNotAvailable(latest: string): void {
    if (this.#off()) return;
    const s = this.#state;
    if (s.kind === "ready" || s.kind === "downloading") return;
    this.#set({ kind: "idle", checkedAt: this.#clock.now(), latest });
  }

  #onProgress(percent: number): void {
    const s = this.#state;
    if (s.kind !== "downloading") return;
    const whole = Math.max(0, Math.min(100, Math.floor(Number.isFinite(percent) ? percent : 0)));
    // The tray menu is rebuilt on each change: once per whole percent, not once per chunk.
    if (whole !== s.percent) this.#set({ ...s, percent: whole });
  }

  #onDownloaded(version: string): void {
    if (this.#off()) return;
    const s = this.#state;
    const waiting = s.kind === "ready" && s.version === version && s.restartWhenIdle;
    this.#log.info(`update: ${version} is downloaded and verified; it installs on restart`);
    this.#set({ kind: "ready", version, restartWhenIdle: waiting });
  }

  #onError(e: Error): void {
    this.#log.warn("update: the updater failed", e);
    if (this.#off()) return;
    const s = this.#state;
    // A background check that fails leaves an update that is ready, ready.
    if (s.kind === "ready") return;
    this.#set({ kind: "error", message: describeUpdateError(e) });
  }

  // --- restart

  async #busy(): Promise<boolean> {
    try {
      return await this.#o.busy();
    } catch (e) {
      // Unsure is busy: a restart that cuts a request off is worse than one that waits.
      this.#log.warn("update: could not tell whether a request is in flight; not restarting yet", e);
      return true;
    }
  }

  #armIdlePoll(): void {
    this.#cancelIdlePoll();
    this.#idlePoll = this.#clock.setTimer(() => {
      this.#idlePoll = null;
      void this.#whenIdle();
    }, this.#o.idlePollMs ?? IDLE_POLL_MS);
  }

  async #whenIdle(): Promise<void> {
    const s = this.#state;
    if (s.kind !== "ready" || !s.restartWhenIdle || this.#off()) return;
    if (await this.#busy()) return this.#armIdlePoll();
    // The user may have cancelled while busy() was answering.
    const now = this.#state;
    if (now.kind === "ready" && now.restartWhenIdle) this.#install();
  }

  #cancelIdlePoll(): void {
    if (this.#idlePoll) this.#clock.clearTimer(this.#idlePoll);
    this.#idlePoll = null;
  }

  #install(): RestartOutcome {
    const s = this.#state;
    if (s.kind !== "ready") return { restarting: false, whenIdle: false, reason: RESTART_NOTHING_READY };
    this.#cancelIdlePoll();
    this.#log.info(`update: restarting to install ${s.version}`);
    try {
      this.#o.port.quitAndInstall();
    } catch (e) {
      this.#log.error("update: the install failed", e);
      this.#set({ kind: "error", message: describeUpdateError(e) });
      return { restarting: false, whenIdle: false, reason: describeUpdateError(e) };
    }
    return { restarting: true, version: s.version };
  }

  #set(state: UpdateState): void {
    this.#state = state;
    this.#listeners.tell(state);
  }
}
