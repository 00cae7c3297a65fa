// PIM for Groups approvals, v1.0: assignmentApprovals/filterByCurrentUser(on='approver'), GET {id}, GET {id}/stages
// [/{stageId}], PATCH {id}/stages/{stageId}. The approval's id is the request's id (its approvalId is accepted too).
// Stages are serial: a policy's `approvalStages` (default: one stage of `approverUserIds`) open one after another,
// the first Deny settles the request, the last Approve provisions it.
import { z } from "zod";
import { sendEmpty, sendJson } from "../http.js";
import { newGuid } from "../ids.js";
import type { AssignmentRequest } from "../model.js";
import { applySelect, parseSelect } from "../odata.js";
import type { PimState } from "../pim.js";
import { type GraphCall, iso, PIM_BASE, parseCurrentUserFunction, READ_ASSIGNMENT, requireScope } from "./common.js";
import { GraphFault, methodNotAllowed, notFound } from "./fault.js";

const WRITE = ["PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup"];
export const STAGE_TIMEOUT_MS = 24 * 3_600_000;

export interface GroupApprovalStage {
  id: string;
  approverIds: string[];
  status: "NotStarted" | "InProgress" | "Completed" | "Expired";
  /** When the stage opened: it times out a day later (the policy's approvalStageTimeOutInDays: 1). */
  startedAt: number | null;
  reviewResult: "NotReviewed" | "Approve" | "Deny";
  reviewedBy: { id: string; displayName: string | null } | null;
  reviewedAt: number | null;
  justification: string | null;
}

// Per PimState, so a reset (a new PimState) starts with no stages.
const stagesByState = new WeakMap<PimState, Map<string, GroupApprovalStage[]>>();

/** The stages of a request that needed approval, created from its policy the first time they are asked for. */
export function stagesOf(pim: PimState, r: AssignmentRequest, now: number): GroupApprovalStage[] {
  let all = stagesByState.get(pim);
  if (!all) stagesByState.set(pim, (all = new Map()));
  let stages = all.get(r.id);
  if (!stages) {
    const policy = pim.policyFor(r.groupId, r.accessId);
    const approverSets = policy.approvalStages?.length ? policy.approvalStages : [policy.approverUserIds];
    stages = approverSets.map((ids, i) => ({
      // Graph shows the first stage under the approval's own id.
      id: i === 0 ? r.id : newGuid(),
      approverIds: ids.map((a) => a.toLowerCase()),
      status: i === 0 ? "InProgress" : "NotStarted",
      startedAt: i === 0 ? r.createdDateTime : null,
      reviewResult: "NotReviewed",
      reviewedBy: null,
      reviewedAt: null,
      justification: null,
    }));
    all.set(r.id, stages);
  }
  for (const s of stages) {
    if (s.status !== "InProgress") continue;
    // A request settled elsewhere (control API, cancel) leaves no stage open.
    if (r.status !== "PendingApproval") s.status = "Completed";
    // An undecided stage times out; what the request then becomes is not documented, so it is left as it is.
    else if (s.startedAt !== null && now >= s.startedAt + STAGE_TIMEOUT_MS) s.status = "Expired";
  }
  return stages;
}

const patchSchema = z
  .object({
    "@odata.type": z.string().optional(),
    reviewResult: z.string(),
    justification: z.string().nullable().optional(),
  })
  .strict();

function stageJson(s: GroupApprovalStage, r: AssignmentRequest, callerOid: string) {
  return {
    id: s.id,
    displayName: null,
    status: s.status,
    assignedToMe: s.status === "InProgress" && s.approverIds.includes(callerOid) && r.principalId !== callerOid,
    reviewResult: s.reviewResult,
    reviewedBy: s.reviewedBy,
    reviewedDateTime: s.reviewedAt === null ? null : iso(s.reviewedAt),
    justification: s.justification ?? "",
  };
}

function approvalJson(pim: PimState, r: AssignmentRequest, callerOid: string, now: number) {
  return {
    "@odata.type": "#microsoft.graph.approval",
    id: r.id,
    stages: stagesOf(pim, r, now).map((s) => stageJson(s, r, callerOid)),
  };
}

function findRequest(pim: PimState, id: string): AssignmentRequest | undefined {
  const key = id.toLowerCase();
  return pim.requests.get(key) ?? [...pim.requests.values()].find((r) => r.approvalId === key);
}

