// Azure Resource Manager's front door under /arm: authenticate (ARM audience only), throttle,
// check api-version, and route PIM's Microsoft.Authorization collections and the scope picker's
// subscription and resource-group lists. Failures answer in ARM's envelope.
import type { Ctx } from "../http.js";
import type { EmulatedUser } from "../model.js";
import type { SigningKeys } from "../tokens.js";
import {
  APPROVAL_API_VERSIONS,
  approvalView,
  decideStage,
  findApproval,
  findStage,
  listApprovals,
  stageView,
  waitsFor,
} from "./approvals.js";
import { authenticateArm } from "./auth.js";
import { ArmFault, armNotFound } from "./fault.js";
import {
  type ArmRateLimit,
  ArmThrottle,
  checkApiVersion,
  PIM_API_VERSIONS,
  RESOURCES_API_VERSIONS,
  sendArm,
  sendArmError,
} from "./http.js";
import { describeScope, isAtOrBelow, normScope, subscriptionOf } from "./scopes.js";
import { type ArmRequestBody, type ArmState, roleGuidOf } from "./state.js";
import { eligibilityView, instanceView, policyAssignmentView, requestView } from "./views.js";
import type { CallerClaims } from "../model.js";

export interface ArmSettings {
  /** Items per page of every ARM list before a nextLink. */
  armPageSize: number;
  armRateLimit: ArmRateLimit;
  /** What a request still PendingApproval 24 hours after it was made becomes (unverified for ARM); null: stays pending. */
  armApprovalExpiryStatus: "TimedOut" | "Canceled" | "Denied" | "Failed" | null;
}

export interface ArmDeps {
  arm: () => ArmState;
  users: () => EmulatedUser[];
  tenantId: () => string;
  keys: SigningKeys;
  now: () => number;
  settings: ArmSettings;
  caeRevokedAt: Map<string, number>;
}

interface ArmCall {
  ctx: Ctx;
  caller: CallerClaims;
  arm: ArmState;
  deps: ArmDeps;
  /** Path below /arm, as the client sent it. */
  path: string;
  limitHeaders: Record<string, string>;
}

const AUTH_SEGMENT = "/providers/microsoft.authorization/";

export class ArmService {
  readonly throttle: ArmThrottle;

  constructor(private readonly deps: ArmDeps) {
    this.throttle = new ArmThrottle(() => deps.settings.armRateLimit);
  }

  /** `rest` is the path after /arm (starting with / or empty). */
  async handle(ctx: Ctx, rest: string): Promise<void> {
    try {
      const now = this.deps.now();
      const caller = await authenticateArm(
        ctx.headers.authorization,
        this.deps.keys,
        now,
        ctx.origin,
        this.deps.caeRevokedAt,
      );
      const path = rest.replace(/\/+$/, "");
      const write = ctx.method !== "GET" && ctx.method !== "HEAD";
      const limitHeaders = this.throttle.take(caller.oid, write, now, subscriptionOf(path));
      const arm = this.deps.arm();
      arm.advance(now);
      await route({ ctx, caller, arm, deps: this.deps, path, limitHeaders });
    } catch (e) {
      if (e instanceof ArmFault) {
        sendArmError(ctx, e.httpStatus, e.code, e.message, e.headers);
        return;
      }
      throw e;
    }
  }
}

function user(call: ArmCall, id: string): EmulatedUser | undefined {
  return call.deps.users().find((u) => u.id.toLowerCase() === id.toLowerCase());
}

function ok(call: ArmCall, status: number, body: unknown): void {
  sendArm(call.ctx, status, body, call.limitHeaders);
}

/**
 * One page of `items`, with ARM's nextLink (the whole URL, to follow verbatim). `view` turns an item into what
 * the page shows, for the page's items only: a large tenant's list is not built whole for every page.
 */
function page<T>(call: ArmCall, items: T[], view: (item: T) => unknown = (item) => item): void {
  const size = call.deps.settings.armPageSize;
  const skip = Number.parseInt(call.ctx.query.get("$skipToken") ?? call.ctx.query.get("$skiptoken") ?? "0", 10) || 0;
  const slice = items.slice(skip, skip + size).map(view);
  let nextLink: string | undefined;
  if (skip + size < items.length) {
    const q = new URLSearchParams(call.ctx.query);
    q.delete("$skiptoken");
    q.set("$skipToken", String(skip + size));
    nextLink = `${call.ctx.origin}/arm${call.path}?${q.toString()}`;
  }
  ok(call, 200, nextLink ? { value: slice, nextLink } : { value: slice });
}

interface Filter {
  principal: string | null;
  atScope: boolean;
  roleGuid: string | null;
  resourceType: string | null;
}

