import type { ActivationOutcome } from "../activation/activation-service.js";
import type { Decision, DecisionResult } from "../approvals/approval-types.js";
import { PimTrayError, UsageError } from "../errors.js";
import { labelOf, nameOf, type PlaneKind, type TargetRef } from "../planes/targets.js";
import type { Profile } from "../profiles/settings-schema.js";
import { ApprovalWatch, NO_APPROVALS } from "./approval-watch.js";
import { clockJumped, next, offlineRetry, signInCheck, type Poll, type Scope } from "./cadence.js";
import { diff, outcomeAnnouncements, requestMoved, type Effect } from "./diff.js";
import { forgetOld, keys, targetKey } from "./event-keys.js";
import type { LifecycleEvent } from "./events.js";
import { DEFAULT_LEAD_MINUTES, expiringSoon, planExpiry } from "./expiry.js";
import { FolderSync } from "./folder-sync.js";
import { inputFor, startChain } from "./keep-active.js";
import { LIFECYCLE_DEFAULTS, type LifecycleDeps, type LifecycleOptions, type Picture } from "./lifecycle-options.js";
import { emptyState, knownKey, type LifecycleState } from "./lifecycle-state.js";
import { Listeners } from "./listeners.js";
import { namedTarget } from "./names.js";
import { occasionOf, type Occasion } from "./plane-reads.js";
import { PlaneWatch } from "./plane-watch.js";
import { Renewals } from "./renewals.js";
import { LifecycleTimers } from "./timers.js";

// The lifecycle service keeps the picture of what is active and pending, tells people before
// access expires, renews keep-active profiles, and activates flagged profiles at start. Its cadence
// (docs/lifecycle.md):
//   idle            a full reconcile (2 Graph requests for groups) every 10 min; the role and Azure
//                   planes add at most one request each (plane-reads.ts)
//   approval        my requests (1 request) every 30 s for 10 min, then every 60 s
//   provisioning    a full reconcile every 5 s
//   expiry          a full reconcile 1 s after each end time; warnings are local timers (no request)
//   resume/jump     a full reconcile at once (the heartbeat compares wall and monotonic time)
//   offline         retries after 15 s, 30 s, 1, 2, then every 5 min
//   another process a full reconcile within about 1 s of its write to the shared config folder
//                   (config-watcher.ts); no timer of its own, so it adds no polling
// This file is the coordinator: it holds the state and the timers. What to announce (diff.ts), when
// to look next (cadence.ts), which planes to ask (plane-reads.ts, carried out by plane-watch.ts),
// when to warn (expiry.ts) and what a keep-active chain does (keep-active.ts, carried out by
// renewals.ts) are decided by pure planners. It runs to about 440 lines because it is the service's whole public surface (start/stop, refresh, sign-in,
// profile activation) plus the one reconcile sequence, and splitting that sequence would scatter
// the order of its steps (read, diff, save, arm, publish, schedule), which is what matters here.

export type { LifecycleDeps, LifecycleOptions, PendingView, Picture, PictureAssignment } from "./lifecycle-options.js";

const ACTIVATION_TIMEOUT_MS = 90_000;

