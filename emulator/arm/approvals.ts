// ARM's approver API (api-version 2021-01-01-preview): roleAssignmentApprovals with one stage per
// request, readable as `stages` or `steps`, decided with PATCH or PUT `{"properties":{reviewResult,justification}}`.
import type { CallerClaims, EmulatedUser } from "../model.js";
import { ArmFault } from "./fault.js";
import type { ArmRequest } from "./model.js";
import { APPROVAL_WINDOW_MS, type ArmState } from "./state.js";

export const APPROVAL_API_VERSIONS = ["2021-01-01-preview"];
const BASE = "/providers/Microsoft.Authorization/roleAssignmentApprovals";

function stageStatus(r: ArmRequest): string {
  if (r.review) return "Completed";
  if (r.status === "PendingApproval") return "InProgress";
  return r.status === "Canceled" ? "Completed" : "Expired";
}

export function stageView(r: ArmRequest, caller: CallerClaims, users: EmulatedUser[], segment = "stages") {
  const guid = r.approvalGuid ?? "";
  const reviewer = r.review ? users.find((u) => u.id === r.review?.reviewerId) : undefined;
  return {
    id: `${BASE}/${guid}/${segment}/${guid}`,
    name: guid,
    type: "Microsoft.Authorization/roleAssignmentApprovals/stages",
    properties: {
      displayName: "Stage 1",
      status: stageStatus(r),
      reviewResult: r.review?.result ?? "NotReviewed",
      assignedToMe: r.status === "PendingApproval" && r.approverIds.includes(caller.oid),
      reviewedBy: r.review
        ? {
            principalId: r.review.reviewerId,
            principalType: "user",
            principalName: reviewer?.displayName ?? r.review.reviewerId,
            userPrincipalName: reviewer?.userPrincipalName ?? null,
          }
        : null,
      reviewedDateTime: r.review ? new Date(r.review.at).toISOString() : null,
      justification: r.review?.justification ?? null,
    },
  };
}

export function approvalView(r: ArmRequest, caller: CallerClaims, users: EmulatedUser[]) {
  const guid = r.approvalGuid ?? "";
  return {
    id: `${BASE}/${guid}`,
    name: guid,
    type: "Microsoft.Authorization/roleAssignmentApprovals",
    properties: { stages: [stageView(r, caller, users)] },
  };
}

/** Who can see an approval: its approvers and its requester. */
function visible(r: ArmRequest, caller: CallerClaims): boolean {
  return r.approverIds.includes(caller.oid) || r.principalId === caller.oid;
}

export function listApprovals(arm: ArmState, caller: CallerClaims, filter: string): ArmRequest[] {
  const f = filter.trim().toLowerCase();
  return [...arm.requests.values()]
    .filter((r) => r.approvalGuid !== null)
    .filter((r) =>
      f === "asapprover()"
        ? r.approverIds.includes(caller.oid)
        : f === "ascreatedby()" || f === "astarget()"
          ? r.principalId === caller.oid
          : visible(r, caller),
    );
}

export function findApproval(arm: ArmState, caller: CallerClaims, id: string): ArmRequest {
  const r = arm.byApproval(id);
  if (!r || !visible(r, caller)) {
    throw new ArmFault(404, "RoleAssignmentApprovalNotFound", `The role assignment approval '${id}' was not found.`);
  }
  return r;
}

/** PATCH/PUT of the stage: the first decision settles it. */
export function decideStage(
  arm: ArmState,
  caller: CallerClaims,
  id: string,
  stageId: string,
  bodyText: string,
  now: number,
) {
  // Unlike a read, a decision by someone who may not make it is refused (403), not hidden (404).
  const r = arm.byApproval(id);
  if (!r) {
    throw new ArmFault(404, "RoleAssignmentApprovalNotFound", `The role assignment approval '${id}' was not found.`);
  }
  if (stageId.toLowerCase() !== r.approvalGuid) {
    throw new ArmFault(404, "RoleAssignmentApprovalStageNotFound", `The approval stage '${stageId}' was not found.`);
  }
  let body: { properties?: { reviewResult?: string; justification?: string | null } } | null;
  try {
    body = JSON.parse(bodyText || "null") as typeof body;
  } catch {
    body = null;
  }
  const result = body?.properties?.reviewResult;
  if (result !== "Approve" && result !== "Deny") {
    throw new ArmFault(400, "InvalidRequestContent", "properties.reviewResult must be 'Approve' or 'Deny'.");
  }
  if (r.principalId === caller.oid) {
    throw new ArmFault(
      403,
      "AuthorizationFailed",
      "The requestor of a role assignment cannot approve their own request.",
    );
  }
  if (!r.approverIds.includes(caller.oid)) {
    throw new ArmFault(403, "AuthorizationFailed", `The client '${caller.oid}' is not an approver of '${id}'.`);
  }
  if (r.review || r.status !== "PendingApproval") {
    const expired = r.status !== "Canceled" && now - r.createdOn >= APPROVAL_WINDOW_MS;
    throw new ArmFault(
      409,
      "ApprovalAlreadyCompleted",
      expired ? "The approval has expired." : "The approval stage has already been reviewed.",
    );
  }
  const justification = body?.properties?.justification?.trim() ?? "";
  if (!justification) {
    throw new ArmFault(
      400,
      "ApproverJustificationRequired",
      "A justification is required to review this approval stage.",
    );
  }
  return arm.decide(r.name, result === "Approve", now, { reviewerId: caller.oid, justification });
}
