// Directory-role approvals, which Graph offers only under /beta: GET roleAssignmentApprovals/{id} (steps
// embedded), GET {id}/steps[/{stepId}], PATCH {id}/steps/{stepId}. On /v1.0 the segment does not exist.
// One step per request: Microsoft documents no multi-stage approval on this path. The step's approvers are the
// policy's users and the members of its groups; it times out a day after it opened, as a groups stage does.
import { STAGE_TIMEOUT_MS, stageRefusal } from "../approvers.js";
import { type GraphCall, requireScope } from "../graph/common.js";
import { readReview, refusal, stageJson } from "../graph/approvals.js";
import { GraphFault, methodNotAllowed, notFound } from "../graph/fault.js";
import { sendEmpty, sendJson } from "../http.js";
import { applySelect, parseSelect } from "../odata.js";
import type { RoleRequest } from "./model.js";
import type { RoleState } from "./state.js";

const READ = [
  "RoleAssignmentSchedule.ReadWrite.Directory",
  "RoleManagement.Read.Directory",
  "RoleManagement.Read.All",
  "RoleManagement.ReadWrite.Directory",
];
const WRITE = ["RoleAssignmentSchedule.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"];

/** `segments` follow roleAssignmentApprovals. */
export function routeRoleApprovals(call: GraphCall, roles: RoleState, path: string, segments: string[]): void {
  const { ctx, caller, pim, deps } = call;
  if (!/^\/beta\//i.test(ctx.path)) throw notFound(path);
  const [approvalId, stepsSeg, stepId, extra] = segments;
  if (!approvalId || extra !== undefined || (stepsSeg !== undefined && stepsSeg.toLowerCase() !== "steps")) {
    throw notFound(path);
  }
  const now = deps.now();
  roles.advance(now);
  const request: RoleRequest | undefined = roles.requests.get(approvalId.toLowerCase());
  const step = request ? roles.approvals.get(request.id) : undefined;
  const notFoundErr = () => new GraphFault(404, "ResourceNotFound", `The approval '${approvalId}' was not found.`);

  if (ctx.method === "PATCH") {
    if (stepId === undefined) throw methodNotAllowed();
    requireScope(caller, WRITE);
    if (!request || !step || step.id !== stepId.toLowerCase()) throw notFoundErr();
    const pending = request.status === "PendingApproval";
    const why = stageRefusal(step, request.principalId, pending, caller.oid, (g) => pim.membersOf(g));
    // A step the expiry setting ended shows Completed, never reviewed, and its request completed when it timed out
    // (RoleState.advance): say it expired.
    const expired =
      why === "decided" &&
      step.reviewResult === "NotReviewed" &&
      step.startedAt !== null &&
      request.completedAt === step.startedAt + STAGE_TIMEOUT_MS;
    if (why) throw refusal(expired ? "expired" : why, request.status, "step");
    const { decision, justification } = readReview(ctx.bodyText, "step");
    roles.decide(request.id, decision === "Approve" ? "approve" : "deny", now, caller.oid, justification);
    sendEmpty(ctx, 204);
    return;
  }
  if (ctx.method !== "GET") throw methodNotAllowed();
  requireScope(caller, READ);
  if (!request || !step || (request.principalId !== caller.oid && !roles.approves(request, caller.oid, pim))) {
    throw notFoundErr();
  }
  const json = stageJson(pim, step, request.principalId, request.status === "PendingApproval", caller.oid);
  const select = parseSelect(ctx.query.get("$select"));
  const base = `${ctx.origin}/beta/$metadata#roleManagement/directory/roleAssignmentApprovals`;
  if (stepsSeg === undefined) {
    sendJson(ctx, 200, {
      "@odata.context": `${base}/$entity`,
      ...applySelect({ id: request.id, steps: [json] }, select),
    });
  } else if (stepId === undefined) {
    sendJson(ctx, 200, { "@odata.context": `${base}('${request.id}')/steps`, value: [json] });
  } else {
    if (step.id !== stepId.toLowerCase()) throw notFoundErr();
    sendJson(ctx, 200, { "@odata.context": `${base}('${request.id}')/steps/$entity`, ...json });
  }
}