function parseFilter(call: ArmCall): Filter {
  const f: Filter = { principal: null, atScope: false, roleGuid: null, resourceType: null };
  const text = (call.ctx.query.get("$filter") ?? "").trim();
  if (!text) return f;
  for (const clause of text.split(/\s+and\s+/i)) {
    const c = clause.trim();
    let m: RegExpExecArray | null;
    if (/^asTarget\(\)$/i.test(c) || /^asRequestor\(\)$/i.test(c)) f.principal = call.caller.oid;
    else if (/^atScope\(\)$/i.test(c)) f.atScope = true;
    else if ((m = /^principalId\s+eq\s+'([^']+)'$/i.exec(c)) || (m = /^assignedTo\('([^']+)'\)$/i.exec(c))) {
      f.principal = (m[1] ?? "").toLowerCase();
    } else if ((m = /^roleDefinitionId\s+eq\s+'([^']+)'$/i.exec(c))) f.roleGuid = roleGuidOf(m[1] ?? "");
    else if ((m = /^resourceType\s+eq\s+'([^']+)'$/i.exec(c))) f.resourceType = (m[1] ?? "").toLowerCase();
    else if (/^asApprover\(\)$/i.test(c)) f.principal = "\u0000approver";
    else throw new ArmFault(400, "InvalidFilterInQueryString", `The filter '${text}' is not supported.`);
  }
  return f;
}

/** Items related to the list's scope: at, above or (without atScope()) below it. */
function inScope(itemScope: string, listScope: string, atScope: boolean): boolean {
  if (isAtOrBelow(listScope, itemScope)) return true;
  return !atScope && isAtOrBelow(itemScope, listScope);
}

function requireScope(call: ArmCall, scope: string): void {
  if (scope !== "" && !describeScope(call.arm.seed, scope)) {
    const sub = subscriptionOf(scope);
    if (sub && !call.arm.seed.subscriptions.some((s) => s.subscriptionId.toLowerCase() === sub.toLowerCase())) {
      throw new ArmFault(404, "SubscriptionNotFound", `The subscription '${sub}' could not be found.`);
    }
    throw new ArmFault(404, "ResourceNotFound", `The scope '${scope}' could not be found.`);
  }
}

async function route(call: ArmCall): Promise<void> {
  const { path } = call;
  const lower = path.toLowerCase();
  const at = lower.lastIndexOf(AUTH_SEGMENT);
  if (at >= 0 || lower.startsWith(AUTH_SEGMENT.slice(0, -1))) {
    const scope = at >= 0 ? path.slice(0, at) : "";
    const segments = path
      .slice(at >= 0 ? at + AUTH_SEGMENT.length : AUTH_SEGMENT.length)
      .split("/")
      .filter(Boolean);
    const approvals = (segments[0] ?? "").toLowerCase() === "roleassignmentapprovals";
    checkApiVersion(call.ctx.query, approvals ? APPROVAL_API_VERSIONS : PIM_API_VERSIONS);
    requireScope(call, scope);
    if (approvals) return routeApprovals(call, segments.slice(1));
    return routeAuthorization(call, scope, segments);
  }
  checkApiVersion(call.ctx.query, RESOURCES_API_VERSIONS);
  if (call.ctx.method !== "GET") throw methodNotAllowed(call.ctx.method);
  if (lower === "/subscriptions") return listSubscriptions(call);
  const m = /^\/subscriptions\/([^/]+)(\/resourcegroups)?$/i.exec(path);
  if (m) return m[2] ? listResourceGroups(call, m[1] ?? "") : getSubscription(call, m[1] ?? "");
  throw armNotFound(path);
}

function methodNotAllowed(method: string): ArmFault {
  return new ArmFault(405, "MethodNotAllowed", `The requested method '${method}' is not allowed on this resource.`);
}

function routeApprovals(call: ArmCall, segments: string[]): void {
  const [id, sub, stageId, ...more] = segments;
  const { arm, caller, ctx } = call;
  const users = call.deps.users();
  const method = ctx.method;
  if (more.length) throw armNotFound(call.path);
  if (!id) {
    if (method !== "GET") throw methodNotAllowed(method);
    const filter = ctx.query.get("$filter") ?? "";
    const items = listApprovals(arm, caller, filter).map((r) => approvalView(arm, r, caller, users));
    return page(call, items);
  }
  if (!sub) {
    if (method !== "GET") throw methodNotAllowed(method);
    return ok(call, 200, approvalView(arm, findApproval(arm, caller, id), caller, users));
  }
  // The spec's paths say `steps`; its examples, the resource type and clients say `stages`: both are served.
  const segment = sub.toLowerCase();
  if (segment !== "stages" && segment !== "steps") throw armNotFound(call.path);
  if (!stageId) {
    if (method !== "GET") throw methodNotAllowed(method);
    const r = findApproval(arm, caller, id);
    return ok(call, 200, { value: r.stages.map((st) => stageView(arm, r, st, caller, users, segment)) });
  }
  if (method === "GET") {
    const r = findApproval(arm, caller, id);
    return ok(call, 200, stageView(arm, r, findStage(r, stageId), caller, users, segment));
  }
  if (method !== "PATCH" && method !== "PUT") throw methodNotAllowed(method);
  const { request, stage } = decideStage(arm, caller, id, stageId, ctx.bodyText, call.deps.now());
  return ok(call, 200, stageView(arm, request, stage, caller, users, segment));
}

