import type { ActivateInput, ActivationOutcome, ActivationService } from "../activation/activation-service.js";
import type { AccountSummary } from "../auth/auth-service.js";
import { parseIsoDuration } from "../duration.js";
import { PimTrayError } from "../errors.js";
import { equalsIgnoreCase } from "../graph/graph-errors.js";
import { isPending, type AccessId, type ActiveAssignment, type PimClient, type ScheduleRequest } from "../graph/pim-client.js";
import type { HistoryLog } from "../history/history-log.js";
import type { Logger } from "../logger.js";
import type { Profile } from "../profiles/settings-schema.js";
import type { ProfileService, SettingsRepository } from "../profiles/settings-store.js";
import type { Clock, TimerHandle } from "./clock.js";
import { ConfigWatcher, type FolderChange } from "./config-watcher.js";
import type { LifecycleEvent, TargetRef } from "./events.js";
import { emptyState, knownKey, type LifecycleState, type LifecycleStateStore } from "./lifecycle-state.js";

// The lifecycle service keeps the picture of what is active and pending, tells people before
// access expires, renews keep-active profiles, and activates flagged profiles at start. Its cadence
// (docs/lifecycle.md):
//   idle            a full reconcile (2 Graph requests) every 10 min
//   approval        my requests (1 request) every 30 s for 10 min, then every 60 s
//   provisioning    a full reconcile every 5 s
//   expiry          a full reconcile 1 s after each end time; warnings are local timers (no request)
//   resume/jump     a full reconcile at once (the heartbeat compares wall and monotonic time)
//   offline         retries after 15 s, 30 s, 1, 2, then every 5 min
//   another process a full reconcile within about 1 s of its write to the shared config folder
//                   (config-watcher.ts); no timer of its own, so it adds no polling

export interface LifecycleOptions {
  idleIntervalMs?: number;
  approvalPollMs?: number;
  approvalSlowPollMs?: number;
  approvalSlowAfterMs?: number;
  provisioningPollMs?: number;
  heartbeatMs?: number;
  jumpThresholdMs?: number;
  offlineBackoffMs?: number[];
  expiryConfirmDelayMs?: number;
  signInCheckMs?: number;
  /** Quiet time after a write to the config folder by another process before acting on it. */
  folderDebounceMs?: number;
}

const DEFAULTS: Required<LifecycleOptions> = {
  idleIntervalMs: 10 * 60_000,
  approvalPollMs: 30_000,
  approvalSlowPollMs: 60_000,
  approvalSlowAfterMs: 10 * 60_000,
  provisioningPollMs: 5000,
  heartbeatMs: 30_000,
  jumpThresholdMs: 60_000,
  offlineBackoffMs: [15_000, 30_000, 60_000, 120_000, 300_000],
  expiryConfirmDelayMs: 1000,
  signInCheckMs: 15_000,
  folderDebounceMs: 250,
};

export interface LifecycleDeps {
  pim: PimClient;
  activation: ActivationService;
  auth: { currentAccount(): Promise<AccountSummary | null> };
  profiles: ProfileService;
  settings: SettingsRepository;
  store: LifecycleStateStore;
  history?: HistoryLog;
  clock: Clock;
  logger: Logger;
  options?: LifecycleOptions;
  /**
   * The config folder other PIM Tray processes (the tray app, `pimtray watch`, one-off commands)
   * write to. Watched, so that what they change is seen within a second or two; without it (or where
   * the platform cannot watch it) their changes are seen at the next reconcile.
   */
  configDir?: string;
}

export interface PendingView extends ScheduleRequest {
  groupName: string;
}

export interface Picture {
  account: AccountSummary | null;
  active: ActiveAssignment[];
  pending: PendingView[];
  online: boolean;
  needsSignIn: boolean;
  lastSyncAt: number | null;
}

const activeKey = (a: { groupId: string; accessId: string; startDateTime: string }) => `${a.groupId}:${a.accessId}:${a.startDateTime}`;
const targetKey = (t: { groupId: string; accessId: string }) => `${t.groupId}:${t.accessId}`;
const WEEK = 7 * 86_400_000;

