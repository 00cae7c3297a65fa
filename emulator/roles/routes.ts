// Graph's roleManagement/directory routes for PIM for Entra ID roles, and the role management policy
// lookups with scopeType 'DirectoryRole' or 'Directory'. Same envelope, paging and OData subset as the
// groups plane.
import { z } from "zod";
import { sendEmpty, sendJson } from "../http.js";
import { applySelect, type ExpandItem, matches, paginate, parseExpand, parseFilter, parseSelect } from "../odata.js";
import { type GraphCall, nextLink, parseCurrentUserFunction, requireScope } from "../graph/common.js";
import { userJson } from "../graph/directory.js";
import { GraphFault, methodNotAllowed, notFound } from "../graph/fault.js";
import {
  payloadProblem,
  readJsonPayload,
  SCHEDULE_REQUEST_ACTIONS,
  selfServiceAction,
} from "../graph/request-payload.js";
import { policyRules } from "../graph/policies.js";
import { routeRoleApprovals } from "./approvals.js";
import type { RoleState } from "./state.js";
import {
  assignmentInstance,
  assignmentSchedule,
  eligibilityInstance,
  eligibilitySchedule,
  roleDefinitionJson,
  serializeRoleRequest,
  TYPES,
} from "./json.js";

export const ROLES_BASE = "roleManagement/directory";

// Delegated permissions per collection (reference A.2): least privileged first.
const RM_READ = ["RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagement.ReadWrite.Directory"];
export const ROLE_SCOPES = {
  readEligibility: [
    "RoleEligibilitySchedule.Read.Directory",
    "RoleEligibilitySchedule.ReadWrite.Directory",
    ...RM_READ,
  ],
  readAssignment: ["RoleAssignmentSchedule.Read.Directory", "RoleAssignmentSchedule.ReadWrite.Directory", ...RM_READ],
  /** The documented floor for listing requests is the ReadWrite scope. */
  readRequests: ["RoleAssignmentSchedule.ReadWrite.Directory", ...RM_READ],
  write: [
    "RoleAssignmentSchedule.ReadWrite.Directory",
    "RoleAssignmentSchedule.Remove.Directory",
    "RoleManagement.ReadWrite.Directory",
  ],
  readPolicy: ["RoleManagementPolicy.Read.Directory", "RoleManagementPolicy.ReadWrite.Directory", ...RM_READ],
};

type Collection = keyof typeof TYPES;
const COLLECTIONS = Object.keys(TYPES) as Collection[];
const COMMON_FIELDS = ["id", "principalId", "roleDefinitionId", "directoryScopeId", "appScopeId", "memberType"];
const FIELDS: Record<Collection, string[]> = {
  roleEligibilitySchedules: [...COMMON_FIELDS, "status"],
  roleEligibilityScheduleInstances: [...COMMON_FIELDS, "roleEligibilityScheduleId"],
  roleAssignmentSchedules: [...COMMON_FIELDS, "status", "assignmentType"],
  roleAssignmentScheduleInstances: [...COMMON_FIELDS, "assignmentType", "roleAssignmentScheduleId"],
  roleAssignmentScheduleRequests: [
    "id",
    "principalId",
    "roleDefinitionId",
    "directoryScopeId",
    "appScopeId",
    "status",
    "action",
    "targetScheduleId",
    "approvalId",
  ],
};
const EXPANDABLE = ["roleDefinition", "principal", "directoryScope", "appScope"];
/** Where Graph also offers `activatedUsing` (the eligibility schedule an activation came from). */
const expandableFor = (c: Collection) =>
  c === "roleAssignmentScheduleInstances" || c === "roleAssignmentScheduleRequests"
    ? [...EXPANDABLE, "activatedUsing"]
    : EXPANDABLE;

/** The role state, moved forward to now. */
function rolesOf(call: GraphCall): RoleState {
  const roles = call.deps.roles();
  roles.advance(call.deps.now());
  return roles;
}

