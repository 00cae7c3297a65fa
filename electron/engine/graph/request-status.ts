import { equalsIgnoreCase } from "./graph-errors.js";

// Which PIM request statuses are still on their way and which are final failures.

export const PENDING_STATUSES = [
  "PendingApproval",
  "Granted",
  "PendingProvisioning",
  "PendingScheduleCreation",
  "PendingAdminDecision",
  "PendingEvaluation",
];
export const FINAL_FAILURE_STATUSES = ["Denied", "Failed", "Canceled", "Revoked"];

export function isPending(status: string): boolean {
  return PENDING_STATUSES.some((s) => equalsIgnoreCase(status, s));
}
