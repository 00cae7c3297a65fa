// PIM for Groups approvals, v1.0: assignmentApprovals/filterByCurrentUser(on='approver'), GET {id}, GET {id}/stages
// [/{stageId}], PATCH {id}/stages/{stageId}. The approval's id is the request's id (its approvalId is accepted too).
// Stages are serial: a policy's `approvalStages` (default: one stage of its approver users and groups) open one after
// another, the first Deny settles the request, the last Approve provisions it (emulator/approvers.ts).
import { z } from "zod";
import {
  type ApprovalStage,
  assignedTo,
  isApprover,
  newStages,
  parseReviewResult,
  policyStages,
  recordDecision,
  refreshStages,
  stageRefusal,
  type StageRefusal,
} from "../approvers.js";
import { sendEmpty, sendJson } from "../http.js";
import { newGuid } from "../ids.js";
import type { AssignmentRequest } from "../model.js";
import { applySelect, parseSelect } from "../odata.js";
import type { PimState } from "../pim.js";
import { type GraphCall, iso, PIM_BASE, parseCurrentUserFunction, READ_ASSIGNMENT, requireScope } from "./common.js";
import { GraphFault, methodNotAllowed, notFound } from "./fault.js";

const WRITE = ["PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup"];

// Per PimState, so a reset (a new PimState) starts with no stages.
const stagesByState = new WeakMap<PimState, Map<string, ApprovalStage[]>>();

/** The stages of a request that needed approval, created from its policy the first time they are asked for. */
export function stagesOf(pim: PimState, r: AssignmentRequest, now: number): ApprovalStage[] {
  let all = stagesByState.get(pim);
  if (!all) stagesByState.set(pim, (all = new Map()));
  let stages = all.get(r.id);
  if (!stages) {
    // Graph shows the first stage under the approval's own id.
    stages = newStages(policyStages(pim.policyFor(r.groupId, r.accessId)), r.id, r.createdDateTime, newGuid);
    all.set(r.id, stages);
  }
  // An undecided stage times out; what the request then becomes is not documented, so it is left as it is.
  refreshStages(stages, r.status === "PendingApproval", now);
  return stages;
}

/** Whether the caller approves any stage of the request (they may read it then). */
export function approvesAnyStage(pim: PimState, r: AssignmentRequest, oid: string, now: number): boolean {
  return stagesOf(pim, r, now).some((s) => isApprover(s.approvers, oid, (g) => pim.membersOf(g)));
}

/** Whether a stage of the request is open and waits for the caller. */
export function waitsFor(pim: PimState, r: AssignmentRequest, oid: string, now: number): boolean {
  const pending = r.status === "PendingApproval";
  return stagesOf(pim, r, now).some((s) => assignedTo(s, r.principalId, pending, oid, (g) => pim.membersOf(g)));
}

const patchSchema = z
  .object({
    "@odata.type": z.string().optional(),
    reviewResult: z.string(),
    justification: z.string().nullable().optional(),
  })
  .strict();

/** The stage's JSON for `callerOid`; Graph's approval stage shape is shared with the directory roles' beta steps. */
export function stageJson(pim: PimState, s: ApprovalStage, requesterId: string, pending: boolean, callerOid: string) {
  return {
    id: s.id,
    displayName: null,
    status: s.status,
    assignedToMe: assignedTo(s, requesterId, pending, callerOid, (g) => pim.membersOf(g)),
    reviewResult: s.reviewResult,
    reviewedBy: s.reviewedBy === null ? null : { id: s.reviewedBy, displayName: pim.userName(s.reviewedBy) },
    reviewedDateTime: s.reviewedAt === null ? null : iso(s.reviewedAt),
    justification: s.justification ?? "",
  };
}

