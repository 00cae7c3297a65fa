import { parseIsoDuration } from "../duration.js";
import { PimTrayError } from "../errors.js";
import { equalsIgnoreCase } from "../graph/graph-errors.js";
import { isPending } from "../graph/pim-client.js";
import { labelOf, refOf, type NamedRef, type ScheduleRequest } from "../planes/targets.js";
import type {
  ActivationContext,
  ActivationOutcome,
  OutcomeBase,
  OutcomeStatus,
  TrackOptions,
} from "./activation-types.js";
import { PollSchedule } from "./polling.js";

// Following a request after it was submitted: what PIM's status word means for the user, polling
// until the state the caller waits for (polling.ts has the schedule), and confirming that a
// Provisioned request really left an active assignment behind.

/** A Granted request starting this long from now is scheduled, not provisioning. */
const SCHEDULED_AFTER_MS = 5000;
const DEFAULT_TRACK_TIMEOUT_MS = 60_000;

/** ARM's final refusals (Graph says only Denied); TimedOut is an approval nobody decided in time. */
const DENIED = ["Denied", "AdminDenied", "TimedOut"];
const FAILED = ["Failed", "Revoked", "FailedAsResourceIsLocked", "Invalid"];

/** PIM's status word as an outcome. */
export function fromRequest(r: ScheduleRequest, base: OutcomeBase, now: number): ActivationOutcome {
  const s = r.status;
  let status: OutcomeStatus;
  if (equalsIgnoreCase(s, "Provisioned")) status = "active";
  else if (equalsIgnoreCase(s, "PendingApproval") || equalsIgnoreCase(s, "PendingAdminDecision"))
    status = "pending-approval";
  else if (equalsIgnoreCase(s, "Granted") && r.startDateTime && Date.parse(r.startDateTime) > now + SCHEDULED_AFTER_MS)
    status = "scheduled";
  else if (DENIED.some((d) => equalsIgnoreCase(s, d))) status = "denied";
  else if (equalsIgnoreCase(s, "Canceled")) status = "canceled";
  else if (FAILED.some((f) => equalsIgnoreCase(s, f))) status = "failed";
  else status = "provisioning";
  return {
    ...base,
    status,
    requestId: r.id,
    requestStatus: s,
    startDateTime: r.startDateTime,
    endDateTime: null,
    error: null,
  };
}

/** What already exists for a target: an active assignment, or a pending request. */
export async function existingFor(ctx: ActivationContext, target: NamedRef): Promise<ActivationOutcome> {
  const [active] = await ctx.planes.activeAssignments(refOf(target));
  if (active) {
    return {
      ...target,
      status: "already-active",
      requestId: null,
      requestStatus: "Provisioned",
      startDateTime: active.startDateTime,
      endDateTime: active.endDateTime,
      durationMs: active.endDateTime ? Date.parse(active.endDateTime) - Date.parse(active.startDateTime) : null,
      error: null,
    };
  }
  const pending = (await ctx.planes.myRequests({ target: refOf(target) })).find(
    (r) => isPending(r.status) && equalsIgnoreCase(r.action, "selfActivate"),
  );
  if (!pending) {
    throw new PimTrayError(
      "server",
      `PIM says ${labelOf(target)} is already active or requested, but neither shows up yet. Wait a few seconds and run status.`,
    );
  }
  return fromRequest(pending, { ...target, durationMs: null }, ctx.now());
}

/** Follows a request to the state the caller waits for, on the documented polling schedule. */
export async function trackRequest(
  ctx: ActivationContext,
  requestId: string,
  base: OutcomeBase,
  opts: TrackOptions = {},
  initial?: ScheduleRequest,
): Promise<ActivationOutcome> {
  const waitFor = opts.waitFor ?? "provisioned";
  const deadline = ctx.now() + (opts.timeoutMs ?? DEFAULT_TRACK_TIMEOUT_MS);
  let r: ScheduleRequest = initial ?? (await ctx.planes.request(requestId, base.kind ?? "group"));
  const schedule = new PollSchedule(
    equalsIgnoreCase(r.status, "PendingApproval") ? "approval" : "provisioning",
    ctx.now,
  );
  for (;;) {
    const outcome = fromRequest(r, base, ctx.now());
    if (outcome.status === "active") return withEnd(outcome, r, ctx.now());
    if (["denied", "canceled", "failed", "scheduled"].includes(outcome.status)) return outcome;
    if (waitFor === "none") return outcome;
    if (outcome.status === "pending-approval") {
      if (waitFor !== "final") return outcome;
      schedule.enter("approval");
      opts.onProgress?.({ ...targetOf(base), phase: "pending-approval", message: "waiting for approval" });
    } else {
      schedule.enter("provisioning");
      opts.onProgress?.({ ...targetOf(base), phase: "provisioning", message: "provisioning" });
    }
    const left = deadline - ctx.now();
    if (left <= 0) return outcome;
    r = await ctx.tracker.next(base.kind ?? "group", requestId, Math.min(schedule.next(), left), r.status);
  }
}

/**
 * Provisioned is reported as soon as the request says so, with no second read: PIM ends an activation
 * its requested duration after it starts, so the end time follows from the request. The start is the
 * request's, or now when PIM left it out (at most a poll interval late). The lifecycle's next look
 * shows PIM's own instance.
 */
export function withEnd(outcome: ActivationOutcome, r: ScheduleRequest, now: number): ActivationOutcome {
  const start = r.startDateTime ? Date.parse(r.startDateTime) : now;
  const duration = (r.duration ? parseIsoDuration(r.duration) : null) ?? outcome.durationMs;
  return {
    ...outcome,
    startDateTime: new Date(start).toISOString(),
    endDateTime: duration ? new Date(start + duration).toISOString() : null,
  };
}

/** The target's fields of an outcome (without the duration). */
function targetOf(base: OutcomeBase): NamedRef {
  const { durationMs: _durationMs, ...target } = base;
  return target;
}
