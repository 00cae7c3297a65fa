// ARM's approver API (api-version 2021-01-01-preview): roleAssignmentApprovals with one stage per policy stage
// (serial: each opens when the one before it is approved; the first stage's id is the approval GUID), readable as
// `stages` or `steps` (the spec's paths say steps, its examples and clients stages), decided with PATCH or PUT
// `{"properties":{reviewResult,justification}}`. Approvers are the stage's users and the members of its groups.
import { type ApprovalStage, assignedTo, isApprover, stageRefusal } from "../approvers.js";
import type { CallerClaims, EmulatedUser } from "../model.js";
import { ArmFault } from "./fault.js";
import type { ArmRequest } from "./model.js";
import type { ArmState } from "./state.js";

export const APPROVAL_API_VERSIONS = ["2021-01-01-preview"];
const BASE = "/providers/Microsoft.Authorization/roleAssignmentApprovals";

const notFound = (id: string) =>
  new ArmFault(404, "RoleAssignmentApprovalNotFound", `The role assignment approval '${id}' was not found.`);
const stageNotFound = (stageId: string) =>
  new ArmFault(404, "RoleAssignmentApprovalStageNotFound", `The approval stage '${stageId}' was not found.`);

export function stageView(
  arm: ArmState,
  r: ArmRequest,
  stage: ApprovalStage,
  caller: CallerClaims,
  users: EmulatedUser[],
  segment = "stages",
) {
  const guid = r.approvalGuid ?? "";
  const reviewer = stage.reviewedBy ? users.find((u) => u.id.toLowerCase() === stage.reviewedBy) : undefined;
  const pending = r.status === "PendingApproval";
  return {
    id: `${BASE}/${guid}/${segment}/${stage.id}`,
    name: stage.id,
    type: "Microsoft.Authorization/roleAssignmentApprovals/stages",
    properties: {
      displayName: `Stage ${r.stages.indexOf(stage) + 1}`,
      status: stage.status,
      reviewResult: stage.reviewResult,
      assignedToMe: assignedTo(stage, r.principalId, pending, caller.oid, (g) => arm.directory.membersOf(g)),
      reviewedBy: stage.reviewedBy
        ? {
            principalId: stage.reviewedBy,
            principalType: "user",
            principalName: reviewer?.displayName ?? stage.reviewedBy,
            userPrincipalName: reviewer?.userPrincipalName ?? null,
          }
        : null,
      reviewedDateTime: stage.reviewedAt === null ? null : new Date(stage.reviewedAt).toISOString(),
      justification: stage.justification,
    },
  };
}

export function approvalView(arm: ArmState, r: ArmRequest, caller: CallerClaims, users: EmulatedUser[]) {
  const guid = r.approvalGuid ?? "";
  return {
    id: `${BASE}/${guid}`,
    name: guid,
    type: "Microsoft.Authorization/roleAssignmentApprovals",
    properties: { stages: r.stages.map((st) => stageView(arm, r, st, caller, users)) },
  };
}

/** Whether the caller approves any stage of the request. */
export function approvesAnyStage(arm: ArmState, r: ArmRequest, oid: string): boolean {
  return r.stages.some((st) => isApprover(st.approvers, oid, (g) => arm.directory.membersOf(g)));
}

/** Whether an open stage of the request waits for the caller (never their own request). */
export function waitsFor(arm: ArmState, r: ArmRequest, oid: string): boolean {
  const pending = r.status === "PendingApproval";
  return r.stages.some((st) => assignedTo(st, r.principalId, pending, oid, (g) => arm.directory.membersOf(g)));
}

/** Who can see an approval: the approvers of any of its stages, and its requester. */
function visible(arm: ArmState, r: ArmRequest, caller: CallerClaims): boolean {
  return r.principalId === caller.oid || approvesAnyStage(arm, r, caller.oid);
}

/** `asApprover()`: the approvals the caller approves a stage of, decided or not, other than their own requests. */
export function listApprovals(arm: ArmState, caller: CallerClaims, filter: string): ArmRequest[] {
  const f = filter.trim().toLowerCase();
  return [...arm.requests.values()]
    .filter((r) => r.approvalGuid !== null)
    .filter((r) =>
      f === "asapprover()"
        ? r.principalId !== caller.oid && approvesAnyStage(arm, r, caller.oid)
        : f === "ascreatedby()" || f === "astarget()"
          ? r.principalId === caller.oid
          : visible(arm, r, caller),
    );
}

export function findApproval(arm: ArmState, caller: CallerClaims, id: string): ArmRequest {
  const r = arm.byApproval(id);
  if (!r || !visible(arm, r, caller)) throw notFound(id);
  return r;
}

export function findStage(r: ArmRequest, stageId: string): ApprovalStage {
  const stage = r.stages.find((st) => st.id === stageId.toLowerCase());
  if (!stage) throw stageNotFound(stageId);
  return stage;
}

/** PATCH/PUT of a stage: the first Deny settles the request, the last Approve provisions it. */
export function decideStage(
  arm: ArmState,
  caller: CallerClaims,
  id: string,
  stageId: string,
  bodyText: string,
  now: number,
): { request: ArmRequest; stage: ApprovalStage } {
  // Unlike a read, a decision by someone who may not make it is refused (403), not hidden (404).
  const r = arm.byApproval(id);
  if (!r) throw notFound(id);
  const stage = findStage(r, stageId);
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
  const pending = r.status === "PendingApproval";
  switch (stageRefusal(stage, r.principalId, pending, caller.oid, (g) => arm.directory.membersOf(g))) {
    case "self":
      throw new ArmFault(
        403,
        "AuthorizationFailed",
        "The requestor of a role assignment cannot approve their own request.",
      );
    case "notApprover":
      throw new ArmFault(
        403,
        "AuthorizationFailed",
        `The client '${caller.oid}' is not an approver of stage '${stage.id}' of '${id}'.`,
      );
    case "expired":
      throw new ArmFault(
        409,
        "ApprovalAlreadyCompleted",
        `The approval stage has expired: nobody reviewed it within 24 hours of it opening (${new Date(stage.startedAt ?? 0).toISOString()}); the requester must submit a new request.`,
      );
    case "decided":
      throw new ArmFault(
        409,
        "ApprovalAlreadyCompleted",
        stage.reviewResult === "NotReviewed"
          ? `The request is ${r.status}: this approval stage can no longer be reviewed.`
          : "The approval stage has already been reviewed.",
      );
    case "notStarted":
      throw new ArmFault(
        409,
        "ApprovalStageNotStarted",
        "The approval stage has not started: an earlier stage is still waiting for review.",
      );
    case null:
      break;
  }
  const justification = body?.properties?.justification?.trim() ?? "";
  if (!justification) {
    throw new ArmFault(
      400,
      "ApproverJustificationRequired",
      "A justification is required to review this approval stage.",
    );
  }
  return { request: arm.decideStage(r, stage, result, caller.oid, justification, now), stage };
}