function expandOne(
  roles: RoleState,
  call: GraphCall,
  collection: Collection,
  item: Record<string, unknown>,
  x: ExpandItem,
): unknown {
  if (x.name === "roleDefinition") {
    const r = roles.role(String(item.roleDefinitionId));
    return r ? applySelect(roleDefinitionJson(r), x.select) : null;
  }
  if (x.name === "principal") {
    const u = call.pim.user(String(item.principalId));
    return u ? applySelect({ "@odata.type": "#microsoft.graph.user", ...userJson(u) }, x.select) : null;
  }
  if (x.name === "directoryScope") {
    const m = /^\/administrativeUnits\/([^/]+)$/i.exec(String(item.directoryScopeId));
    const au = m ? roles.administrativeUnit(m[1] ?? "") : undefined;
    return au
      ? applySelect(
          {
            "@odata.type": "#microsoft.graph.administrativeUnit",
            id: au.id,
            displayName: au.displayName,
            description: au.description,
            visibility: null,
          },
          x.select,
        )
      : null;
  }
  if (x.name === "activatedUsing") {
    const e = roles.seed.eligibilities.find(
      (el) =>
        el.principalId.toLowerCase() === String(item.principalId).toLowerCase() &&
        el.roleDefinitionId.toLowerCase() === String(item.roleDefinitionId).toLowerCase() &&
        el.directoryScopeId.toLowerCase() === String(item.directoryScopeId).toLowerCase() &&
        el.memberType === "Direct",
    );
    if (!e) return null;
    // Graph's metadata: an active instance was activated using an eligibility schedule *instance*; a request, using
    // the eligibility schedule.
    const used = collection === "roleAssignmentScheduleInstances" ? eligibilityInstance(e) : eligibilitySchedule(e);
    return applySelect(used, x.select);
  }
  return null; // appScope: the demo tenant has no app-scoped roles
}

function withExpansions(
  roles: RoleState,
  call: GraphCall,
  collection: Collection,
  item: Record<string, unknown>,
  expand: ExpandItem[],
  select: string[] | null,
): Record<string, unknown> {
  const out = applySelect(item, select);
  for (const x of expand) out[x.name] = expandOne(roles, call, collection, item, x);
  return out;
}

function sendPage(call: GraphCall, roles: RoleState, collection: Collection, all: Array<Record<string, unknown>>) {
  const { ctx, deps } = call;
  const expand = parseExpand(ctx.query.get("$expand"), expandableFor(collection), TYPES[collection]);
  const select = parseSelect(ctx.query.get("$select"));
  const page = paginate(all, ctx.query, deps.settings.pageSize);
  const body: Record<string, unknown> = {
    "@odata.context": `${ctx.origin}/v1.0/$metadata#${ROLES_BASE}/${collection}`,
    value: page.items.map((i) => withExpansions(roles, call, collection, i, expand, select)),
  };
  if (page.nextSkip !== null) body["@odata.nextLink"] = nextLink(ctx, page.nextSkip);
  sendJson(ctx, 200, body);
}

function scheduleItems(c: Exclude<Collection, "roleAssignmentScheduleRequests">, roles: RoleState, now: number) {
  switch (c) {
    case "roleEligibilitySchedules":
      return roles.currentEligibilities(now).map(eligibilitySchedule);
    case "roleEligibilityScheduleInstances":
      return roles.currentEligibilities(now).map(eligibilityInstance);
    case "roleAssignmentScheduleInstances":
      return [...roles.instances.values()].filter((i) => i.startAt <= now).map(assignmentInstance);
    case "roleAssignmentSchedules": {
      const out: Array<Record<string, unknown>> = [...roles.instances.values()].map((i) =>
        assignmentSchedule({
          ...i,
          status: "Provisioned",
          createdAt: roles.requests.get(i.requestId)?.createdDateTime ?? i.startAt,
        }),
      );
      for (const r of roles.requests.values()) {
        if (r.action === "selfActivate" && (r.status === "Granted" || r.status === "PendingProvisioning")) {
          out.push(
            assignmentSchedule({
              ...r,
              scheduleId: r.targetScheduleId,
              requestId: r.id,
              endAt: r.startAt + r.durationMs,
              status: "Granted",
              createdAt: r.createdDateTime,
            }),
          );
        }
      }
      return out;
    }
  }
}

