import { equalsIgnoreCase } from "../graph/graph-errors.js";
import type { ScheduleRequest } from "../planes/targets.js";

// When the lifecycle service next asks Graph, and how much it asks (docs/lifecycle.md): soon while
// something is moving, rarely when nothing is. Pure: the coordinator arms the timer it returns.

/** "full" reads active assignments and requests (2 requests); "requests" reads my requests only (1). */
export type Scope = "full" | "requests";

export interface Poll {
  delay: number;
  scope: Scope;
}

export interface CadenceOptions {
  idleIntervalMs: number;
  approvalPollMs: number;
  approvalSlowPollMs: number;
  approvalSlowAfterMs: number;
  provisioningPollMs: number;
  offlineBackoffMs: number[];
  signInCheckMs: number;
}

export interface CadenceState {
  /** Pending self-activations from the last picture. */
  pending: readonly ScheduleRequest[];
  /** When the last full reconcile ran (epoch ms; 0 if never). */
  lastFullAt: number;
}

/** A Granted request that starts this long after now is scheduled, not provisioning. */
const SCHEDULED_AFTER_MS = 5000;
/** A scheduled start is looked at this long after it, when it has had time to provision. */
const AFTER_START_MS = 1000;
const LAST_RESORT_BACKOFF_MS = 300_000;

/** The next reconcile after a successful one. */
export function next(state: CadenceState, now: number, o: CadenceOptions): Poll {
  const { pending } = state;
  const fullDue = Math.max(0, o.idleIntervalMs - (now - state.lastFullAt));
  const provisioning = pending.filter((r) => !equalsIgnoreCase(r.status, "PendingApproval"));
  const future = provisioning.filter(
    (r) =>
      equalsIgnoreCase(r.status, "Granted") &&
      r.startDateTime &&
      Date.parse(r.startDateTime) > now + SCHEDULED_AFTER_MS,
  );
  if (provisioning.length > future.length) return { delay: o.provisioningPollMs, scope: "full" };
  const approvals = pending.filter((r) => equalsIgnoreCase(r.status, "PendingApproval"));
  if (approvals.length) {
    const oldest = Math.min(...approvals.map((r) => Date.parse(r.createdDateTime)));
    const poll = now - oldest > o.approvalSlowAfterMs ? o.approvalSlowPollMs : o.approvalPollMs;
    // A full reconcile falling due first covers the requests too.
    return poll >= fullDue ? { delay: fullDue, scope: "full" } : { delay: poll, scope: "requests" };
  }
  if (future.length) {
    const start = Math.min(...future.map((r) => Date.parse(r.startDateTime ?? "")));
    return { delay: Math.min(fullDue, start - now + AFTER_START_MS), scope: "full" };
  }
  return { delay: fullDue, scope: "full" };
}

/** After the `attempt`-th failed reconcile in a row (0-based): 15 s, 30 s, 1, 2, then 5 min. */
export function offlineRetry(attempt: number, o: Pick<CadenceOptions, "offlineBackoffMs">): Poll {
  const backoff = o.offlineBackoffMs;
  return { delay: backoff[Math.min(attempt, backoff.length - 1)] ?? LAST_RESORT_BACKOFF_MS, scope: "full" };
}

/**
 * While nobody is signed in, a cheap look for a sign-in made elsewhere; after Graph refused the
 * token (auth or consent), a slower full reconcile, since that needs the user to act.
 */
export function signInCheck(cause: "no-account" | "refused", o: Pick<CadenceOptions, "signInCheckMs">): Poll {
  return cause === "no-account"
    ? { delay: o.signInCheckMs, scope: "requests" }
    : { delay: o.signInCheckMs * 4, scope: "full" };
}

/**
 * The heartbeat compares wall and monotonic time: a gap between the two since the last beat means
 * the machine slept or the clock was changed, and the picture is stale.
 */
export function clockJumped(
  last: { wall: number; mono: number },
  now: { wall: number; mono: number },
  thresholdMs: number,
): number | null {
  const drift = now.wall - last.wall - (now.mono - last.mono);
  return Math.abs(drift) > thresholdMs ? drift : null;
}
