// assignmentScheduleRequests: list, filterByCurrentUser, get one (with $expand), create, cancel.
import { z } from "zod";
import { sendEmpty, sendJson } from "../http.js";
import type { AssignmentRequest } from "../model.js";
import { applySelect, matches, parseExpand, parseFilter, parseSelect } from "../odata.js";
import { approvesAnyStage, waitsFor } from "./approvals.js";
import { sendCollection } from "./collection.js";
import {
  type GraphCall,
  iso,
  parseCurrentUserFunction,
  PIM_BASE,
  READ_ASSIGNMENT,
  requireGroupOrPrincipalFilter,
  requireScope,
} from "./common.js";
import { groupJson, userJson } from "./directory.js";
import { GraphFault, methodNotAllowed, notFound } from "./fault.js";
import {
  payloadProblem,
  readJsonPayload,
  SCHEDULE_REQUEST_ACTIONS,
  scheduleInfoJson,
  selfServiceAction,
} from "./request-payload.js";

const TYPE_NAME = "microsoft.graph.privilegedAccessGroupAssignmentScheduleRequest";
const FIELDS = ["id", "groupId", "principalId", "accessId", "status", "action", "targetScheduleId", "approvalId"];

export function serializeRequest(r: AssignmentRequest, isValidationOnly = false) {
  return {
    "@odata.type": `#${TYPE_NAME}`,
    id: r.id,
    status: r.status,
    completedDateTime: r.completedAt === null ? null : iso(r.completedAt),
    createdDateTime: iso(r.createdDateTime),
    approvalId: r.approvalId,
    customData: null,
    createdBy: { user: { id: r.principalId, displayName: null } },
    action: r.action,
    isValidationOnly,
    justification: r.justification,
    scheduleInfo: scheduleInfoJson(r),
    ticketInfo: r.ticketInfo,
    accessId: r.accessId,
    principalId: r.principalId,
    groupId: r.groupId,
    targetScheduleId: r.targetScheduleId,
  };
}

const ticketSchema = z
  .object({ ticketNumber: z.string().nullable().optional(), ticketSystem: z.string().nullable().optional() })
  .strict()
  .nullable()
  .optional();

const enumOf = (name: string, values: string[]) =>
  z.string().refine((v) => values.some((x) => x.toLowerCase() === v.toLowerCase()), {
    message: `Requested value is not a valid ${name}. Allowed values: ${values.join(", ")}.`,
  });