/** Everything under roleManagement/directory/; `segments` come after it. */
export async function routeDirectoryRoles(call: GraphCall, path: string, rawSegments: string[]): Promise<void> {
  // Graph's key form `collection('{id}')` is the same as `collection/{id}`.
  const keyed = /^([A-Za-z]+)\('([^']*)'\)$/.exec(rawSegments[0] ?? "");
  const segments = keyed ? [keyed[1] ?? "", keyed[2] ?? "", ...rawSegments.slice(1)] : rawSegments;
  const { ctx, caller, deps } = call;
  const name = COLLECTIONS.find((c) => c.toLowerCase() === (segments[0] ?? "").toLowerCase());
  if ((segments[0] ?? "").toLowerCase() === "roledefinitions") return routeRoleDefinitions(call, segments.slice(1));
  if ((segments[0] ?? "").toLowerCase() === "roleassignmentapprovals") {
    return routeRoleApprovals(call, rolesOf(call), path, segments.slice(1));
  }
  if (!name) throw notFound(path);
  if (name === "roleAssignmentScheduleRequests") return routeRoleRequests(call, segments.slice(1));
  if (segments.length > 2) throw notFound(path);
  if (ctx.method !== "GET") throw methodNotAllowed();
  requireScope(caller, name.startsWith("roleEligibility") ? ROLE_SCOPES.readEligibility : ROLE_SCOPES.readAssignment);
  const roles = rolesOf(call);
  let items: Array<Record<string, unknown>> = scheduleItems(name, roles, deps.now());
  const clauses = parseFilter(ctx.query.get("$filter"), FIELDS[name]);
  const fn = segments[1];
  if (fn !== undefined) {
    parseCurrentUserFunction(fn, ["principal"]);
    // Roles held through a group are not returned by filterByCurrentUser.
    items = items.filter((i) => String(i.principalId).toLowerCase() === caller.oid && i.memberType !== "Group");
  }
  sendPage(
    call,
    roles,
    name,
    items.filter((i) => matches(i, clauses)),
  );
}

/** GET roleDefinitions[/{id}]: the roles the demo tenant knows, for names. */
function routeRoleDefinitions(call: GraphCall, rest: string[]): void {
  const { ctx, caller } = call;
  if (ctx.method !== "GET") throw methodNotAllowed();
  requireScope(caller, [...RM_READ, ...ROLE_SCOPES.readEligibility, ...ROLE_SCOPES.readAssignment]);
  const roles = rolesOf(call);
  const select = parseSelect(ctx.query.get("$select"));
  const id = unquoteKey(rest[0]);
  if (id !== undefined) {
    const r = roles.role(id);
    if (!r) throw new GraphFault(404, "Request_ResourceNotFound", `Resource '${id}' does not exist.`);
    sendJson(ctx, 200, {
      "@odata.context": `${ctx.origin}/v1.0/$metadata#${ROLES_BASE}/roleDefinitions/$entity`,
      ...applySelect(roleDefinitionJson(r), select),
    });
    return;
  }
  const clauses = parseFilter(ctx.query.get("$filter"), ["id", "displayName", "templateId", "isBuiltIn"]);
  const items = roles.seed.roleDefinitions.map(roleDefinitionJson).filter((r) => matches(r, clauses));
  const page = paginate(items, ctx.query, call.deps.settings.pageSize);
  const body: Record<string, unknown> = {
    "@odata.context": `${ctx.origin}/v1.0/$metadata#${ROLES_BASE}/roleDefinitions`,
    value: page.items.map((r) => applySelect(r, select)),
  };
  if (page.nextSkip !== null) body["@odata.nextLink"] = nextLink(ctx, page.nextSkip);
  sendJson(ctx, 200, body);
}

/** `{id}` or `('{id}')`, as Graph accepts both key forms. */
function unquoteKey(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  const m = /^\('([^']*)'\)$/.exec(segment);
  return m ? m[1] : segment;
}