/** `segments` follow assignmentApprovals. */
export function routeGroupApprovals(call: GraphCall, segments: string[]): void {
  const { ctx, caller, pim, deps } = call;
  const now = deps.now();
  pim.advance(now);
  const [first, stagesSeg, stageId, extra] = segments;
  const base = `${ctx.origin}/v1.0/$metadata#${PIM_BASE}/assignmentApprovals`;
  if (!first || extra !== undefined) throw notFound(segments.join("/"));
  const stagesName = /^\/beta\//i.test(ctx.path) ? ["stages", "steps"] : ["stages"];
  if (stagesSeg !== undefined && !stagesName.includes(stagesSeg.toLowerCase())) throw notFound(segments.join("/"));

  if (first.toLowerCase().startsWith("filterbycurrentuser")) {
    if (ctx.method !== "GET" || stagesSeg !== undefined) throw methodNotAllowed();
    requireScope(caller, READ_ASSIGNMENT);
    parseCurrentUserFunction(first, ["approver"]);
    const value = [...pim.requests.values()]
      .filter((r) => r.status === "PendingApproval" && r.principalId !== caller.oid)
      .filter((r) => stagesOf(pim, r, now).some((s) => s.status === "InProgress" && s.approverIds.includes(caller.oid)))
      .sort((a, b) => b.createdDateTime - a.createdDateTime)
      .map((r) => approvalJson(pim, r, caller.oid, now));
    sendJson(ctx, 200, { "@odata.context": base, value });
    return;
  }

  const r = findRequest(pim, first);
  const involved = (req: AssignmentRequest) =>
    req.principalId === caller.oid || stagesOf(pim, req, now).some((s) => s.approverIds.includes(caller.oid));
  const notFoundErr = () => new GraphFault(404, "ResourceNotFound", `The approval '${first}' was not found.`);
  if (ctx.method === "PATCH") {
    if (stageId === undefined) throw methodNotAllowed();
    requireScope(caller, WRITE);
    if (!r || r.approvalId === null) throw notFoundErr();
    const stages = stagesOf(pim, r, now);
    const stage = stages.find((s) => s.id === stageId.toLowerCase());
    if (!stage) throw notFoundErr();
    if (r.principalId === caller.oid) {
      throw new GraphFault(403, "Forbidden", "The requestor cannot approve their own request.");
    }
    if (!stage.approverIds.includes(caller.oid)) {
      throw new GraphFault(403, "Forbidden", "The caller is not an approver of this approval stage.");
    }
    if (stage.status === "Expired") {
      throw new GraphFault(409, "Conflict", "This approval stage has expired; the requester must submit again.");
    }
    if (stage.status === "Completed" || r.status !== "PendingApproval") {
      throw new GraphFault(409, "Conflict", `This approval stage was already decided (request ${r.status}).`);
    }
    if (stage.status === "NotStarted") {
      throw new GraphFault(409, "Conflict", "This approval stage has not started: an earlier stage is still open.");
    }
    let json: unknown;
    try {
      json = JSON.parse(ctx.bodyText);
    } catch {
      throw new GraphFault(400, "BadRequest", "Unable to read JSON request payload.");
    }
    const parsed = patchSchema.safeParse(json);
    if (!parsed.success) {
      throw new GraphFault(
        400,
        "BadRequest",
        `Invalid approval stage update: ${parsed.error.issues[0]?.message ?? ""}`,
      );
    }
    const result = parsed.data.reviewResult.toLowerCase();
    const decision =
      result === "approve" || result === "approved"
        ? "Approve"
        : result === "deny" || result === "denied"
          ? "Deny"
          : null;
    if (!decision) throw new GraphFault(400, "BadRequest", "reviewResult must be Approve or Deny.");
    const justification = parsed.data.justification?.trim() ?? "";
    const policy = pim.policyFor(r.groupId, r.accessId);
    // The demo policies set isApproverJustificationRequired (see policies.ts).
    if (!justification && policy.approvalRequired) {
      throw new GraphFault(400, "BadRequest", "A justification is required to review this request.");
    }
    const me = pim.user(caller.oid);
    stage.status = "Completed";
    stage.reviewResult = decision;
    stage.reviewedBy = { id: caller.oid, displayName: me?.displayName ?? null };
    stage.reviewedAt = now;
    stage.justification = justification;
    const next = stages.find((s) => s.status === "NotStarted");
    if (decision === "Deny") {
      pim.decide(r.id, "deny", now);
    } else if (next) {
      next.status = "InProgress";
      next.startedAt = now;
    } else {
      pim.decide(r.id, "approve", now);
    }
    sendEmpty(ctx, 204);
    return;
  }
  if (ctx.method !== "GET") throw methodNotAllowed();
  requireScope(caller, READ_ASSIGNMENT);
  if (!r || r.approvalId === null || !involved(r)) throw notFoundErr();
  const select = parseSelect(ctx.query.get("$select"));
  const approval = approvalJson(pim, r, caller.oid, now);
  if (stagesSeg === undefined) {
    sendJson(ctx, 200, { "@odata.context": `${base}/$entity`, ...applySelect(approval, select) });
  } else if (stageId === undefined) {
    sendJson(ctx, 200, { "@odata.context": `${base}('${r.id}')/stages`, value: approval.stages });
  } else {
    const s = approval.stages.find((x) => x.id === stageId.toLowerCase());
    if (!s) throw notFoundErr();
    sendJson(ctx, 200, { "@odata.context": `${base}('${r.id}')/stages/$entity`, ...applySelect(s, select) });
  }
}