function routeAuthorization(call: ArmCall, scope: string, segments: string[]): void {
  const [collection = "", name, action, ...more] = segments;
  const c = collection.toLowerCase();
  const method = call.ctx.method;
  if (more.length) throw armNotFound(call.path);
  if (c === "roleeligibilityscheduleinstances" && !name) {
    if (method !== "GET") throw methodNotAllowed(method);
    return listEligibilities(call, scope);
  }
  if (c === "roleassignmentscheduleinstances" && !name) {
    if (method !== "GET") throw methodNotAllowed(method);
    return listInstances(call, scope);
  }
  if (c === "rolemanagementpolicyassignments" && !name) {
    if (method !== "GET") throw methodNotAllowed(method);
    return listPolicies(call, scope);
  }
  if (c === "eligiblechildresources" && !name) {
    if (method !== "GET") throw methodNotAllowed(method);
    return listChildren(call, scope);
  }
  if (c === "roleassignmentschedulerequests") {
    if (!name) {
      if (method !== "GET") throw methodNotAllowed(method);
      return listRequests(call, scope);
    }
    if (!action) {
      if (method === "GET") return getRequest(call, scope, name);
      if (method === "PUT") return putRequest(call, scope, name, true);
      throw methodNotAllowed(method);
    }
    if (method !== "POST") throw methodNotAllowed(method);
    if (action.toLowerCase() === "validate") return putRequest(call, scope, name, false);
    if (action.toLowerCase() === "cancel") {
      call.arm.cancel(name, call.caller, call.deps.now());
      return ok(call, 200, undefined);
    }
  }
  throw armNotFound(call.path);
}

function listEligibilities(call: ArmCall, scope: string): void {
  const f = parseFilter(call);
  const now = call.deps.now();
  const items = call.arm
    .currentEligibilities(now)
    .filter((e) => (!f.principal || e.principalId === f.principal) && (!f.roleGuid || e.roleGuid === f.roleGuid))
    .filter((e) => inScope(e.scope, scope, f.atScope));
  page(call, items, (e) => eligibilityView(call.arm, e, scope, user(call, e.principalId)));
}

function listInstances(call: ArmCall, scope: string): void {
  const f = parseFilter(call);
  const items = [...call.arm.instances.values()]
    .filter((i) => i.startAt <= call.deps.now())
    .filter((i) => (!f.principal || i.principalId === f.principal) && (!f.roleGuid || i.roleGuid === f.roleGuid))
    .filter((i) => inScope(i.scope, scope, f.atScope))
    .map((i) => instanceView(call.arm, i, scope, user(call, i.principalId)));
  page(call, items);
}

function listRequests(call: ArmCall, scope: string): void {
  const f = parseFilter(call);
  const items = [...call.arm.requests.values()]
    .filter((r) =>
      f.principal === "\u0000approver"
        ? waitsFor(call.arm, r, call.caller.oid)
        : !f.principal || r.principalId === f.principal,
    )
    .filter((r) => (!f.roleGuid || r.roleGuid === f.roleGuid) && inScope(r.scope, scope, f.atScope))
    .sort((a, b) => b.createdOn - a.createdOn)
    .map((r) => requestView(call.arm, r, user(call, r.principalId)));
  page(call, items);
}

function getRequest(call: ArmCall, scope: string, name: string): void {
  const r = call.arm.requests.get(name.toLowerCase());
  if (!r || normScope(r.scope) !== normScope(scope)) {
    throw new ArmFault(
      404,
      "RoleAssignmentScheduleRequestNotFound",
      `The role assignment schedule request '${name}' was not found at scope '${scope}'.`,
    );
  }
  ok(call, 200, requestView(call.arm, r, user(call, r.principalId)));
}