const bodySchema = z
  .object({
    "@odata.type": z.string().optional(),
    action: z.string().refine((v) => SCHEDULE_REQUEST_ACTIONS.some((a) => a.toLowerCase() === v.toLowerCase()), {
      message: `Requested value is not a valid unifiedRoleScheduleRequestActions. Allowed values: ${SCHEDULE_REQUEST_ACTIONS.join(", ")}.`,
    }),
    principalId: z.string().min(1),
    roleDefinitionId: z.string().min(1),
    directoryScopeId: z.string().nullable().optional(),
    appScopeId: z.string().nullable().optional(),
    justification: z.string().nullable().optional(),
    isValidationOnly: z.boolean().optional(),
    ticketInfo: z
      .object({ ticketNumber: z.string().nullable().optional(), ticketSystem: z.string().nullable().optional() })
      .strict()
      .nullable()
      .optional(),
    scheduleInfo: z
      .object({
        startDateTime: z.string().nullable().optional(),
        recurrence: z.null().optional(),
        expiration: z
          .object({
            type: z.string(),
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

/** Everything under roleAssignmentScheduleRequests; `segments` come after that name. */
async function routeRoleRequests(call: GraphCall, segments: string[]): Promise<void> {
  const { ctx, caller, deps } = call;
  const roles = rolesOf(call);
  const now = deps.now();
  const [first, second] = segments;
  const collection = "roleAssignmentScheduleRequests";
  if (first === undefined) {
    if (ctx.method === "POST") return createRoleRequest(call, roles);
    if (ctx.method !== "GET") throw methodNotAllowed();
    requireScope(caller, ROLE_SCOPES.readRequests);
    const clauses = parseFilter(ctx.query.get("$filter"), FIELDS[collection]);
    const items = [...roles.requests.values()].map((r) => serializeRoleRequest(r)).filter((i) => matches(i, clauses));
    return sendPage(call, roles, collection, items);
  }
  if (first.toLowerCase().startsWith("filterbycurrentuser")) {
    if (ctx.method !== "GET" || second !== undefined) throw methodNotAllowed();
    requireScope(caller, ROLE_SCOPES.readRequests);
    const on = parseCurrentUserFunction(first, ["principal", "createdBy", "approver"]);
    if (on === "createdBy") {
      throw new GraphFault(
        400,
        "BadRequest",
        "filterByCurrentUser(on='createdBy') is not supported for this resource; use 'principal' or 'approver'.",
      );
    }
    const clauses = parseFilter(ctx.query.get("$filter"), FIELDS[collection]);
    const mine = [...roles.requests.values()].filter((r) =>
      // What waits for the caller: the open step is theirs (named, or through a group) and not their own request.
      on === "approver" ? roles.waitsFor(r, caller.oid, call.pim) : r.principalId === caller.oid,
    );
    const items = mine
      .sort((a, b) => b.createdDateTime - a.createdDateTime)
      .map((r) => serializeRoleRequest(r))
      .filter((i) => matches(i, clauses));
    return sendPage(call, roles, collection, items);
  }
  const id = unquoteKey(first) ?? first;
  if (second?.toLowerCase() === "cancel") {
    if (ctx.method !== "POST") throw methodNotAllowed();
    requireScope(caller, ROLE_SCOPES.write);
    roles.cancel(caller.oid, id, now);
    sendEmpty(ctx, 204);
    return;
  }
  if (second !== undefined) throw notFound(segments.join("/"));
  if (ctx.method !== "GET") throw methodNotAllowed();
  requireScope(caller, ROLE_SCOPES.readRequests);
  const request = roles.requests.get(id.toLowerCase());
  if (!request || (request.principalId !== caller.oid && !roles.approves(request, caller.oid, call.pim))) {
    throw new GraphFault(404, "ResourceNotFound", `The request '${id}' was not found.`);
  }
  const expand = parseExpand(ctx.query.get("$expand"), expandableFor(collection), TYPES[collection]);
  sendJson(ctx, 200, {
    "@odata.context": `${ctx.origin}/v1.0/$metadata#${ROLES_BASE}/${collection}/$entity`,
    ...withExpansions(
      roles,
      call,
      "roleAssignmentScheduleRequests",
      serializeRoleRequest(request),
      expand,
      parseSelect(ctx.query.get("$select")),
    ),
  });
}

async function createRoleRequest(call: GraphCall, roles: RoleState): Promise<void> {
  const { ctx, caller, deps } = call;
  requireScope(caller, ROLE_SCOPES.write);
  const parsed = bodySchema.safeParse(readJsonPayload(ctx));
  if (!parsed.success)
    throw new GraphFault(400, "BadRequest", payloadProblem(parsed.error, TYPES.roleAssignmentScheduleRequests));
  const body = parsed.data;
  const action = selfServiceAction(body.action);
  if (!body.directoryScopeId && !body.appScopeId) {
    throw new GraphFault(400, "BadRequest", "Either directoryScopeId or appScopeId is required.");
  }
  if (action === "selfActivate" && !body.scheduleInfo) {
    throw new GraphFault(400, "BadRequest", "The request is missing the required property 'scheduleInfo'.");
  }
  const request = roles.submit(caller, body, deps.now());
  const collection = "roleAssignmentScheduleRequests";
  sendJson(
    ctx,
    201,
    {
      "@odata.context": `${ctx.origin}/v1.0/$metadata#${ROLES_BASE}/${collection}/$entity`,
      ...serializeRoleRequest(request, body.isValidationOnly ?? false),
    },
    { location: `${ctx.origin}/v1.0/${ROLES_BASE}/${collection}('${request.id}')` },
  );
}

/** True when a policies/ request is about directory roles rather than groups. */
export function isDirectoryRolePolicyRequest(call: GraphCall, pathAfterPolicies: string): boolean {
  const id = pathAfterPolicies.split("/")[1];
  if (id !== undefined) return /^DirectoryRole_/i.test(id);
  return /scopeType\s+eq\s+'(DirectoryRole|Directory)'/i.test(call.ctx.query.get("$filter") ?? "");
}

/** GET policies/roleManagementPolicies and policies/roleManagementPolicyAssignments for directory roles. */
export function routeRolePolicies(call: GraphCall, path: string): void {
  const { ctx, caller, pim } = call;
  if (ctx.method !== "GET") throw methodNotAllowed();
  requireScope(caller, ROLE_SCOPES.readPolicy);
  const roles = rolesOf(call);
  const tenantId = pim.tenant.tenantId;
  const [kind, id] = path.split("/");
  const isAssignments = kind?.toLowerCase() === "rolemanagementpolicyassignments";
  if (!isAssignments && kind?.toLowerCase() !== "rolemanagementpolicies") throw notFound(`policies/${path}`);
  const expand = parseExpand(
    ctx.query.get("$expand"),
    isAssignments ? ["policy"] : ["rules", "effectiveRules"],
    isAssignments
      ? "microsoft.graph.unifiedRoleManagementPolicyAssignment"
      : "microsoft.graph.unifiedRoleManagementPolicy",
  );
  const policyExpand = expand.find((x) => x.name === "policy");
  const withRules = isAssignments
    ? /\$expand=\s*rules/i.test(policyExpand?.nested ?? "")
    : expand.some((x) => x.name === "rules" || x.name === "effectiveRules");

  const policyId = (roleId: string) => `DirectoryRole_${tenantId}_${roles.policyFor(roleId).policyGuid}`;
  const policyJson = (roleId: string, scopeType: string) => ({
    id: policyId(roleId),
    displayName: "DirectoryRole",
    description: "DirectoryRole",
    isOrganizationDefault: false,
    scopeId: "/",
    scopeType,
    lastModifiedDateTime: null,
    lastModifiedBy: { displayName: null, id: null },
    ...(withRules ? { rules: policyRules(roles.policyFor(roleId), pim) } : {}),
  });
  const assignmentJson = (roleId: string, scopeType: string) => ({
    id: `${policyId(roleId)}_${roleId}`,
    policyId: policyId(roleId),
    scopeId: "/",
    scopeType,
    roleDefinitionId: roleId,
    ...(policyExpand ? { policy: policyJson(roleId, scopeType) } : {}),
  });
  const roleIds = roles.seed.roleDefinitions.map((r) => r.id);

  if (id !== undefined) {
    const hit = roleIds.find((r) =>
      isAssignments
        ? `${policyId(r)}_${r}`.toLowerCase() === id.toLowerCase()
        : policyId(r).toLowerCase() === id.toLowerCase(),
    );
    if (!hit) throw new GraphFault(404, "ResourceNotFound", `The role management policy '${id}' was not found.`);
    sendJson(ctx, 200, {
      "@odata.context": `${ctx.origin}/v1.0/$metadata#policies/${kind}/$entity`,
      ...(isAssignments ? assignmentJson(hit, "DirectoryRole") : policyJson(hit, "DirectoryRole")),
    });
    return;
  }
  const clauses = parseFilter(
    ctx.query.get("$filter"),
    isAssignments ? ["scopeId", "scopeType", "roleDefinitionId", "policyId"] : ["scopeId", "scopeType"],
  );
  const scopeType = clauses.find((c) => c.field === "scopeType");
  if (!clauses.some((c) => c.field === "scopeId") || !scopeType) {
    throw new GraphFault(
      400,
      "BadRequest",
      "The $filter must specify both scopeId and scopeType, for example: scopeId eq '/' and scopeType eq 'DirectoryRole'.",
    );
  }
  const type = (scopeType.values[0] ?? "").toLowerCase() === "directory" ? "Directory" : "DirectoryRole";
  const candidates = roleIds.filter((r) =>
    matches({ scopeId: "/", scopeType: type, roleDefinitionId: r, policyId: policyId(r) }, clauses),
  );
  const ctxSuffix = isAssignments
    ? "roleManagementPolicyAssignments(policy(rules()))"
    : "roleManagementPolicies(rules())";
  sendJson(ctx, 200, {
    "@odata.context": `${ctx.origin}/v1.0/$metadata#policies/${ctxSuffix}`,
    value: isAssignments ? candidates.map((r) => assignmentJson(r, type)) : candidates.map((r) => policyJson(r, type)),
  });
}
