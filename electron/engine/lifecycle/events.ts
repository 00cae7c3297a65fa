import type { ApprovalPlaneStatus, PendingApproval } from "../approvals/approval-types.js";
import type { ErrorKind } from "../errors.js";
import { labelOf, type NamedAzureRef, type NamedGroupRef, type NamedRoleRef } from "../planes/targets.js";

/**
 * Roles have no group name. Saying so (an optional `groupName` that is always undefined) lets code
 * written for groups read `target.groupName` and get undefined for a role, rather than not compile.
 */
type NoGroupName = { groupName?: undefined };

/**
 * What an event is about: a target on any plane with its names (the planes' NamedRef). A group's
 * stays exactly `{ groupId, groupName, accessId }`, as before there were planes; a role's and an
 * Azure role's carry kind, ids, roleName and scopeName, named from their records.
 */
export type EventTarget = NamedGroupRef | (NamedRoleRef & NoGroupName) | (NamedAzureRef & NoGroupName);

/** The name events' targets had before there were planes. */
export type TargetRef = EventTarget;

/** Everything the lifecycle service announces. Each is announced at most once. */
export type LifecycleEvent =
  | { type: "needs-sign-in"; reason: string }
  | { type: "submitted"; target: EventTarget; requestId: string; profile: string | null }
  | { type: "pending-approval"; target: EventTarget; requestId: string }
  | { type: "approved"; target: EventTarget; requestId: string }
  | { type: "provisioned"; target: EventTarget; requestId: string | null; endDateTime: string | null }
  | { type: "denied"; target: EventTarget; requestId: string }
  | { type: "failed"; target: EventTarget; requestId: string | null; reason: string }
  | { type: "canceled"; target: EventTarget; requestId: string }
  | { type: "expiring-soon"; target: EventTarget; endDateTime: string; minutesLeft: number; leadMinutes: number }
  | { type: "expired"; target: EventTarget; endDateTime: string }
  | { type: "deactivated"; target: EventTarget }
  | { type: "keep-active-stopped"; profile: string; reason: string }
  /** A request waits for my decision (only while "I approve requests" is on). */
  | { type: "approval-requested"; approval: PendingApproval }
  | { type: "error"; kind: ErrorKind; message: string };

export type LifecycleEventType = LifecycleEvent["type"];

/** "Finance Admins (member)", "Global Reader", "Contributor on rg-web". */
export function targetLabel(t: EventTarget): string {
  return labelOf(t);
}

/** What waits for my decision, as the tray and popup show it. */
export interface ApprovalsPicture {
  /** Whether "I approve requests" is on (and someone is signed in). */
  on: boolean;
  /** Oldest first. */
  items: PendingApproval[];
  /** How each plane's inbox answered on the last read (a failure names the plane and its API). */
  planes: ApprovalPlaneStatus[];
  lastSyncAt: number | null;
}
