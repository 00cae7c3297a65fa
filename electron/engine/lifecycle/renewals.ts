import type { ActivationOutcome, ActivationService } from "../activation/activation-service.js";
import type { Logger } from "../logger.js";
import { labelOf, type ActiveAssignment, type TargetRef } from "../planes/targets.js";
import type { Profile } from "../profiles/settings-schema.js";
import type { ProfileService } from "../profiles/settings-store.js";
import type { Clock } from "./clock.js";
import { targetRef, type Names } from "./diff.js";
import { keys, targetKey } from "./event-keys.js";
import type { LifecycleEvent } from "./events.js";
import {
  afterRenewal,
  inputFor,
  planRenewal,
  renewsAfterExpiry,
  RENEW_ATTEMPTS,
  retryDelay,
  runningChainsFor,
  stopsChain,
  type Chain,
} from "./keep-active.js";
import type { LifecycleState } from "./lifecycle-state.js";

// The requests renewals make: a keep-active chain's, and a one-shot renewal asked for from an
// expiry notification. What to do is decided in keep-active.ts; this carries it out.

export interface RenewalDeps {
  activation: Pick<ActivationService, "activate">;
  profiles: Pick<ProfileService, "list">;
  clock: Clock;
  logger: Logger;
  /** The service's state (chains and the last picture), which it may replace on start. */
  state: () => LifecycleState;
  names: Names;
  announce: (key: string | null, e: LifecycleEvent) => void;
  announceOutcome: (o: ActivationOutcome, profile: string | null) => void;
  /** A reconcile that sees what the renewal changed. */
  refreshAfter: (reason: string) => Promise<void>;
}

const RENEW_TIMEOUT_MS = 90_000;

export class Renewals {
  readonly #d: RenewalDeps;
  /** Chain and target pairs being renewed now, so two reconciles never renew one twice. */
  #renewing = new Set<string>();
  /** One-shot renewals asked for from an expiry notification's Renew action. */
  #renewOnce = new Map<string, number | undefined>();

  constructor(deps: RenewalDeps) {
    this.#d = deps;
  }

  /** Renew once when this activation ends (PIM refuses a second activation while one runs). */
  renewWhenExpired(target: TargetRef, durationMs?: number): void {
    this.#renewOnce.set(targetKey(target), durationMs);
    this.#d.logger.info(`${targetKey(target)} will be renewed when it ends`);
  }

  /** A renewal of this target was denied or failed: the chains holding it stop. */
  stopChainsFor(target: TargetRef, reason: string): void {
    void this.#d.profiles.list().then((profiles) => {
      const chains = this.#d.state().keepActive;
      for (const p of runningChainsFor(profiles, chains, target)) {
        const chain = chains[p.id];
        if (chain) this.#stop(p, chain, reason);
      }
    });
  }

  /**
   * Renews an expired activation once if asked to, else for each armed keep-active profile that
   * holds it. PIM refuses a second activation while one is active, so this runs the moment it ends.
   */
  async afterExpiry(a: ActiveAssignment): Promise<void> {
    if (this.#renewOnce.has(targetKey(a))) return this.#renewOnceNow(a);
    const profiles = await this.#d.profiles.list().catch(() => [] as Profile[]);
    for (const p of profiles) {
      const chain = this.#d.state().keepActive[p.id];
      const decision = renewsAfterExpiry(p, chain, a, this.#d.clock.now());
      if (decision === "skip" || !chain) continue;
      if (decision === "day-over") {
        chain.stopped = true;
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

  async #renewOnceNow(a: ActiveAssignment): Promise<void> {
    const durationMs =
      this.#renewOnce.get(targetKey(a)) ??
      (a.endDateTime ? Date.parse(a.endDateTime) - Date.parse(a.startDateTime) : undefined);
    this.#renewOnce.delete(targetKey(a));
    // The same target again: a role at the same directory scope, an Azure role at the same scope.
    const target = targetRef(this.#d.names, a);
    try {
      const o = await this.#d.activation.activate(
        { target, ...(durationMs ? { durationMs } : {}), justification: "Renewed from a PIM Tray expiry notification" },
        { waitFor: "provisioned", timeoutMs: RENEW_TIMEOUT_MS },
      );
      this.#d.announceOutcome(o, null);
    } catch (e) {
      this.#d.announce(null, {
        type: "failed",
        target,
        requestId: null,
        reason: e instanceof Error ? e.message : String(e),
      });
    }
  }

  async #renew(p: Profile, a: ActiveAssignment, chain: Chain): Promise<void> {
    const plan = planRenewal(p, chain, a, this.#d.state().known?.pending ?? [], this.#d.clock.now());
    if (plan.kind === "stop") return this.#stop(p, chain, plan.reason);
    if (plan.kind === "already-pending") {
      this.#d.logger.info(
        `keep-active ${p.name}: a request for ${labelOf(targetRef(this.#d.names, a))} is already pending; not submitting another`,
      );
      return;
    }
    const input = inputFor(p, a, this.#d.names, plan.capMs);
    for (let attempt = 0; attempt < RENEW_ATTEMPTS; attempt++) {
      let o: ActivationOutcome;
      try {
        o = await this.#d.activation.activate(input, { waitFor: "provisioned", timeoutMs: RENEW_TIMEOUT_MS });
      } catch (e) {
        if (stopsChain(e)) return this.#stop(p, chain, e.message);
        this.#d.logger.warn(`keep-active ${p.name}: renewal failed; will retry at the next reconcile`, e);
        return;
      }
      const next = afterRenewal(o);
      if (next.kind === "retry") {
        // PIM has not ended the previous activation yet; it will in a moment.
        await new Promise<void>((r) => this.#d.clock.setTimer(r, retryDelay(attempt)));
        continue;
      }
      chain.renewals += 1;
      this.#d.announceOutcome(o, p.name);
      if (next.kind === "stop") return this.#stop(p, chain, next.reason);
      await this.#d.refreshAfter("renewed");
      return;
    }
  }

  #stop(p: Profile, chain: Chain, reason: string): void {
    chain.stopped = true;
    this.#d.announce(keys.keepActiveStopped(p.id, chain), { type: "keep-active-stopped", profile: p.name, reason });
  }
}
