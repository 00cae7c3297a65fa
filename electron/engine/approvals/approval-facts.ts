import { parseIsoDuration } from "../duration.js";
import type { PendingApproval } from "./approval-types.js";

// What every front end says about a waiting request the same way: who asks, and the facts of the ask.

/** The requester as people know them: the display name, else the UPN, else the object id. */
export function requesterName(a: Pick<PendingApproval, "requester">): string {
  return a.requester.displayName ?? a.requester.userPrincipalName ?? a.requester.id;
}

/** The ask, as the popup's view and `pimtray approvals --json` carry it (the duration also in minutes). */
export function askFacts(a: PendingApproval) {
  const ms = a.duration ? parseIsoDuration(a.duration) : null;
  return {
    justification: a.justification,
    ticket: a.ticket,
    durationMinutes: ms === null ? null : Math.round(ms / 60_000),
    startDateTime: a.startDateTime,
    createdDateTime: a.createdDateTime,
    expiresAt: a.expiresAt,
    stage: a.stage,
    justificationRequired: a.justificationRequired,
  };
}