export class LifecycleService {
  readonly #d: LifecycleDeps;
  readonly #o: Required<LifecycleOptions>;
  #state: LifecycleState = emptyState();
  #picture: Picture = { account: null, active: [], pending: [], online: true, needsSignIn: false, lastSyncAt: null };
  #names = new Map<string, string>();
  #listeners = new Set<(e: LifecycleEvent) => void>();
  #stateListeners = new Set<(p: Picture) => void>();
  #timer: TimerHandle | null = null;
  #expiryTimers: TimerHandle[] = [];
  #heartbeat: TimerHandle | null = null;
  #beat = { wall: 0, mono: 0 };
  #running = false;
  #inflight: Promise<void> | null = null;
  #offlineAttempts = 0;
  #offlineEpisode = 0;
  #signInAnnounced = false;
  #deferredAutoActivate = false;
  #lastFullAt = 0;
  #renewing = new Set<string>();
  /** One-shot renewals asked for from an expiry notification's Renew action. */
  #renewOnce = new Map<string, number | undefined>();
  /** Background work started by timers (renewals), so idle() can wait for it. */
  #work = new Set<Promise<unknown>>();
  #folder: ConfigWatcher | null = null;

  constructor(deps: LifecycleDeps) {
    this.#d = deps;
    this.#o = { ...DEFAULTS, ...deps.options };
  }

  get picture(): Picture {
    return this.#picture;
  }

