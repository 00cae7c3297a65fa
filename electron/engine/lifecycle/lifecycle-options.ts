import type { ActivationService } from "../activation/activation-service.js";
import type { ApprovalsService } from "../approvals/approvals-service.js";
import type { AccountSummary } from "../auth/auth-service.js";
import type { HistoryLog } from "../history/history-log.js";
import type { Logger } from "../logger.js";
import type { Planes } from "../planes/planes.js";
import type { AzureAssignment, GroupAssignment, NamedRef, RoleAssignment, ScheduleRequest } from "../planes/targets.js";
import type { ProfileService, SettingsRepository } from "../profiles/settings-store.js";
import type { Clock } from "./clock.js";
import type { ApprovalsPicture } from "./events.js";
import type { LifecycleStateStore } from "./lifecycle-state.js";

// What the lifecycle service is built from and what it shows. lifecycle-service.ts re-exports all
// of it, so callers import from there.

export interface LifecycleOptions {
  idleIntervalMs?: number;
  approvalPollMs?: number;
  approvalSlowPollMs?: number;
  approvalSlowAfterMs?: number;
  provisioningPollMs?: number;
  heartbeatMs?: number;
  jumpThresholdMs?: number;
  offlineBackoffMs?: number[];
  expiryConfirmDelayMs?: number;
  signInCheckMs?: number;
  /** Quiet time after a write to the config folder by another process before acting on it. */
  folderDebounceMs?: number;
  /** How often the approver's inbox is read while "I approve requests" is on (approval-watch.ts). */
  approverPollMs?: number;
}

/** docs/lifecycle.md describes this cadence; tests shorten it. */
export const LIFECYCLE_DEFAULTS: Required<LifecycleOptions> = {
  idleIntervalMs: 10 * 60_000,
  approvalPollMs: 30_000,
  approvalSlowPollMs: 60_000,
  approvalSlowAfterMs: 10 * 60_000,
  provisioningPollMs: 5000,
  heartbeatMs: 30_000,
  jumpThresholdMs: 60_000,
  offlineBackoffMs: [15_000, 30_000, 60_000, 120_000, 300_000],
  expiryConfirmDelayMs: 1000,
  signInCheckMs: 15_000,
  folderDebounceMs: 250,
  approverPollMs: 5 * 60_000,
};

export interface LifecycleDeps {
  /** All three planes; the service reads each plane's clients itself (plane-reads.ts decides which). */
  planes: Planes;
  activation: ActivationService;
  auth: { currentAccount(): Promise<AccountSummary | null> };
  profiles: ProfileService;
  settings: SettingsRepository;
  store: LifecycleStateStore;
  history?: HistoryLog;
  /** The approver's inbox; read only while settings.approvals.enabled is on. */
  approvals?: ApprovalsService;
  clock: Clock;
  logger: Logger;
  options?: LifecycleOptions;
  /**
   * The config folder other PIM Tray processes (the tray app, `pimtray watch`, one-off commands)
   * write to. Watched, so that what they change is seen within a second or two; without it (or where
   * the platform cannot watch it) their changes are seen at the next reconcile.
   */
  configDir?: string;
}

/** A pending request with the names it is known by (requests carry none of their own). */
export type PendingView = ScheduleRequest & {
  /** The target's display name on any plane: the group's, or the role's (kept for the popup's group rows). */
  groupName: string;
  target: NamedRef;
  /** "Finance Admins (member)", "Global Reader", "Contributor on rg-web". */
  label: string;
};

/** An active assignment on any plane; a role's has no group name (read as undefined by group-only code). */
export type PictureAssignment =
  GroupAssignment | (RoleAssignment & { groupName?: undefined }) | (AzureAssignment & { groupName?: undefined });

export interface Picture {
  account: AccountSummary | null;
  /** Activations (and groups' standing assignments, as before there were planes): what expires. */
  active: PictureAssignment[];
  /** Standing role and Azure role assignments: permanent, never announced, not in `active`. */
  standing: PictureAssignment[];
  pending: PendingView[];
  online: boolean;
  needsSignIn: boolean;
  lastSyncAt: number | null;
  /** What waits for my decision (empty and off until "I approve requests" is on). */
  approvals: ApprovalsPicture;
}
