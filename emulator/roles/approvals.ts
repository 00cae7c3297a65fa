// Directory-role approvals, which Graph offers only under /beta: GET roleAssignmentApprovals/{id} (steps
// embedded), GET {id}/steps[/{stepId}], PATCH {id}/steps/{stepId}. On /v1.0 the segment does not exist.
import { z } from "zod";
import { iso, type GraphCall, requireScope } from "../graph/common.js";
import { GraphFault, methodNotAllowed, notFound } from "../graph/fault.js";
import { sendEmpty, sendJson } from "../http.js";
import { applySelect, parseSelect } from "../odata.js";
import type { RoleApprovalStep, RoleRequest } from "./model.js";
import type { RoleState } from "./state.js";

const READ = [
  "RoleAssignmentSchedule.ReadWrite.Directory",
  "RoleManagement.Read.Directory",
  "RoleManagement.Read.All",
  "RoleManagement.ReadWrite.Directory",
];
const WRITE = ["RoleAssignmentSchedule.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"];

const patchSchema = z
  .object({
    "@odata.type": z.string().optional(),
    reviewResult: z.string(),
    justification: z.string().nullable().optional(),
  })
  .strict();

function stepJson(step: RoleApprovalStep, assignedToMe: boolean) {
  return {
    id: step.id,
    displayName: null,
    status: step.status,
    assignedToMe,
    reviewResult: step.reviewResult,
    reviewedBy: step.reviewedBy,
    reviewedDateTime: step.reviewedDateTime === null ? null : iso(step.reviewedDateTime),
    justification: step.justification,
  };
}

/** `segments` follow roleAssignmentApprovals. */
export function routeRoleApprovals(call: GraphCall, roles: RoleState, path: string, segments: string[]): void {
  const { ctx, caller, pim, deps } = call;
  if (!/^\/beta\//i.test(ctx.path)) throw notFound(path);
  const [approvalId, stepsSeg, stepId, extra] = segments;
  if (!approvalId || extra !== undefined || (stepsSeg !== undefined && stepsSeg.toLowerCase() !== "steps")) {
    throw notFound(path);
  }
  const request: RoleRequest | undefined = roles.requests.get(approvalId.toLowerCase());
  const step = request ? roles.approvals.get(request.id) : undefined;
  const isApprover = (r: RoleRequest) =>
    roles.policyFor(r.roleDefinitionId).approverUserIds.some((a) => a.toLowerCase() === caller.oid);
  const notFoundErr = () => new GraphFault(404, "ResourceNotFound", `The approval '${approvalId}' was not found.`);

  if (ctx.method === "PATCH") {
    if (stepId === undefined) throw methodNotAllowed();
    requireScope(caller, WRITE);
    if (!request || !step || step.id !== stepId.toLowerCase()) throw notFoundErr();
    if (!isApprover(request) || request.principalId === caller.oid) {
      throw new GraphFault(403, "Forbidden", "The caller is not an approver of this request.");
    }
    if (step.status === "Completed" || request.status !== "PendingApproval") {
      throw new GraphFault(409, "Conflict", `This approval step was already decided (request ${request.status}).`);
    }
    let json: unknown;
    try {
      json = JSON.parse(ctx.bodyText);
    } catch {
      throw new GraphFault(400, "BadRequest", "Unable to read JSON request payload.");
    }
    const parsed = patchSchema.safeParse(json);
    if (!parsed.success) {
      throw new GraphFault(400, "BadRequest", `Invalid approval step update: ${parsed.error.issues[0]?.message ?? ""}`);
    }
    const result = parsed.data.reviewResult.toLowerCase();
    const decision =
      result === "approve" || result === "approved"
        ? "approve"
        : result === "deny" || result === "denied"
          ? "deny"
          : null;
    if (!decision) {
      throw new GraphFault(400, "BadRequest", "reviewResult must be Approve or Deny.");
    }
    if (!parsed.data.justification?.trim()) {
      throw new GraphFault(400, "BadRequest", "A justification is required to review this request.");
    }
    const me = pim.user(caller.oid);
    roles.decide(
      request.id,
      decision,
      deps.now(),
      { id: caller.oid, displayName: me?.displayName ?? null },
      parsed.data.justification,
    );
    sendEmpty(ctx, 204);
    return;
  }
  if (ctx.method !== "GET") throw methodNotAllowed();
  requireScope(caller, READ);
  if (!request || !step || (request.principalId !== caller.oid && !isApprover(request))) throw notFoundErr();
  const mine = isApprover(request) && request.principalId !== caller.oid;
  const select = parseSelect(ctx.query.get("$select"));
  const base = `${ctx.origin}/beta/$metadata#roleManagement/directory/roleAssignmentApprovals`;
  if (stepsSeg === undefined) {
    sendJson(ctx, 200, {
      "@odata.context": `${base}/$entity`,
      ...applySelect({ id: request.id, steps: [stepJson(step, mine)] }, select),
    });
  } else if (stepId === undefined) {
    sendJson(ctx, 200, { "@odata.context": `${base}('${request.id}')/steps`, value: [stepJson(step, mine)] });
  } else {
    if (step.id !== stepId.toLowerCase()) throw notFoundErr();
    sendJson(ctx, 200, { "@odata.context": `${base}('${request.id}')/steps/$entity`, ...stepJson(step, mine) });
  }
}
