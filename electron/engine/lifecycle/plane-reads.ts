import type { PlaneState } from "../planes/planes.js";
import { kindOf, PLANE_KINDS, type PlaneKind } from "../planes/targets.js";
import type { Scope } from "./cadence.js";
import type { LifecycleState } from "./lifecycle-state.js";

// Which planes a reconcile reads, and what (docs/lifecycle.md, "Cost per plane"). Groups are read as
// they always were: a full reconcile reads active assignments and my requests (2 requests), a light
// poll my requests (1). The role and Azure planes must add at most one request each per idle
// reconcile, so:
//   - a plane's active instances are read when something of ours is active or pending on it, and
//     otherwise on every SWEEP_EVERY-th timed reconcile (an activation made elsewhere, in the
//     portal, is seen within half an hour);
//   - a plane's requests are read only while something of ours is pending on it (then it is not
//     idle), and on reconciles something happened for (start, resume, sign-in, the popup opening,
//     another process's change): those read every plane fully;
//   - a plane turned off costs nothing; one that needs consent or sign-in, or could not be
//     reached, is tried again at most once every RETRY_MS (and at start and sign-in).
// Pure: the coordinator reads what this plans.

/** Every third timed reconcile (every 30 min at the idle cadence) looks at a quiet plane. */
export const SWEEP_EVERY = 3;
/** A plane that failed (consent, sign-in, unreachable) is tried again after this long. */
export const RETRY_MS = 60 * 60_000;

export interface PlaneHealth {
  state: PlaneState;
  /** When it was last read (epoch ms), whatever came of it. */
  lastTriedAt: number;
}

/** Why a reconcile runs, as far as the cost goes. */
export type Occasion =
  /** The idle cadence's timer, or the light poll while something is pending. */
  | "timer"
  /** The look just after an end time. */
  | "expiry"
  /** Something happened (resume, popup, another process, an activation): every plane fully. */
  | "event"
  /** Start or sign-in: every plane fully, failed ones too. */
  | "start";

export interface ReadInput {
  scope: Scope;
  occasion: Occasion;
  /** Timed full reconciles so far, this one included (a sweep falls on every SWEEP_EVERY-th). */
  timerTick: number;
  /** Planes on in settings. */
  enabled: Readonly<Record<PlaneKind, boolean>>;
  /** Planes this connection cannot use at all (e.g. no ARM endpoint): never read. */
  unavailable: ReadonlySet<PlaneKind>;
  health: ReadonlyMap<PlaneKind, PlaneHealth>;
  known: LifecycleState["known"];
  now: number;
}

export interface ReadPlan {
  active: PlaneKind[];
  requests: PlaneKind[];
}

const HEALTHY: readonly PlaneState[] = ["ok", "not-tried", "off"];

export function occasionOf(reason: string): Occasion {
  if (reason === "timer") return "timer";
  if (reason === "expiry") return "expiry";
  if (reason === "start" || reason === "signed-in") return "start";
  return "event";
}

export function planReads(i: ReadInput): ReadPlan {
  const plan: ReadPlan = { active: [], requests: [] };
  const full = i.scope === "full" || !i.known;
  for (const kind of PLANE_KINDS) {
    if (!i.enabled[kind] || i.unavailable.has(kind)) continue;
    const pendingOn = i.known?.pending.some((r) => kindOf(r) === kind) ?? false;
    if (kind === "group") {
      // As before there were planes; a light poll asks only while a group request is pending.
      if (full) plan.active.push(kind);
      if (full || pendingOn) plan.requests.push(kind);
      continue;
    }
    const health = i.health.get(kind);
    if (health && !HEALTHY.includes(health.state)) {
      if (i.occasion !== "start" && i.now - health.lastTriedAt < RETRY_MS) continue;
      // The occasional retry: one request, the active instances (a full look follows once it answers).
      plan.active.push(kind);
      continue;
    }
    const activeOn = i.known?.active.some((a) => kindOf(a) === kind) ?? false;
    if (!i.known || (full && (i.occasion === "event" || i.occasion === "start"))) {
      plan.active.push(kind);
      plan.requests.push(kind);
      continue;
    }
    if (pendingOn) plan.requests.push(kind);
    if (!full) continue;
    const sweep = i.occasion === "timer" && i.timerTick % SWEEP_EVERY === 0;
    if (activeOn || pendingOn || sweep) plan.active.push(kind);
  }
  return plan;
}
