import type { NamedRef, PlaneKind } from "../planes/targets.js";

// The approver's side of PIM, on every plane: what waits for me, and my decision on it. Each plane
// keeps approvals in a different place and API version (docs/approvals.md):
//   group  Graph v1.0 assignmentApprovals, decided by PATCH of a stage
//   role   listed in Graph v1.0, decided in Graph beta (roleAssignmentApprovals/{id}/steps)
//   azure  ARM roleAssignmentApprovals, api-version 2021-01-01-preview

export type Decision = "Approve" | "Deny";

export interface Requester {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
}

/** One request that waits for the signed-in user's decision. */
export interface PendingApproval {
  kind: PlaneKind;
  /** The schedule request's own id: Graph's `id` for groups and roles, the ARM request's `name` (a GUID) for Azure. */
  requestId: string;
  /** Where decisions go: Graph's approval id (the request id), or ARM's approval id (`/providers/…/roleAssignmentApprovals/{guid}`). */
  approvalId: string;
  target: NamedRef;
  /** "Tenant Admins (member)", "Privileged Role Administrator", "Contributor on Production". */
  label: string;
  requester: Requester;
  justification: string | null;
  ticket: { number: string; system: string | null } | null;
  /** The requested duration (ISO 8601), as asked. */
  duration: string | null;
  /** The requested start; null means as soon as approved. */
  startDateTime: string | null;
  createdDateTime: string;
  /** When the open stage times out (24 h after it opened): after that the requester must ask again. */
  expiresAt: string;
  /** Which stage of a serial approval waits for me (1-based), of how many. */
  stage: { index: number; count: number };
  /** Whether the policy asks approvers for a reason. PIM's default is yes, and it is assumed when unknown. */
  justificationRequired: boolean;
}

/** A stage (Graph v1.0, ARM) or step (Graph beta) of an approval, as every plane reads it. */
export interface ApprovalStage {
  id: string;
  status: string;
  assignedToMe: boolean;
  reviewResult: string;
  reviewedBy: string | null;
  reviewedDateTime: string | null;
}

/** The request as one plane lists it for the approver, before its stages are read. */
export type ListedApproval = Omit<PendingApproval, "expiresAt" | "stage" | "justificationRequired">;

/** One plane's approver API. */
export interface ApproverPlane {
  readonly kind: PlaneKind;
  /** What waits for me on this plane: one list read. */
  pending(): Promise<ListedApproval[]>;
  /** The approval's stages, in order. */
  stages(approvalId: string): Promise<ApprovalStage[]>;
  /** Records a decision on one stage. */
  decide(approvalId: string, stageId: string, decision: Decision, justification: string): Promise<void>;
  /** A request's status by the id the inbox showed, when the plane can look it up (null otherwise). */
  requestStatus(requestId: string): Promise<string | null>;
}

/** How a plane's inbox answered on the last read. */
export interface ApprovalPlaneStatus {
  kind: PlaneKind;
  state: "ok" | "off" | "error" | "not-tried";
  /** One line for people, naming the plane and, on failure, the API behind it. Null when ok. */
  note: string | null;
  count: number | null;
}

export interface DecisionResult {
  item: PendingApproval;
  decision: Decision;
  /** What the request became, when the plane said at once (Provisioned, Denied, or PendingApproval for a next stage). */
  requestStatus: string | null;
}

/** Approval windows in PIM are fixed: a stage that is not decided in 24 h times out. */
export const STAGE_WINDOW_MS = 24 * 3_600_000;