const requestBodySchema = z
  .object({
    "@odata.type": z.string().optional(),
    accessId: enumOf("privilegedAccessGroupRelationships", ["member", "owner"]),
    principalId: z.string().min(1),
    groupId: z.string().min(1),
    action: enumOf("scheduleRequestActions", SCHEDULE_REQUEST_ACTIONS),
    justification: z.string().nullable().optional(),
    customData: z.string().nullable().optional(),
    isValidationOnly: z.boolean().optional(),
    ticketInfo: ticketSchema,
    scheduleInfo: z
      .object({
        startDateTime: z.string().nullable().optional(),
        recurrence: z.null().optional(),
        expiration: z
          .object({
            type: enumOf("expirationPatternType", ["notSpecified", "noExpiration", "afterDateTime", "afterDuration"]),
            duration: z.string().nullable().optional(),
            endDateTime: z.string().nullable().optional(),
          })
          .strict()
          .nullable()
          .optional(),
      })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();

/** Everything under {PIM_BASE}/assignmentScheduleRequests; `segments` come after that name. */
export async function routeRequests(call: GraphCall, segments: string[]): Promise<void> {
  const { ctx, caller, pim, deps } = call;
  const now = deps.now();
  const [first, second] = segments;
  if (first === undefined) {
    if (ctx.method === "POST") return createRequest(call);
    if (ctx.method !== "GET") throw methodNotAllowed();
    requireScope(caller, READ_ASSIGNMENT);
    const clauses = parseFilter(ctx.query.get("$filter"), FIELDS);
    requireGroupOrPrincipalFilter(clauses);
    const items = [...pim.requests.values()].map((r) => serializeRequest(r)).filter((i) => matches(i, clauses));
    return sendCollection(call, `${PIM_BASE}/assignmentScheduleRequests`, items, TYPE_NAME);
  }
  if (first.toLowerCase().startsWith("filterbycurrentuser")) {
    if (ctx.method !== "GET" || second !== undefined) throw methodNotAllowed();
    requireScope(caller, READ_ASSIGNMENT);
    const on = parseCurrentUserFunction(first, ["principal", "createdBy", "approver"]);
    const clauses = parseFilter(ctx.query.get("$filter"), FIELDS);
    const mine = [...pim.requests.values()].filter((r) => {
      if (on === "approver") {
        // What waits for the caller now: an open stage names them (or a group of theirs), and it is not their own.
        return r.approvalId !== null && waitsFor(pim, r, caller.oid, now);
      }
      return r.principalId === caller.oid;
    });
    const items = mine
      .sort((a, b) => b.createdDateTime - a.createdDateTime)
      .map((r) => serializeRequest(r))
      .filter((i) => matches(i, clauses));
    return sendCollection(call, `${PIM_BASE}/assignmentScheduleRequests`, items, TYPE_NAME);
  }
  const request = pim.requests.get(first.toLowerCase());
  const visible =
    request &&
    (request.principalId === caller.oid ||
      // An approver of any stage of its approval may read the request too.
      (request.approvalId !== null && approvesAnyStage(pim, request, caller.oid, now)));
  if (second?.toLowerCase() === "cancel") {
    if (ctx.method !== "POST") throw methodNotAllowed();
    requireScope(caller, [
      "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
      "PrivilegedAccess.ReadWrite.AzureADGroup",
    ]);
    pim.cancel(caller.oid, first, now);
    sendEmpty(ctx, 204);
    return;
  }
  if (second !== undefined) throw notFound(segments.join("/"));
  if (ctx.method !== "GET") throw methodNotAllowed();
  requireScope(caller, READ_ASSIGNMENT);
  if (!request || !visible) throw new GraphFault(404, "ResourceNotFound", `The request '${first}' was not found.`);
  const select = parseSelect(ctx.query.get("$select"));
  const expand = parseExpand(ctx.query.get("$expand"), ["group", "principal"], TYPE_NAME);
  const out = applySelect(serializeRequest(request), select);
  for (const x of expand) {
    if (x.name === "group") {
      const g = pim.group(request.groupId);
      out.group = deps.settings.emptyGroupExpansion || !g ? null : applySelect(groupJson(g), x.select);
    } else {
      const u = pim.user(request.principalId);
      out.principal = u ? applySelect(userJson(u), x.select) : null;
    }
  }
  sendJson(ctx, 200, {
    "@odata.context": `${ctx.origin}/v1.0/$metadata#${PIM_BASE}/assignmentScheduleRequests/$entity`,
    ...out,
  });
}

async function createRequest({ ctx, caller, pim, deps }: GraphCall): Promise<void> {
  const parsed = requestBodySchema.safeParse(readJsonPayload(ctx));
  if (!parsed.success) throw new GraphFault(400, "BadRequest", payloadProblem(parsed.error, TYPE_NAME));
  const body = parsed.data;
  const action = selfServiceAction(body.action);
  if (action === "selfActivate" && !body.scheduleInfo) {
    throw new GraphFault(400, "BadRequest", "The request is missing the required property 'scheduleInfo'.");
  }
  if (!pim.group(body.groupId)) {
    throw new GraphFault(404, "ResourceNotFound", `The group '${body.groupId}' was not found.`);
  }
  const request = pim.submit(caller, body, deps.now());
  sendJson(
    ctx,
    201,
    {
      "@odata.context": `${ctx.origin}/v1.0/$metadata#${PIM_BASE}/assignmentScheduleRequests/$entity`,
      ...serializeRequest(request, body.isValidationOnly ?? false),
    },
    { location: `${ctx.origin}/v1.0/${PIM_BASE}/assignmentScheduleRequests('${request.id}')` },
  );
}