function approvalJson(pim: PimState, r: AssignmentRequest, callerOid: string, now: number) {
  const pending = r.status === "PendingApproval";
  return {
    "@odata.type": "#microsoft.graph.approval",
    id: r.id,
    stages: stagesOf(pim, r, now).map((s) => stageJson(pim, s, r.principalId, pending, callerOid)),
  };
}

function findRequest(pim: PimState, id: string): AssignmentRequest | undefined {
  const key = id.toLowerCase();
  return pim.requests.get(key) ?? [...pim.requests.values()].find((r) => r.approvalId === key);
}

/** The 403 and 409 answers to a stage decision the caller may not make, on both Graph planes. */
export function refusal(why: StageRefusal, status: string, noun: string): GraphFault {
  switch (why) {
    case "self":
      return new GraphFault(403, "Forbidden", "The requestor cannot approve their own request.");
    case "notApprover":
      return new GraphFault(403, "Forbidden", `The caller is not an approver of this approval ${noun}.`);
    case "expired":
      return new GraphFault(
        409,
        "Conflict",
        `This approval ${noun} has expired: nobody decided it within 24 hours of it opening; the requester must submit again.`,
      );
    case "decided":
      return new GraphFault(409, "Conflict", `This approval ${noun} was already decided (request ${status}).`);
    case "notStarted":
      return new GraphFault(409, "Conflict", `This approval ${noun} has not started: an earlier stage is still open.`);
  }
}

/** Reads `{ reviewResult, justification }`; a justification is required (the demo policies require one). */
export function readReview(bodyText: string, noun: string): { decision: "Approve" | "Deny"; justification: string } {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    throw new GraphFault(400, "BadRequest", "Unable to read JSON request payload.");
  }
  const parsed = patchSchema.safeParse(json);
  if (!parsed.success) {
    throw new GraphFault(
      400,
      "BadRequest",
      `Invalid approval ${noun} update: ${parsed.error.issues[0]?.message ?? ""}`,
    );
  }
  const decision = parseReviewResult(parsed.data.reviewResult);
  if (!decision) throw new GraphFault(400, "BadRequest", "reviewResult must be Approve or Deny.");
  const justification = parsed.data.justification?.trim() ?? "";
  // The demo policies set isApproverJustificationRequired (see policies.ts).
  if (!justification) throw new GraphFault(400, "BadRequest", "A justification is required to review this request.");
  return { decision, justification };
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
      .filter((r) => r.approvalId !== null && waitsFor(pim, r, caller.oid, now))
      .sort((a, b) => b.createdDateTime - a.createdDateTime)
      .map((r) => approvalJson(pim, r, caller.oid, now));
    sendJson(ctx, 200, { "@odata.context": base, value });
    return;
  }

  const r = findRequest(pim, first);
  const notFoundErr = () => new GraphFault(404, "ResourceNotFound", `The approval '${first}' was not found.`);
  if (ctx.method === "PATCH") {
    if (stageId === undefined) throw methodNotAllowed();
    requireScope(caller, WRITE);
    if (!r || r.approvalId === null) throw notFoundErr();
    const stages = stagesOf(pim, r, now);
    const stage = stages.find((s) => s.id === stageId.toLowerCase());
    if (!stage) throw notFoundErr();
    const pending = r.status === "PendingApproval";
    const why = stageRefusal(stage, r.principalId, pending, caller.oid, (g) => pim.membersOf(g));
    if (why) throw refusal(why, r.status, "stage");
    const { decision, justification } = readReview(ctx.bodyText, "stage");
    const outcome = recordDecision(stages, stage, decision, caller.oid, justification, now);
    if (outcome !== "next") pim.decide(r.id, outcome, now);
    sendEmpty(ctx, 204);
    return;
  }
  if (ctx.method !== "GET") throw methodNotAllowed();
  requireScope(caller, READ_ASSIGNMENT);
  if (!r || r.approvalId === null) throw notFoundErr();
  if (r.principalId !== caller.oid && !approvesAnyStage(pim, r, caller.oid, now)) throw notFoundErr();
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
