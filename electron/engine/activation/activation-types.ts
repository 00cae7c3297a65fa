import type { Ticket } from "../planes/plane.js";
import type { Planes } from "../planes/planes.js";
import {
  fallbackNames,
  refOf,
  type AzureRef,
  type GroupRef,
  type NamedRef,
  type RoleNames,
  type RoleRef,
} from "../planes/targets.js";
import type { HistoryEntry, NewHistoryEntry } from "../history/history-log.js";
import type { Logger } from "../logger.js";
import type { PimTrayError } from "../errors.js";
import type { RequestTracker } from "./request-tracker.js";
import type { SubmissionGate } from "./submission-gate.js";

// The activation service's vocabulary, shared by its parts (submit, tracking, deactivation, bulk).
// activation-service.ts re-exports all of it, so callers import from there.

/**
 * What to activate, on any plane; names are optional (ids are filled in where they are missing).
 * An Azure target may carry the eligibility it comes from; without it, the eligibility is looked up.
 */
export type Target =
  | (GroupRef & { groupName?: string | undefined })
  | (RoleRef & Partial<RoleNames>)
  | (AzureRef & Partial<RoleNames> & { eligibilityScheduleId?: string | undefined });

/** The target with every name it needs for messages, ids standing in for names nobody gave. */
export function named(t: Target): NamedRef {
  const fallback = fallbackNames(refOf(t));
  switch (t.kind) {
    case "role":
    case "azure":
      return {
        ...fallback,
        ...refOf(t),
        roleName: t.roleName ?? (fallback as RoleNames).roleName,
        scopeName: t.scopeName ?? (fallback as RoleNames).scopeName,
      } as NamedRef;
    default:
      return { ...refOf(t), groupName: t.groupName ?? t.groupId } as NamedRef;
  }
}

export type { Ticket } from "../planes/plane.js";

export interface ActivateInput {
  target: Target;
  /** Defaults to the policy's maximum, or 1 hour when the policy cannot be read. */
  durationMs?: number;
  justification?: string;
  ticket?: Ticket;
  startAt?: Date;
  validateOnly?: boolean;
}

export type OutcomeStatus =
  | "active"
  | "already-active"
  | "provisioning"
  | "pending-approval"
  | "scheduled"
  | "validated"
  | "deactivated"
  | "denied"
  | "failed"
  | "canceled";

/** What happened to one target; the target's fields (and names) come first, as in every record. */
export type ActivationOutcome = NamedRef & OutcomeFields;

export interface OutcomeFields {
  status: OutcomeStatus;
  requestId: string | null;
  /** PIM's own status word, e.g. Provisioned or PendingApproval. */
  requestStatus: string | null;
  startDateTime: string | null;
  endDateTime: string | null;
  durationMs: number | null;
  error: PimTrayError | null;
}

/** What an outcome is about, before PIM has said anything. */
export type OutcomeBase = NamedRef & { durationMs: number | null };

export type WaitFor = "none" | "provisioned" | "final";

export type Progress = NamedRef & {
  phase:
    "checking" | "submitting" | "stepping-up" | "provisioning" | "pending-approval" | "waiting-floor" | "reconciling";
  message: string;
};

export type ProgressFn = (phase: Progress["phase"], message: string) => void;

export interface TrackOptions {
  waitFor?: WaitFor;
  timeoutMs?: number;
  onProgress?: (p: Progress) => void;
  /** Where the submission (policy check and POST) takes its slot; tracking afterwards holds none. */
  gate?: { run<T>(fn: () => Promise<T>): Promise<T> };
}

export interface ManyOptions extends TrackOptions {
  /** Told of each item as soon as it is known, in the order they complete. */
  onOutcome?: (o: ActivationOutcome, index: number) => void;
}

export interface HistorySink {
  append(entry: HistoryEntry): Promise<void>;
}

export interface ActivationDeps {
  planes: Planes;
  /** A profile's submissions at once, halved on each 429 (submission-gate.ts); one of its own when not given. */
  gate?: SubmissionGate;
  /** The signed-in user's object id and sign-in name. */
  principal: () => Promise<{ objectId: string; username: string }>;
  history: HistorySink;
  logger: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** What each part of the service works with: the deps, with time filled in and history made safe. */
export interface ActivationContext {
  planes: Planes;
  principal: ActivationDeps["principal"];
  logger: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Appends to the history; never fails (a full disk is logged, not thrown). */
  record: (e: NewHistoryEntry) => Promise<void>;
  /** The one tracker every request of this process is followed by (request-tracker.ts). */
  tracker: RequestTracker;
}