function putRequest(call: ArmCall, scope: string, name: string, persist: boolean): void {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(name)) {
    throw new ArmFault(
      400,
      "InvalidRoleAssignmentScheduleRequestId",
      `The role assignment schedule request ID '${name}' is not valid. The ID must be a GUID.`,
    );
  }
  let body: ArmRequestBody;
  try {
    body = JSON.parse(call.ctx.bodyText || "null") as ArmRequestBody;
  } catch {
    throw new ArmFault(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
  }
  if (!body || typeof body !== "object") {
    throw new ArmFault(400, "InvalidRequestContent", "The request content was invalid: a body is required.");
  }
  const r = call.arm.submit(scope, name, body, call.caller, call.deps.now(), persist);
  ok(call, persist ? 201 : 200, requestView(call.arm, r, user(call, r.principalId)));
}

function listPolicies(call: ArmCall, scope: string): void {
  if (scope === "") throw new ArmFault(400, "InvalidResourceScope", "Role management policy assignments need a scope.");
  const f = parseFilter(call);
  const roles = f.roleGuid ? [f.roleGuid] : call.arm.seed.roles.map((r) => r.guid);
  const items = roles.map((g) => {
    const { policy } = call.arm.policyFor(scope, g);
    return policyAssignmentView(call.arm, describeScope(call.arm.seed, scope)?.id ?? scope, g, policy);
  });
  page(call, items);
}

/** eligibleChildResources: the resource groups and resources below a scope the caller is eligible at or above. */
function listChildren(call: ArmCall, scope: string): void {
  const f = parseFilter(call);
  const seed = call.arm.seed;
  const mine = call.arm.currentEligibilities(call.deps.now()).filter((e) => e.principalId === call.caller.oid);
  const candidates = [
    ...seed.subscriptions.map((s) => ({
      id: `/subscriptions/${s.subscriptionId}`,
      name: s.displayName,
      type: "subscription",
    })),
    ...seed.resourceGroups.map((g) => ({
      id: `/subscriptions/${g.subscriptionId}/resourceGroups/${g.name}`,
      name: g.name,
      type: "resourcegroup",
    })),
    ...seed.resources.map((r) => ({ id: r.id, name: r.name, type: "resource" })),
  ];
  const items = candidates
    .filter((c) => normScope(c.id) !== normScope(scope) && isAtOrBelow(c.id, scope))
    .filter((c) => !f.resourceType || c.type === f.resourceType)
    .filter((c) => mine.some((e) => isAtOrBelow(c.id, e.scope)));
  page(call, items);
}

/** What the caller can see in the scope picker: subscriptions and groups holding an active role of theirs. */
function activeScopes(call: ArmCall): string[] {
  return [...call.arm.instances.values()]
    .filter((i) => i.principalId === call.caller.oid && i.startAt <= call.deps.now())
    .map((i) => i.scope);
}

function subscriptionView(call: ArmCall, s: { subscriptionId: string; displayName: string }) {
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: "RoleBased",
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId: call.deps.tenantId(),
    displayName: s.displayName,
    state: "Enabled",
    subscriptionPolicies: {
      locationPlacementId: "Public_2014-09-01",
      quotaId: "PayAsYouGo_2014-09-01",
      spendingLimit: "Off",
    },
  };
}

function visibleSubscriptions(call: ArmCall) {
  const scopes = activeScopes(call);
  return call.arm.seed.subscriptions.filter((s) =>
    scopes.some((sc) => isAtOrBelow(sc, `/subscriptions/${s.subscriptionId}`)),
  );
}

function listSubscriptions(call: ArmCall): void {
  const items = visibleSubscriptions(call).map((s) => subscriptionView(call, s));
  ok(call, 200, { value: items, count: { type: "Total", value: items.length } });
}

function findVisible(call: ArmCall, id: string) {
  const s = visibleSubscriptions(call).find((x) => x.subscriptionId.toLowerCase() === id.toLowerCase());
  if (!s) throw new ArmFault(404, "SubscriptionNotFound", `The subscription '${id}' could not be found.`);
  return s;
}

function getSubscription(call: ArmCall, id: string): void {
  ok(call, 200, subscriptionView(call, findVisible(call, id)));
}

function listResourceGroups(call: ArmCall, id: string): void {
  const s = findVisible(call, id);
  const subScope = `/subscriptions/${s.subscriptionId}`;
  const scopes = activeScopes(call);
  const wholeSub = scopes.some((sc) => normScope(sc) === normScope(subScope));
  const items = call.arm.seed.resourceGroups
    .filter((g) => g.subscriptionId === s.subscriptionId)
    .map((g) => ({ g, id: `${subScope}/resourceGroups/${g.name}` }))
    .filter(({ id: rg }) => wholeSub || scopes.some((sc) => isAtOrBelow(sc, rg)))
    .map(({ g, id: rg }) => ({
      id: rg,
      name: g.name,
      type: "Microsoft.Resources/resourceGroups",
      location: g.location,
      properties: { provisioningState: "Succeeded" },
    }));
  page(call, items);
}
