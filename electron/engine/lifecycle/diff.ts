import type { ActivationOutcome } from "../activation/activation-service.js";
import { equalsIgnoreCase } from "../graph/graph-errors.js";
import { isPending } from "../graph/pim-client.js";
import {
  refOf,
  type ActiveAssignment,
  type NamedRef,
  type ScheduleRequest,
  type TargetRef,
} from "../planes/targets.js";
import { activeKey, keys } from "./event-keys.js";
import type { LifecycleEvent } from "./events.js";
import type { LifecycleState } from "./lifecycle-state.js";
import { namedTarget, type MaybeNamed, type Names } from "./names.js";

// What changed between the last picture and this one, as the events to announce (each with its
// de-duplication key) and the work the change calls for. Pure: the coordinator applies the
// effects in order, and its announce step drops a key already announced.

export interface Announcement {
  /** Null: announced every time (a failure the user must see again if it happens again). */
  key: string | null;
  event: LifecycleEvent;
}

export type Effect =
  | ({ kind: "announce" } & Announcement)
  /** Keep-active chains that hold this target stop: their renewal was denied or failed. */
  | { kind: "stop-chains"; target: TargetRef; reason: string }
  /** An activation ended at its end time: a chain or a one-shot renewal may renew it now. */
  | { kind: "renew-after-expiry"; assignment: ActiveAssignment };

export type Known = NonNullable<LifecycleState["known"]>;
export type { Names } from "./names.js";

/** An activation that disappears within this long of its end time expired; earlier, it was deactivated. */
const EXPIRY_SLACK_MS = 60_000;
/** Statuses an approved request moves on to (ARM has a few more words for them than Graph). */
const APPROVED_STATUSES = [
  "Provisioned",
  "Granted",
  "PendingProvisioning",
  "PendingScheduleCreation",
  "ScheduleCreated",
  "AdminApproved",
  "PendingApprovalProvisioning",
  "ProvisioningStarted",
  "PendingExternalProvisioning",
  "Accepted",
];
/** ARM's in-flight statuses that Graph has no word for: still pending. */
const ARM_WAITING = [
  "Accepted",
  "PendingApprovalProvisioning",
  "ProvisioningStarted",
  "PendingExternalProvisioning",
  "AdminApproved",
];
/** ARM's denials and failures beside Graph's Denied and Failed. */
const DENIED = ["Denied", "AdminDenied"];
const FAILED = ["Failed", "FailedAsResourceIsLocked", "TimedOut", "Invalid"];

/** The named target an event carries: names from the record, else from those seen, else the ids. */
export function targetRef(names: Names, t: MaybeNamed): NamedRef {
  return namedTarget(names, t);
}

/** The requests the picture shows as pending: my self-activations still in flight. */
export function pendingSelfActivations(requests: readonly ScheduleRequest[]): ScheduleRequest[] {
  return requests.filter(
    (r) =>
      (isPending(r.status) || ARM_WAITING.some((s) => equalsIgnoreCase(r.status, s))) &&
      equalsIgnoreCase(r.action, "selfActivate"),
  );
}

/** A light poll (requests only) saw a known pending request change status: time for a full look. */
export function requestMoved(prevPending: readonly ScheduleRequest[], requests: readonly ScheduleRequest[]): boolean {
  const before = new Map(prevPending.map((r) => [r.id, r.status]));
  return requests.some((r) => before.has(r.id) && !equalsIgnoreCase(before.get(r.id), r.status));
}

/**
 * The effects of moving from `prev` to what Graph shows now. `active` is null after a light poll
 * (requests only), when nothing is said about assignments.
 */
export function diff(
  prev: Known,
  requests: readonly ScheduleRequest[],
  active: readonly ActiveAssignment[] | null,
  now: number,
  names: Names,
): Effect[] {
  const effects = diffRequests(prev.pending, requests, names);
  if (active) effects.push(...diffActive(prev.active, active, now, names));
  return effects;
}