export class LifecycleService {
  readonly #d: LifecycleDeps;
  readonly #o: Required<LifecycleOptions>;
  #state: LifecycleState = emptyState();
  #picture: Picture = {
    account: null,
    active: [],
    standing: [],
    pending: [],
    online: true,
    needsSignIn: false,
    lastSyncAt: null,
    approvals: NO_APPROVALS,
  };
  /** The planes: which are on, how each answered, the names seen (plane-watch.ts). */
  readonly #planes: PlaneWatch;
  readonly #listeners: Listeners<LifecycleEvent>;
  readonly #stateListeners: Listeners<Picture>;
  readonly #timers: LifecycleTimers;
  #running = false;
  #inflight: Promise<void> | null = null;
  #offlineAttempts = 0;
  #offlineEpisode = 0;
  #signInAnnounced = false;
  #deferredAutoActivate = false;
  #lastFullAt = 0;
  /** Background work started by timers (renewals), so idle() can wait for it. */
  #work = new Set<Promise<unknown>>();
  #folder: FolderSync | null = null;
  #saving: Promise<void> = Promise.resolve();
  readonly #renewals: Renewals;
  /** The approver's inbox, on its own cadence; null where the engine offers none (tests of the requester side). */
  readonly #approvals: ApprovalWatch | null;

  constructor(deps: LifecycleDeps) {
    this.#d = deps;
    this.#o = { ...LIFECYCLE_DEFAULTS, ...deps.options };
    this.#timers = new LifecycleTimers(deps.clock, () => this.#running);
    this.#listeners = new Listeners((err) => deps.logger.error("an event listener failed", err));
    this.#stateListeners = new Listeners((err) => deps.logger.error("a state listener failed", err));
    this.#planes = new PlaneWatch({
      planes: deps.planes,
      settings: deps.settings,
      logger: deps.logger,
      now: () => deps.clock.now(),
    });
    this.#renewals = new Renewals({
      activation: deps.activation,
      profiles: deps.profiles,
      clock: deps.clock,
      logger: deps.logger,
      state: () => this.#state,
      names: this.#planes.names,
      announce: (key, e) => this.#emit(key, e),
      announceOutcome: (o, profile) => this.#announce(o, profile),
      refreshAfter: (reason) => this.#freshRefresh(reason),
    });
    this.#approvals = deps.approvals
      ? new ApprovalWatch({
          approvals: deps.approvals,
          settings: deps.settings,
          clock: deps.clock,
          logger: deps.logger,
          everyMs: this.#o.approverPollMs,
          emit: (key, e) => this.#emit(key, e),
          persist: () => this.#save(),
          publish: (approvals) => {
            this.#picture = { ...this.#picture, approvals };
            this.#publish();
          },
          signedIn: async () => (await deps.auth.currentAccount()) !== null,
        })
      : null;
  }

  get picture(): Picture {
    return this.#picture;
  }

  on(listener: (e: LifecycleEvent) => void): () => void {
    return this.#listeners.add(listener);
  }

  onState(listener: (p: Picture) => void): () => void {
    return this.#stateListeners.add(listener);
  }

  async start(): Promise<void> {
    this.#state = await this.#d.store.load();
    this.#running = true;
    this.#timers.startHeartbeat(this.#o.heartbeatMs, (last, now) => {
      const drift = clockJumped(last, now, this.#o.jumpThresholdMs);
      if (drift === null) return;
      this.#d.logger.info(
        `wall clock moved ${Math.round(drift / 1000)} s against the monotonic clock (sleep or clock change); reconciling`,
      );
      void this.refresh("clock-jump");
    });
    // Watching starts before the first reconcile, so a change made meanwhile is not missed.
    if (this.#d.configDir) {
      this.#folder = this.#syncWithFolder(this.#d.configDir);
      await this.#folder.start();
    }
    await this.refresh("start");
    if (this.#approvals) await this.#track(this.#approvals.start());
  }

  #syncWithFolder(dir: string): FolderSync {
    const { history, logger, auth } = this.#d;
    return new FolderSync({
      dir,
      logger,
      ...(history ? { ownsHistoryLine: (line: string) => history.ownsLine(line) } : {}),
      pictureKey: () => knownKey(this.#state.known),
      debounceMs: this.#o.folderDebounceMs,
      running: () => this.#running,
      reconcile: (reason) => this.#freshRefresh(reason),
      accountChanged: async () => {
        const account = await auth.currentAccount();
        return this.#picture.needsSignIn || account?.homeAccountId !== this.#picture.account?.homeAccountId;
      },
      rearm: async () => {
        while (this.#inflight) await this.#inflight.catch(() => undefined);
        await this.#armExpiry();
        this.#publish();
        // "I approve requests" may have been turned on or off there (`pimtray approvals on`): look now.
        if (this.#approvals) await this.#approvals.refresh("settings changed by another process");
      },
      track: (work) => void this.#track(work),
    });
  }

  /** Stops timers, waits for work in flight, and saves state: nothing is left half-written. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#folder?.close();
    this.#folder = null;
    this.#timers.stopAll();
    this.#approvals?.stop();
    await this.idle().catch(() => undefined);
    await this.#save();
  }

  /** Resolves when no reconcile or renewal is running (tests and orderly shutdown use it). */
  async idle(): Promise<void> {
    while (this.#inflight || this.#work.size) {
      await Promise.allSettled([this.#inflight, ...this.#work]);
    }
    await this.#approvals?.idle();
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#work.add(p);
    void p.finally(() => this.#work.delete(p)).catch(() => undefined);
    return p;
  }

  /** The app calls this on resume from sleep and on screen unlock. */
  notifyResume(): Promise<void> {
    this.#d.logger.info("resume signalled; reconciling");
    if (this.#approvals) void this.#track(this.#approvals.refresh("resume"));
    return this.refresh("resume");
  }

  /**
   * Reads the approver's inbox now (the popup opening, "I approve requests" turned on): a no-op
   * while approvals are off.
   */
  refreshApprovals(reason = "on-demand"): Promise<void> {
    return this.#approvals ? this.#track(this.#approvals.refresh(reason)) : Promise.resolve();
  }

  /** Approves or denies a request in my inbox; it leaves the picture at once, and the reason is offered next time. */
  async decideApproval(
    requestId: string,
    decision: Decision,
    justification: string,
    o: { kind?: PlaneKind } = {},
  ): Promise<DecisionResult> {
    if (!this.#approvals || !this.#d.approvals) throw new UsageError("Approvals are not available here.");
    try {
      const result = await this.#d.approvals.decide(requestId, decision, justification, o);
      this.#approvals.decided(result.item);
      const reason = justification.trim();
      if (reason) {
        await this.#d.settings
          .update((s) => {
            s.approvals.lastJustification = reason;
          })
          .catch((e: unknown) => this.#d.logger.warn("could not remember the approval justification", e));
      }
      return result;
    } catch (e) {
      // A stale item (decided elsewhere) is gone: the next read shows the inbox as it is.
      if (e instanceof PimTrayError && (e.kind === "conflict" || e.kind === "not-found"))
        void this.refreshApprovals("after a stale decision");
      throw e;
    }
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
    return this.#startReconcile("full", reason);
  }

  #startReconcile(scope: Scope, reason: string): Promise<void> {
    if (!this.#inflight) {
      this.#inflight = this.#reconcile(scope, reason).finally(() => {
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
    // The approver's inbox too: it waited for an account.
    if (this.#approvals) void this.#track(this.#approvals.refresh("signed-in"));
    await this.refresh("signed-in");
    // The reconcile starts deferred auto-activation itself; wait for it rather than race it.
    await this.idle();
    if (this.#deferredAutoActivate) await this.autoActivate();
  }

  // ---- events -------------------------------------------------------------------------------

  /** Tells the listeners, unless `key` was announced before (here, or before a restart). */
  #emit(key: string | null, e: LifecycleEvent): void {
    if (key) {
      if (this.#state.announced[key] !== undefined) return;
      this.#state.announced[key] = this.#d.clock.now();
    }
    this.#d.logger.info(`event ${e.type}${"target" in e ? ` ${labelOf(e.target)}` : ""}`);
    this.#listeners.tell(e);
  }

  #announce(o: ActivationOutcome, profile: string | null): void {
    for (const a of outcomeAnnouncements(o, profile)) this.#emit(a.key, a.event);
  }

  #apply(effects: readonly Effect[]): void {
    for (const e of effects) {
      if (e.kind === "announce") this.#emit(e.key, e.event);
      else if (e.kind === "stop-chains") this.#renewals.stopChainsFor(e.target, e.reason);
      else void this.#track(this.#renewals.afterExpiry(e.assignment));
    }
  }

  #publish(): void {
    this.#stateListeners.tell(this.#picture);
  }

  // ---- reconcile ------------------------------------------------------------------------------

  async #reconcile(scope: Scope, reason: string, occasion: Occasion = occasionOf(reason)): Promise<void> {
    if (!this.#running) return;
    const { clock, logger } = this.#d;
    this.#timers.cancelPoll();
    const account = await this.#d.auth.currentAccount();
    this.#picture.account = account;
    if (!account)
      return this.#needSignIn("Sign in to see and activate your PIM groups.", signInCheck("no-account", this.#o));
    if (this.#picture.needsSignIn) {
      this.#picture.needsSignIn = false;
      this.#signInAnnounced = false;
      // Signed in since (e.g. `pimtray login` in another terminal): run what was waiting for it.
      if (this.#deferredAutoActivate) void this.#track(this.autoActivate());
    }
    let look: Awaited<ReturnType<PlaneWatch["look"]>>;
    try {
      look = await this.#planes.look(scope, occasion, this.#state.known);
    } catch (e) {
      this.#failed(e, reason);
      return;
    }
    if (!this.#picture.online) logger.info("back online; catching up");
    this.#picture.online = true;
    this.#offlineAttempts = 0;

    const { prev, requests, active, pending: pendingNow } = look;
    // A light poll saw a request move on (approved, denied, provisioning): look at its plane now.
    if (!active && prev && requestMoved(prev.pending, requests))
      return this.#reconcile("full", `${reason}, a request changed`, "expiry");
    if (prev) this.#apply(diff(prev, requests, active, clock.now(), this.#planes.names));
    const activeNow = active ?? prev?.active ?? [];
    if (!prev)
      logger.info(
        `first picture: ${activeNow.length} active, ${pendingNow.length} pending (nothing announced for what already existed)`,
      );
    this.#state.known = { active: activeNow, pending: pendingNow };
    if (look.full) this.#lastFullAt = clock.now();
    this.#picture = {
      ...this.#picture,
      active: activeNow,
      standing: this.#planes.standing,
      pending: pendingNow.map((r) => {
        const target = namedTarget(this.#planes.names, r);
        return { ...r, groupName: nameOf(target), target, label: labelOf(target) };
      }),
      lastSyncAt: clock.now(),
    };
    forgetOld(this.#state.announced, clock.now());
    await this.#armExpiry();
    await this.#save();
    this.#publish();
    this.#schedule(
      next({ pending: this.#state.known?.pending ?? [], lastFullAt: this.#lastFullAt }, clock.now(), this.#o),
    );
    if (reason === "start" && this.#d.history)
      await this.#d.history.repair(requests).catch((e: unknown) => logger.warn("history repair failed", e));
  }

  #needSignIn(reason: string, poll: Poll): void {
    this.#picture.needsSignIn = true;
    if (!this.#signInAnnounced) {
      this.#signInAnnounced = true;
      this.#emit(null, { type: "needs-sign-in", reason });
    }
    this.#publish();
    this.#schedule(poll);
  }

  #failed(e: unknown, reason: string): void {
    if (e instanceof PimTrayError && (e.kind === "auth" || e.kind === "consent"))
      return this.#needSignIn(e.message, signInCheck("refused", this.#o));
    const kind = e instanceof PimTrayError ? e.kind : "server";
    if (this.#picture.online) {
      this.#picture.online = false;
      this.#offlineEpisode += 1;
      this.#emit(keys.offline(this.#offlineEpisode, this.#d.clock.now()), {
        type: "error",
        kind: kind === "server" ? "network" : kind,
        message: e instanceof Error ? e.message : String(e),
      });
      this.#publish();
    }
    const poll = offlineRetry(this.#offlineAttempts, this.#o);
    this.#offlineAttempts += 1;
    this.#d.logger.warn(`reconcile (${reason}) failed; retrying in ${Math.round(poll.delay / 1000)} s`, e);
    this.#schedule(poll);
  }

  // ---- timers ---------------------------------------------------------------------------------

  #schedule({ delay, scope }: Poll): void {
    this.#timers.poll(delay, () => void this.#startReconcile(scope, "timer"));
  }

  /** Expiry warnings are local timers; missed leads (after a restart) collapse into one warning. */
  async #armExpiry(): Promise<void> {
    const { clock } = this.#d;
    this.#timers.clearExpiry();
    const now = clock.now();
    const settings = await this.#d.settings.load().catch(() => null);
    const expiry = {
      globalLeads: settings?.notifications.leadMinutes ?? DEFAULT_LEAD_MINUTES,
      profiles: settings?.profiles ?? [],
    };
    for (const plan of planExpiry(
      this.#state.known?.active ?? [],
      now,
      expiry,
      this.#state.announced,
      this.#planes.names,
      this.#o.expiryConfirmDelayMs,
    )) {
      if (plan.missed) this.#emit(plan.missed.key, plan.missed.event);
      for (const key of plan.passed) this.#state.announced[key] ??= now;
      for (const w of plan.warnings) {
        const warn = () => {
          this.#emit(w.key, expiringSoon(w.target, w.endDateTime, w.leadMinutes, clock.now()));
          void this.#save();
        };
        this.#timers.expiry(w.delay, warn);
      }
      this.#timers.expiry(plan.confirmDelay, () => void this.refresh("expiry"));
    }
  }

  /**
   * Saves one at a time, in order: an announcement saves without waiting, and two writes in flight
   * could otherwise land out of order, the older state last (a restart would then announce again).
   */
  async #save(): Promise<void> {
    const run = this.#saving.then(() => this.#d.store.save(this.#state));
    this.#saving = run.catch(() => undefined);
    try {
      await run;
    } catch (e) {
      this.#d.logger.error("could not save the lifecycle state", e);
    }
  }

  // ---- activation, auto-activation and keep-active --------------------------------------------

  /** Renew once when this activation ends (PIM refuses a second activation while one runs). */
  renewWhenExpired(target: TargetRef, durationMs?: number): void {
    this.#renewals.renewWhenExpired(target, durationMs);
  }

  /** Activates a profile's targets that are not already active or pending; arms keep-active. */
  async activateProfile(profile: Profile, options: { reason?: string } = {}): Promise<ActivationOutcome[]> {
    await this.refresh("before-activation");
    const busy = new Set([
      ...(this.#state.known?.active ?? []).map(targetKey),
      ...(this.#state.known?.pending ?? []).map(targetKey),
    ]);
    const inputs = profile.targets
      .filter((t) => !busy.has(targetKey(t)))
      .map((t) => inputFor(profile, t, this.#planes.names, undefined));
    if (profile.keepActive.enabled) this.#state.keepActive[profile.id] = startChain(this.#d.clock.now());
    const outcomes = inputs.length
      ? await this.#d.activation.activateMany(inputs, { waitFor: "provisioned", timeoutMs: ACTIVATION_TIMEOUT_MS })
      : [];
    for (const o of outcomes) this.#announce(o, profile.name);
    this.#d.logger.info(
      `profile ${profile.name} (${options.reason ?? "requested"}): ${outcomes.length} submitted, ${profile.targets.length - inputs.length} already active or pending`,
    );
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
      this.#emit(null, {
        type: "needs-sign-in",
        reason: `Sign in to activate ${profiles.map((p) => p.name).join(", ")} as set for login.`,
      });
      return;
    }
    this.#deferredAutoActivate = false;
    for (const p of profiles) {
      try {
        await this.activateProfile(p, { reason: "auto-activate at start" });
      } catch (e) {
        this.#emit(null, {
          type: "error",
          kind: e instanceof PimTrayError ? e.kind : "server",
          message: `Auto-activation of ${p.name} failed: ${e instanceof Error ? e.message : String(e)}`,
        });
      }
    }
  }
}