  on(listener: (e: LifecycleEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onState(listener: (p: Picture) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  async start(): Promise<void> {
    this.#state = await this.#d.store.load();
    this.#running = true;
    this.#beat = { wall: this.#d.clock.now(), mono: this.#d.clock.monotonic() };
    this.#armHeartbeat();
    // Watching starts before the first reconcile, so a change made meanwhile is not missed.
    if (this.#d.configDir) await this.#watchFolder(this.#d.configDir);
    await this.refresh("start");
  }

  async #watchFolder(dir: string): Promise<void> {
    const history = this.#d.history;
    this.#folder = new ConfigWatcher({
      dir,
      logger: this.#d.logger,
      ...(history ? { ownsHistoryLine: (line: string) => history.ownsLine(line) } : {}),
      pictureKey: () => knownKey(this.#state.known),
      debounceMs: this.#o.folderDebounceMs,
    });
    try {
      await this.#folder.start((kinds) => void this.#track(this.#changedElsewhere(kinds)));
    } catch (e) {
      this.#folder = null;
      this.#d.logger.warn(`cannot watch ${dir}; changes by other PIM Tray processes are seen at the next reconcile`, e);
    }
  }

  /**
   * Another process wrote to the shared folder. An activation, deactivation or cancel it made, or
   * a picture it saw that this instance has not: one reconcile. A sign-in or sign-out: a reconcile
   * only if the account differs. Settings (profiles, lead times): re-arm the timers, no request.
   */
  async #changedElsewhere(kinds: ReadonlySet<FolderChange>): Promise<void> {
    if (!this.#running) return;
    const what = [...kinds].join(", ");
    if (kinds.has("activity") || kinds.has("picture")) {
      this.#d.logger.info(`another PIM Tray process changed something (${what}); reconciling`);
      return this.#freshRefresh("changed by another PIM Tray process");
    }
    if (kinds.has("account")) {
      const account = await this.#d.auth.currentAccount();
      if (this.#picture.needsSignIn || account?.homeAccountId !== this.#picture.account?.homeAccountId) {
        this.#d.logger.info("the signed-in account changed in another PIM Tray process; reconciling");
        return this.#freshRefresh("account changed by another PIM Tray process");
      }
    }
    if (kinds.has("settings")) {
      while (this.#inflight) await this.#inflight.catch(() => undefined);
      this.#d.logger.info("settings changed by another PIM Tray process; re-arming expiry warnings");
      await this.#armExpiry();
      this.#publish();
    }
  }

  /** Stops timers, waits for work in flight, and saves state: nothing is left half-written. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#folder?.close();
    this.#folder = null;
    this.#clearTimers();
    if (this.#heartbeat) this.#d.clock.clearTimer(this.#heartbeat);
    this.#heartbeat = null;
    await this.idle().catch(() => undefined);
    await this.#save();
  }

  /** Resolves when no reconcile or renewal is running (tests and orderly shutdown use it). */
  async idle(): Promise<void> {
    while (this.#inflight || this.#work.size) {
      await Promise.allSettled([this.#inflight, ...this.#work]);
    }
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#work.add(p);
    void p.finally(() => this.#work.delete(p)).catch(() => undefined);
    return p;
  }

  /** The app calls this on resume from sleep and on screen unlock. */
  notifyResume(): Promise<void> {
    this.#d.logger.info("resume signalled; reconciling");
    return this.refresh("resume");
  }

  /**
   * Reconcile unless a full one ran within `maxAgeMs` (the popup opening): catches changes made
   * elsewhere (the portal, another device) without a request each time the popup is opened.
   */
  refreshIfStale(maxAgeMs: number, reason = "popup opened"): Promise<void> {
    if (this.#inflight) return this.#inflight;
    if (this.#lastFullAt && this.#d.clock.now() - this.#lastFullAt < maxAgeMs) return Promise.resolve();
    return this.refresh(reason);
  }

  /** Reconcile with Graph now; concurrent callers share one reconcile. */
  refresh(reason = "on-demand"): Promise<void> {
    if (!this.#inflight) {
      this.#inflight = this.#reconcile("full", reason).finally(() => {
        this.#inflight = null;
      });
    }
    return this.#inflight;
  }

  /** A reconcile that starts after any in flight, so it sees changes made since that one began. */
  async #freshRefresh(reason: string): Promise<void> {
    while (this.#inflight) await this.#inflight.catch(() => undefined);
    await this.refresh(reason);
  }

  /** After the user signs in: deferred auto-activation runs, and the picture refreshes. */
  async signedIn(): Promise<void> {
    this.#signInAnnounced = false;
    await this.refresh("signed-in");
    // The reconcile starts deferred auto-activation itself; wait for it rather than race it.
    await this.idle();
    if (this.#deferredAutoActivate) await this.autoActivate();
  }

  // ---- events -------------------------------------------------------------------------------

  #emit(key: string | null, e: LifecycleEvent): void {
    if (key) {
      if (this.#state.announced[key] !== undefined) return;
      this.#state.announced[key] = this.#d.clock.now();
    }
    this.#d.logger.info(`event ${e.type}${"target" in e ? ` ${e.target.groupName} (${e.target.accessId})` : ""}`);
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch (err) {
        this.#d.logger.error("an event listener failed", err);
      }
    }
  }

  #publish(): void {
    for (const l of this.#stateListeners) {
      try {
        l(this.#picture);
      } catch (err) {
        this.#d.logger.error("a state listener failed", err);
      }
    }
  }

  #target(groupId: string, accessId: AccessId): TargetRef {
    return { groupId, accessId, groupName: this.#names.get(groupId) ?? groupId };
  }

  // ---- reconcile ------------------------------------------------------------------------------

  async #reconcile(scope: "full" | "requests", reason: string): Promise<void> {
    if (!this.#running) return;
    const { clock, pim, logger } = this.#d;
    this.#clearTimer();
    const account = await this.#d.auth.currentAccount();
    this.#picture.account = account;
    if (!account) {
      this.#picture.needsSignIn = true;
      if (!this.#signInAnnounced) {
        this.#signInAnnounced = true;
        this.#emit(null, { type: "needs-sign-in", reason: "Sign in to see and activate your PIM groups." });
      }
      this.#publish();
      this.#schedule(this.#o.signInCheckMs, "requests");
      return;
    }
    if (this.#picture.needsSignIn) {
      this.#picture.needsSignIn = false;
      this.#signInAnnounced = false;
      // Signed in since (e.g. `pimtray login` in another terminal): run what was waiting for it.
      if (this.#deferredAutoActivate) void this.#track(this.autoActivate());
    }
    let active: ActiveAssignment[] | null = null;
    let requests: ScheduleRequest[];
    try {
      if (scope === "full" || !this.#state.known) {
        [active, requests] = await Promise.all([pim.activeAssignments(), pim.myRequests()]);
        if (this.#names.size === 0 || requests.some((r) => !this.#names.has(r.groupId))) await this.#loadNames();
      } else {
        requests = await pim.myRequests();
      }
    } catch (e) {
      this.#failed(e, reason);
      return;
    }
    if (!this.#picture.online) logger.info("back online; catching up");
    this.#picture.online = true;
    this.#offlineAttempts = 0;
    for (const a of active ?? []) this.#names.set(a.groupId, a.groupName);

    const prev = this.#state.known;
    const pendingNow = requests.filter((r) => isPending(r.status) && equalsIgnoreCase(r.action, "selfActivate"));
    if (!active && prev) {
      // A light poll saw a request move on (approved, denied, provisioning): look at everything now.
      const before = new Map(prev.pending.map((r) => [r.id, r.status]));
      const moved = requests.some((r) => before.has(r.id) && !equalsIgnoreCase(before.get(r.id), r.status));
      if (moved) return this.#reconcile("full", `${reason}, a request changed`);
    }
    if (prev) this.#diffRequests(prev.pending, requests, pendingNow);
    const activeNow = active ?? prev?.active ?? [];
    if (prev && active) this.#diffActive(prev.active, active);
    if (!prev) logger.info(`first picture: ${activeNow.length} active, ${pendingNow.length} pending (nothing announced for what already existed)`);
    this.#state.known = { active: activeNow, pending: pendingNow };
    if (active) this.#lastFullAt = clock.now();
    this.#picture = {
      ...this.#picture,
      active: activeNow,
      pending: pendingNow.map((r) => ({ ...r, groupName: this.#names.get(r.groupId) ?? r.groupId })),
      lastSyncAt: clock.now(),
    };
    this.#pruneAnnounced();
    await this.#armExpiry();
    await this.#save();
    this.#publish();
    this.#scheduleNext();
    if (reason === "start" && this.#d.history) await this.#d.history.repair(requests).catch((e: unknown) => logger.warn("history repair failed", e));
  }

  #failed(e: unknown, reason: string): void {
    const { logger } = this.#d;
    if (e instanceof PimTrayError && (e.kind === "auth" || e.kind === "consent")) {
      this.#picture.needsSignIn = true;
      if (!this.#signInAnnounced) {
        this.#signInAnnounced = true;
        this.#emit(null, { type: "needs-sign-in", reason: e.message });
      }
      this.#publish();
      this.#schedule(this.#o.signInCheckMs * 4, "full");
      return;
    }
    const kind = e instanceof PimTrayError ? e.kind : "server";
    if (this.#picture.online) {
      this.#picture.online = false;
      this.#offlineEpisode += 1;
      this.#emit(`offline:${this.#offlineEpisode}:${this.#d.clock.now()}`, { type: "error", kind: kind === "server" ? "network" : kind, message: e instanceof Error ? e.message : String(e) });
      this.#publish();
    }
    const backoff = this.#o.offlineBackoffMs;
    const delay = backoff[Math.min(this.#offlineAttempts, backoff.length - 1)] ?? 300_000;
    this.#offlineAttempts += 1;
    logger.warn(`reconcile (${reason}) failed; retrying in ${Math.round(delay / 1000)} s`, e);
    this.#schedule(delay, "full");
  }

  async #loadNames(): Promise<void> {
    try {
      for (const e of await this.#d.pim.eligibilities()) this.#names.set(e.groupId, e.groupName);
    } catch (e) {
      this.#d.logger.info("eligibility names could not be loaded; showing ids for now", e);
    }
  }

  #diffRequests(prevPending: ScheduleRequest[], all: ScheduleRequest[], pendingNow: ScheduleRequest[]): void {
    const byId = new Map(all.map((r) => [r.id, r]));
    for (const before of prevPending) {
      const now = byId.get(before.id);
      if (!now) continue;
      const t = this.#target(now.groupId, now.accessId);
      const wasApproval = equalsIgnoreCase(before.status, "PendingApproval");
      if (wasApproval && !equalsIgnoreCase(now.status, "PendingApproval") && ["Provisioned", "Granted", "PendingProvisioning", "PendingScheduleCreation"].some((s) => equalsIgnoreCase(now.status, s))) {
        this.#emit(`appr:${now.id}`, { type: "approved", target: t, requestId: now.id });
      }
      if (equalsIgnoreCase(now.status, "Denied")) this.#emit(`deny:${now.id}`, { type: "denied", target: t, requestId: now.id });
      if (equalsIgnoreCase(now.status, "Canceled")) this.#emit(`cancel:${now.id}`, { type: "canceled", target: t, requestId: now.id });
      if (equalsIgnoreCase(now.status, "Failed")) this.#emit(`fail:${now.id}`, { type: "failed", target: t, requestId: now.id, reason: "PIM could not complete the request." });
      if (["Denied", "Failed"].some((s) => equalsIgnoreCase(now.status, s))) this.#stopChainsFor(now.groupId, now.accessId, equalsIgnoreCase(now.status, "Denied") ? "The approver denied the renewal." : "PIM could not complete the renewal.");
    }
    const prevIds = new Set(prevPending.map((r) => r.id));
    for (const r of pendingNow) {
      if (!prevIds.has(r.id) && equalsIgnoreCase(r.status, "PendingApproval")) {
        this.#emit(`pend:${r.id}`, { type: "pending-approval", target: this.#target(r.groupId, r.accessId), requestId: r.id });
      }
    }
  }

  #diffActive(prev: ActiveAssignment[], now: ActiveAssignment[]): void {
    const t = this.#d.clock.now();
    const nowKeys = new Set(now.map(activeKey));
    const prevKeys = new Set(prev.map(activeKey));
    for (const a of now) {
      if (!prevKeys.has(activeKey(a))) {
        this.#emit(`prov:${activeKey(a)}`, { type: "provisioned", target: this.#target(a.groupId, a.accessId), requestId: null, endDateTime: a.endDateTime });
      }
    }
    for (const a of prev) {
      if (nowKeys.has(activeKey(a))) continue;
      const target = this.#target(a.groupId, a.accessId);
      if (a.endDateTime && t >= Date.parse(a.endDateTime) - 60_000) {
        this.#emit(`expired:${targetKey(a)}:${a.endDateTime}`, { type: "expired", target, endDateTime: a.endDateTime });
        // A chain renews the moment its activation ends.
        void this.#track(this.#renewAfterExpiry(a));
      } else {
        this.#emit(`deact:${activeKey(a)}`, { type: "deactivated", target });
      }
    }
  }

  // ---- timers ---------------------------------------------------------------------------------

  #clearTimer(): void {
    if (this.#timer) this.#d.clock.clearTimer(this.#timer);
    this.#timer = null;
  }

  #clearTimers(): void {
    this.#clearTimer();
    for (const h of this.#expiryTimers) this.#d.clock.clearTimer(h);
    this.#expiryTimers = [];
  }

  #schedule(ms: number, scope: "full" | "requests"): void {
    if (!this.#running) return;
    this.#clearTimer();
    this.#timer = this.#d.clock.setTimer(() => {
      this.#timer = null;
      if (!this.#inflight) {
        this.#inflight = this.#reconcile(scope, "timer").finally(() => {
          this.#inflight = null;
        });
      }
    }, ms);
  }

  /** The next reconcile: soon while something is moving, rarely when nothing is. */
  #scheduleNext(): void {
    const now = this.#d.clock.now();
    const pending = this.#state.known?.pending ?? [];
    const sinceFull = now - this.#lastFullAt;
    const fullDue = Math.max(0, this.#o.idleIntervalMs - sinceFull);
    const provisioning = pending.filter((r) => !equalsIgnoreCase(r.status, "PendingApproval"));
    const future = provisioning.filter((r) => equalsIgnoreCase(r.status, "Granted") && r.startDateTime && Date.parse(r.startDateTime) > now + 5000);
    if (provisioning.length > future.length) return this.#schedule(this.#o.provisioningPollMs, "full");
    const approvals = pending.filter((r) => equalsIgnoreCase(r.status, "PendingApproval"));
    if (approvals.length) {
      const oldest = Math.min(...approvals.map((r) => Date.parse(r.createdDateTime)));
      const poll = now - oldest > this.#o.approvalSlowAfterMs ? this.#o.approvalSlowPollMs : this.#o.approvalPollMs;
      return poll >= fullDue ? this.#schedule(fullDue, "full") : this.#schedule(poll, "requests");
    }
    if (future.length) {
      const start = Math.min(...future.map((r) => Date.parse(r.startDateTime ?? "")));
      return this.#schedule(Math.min(fullDue, start - now + 1000), "full");
    }
    this.#schedule(fullDue, "full");
  }

  /** Expiry warnings are local timers; missed leads (after a restart) collapse into one warning. */
  async #armExpiry(): Promise<void> {
    for (const h of this.#expiryTimers) this.#d.clock.clearTimer(h);
    this.#expiryTimers = [];
    const now = this.#d.clock.now();
    const settings = await this.#d.settings.load().catch(() => null);
    const globalLeads = settings?.notifications.leadMinutes ?? [10, 2];
    const profiles = settings?.profiles ?? [];
    for (const a of this.#state.known?.active ?? []) {
      if (!a.endDateTime) continue;
      const end = Date.parse(a.endDateTime);
      if (end <= now) continue;
      const target = this.#target(a.groupId, a.accessId);
      const leads = leadsFor(a, profiles, globalLeads);
      const key = (lead: number) => `soon:${targetKey(a)}:${a.endDateTime}:${lead}`;
      const passed = leads.filter((l) => end - l * 60_000 <= now);
      if (passed.length) {
        // Only the most recent missed lead is worth saying ("expires in 5 min"), once.
        const smallest = Math.min(...passed);
        if (this.#state.announced[key(smallest)] === undefined) {
          this.#emit(key(smallest), { type: "expiring-soon", target, endDateTime: a.endDateTime, minutesLeft: Math.max(1, Math.round((end - now) / 60_000)), leadMinutes: smallest });
        }
        for (const l of passed) this.#state.announced[key(l)] ??= now;
      }
      for (const lead of leads.filter((l) => end - l * 60_000 > now)) {
        const endIso = a.endDateTime;
        this.#expiryTimers.push(
          this.#d.clock.setTimer(() => {
            this.#emit(key(lead), { type: "expiring-soon", target, endDateTime: endIso, minutesLeft: Math.max(1, Math.round((end - this.#d.clock.now()) / 60_000)), leadMinutes: lead });
            void this.#save();
          }, end - lead * 60_000 - now),
        );
      }
      this.#expiryTimers.push(this.#d.clock.setTimer(() => void this.refresh("expiry"), end - now + this.#o.expiryConfirmDelayMs));
    }
  }

  #armHeartbeat(): void {
    if (!this.#running) return;
    this.#heartbeat = this.#d.clock.setTimer(() => {
      const wall = this.#d.clock.now();
      const mono = this.#d.clock.monotonic();
      const drift = wall - this.#beat.wall - (mono - this.#beat.mono);
      this.#beat = { wall, mono };
      if (Math.abs(drift) > this.#o.jumpThresholdMs) {
        this.#d.logger.info(`wall clock moved ${Math.round(drift / 1000)} s against the monotonic clock (sleep or clock change); reconciling`);
        void this.refresh("clock-jump");
      }
      this.#armHeartbeat();
    }, this.#o.heartbeatMs);
  }

  #pruneAnnounced(): void {
    const cutoff = this.#d.clock.now() - WEEK;
    for (const [k, t] of Object.entries(this.#state.announced)) if (t < cutoff) delete this.#state.announced[k];
  }

  async #save(): Promise<void> {
    try {
      await this.#d.store.save(this.#state);
    } catch (e) {
      this.#d.logger.error("could not save the lifecycle state", e);
    }
  }

  // ---- activation, auto-activation and keep-active --------------------------------------------

  /** Announces what an activation the service started turned into. */
  #announce(o: ActivationOutcome, profile: string | null): void {
    const t: TargetRef = { groupId: o.groupId, groupName: o.groupName, accessId: o.accessId };
    if (o.requestId && o.status !== "already-active") this.#emit(`sub:${o.requestId}`, { type: "submitted", target: t, requestId: o.requestId, profile });
    if (o.error) {
      this.#emit(null, { type: "failed", target: t, requestId: o.requestId, reason: o.error.message });
      return;
    }
    switch (o.status) {
      case "active":
        if (o.startDateTime) this.#emit(`prov:${o.groupId}:${o.accessId}:${o.startDateTime}`, { type: "provisioned", target: t, requestId: o.requestId, endDateTime: o.endDateTime });
        break;
      case "pending-approval":
        if (o.requestId) this.#emit(`pend:${o.requestId}`, { type: "pending-approval", target: t, requestId: o.requestId });
        break;
      case "denied":
        if (o.requestId) this.#emit(`deny:${o.requestId}`, { type: "denied", target: t, requestId: o.requestId });
        break;
      case "failed":
        this.#emit(o.requestId ? `fail:${o.requestId}` : null, { type: "failed", target: t, requestId: o.requestId, reason: `PIM reported ${o.requestStatus ?? "a failure"}.` });
        break;
      default:
        break;
    }
  }

  /** Renew once when this activation ends (PIM refuses a second activation while one runs). */
  renewWhenExpired(target: { groupId: string; accessId: AccessId }, durationMs?: number): void {
    this.#renewOnce.set(targetKey(target), durationMs);
    this.#d.logger.info(`${targetKey(target)} will be renewed when it ends`);
  }

  /** Activates a profile's targets that are not already active or pending; arms keep-active. */
  async activateProfile(profile: Profile, options: { reason?: string } = {}): Promise<ActivationOutcome[]> {
    await this.refresh("before-activation");
    const busy = new Set([...(this.#state.known?.active ?? []).map(targetKey), ...(this.#state.known?.pending ?? []).map(targetKey)]);
    const inputs: ActivateInput[] = profile.targets
      .filter((t) => !busy.has(targetKey(t)))
      .map((t) => this.#inputFor(profile, t, undefined));
    if (profile.keepActive.enabled) this.#state.keepActive[profile.id] = { renewals: 0, stopped: false, day: this.#day() };
    const outcomes = inputs.length ? await this.#d.activation.activateMany(inputs, { waitFor: "provisioned", timeoutMs: 90_000 }) : [];
    for (const o of outcomes) this.#announce(o, profile.name);
    this.#d.logger.info(`profile ${profile.name} (${options.reason ?? "requested"}): ${outcomes.length} submitted, ${profile.targets.length - inputs.length} already active or pending`);
    await this.#freshRefresh("after-activation");
    return outcomes;
  }

  /** Profiles flagged auto-activate; if sign-in is needed first, they run after signedIn(). */
  async autoActivate(): Promise<void> {
    const profiles = (await this.#d.profiles.list()).filter((p) => p.autoActivate);
    if (!profiles.length) return;
    if (!(await this.#d.auth.currentAccount())) {
      this.#deferredAutoActivate = true;
      this.#signInAnnounced = true;
      this.#emit(null, { type: "needs-sign-in", reason: `Sign in to activate ${profiles.map((p) => p.name).join(", ")} as set for login.` });
      return;
    }
    this.#deferredAutoActivate = false;
    for (const p of profiles) {
      try {
        await this.activateProfile(p, { reason: "auto-activate at start" });
      } catch (e) {
        this.#emit(null, { type: "error", kind: e instanceof PimTrayError ? e.kind : "server", message: `Auto-activation of ${p.name} failed: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
  }

  #inputFor(profile: Profile, t: { groupId: string; accessId: AccessId; groupName?: string | undefined }, capMs: number | undefined): ActivateInput {
    const configured = profile.duration ? (parseIsoDuration(profile.duration) ?? undefined) : undefined;
    const durationMs = capMs !== undefined ? Math.min(configured ?? capMs, capMs) : configured;
    return {
      target: { groupId: t.groupId, accessId: t.accessId, groupName: this.#names.get(t.groupId) ?? t.groupName ?? t.groupId },
      ...(durationMs ? { durationMs } : {}),
      justification: profile.justification ?? `Kept active by PIM Tray (profile ${profile.name})`,
      ...(profile.ticket ? { ticket: profile.ticket } : {}),
    };
  }

  #day(): string {
    const d = new Date(this.#d.clock.now());
    return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
  }

  #stopChainsFor(groupId: string, accessId: AccessId, reason: string): void {
    void this.#d.profiles.list().then((profiles) => {
      for (const p of profiles) {
        const chain = this.#state.keepActive[p.id];
        if (!chain || chain.stopped || !p.targets.some((t) => t.groupId === groupId && t.accessId === accessId)) continue;
        chain.stopped = true;
        this.#emit(`ka-stop:${p.id}:${chain.day}:${chain.renewals}`, { type: "keep-active-stopped", profile: p.name, reason });
      }
    });
  }

  /**
   * Renews an expired activation for each armed keep-active profile that holds it. PIM refuses a
   * second activation while one is active, so the renewal is submitted the moment the first ends.
   */
  async #renewAfterExpiry(a: ActiveAssignment): Promise<void> {
    if (this.#renewOnce.has(targetKey(a))) {
      const durationMs = this.#renewOnce.get(targetKey(a)) ?? (a.endDateTime ? Date.parse(a.endDateTime) - Date.parse(a.startDateTime) : undefined);
      this.#renewOnce.delete(targetKey(a));
      try {
        const o = await this.#d.activation.activate({ target: this.#target(a.groupId, a.accessId), ...(durationMs ? { durationMs } : {}), justification: "Renewed from a PIM Tray expiry notification" }, { waitFor: "provisioned", timeoutMs: 90_000 });
        this.#announce(o, null);
      } catch (e) {
        this.#emit(null, { type: "failed", target: this.#target(a.groupId, a.accessId), requestId: null, reason: e instanceof Error ? e.message : String(e) });
      }
      return;
    }
    const profiles = await this.#d.profiles.list().catch(() => [] as Profile[]);
    for (const p of profiles) {
      if (!p.keepActive.enabled || !p.targets.some((t) => t.groupId === a.groupId && t.accessId === a.accessId)) continue;
      const chain = this.#state.keepActive[p.id];
      if (!chain || chain.stopped) continue;
      if (chain.day !== this.#day()) {
        chain.stopped = true; // a chain lives for the day it was started
        continue;
      }
      const lock = `${p.id}:${targetKey(a)}`;
      if (this.#renewing.has(lock)) continue;
      this.#renewing.add(lock);
      try {
        await this.#renew(p, a, chain);
      } finally {
        this.#renewing.delete(lock);
      }
    }
  }

  async #renew(p: Profile, a: ActiveAssignment, chain: { renewals: number; stopped: boolean; day: string }): Promise<void> {
    const stop = (reason: string) => {
      chain.stopped = true;
      this.#emit(`ka-stop:${p.id}:${chain.day}:${chain.renewals}`, { type: "keep-active-stopped", profile: p.name, reason });
    };
    if (p.keepActive.maxRenewals !== undefined && chain.renewals >= p.keepActive.maxRenewals) {
      return stop(`It renewed ${chain.renewals} time${chain.renewals === 1 ? "" : "s"}, the most it is set to.`);
    }
    let capMs: number | undefined;
    if (p.keepActive.until) {
      const [h, m] = p.keepActive.until.split(":").map(Number);
      const until = new Date(this.#d.clock.now());
      until.setHours(h ?? 0, m ?? 0, 0, 0);
      capMs = until.getTime() - this.#d.clock.now();
      if (capMs < 5 * 60_000) return stop(`It is set to stop at ${p.keepActive.until}.`);
    }
    if ((this.#state.known?.pending ?? []).some((r) => r.groupId === a.groupId && r.accessId === a.accessId)) {
      this.#d.logger.info(`keep-active ${p.name}: a request for ${a.groupName} is already pending; not submitting another`);
      return;
    }
    const input = this.#inputFor(p, a, capMs);
    for (let attempt = 0; attempt < 6; attempt++) {
      let o: ActivationOutcome;
      try {
        o = await this.#d.activation.activate(input, { waitFor: "provisioned", timeoutMs: 90_000 });
      } catch (e) {
        if (e instanceof PimTrayError && (e.kind === "policy" || e.kind === "auth" || e.kind === "usage")) return stop(e.message);
        this.#d.logger.warn(`keep-active ${p.name}: renewal failed; will retry at the next reconcile`, e);
        return;
      }
      if (o.status === "already-active") {
        // PIM has not ended the previous activation yet; it will in a moment.
        await new Promise<void>((r) => this.#d.clock.setTimer(r, 2000 * (attempt + 1)));
        continue;
      }
      chain.renewals += 1;
      this.#announce(o, p.name);
      if (o.status === "denied") return stop("The approver denied the renewal.");
      if (o.status === "failed") return stop(o.error?.message ?? "PIM could not complete the renewal.");
      await this.#freshRefresh("renewed");
      return;
    }
  }
}

function leadsFor(a: ActiveAssignment, profiles: Profile[], globalLeads: number[]): number[] {
  const fromProfile = profiles.find((p) => p.notifyLeadMinutes && p.targets.some((t) => t.groupId === a.groupId && t.accessId === a.accessId))?.notifyLeadMinutes;
  return [...new Set(fromProfile ?? globalLeads)].sort((x, y) => y - x);
}
