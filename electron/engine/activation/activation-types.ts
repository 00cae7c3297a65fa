import type { TokenSource } from "../graph/graph-client.js";
import type { AccessId, PimClient } from "../graph/pim-client.js";
import type { HistoryEntry } from "../history/history-log.js";
import type { Logger } from "../logger.js";
import type { PimTrayError } from "../errors.js";

// The activation service's vocabulary, shared by its parts (submit, tracking, deactivation, bulk).
// activation-service.ts re-exports all of it, so callers import from there.

export interface Target {
  groupId: string;
  accessId: AccessId;
  groupName?: string;
}

export interface Ticket {
  system: string;
  number: string;
}

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

export interface ActivationOutcome {
  groupId: string;
  groupName: string;
  accessId: AccessId;
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
export type OutcomeBase = Pick<ActivationOutcome, "groupId" | "groupName" | "accessId" | "durationMs">;

export type WaitFor = "none" | "provisioned" | "final";

export interface Progress {
  groupName: string;
  accessId: AccessId;
  phase:
    "checking" | "submitting" | "stepping-up" | "provisioning" | "pending-approval" | "waiting-floor" | "reconciling";
  message: string;
}

export type ProgressFn = (phase: Progress["phase"], message: string) => void;

export interface TrackOptions {
  waitFor?: WaitFor;
  timeoutMs?: number;
  onProgress?: (p: Progress) => void;
}

export interface HistorySink {
  append(entry: HistoryEntry): Promise<void>;
}

export interface ActivationDeps {
  pim: PimClient;
  tokens: TokenSource;
  /** The signed-in user's object id and sign-in name. */
  principal: () => Promise<{ objectId: string; username: string }>;
  history: HistorySink;
  logger: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** What each part of the service works with: the deps, with time filled in and history made safe. */
export interface ActivationContext {
  pim: PimClient;
  tokens: TokenSource;
  principal: ActivationDeps["principal"];
  logger: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Appends to the history; never fails (a full disk is logged, not thrown). */
  record: (e: Omit<HistoryEntry, "time">) => Promise<void>;
}