function diffRequests(
  prevPending: readonly ScheduleRequest[],
  all: readonly ScheduleRequest[],
  names: Names,
): Effect[] {
  const out: Effect[] = [];
  const announce = (key: string, event: LifecycleEvent) => out.push({ kind: "announce", key, event });
  const byId = new Map(all.map((r) => [r.id, r]));
  for (const before of prevPending) {
    const now = byId.get(before.id);
    if (!now) continue;
    const t = targetRef(names, now);
    const is = (s: string) => equalsIgnoreCase(now.status, s);
    if (equalsIgnoreCase(before.status, "PendingApproval") && !is("PendingApproval") && APPROVED_STATUSES.some(is)) {
      announce(keys.approved(now.id), { type: "approved", target: t, requestId: now.id });
    }
    const denied = DENIED.some(is);
    const failed = FAILED.some(is);
    if (denied) announce(keys.denied(now.id), { type: "denied", target: t, requestId: now.id });
    if (is("Canceled")) announce(keys.canceled(now.id), { type: "canceled", target: t, requestId: now.id });
    if (failed)
      announce(keys.failed(now.id), {
        type: "failed",
        target: t,
        requestId: now.id,
        reason: "PIM could not complete the request.",
      });
    if (denied || failed) {
      out.push({
        kind: "stop-chains",
        target: refOf(now),
        reason: denied ? "The approver denied the renewal." : "PIM could not complete the renewal.",
      });
    }
  }
  const prevIds = new Set(prevPending.map((r) => r.id));
  for (const r of pendingSelfActivations(all)) {
    if (!prevIds.has(r.id) && equalsIgnoreCase(r.status, "PendingApproval")) {
      announce(keys.pendingApproval(r.id), {
        type: "pending-approval",
        target: targetRef(names, r),
        requestId: r.id,
      });
    }
  }
  return out;
}

function diffActive(
  prev: readonly ActiveAssignment[],
  current: readonly ActiveAssignment[],
  now: number,
  names: Names,
): Effect[] {
  const out: Effect[] = [];
  const nowKeys = new Set(current.map(activeKey));
  const prevKeys = new Set(prev.map(activeKey));
  for (const a of current) {
    if (!prevKeys.has(activeKey(a))) {
      out.push({
        kind: "announce",
        key: keys.provisioned(a),
        event: {
          type: "provisioned",
          target: targetRef(names, a),
          requestId: null,
          endDateTime: a.endDateTime,
        },
      });
    }
  }
  for (const a of prev) {
    if (nowKeys.has(activeKey(a))) continue;
    const target = targetRef(names, a);
    if (a.endDateTime && now >= Date.parse(a.endDateTime) - EXPIRY_SLACK_MS) {
      out.push({
        kind: "announce",
        key: keys.expired(a, a.endDateTime),
        event: { type: "expired", target, endDateTime: a.endDateTime },
      });
      // A chain renews the moment its activation ends.
      out.push({ kind: "renew-after-expiry", assignment: a });
    } else {
      out.push({ kind: "announce", key: keys.deactivated(a), event: { type: "deactivated", target } });
    }
  }
  return out;
}

/** What an activation the service started turned into, as announcements. */
export function outcomeAnnouncements(o: ActivationOutcome, profile: string | null): Announcement[] {
  const t = namedTarget(new Map(), o);
  const out: Announcement[] = [];
  if (o.requestId && o.status !== "already-active")
    out.push({
      key: keys.submitted(o.requestId),
      event: { type: "submitted", target: t, requestId: o.requestId, profile },
    });
  if (o.error) {
    out.push({ key: null, event: { type: "failed", target: t, requestId: o.requestId, reason: o.error.message } });
    return out;
  }
  switch (o.status) {
    case "active":
      if (o.startDateTime)
        out.push({
          key: keys.provisioned({ ...refOf(o), startDateTime: o.startDateTime }),
          event: { type: "provisioned", target: t, requestId: o.requestId, endDateTime: o.endDateTime },
        });
      break;
    case "pending-approval":
      if (o.requestId)
        out.push({
          key: keys.pendingApproval(o.requestId),
          event: { type: "pending-approval", target: t, requestId: o.requestId },
        });
      break;
    case "denied":
      if (o.requestId)
        out.push({ key: keys.denied(o.requestId), event: { type: "denied", target: t, requestId: o.requestId } });
      break;
    case "failed":
      out.push({
        key: o.requestId ? keys.failed(o.requestId) : null,
        event: {
          type: "failed",
          target: t,
          requestId: o.requestId,
          reason: `PIM reported ${o.requestStatus ?? "a failure"}.`,
        },
      });
      break;
    default:
      break;
  }
  return out;
}
