import type { ActivateInput, ActivationOutcome } from "../activation/activation-service.js";
import { parseIsoDuration } from "../duration.js";
import { PimTrayError } from "../errors.js";
import { sameTarget, type ActiveAssignment, type ScheduleRequest, type TargetRef } from "../planes/targets.js";
import type { Profile } from "../profiles/settings-schema.js";
import type { Names } from "./diff.js";
import { namedTarget, type MaybeNamed } from "./names.js";
import type { LifecycleState } from "./lifecycle-state.js";

// Keep-active chains: a profile set to keep its targets active (groups, directory roles, Azure roles
// at the scope the profile names) renews each one the moment it ends,
// until a time of day or a number of renewals, for the day it was started. These are the chain's
// decisions, pure; the coordinator makes the requests and keeps the chains in its saved state.

export type Chain = LifecycleState["keepActive"][string];

/** PIM's shortest activation; a chain that could only ask for less stops instead. */
const MIN_RENEWAL_MS = 5 * 60_000;
/** Tries while PIM has not yet ended the previous activation (it refuses a second one meanwhile). */
export const RENEW_ATTEMPTS = 6;

/** The local calendar day a chain belongs to. */
export function dayOf(now: number): string {
  const d = new Date(now);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

export function startChain(now: number): Chain {
  return { renewals: 0, stopped: false, day: dayOf(now) };
}

/** Whether a profile holds the target: the same plane, ids and scope (an Azure role at the scope it names). */
const holds = (p: Profile, t: TargetRef) => p.targets.some((x) => sameTarget(x, t));

/** The profiles whose running chain holds this target (stopped when its renewal is denied or fails). */
export function runningChainsFor(
  profiles: readonly Profile[],
  chains: LifecycleState["keepActive"],
  t: TargetRef,
): Profile[] {
  return profiles.filter((p) => {
    const chain = chains[p.id];
    return chain !== undefined && !chain.stopped && holds(p, t);
  });
}

/**
 * Whether a profile's chain renews this ended activation: "renew"; "skip" (not kept active, not
 * holding it, no chain or a stopped one); or "day-over" (a chain lives for the day it was started,
 * so it stops without a word).
 */
export function renewsAfterExpiry(
  p: Profile,
  chain: Chain | undefined,
  a: ActiveAssignment,
  now: number,
): "renew" | "skip" | "day-over" {
  if (!p.keepActive.enabled || !holds(p, a)) return "skip";
  if (!chain || chain.stopped) return "skip";
  return chain.day === dayOf(now) ? "renew" : "day-over";
}

export type RenewalPlan =
  | { kind: "stop"; reason: string }
  /** A request for the target is already pending (another instance, or the portal): none is added. */
  | { kind: "already-pending" }
  /** `capMs`: the longest the renewal may run, so it ends at the chain's time of day. */
  | { kind: "renew"; capMs: number | undefined };

export function planRenewal(
  p: Profile,
  chain: Chain,
  a: TargetRef,
  pending: readonly ScheduleRequest[],
  now: number,
): RenewalPlan {
  const { maxRenewals, until } = p.keepActive;
  if (maxRenewals !== undefined && chain.renewals >= maxRenewals) {
    return {
      kind: "stop",
      reason: `It renewed ${chain.renewals} time${chain.renewals === 1 ? "" : "s"}, the most it is set to.`,
    };
  }
  let capMs: number | undefined;
  if (until) {
    const [h, m] = until.split(":").map(Number);
    const at = new Date(now);
    at.setHours(h ?? 0, m ?? 0, 0, 0);
    capMs = at.getTime() - now;
    if (capMs < MIN_RENEWAL_MS) return { kind: "stop", reason: `It is set to stop at ${until}.` };
  }
  if (pending.some((r) => sameTarget(r, a))) return { kind: "already-pending" };
  return { kind: "renew", capMs };
}

/** What a renewal's outcome means for its chain. "retry": PIM has not ended the previous one yet. */
export function afterRenewal(
  o: ActivationOutcome,
): { kind: "retry" } | { kind: "renewed" } | { kind: "stop"; reason: string } {
  if (o.status === "already-active") return { kind: "retry" };
  if (o.status === "denied") return { kind: "stop", reason: "The approver denied the renewal." };
  if (o.status === "failed") return { kind: "stop", reason: o.error?.message ?? "PIM could not complete the renewal." };
  return { kind: "renewed" };
}

/** The wait before the `attempt`-th retry (0-based) while PIM ends the previous activation. */
export function retryDelay(attempt: number): number {
  return 2000 * (attempt + 1);
}

/** A refusal that will not change by trying again (policy, sign-in, bad input) stops the chain. */
export function stopsChain(e: unknown): e is PimTrayError {
  return e instanceof PimTrayError && (e.kind === "policy" || e.kind === "auth" || e.kind === "usage");
}

/** The activation a profile asks for: its duration (capped, for a chain's time of day), justification, ticket. */
export function inputFor(profile: Profile, t: MaybeNamed, names: Names, capMs: number | undefined): ActivateInput {
  const configured = profile.duration ? (parseIsoDuration(profile.duration) ?? undefined) : undefined;
  const durationMs = capMs !== undefined ? Math.min(configured ?? capMs, capMs) : configured;
  return {
    // Renewing re-activates the same target: an Azure role at the same scope, a role at the same AU.
    target: namedTarget(names, t),
    ...(durationMs ? { durationMs } : {}),
    justification: profile.justification ?? `Kept active by PIM Tray (profile ${profile.name})`,
    ...(profile.ticket ? { ticket: profile.ticket } : {}),
  };
}
