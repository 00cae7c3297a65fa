import type { ApprovalStage } from "./approval-types.js";

// Graph's approval stage (v1.0 `stages`) and step (beta `steps`) share one shape.

export interface RawGraphStage {
  id: string;
  status?: string | null;
  assignedToMe?: boolean | null;
  reviewResult?: string | null;
  reviewedBy?: { displayName?: string | null; userPrincipalName?: string | null; id?: string | null } | null;
  reviewedDateTime?: string | null;
}

export function toStage(s: RawGraphStage): ApprovalStage {
  return {
    id: s.id,
    status: s.status ?? "NotStarted",
    assignedToMe: s.assignedToMe === true,
    reviewResult: s.reviewResult ?? "NotReviewed",
    reviewedBy: s.reviewedBy?.displayName ?? s.reviewedBy?.userPrincipalName ?? s.reviewedBy?.id ?? null,
    reviewedDateTime: s.reviewedDateTime ?? null,
  };
}

/** Graph's requests carry ticketInfo and scheduleInfo the same way on both Graph planes. */
export interface RawGraphRequestCommon {
  id: string;
  status: string;
  principalId: string;
  justification?: string | null;
  createdDateTime: string;
  approvalId?: string | null;
  ticketInfo?: { ticketNumber?: string | null; ticketSystem?: string | null } | null;
  scheduleInfo?: { startDateTime?: string | null; expiration?: { duration?: string | null } | null } | null;
  principal?: { displayName?: string | null; userPrincipalName?: string | null } | null;
}

export function commonFields(r: RawGraphRequestCommon) {
  return {
    requestId: r.id,
    approvalId: r.approvalId ?? r.id,
    requester: {
      id: r.principalId,
      displayName: r.principal?.displayName ?? null,
      userPrincipalName: r.principal?.userPrincipalName ?? null,
    },
    justification: r.justification ?? null,
    ticket: r.ticketInfo?.ticketNumber
      ? { number: r.ticketInfo.ticketNumber, system: r.ticketInfo.ticketSystem ?? null }
      : null,
    duration: r.scheduleInfo?.expiration?.duration ?? null,
    startDateTime: r.scheduleInfo?.startDateTime ?? null,
    createdDateTime: r.createdDateTime,
  };
}

export const PENDING_FILTER = { $filter: "status eq 'PendingApproval'" };
