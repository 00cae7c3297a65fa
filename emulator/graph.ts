import { createHash } from "node:crypto";
import { z } from "zod";
import { formatIsoDuration } from "./duration.js";
import { type Ctx, sendEmpty, sendGraphError, sendJson } from "./http.js";
import type { AccessId, AssignmentInstance, AssignmentRequest, Eligibility, EmulatedGroup, EmulatedUser } from "./model.js";
import {
  applySelect,
  matches,
  paginate,
  parseExpand,
  parseFilter,
  parseSelect,
  rejectUnknownOptions,
  skipToken,
} from "./odata.js";
import { type CallerClaims, GraphFault, missingScope, type PimState } from "./pim.js";
import { verifyAccessToken, type SigningKeys } from "./tokens.js";

export interface GraphSettings {
  pageSize: number;
  /** Simulates `$expand=group` coming back null, which third parties report seeing. */
  emptyGroupExpansion: boolean;
  /** Simulates an ordinary user who may not read role management policies. */
  denyPolicyRead: boolean;
}

export interface GraphDeps {
  pim: () => PimState;
  keys: SigningKeys;
  now: () => number;
  settings: GraphSettings;
  /** Per user: tokens issued before this emulator time (s) must answer a CAE claims challenge. */
  caeRevokedAt: Map<string, number>;
}

const iso = (ms: number) => new Date(ms).toISOString();
const PIM_BASE = "identityGovernance/privilegedAccess/group";

const READ_ELIGIBILITY = [
  "PrivilegedEligibilitySchedule.Read.AzureADGroup",
  "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup",
  "PrivilegedAccess.Read.AzureADGroup",
  "PrivilegedAccess.ReadWrite.AzureADGroup",
];
const READ_ASSIGNMENT = [
  "PrivilegedAssignmentSchedule.Read.AzureADGroup",
  "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
  "PrivilegedAccess.Read.AzureADGroup",
  "PrivilegedAccess.ReadWrite.AzureADGroup",
];
const READ_POLICY = ["RoleManagementPolicy.Read.AzureADGroup", "RoleManagementPolicy.ReadWrite.AzureADGroup"];
const READ_USER = ["User.Read", "User.ReadBasic.All", "User.Read.All", "Directory.Read.All"];
const READ_GROUP = ["GroupMember.Read.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All"];

function requireScope(caller: CallerClaims, accepted: string[], wrapped = true): void {
  const ok = caller.scp.some((s) => accepted.some((a) => a.toLowerCase() === s.toLowerCase()));
  if (ok) return;
  if (wrapped) throw missingScope(accepted);
  throw new GraphFault(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
}

type Collection = "eligibilitySchedules" | "eligibilityScheduleInstances" | "assignmentSchedules" | "assignmentScheduleInstances";

const COLLECTION_FIELDS: Record<Collection | "assignmentScheduleRequests", string[]> = {
  eligibilitySchedules: ["id", "groupId", "principalId", "accessId", "memberType", "status", "createdUsing"],
  eligibilityScheduleInstances: ["id", "groupId", "principalId", "accessId", "memberType", "eligibilityScheduleId"],
  assignmentSchedules: ["id", "groupId", "principalId", "accessId", "memberType", "status", "assignmentType", "createdUsing"],
  assignmentScheduleInstances: ["id", "groupId", "principalId", "accessId", "memberType", "assignmentType", "assignmentScheduleId"],
  assignmentScheduleRequests: ["id", "groupId", "principalId", "accessId", "status", "action", "targetScheduleId", "approvalId"],
};

const TYPE_NAMES: Record<Collection | "assignmentScheduleRequests", string> = {
  eligibilitySchedules: "microsoft.graph.privilegedAccessGroupEligibilitySchedule",
  eligibilityScheduleInstances: "microsoft.graph.privilegedAccessGroupEligibilityScheduleInstance",
  assignmentSchedules: "microsoft.graph.privilegedAccessGroupAssignmentSchedule",
  assignmentScheduleInstances: "microsoft.graph.privilegedAccessGroupAssignmentScheduleInstance",
  assignmentScheduleRequests: "microsoft.graph.privilegedAccessGroupAssignmentScheduleRequest",
};

function eligibilitySchedule(e: Eligibility) {
  return {
    "@odata.type": `#${TYPE_NAMES.eligibilitySchedules}`,
    id: e.id,
    createdDateTime: e.createdDateTime,
    modifiedDateTime: "0001-01-01T08:00:00Z",
    createdUsing: e.id.split("_").pop() ?? e.id,
    status: "Provisioned",
    scheduleInfo: {
      startDateTime: e.startDateTime,
      recurrence: null,
      expiration: e.endDateTime
        ? { type: "afterDateTime", endDateTime: e.endDateTime, duration: null }
        : { type: "noExpiration", endDateTime: null, duration: null },
    },
    principalId: e.principalId,
    accessId: e.accessId,
    groupId: e.groupId,
    memberType: e.memberType,
  };
}

function eligibilityInstance(e: Eligibility) {
  return {
    "@odata.type": `#${TYPE_NAMES.eligibilityScheduleInstances}`,
    // Opaque like Graph's instance ids, and unique per schedule (member and owner of a group differ).
    id: createHash("sha256").update(`${e.id}:instance`).digest("base64url").slice(0, 43),
    startDateTime: e.startDateTime,
    endDateTime: e.endDateTime,
    memberType: e.memberType,
    principalId: e.principalId,
    accessId: e.accessId,
    groupId: e.groupId,
    eligibilityScheduleId: e.id,
  };
}

function assignmentSchedule(i: { scheduleId: string; requestId: string; groupId: string; principalId: string; accessId: AccessId; startAt: number; endAt: number; status: string; createdAt: number }) {
  return {
    "@odata.type": `#${TYPE_NAMES.assignmentSchedules}`,
    id: i.scheduleId,
    createdDateTime: iso(i.createdAt),
    modifiedDateTime: iso(i.createdAt),
    createdUsing: i.requestId,
    status: i.status,
    scheduleInfo: {
      startDateTime: iso(i.startAt),
      recurrence: null,
      expiration: { type: "afterDuration", endDateTime: null, duration: formatIsoDuration(i.endAt - i.startAt) },
    },
    principalId: i.principalId,
    accessId: i.accessId,
    groupId: i.groupId,
    memberType: "direct",
    assignmentType: "activated",
  };
}

function assignmentInstance(i: AssignmentInstance) {
  return {
    "@odata.type": `#${TYPE_NAMES.assignmentScheduleInstances}`,
    id: i.id,
    startDateTime: iso(i.startAt),
    endDateTime: iso(i.endAt),
    principalId: i.principalId,
    accessId: i.accessId,
    groupId: i.groupId,
    memberType: "direct",
    assignmentType: "activated",
    assignmentScheduleId: i.scheduleId,
  };
}

export function serializeRequest(r: AssignmentRequest, isValidationOnly = false) {
  return {
    "@odata.type": `#${TYPE_NAMES.assignmentScheduleRequests}`,
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
    scheduleInfo:
      r.action === "selfActivate"
        ? {
            startDateTime: iso(r.startAt),
            recurrence: null,
            expiration: {
              type: r.expiration.type,
              endDateTime: r.expiration.type === "afterDateTime" ? iso(r.startAt + r.durationMs) : null,
              duration: r.expiration.type === "afterDuration" ? r.expiration.duration : null,
            },
          }
        : null,
    ticketInfo: r.ticketInfo,
    accessId: r.accessId,
    principalId: r.principalId,
    groupId: r.groupId,
    targetScheduleId: r.targetScheduleId,
  };
}

function groupJson(g: EmulatedGroup) {
  return {
    id: g.id,
    displayName: g.displayName,
    description: g.description,
    mailNickname: g.mailNickname,
    mail: g.mail,
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
    isAssignableToRole: true,
  };
}

function userJson(u: EmulatedUser) {
  return {
    id: u.id,
    displayName: u.displayName,
    userPrincipalName: u.userPrincipalName,
    mail: u.userPrincipalName,
    givenName: u.displayName.split(" ")[0] ?? null,
    surname: u.displayName.split(" ").slice(1).join(" ") || null,
    jobTitle: null,
    officeLocation: null,
    preferredLanguage: "en-US",
    businessPhones: [],
    mobilePhone: null,
  };
}

const ticketSchema = z
  .object({ ticketNumber: z.string().nullable().optional(), ticketSystem: z.string().nullable().optional() })
  .strict()
  .nullable()
  .optional();

const ACTIONS = ["adminAssign", "adminUpdate", "adminRemove", "selfActivate", "selfDeactivate", "adminExtend", "adminRenew", "selfExtend", "selfRenew"];
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
    action: enumOf("scheduleRequestActions", ACTIONS),
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

function describeZodError(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return "The request body is invalid.";
  const path = issue.path.join(".");
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    return `The property '${key}' does not exist on type '${TYPE_NAMES.assignmentScheduleRequests}'. Make sure to only use property names that are defined by the type.`;
  }
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return `The request is missing the required property '${path}'.`;
  }
  return `Invalid value for property '${path}': ${issue.message}`;
}

export class GraphService {
  constructor(private readonly deps: GraphDeps) {}

  /** Authenticates the bearer token; on failure it has already answered 401. */
  private async authenticate(ctx: Ctx): Promise<CallerClaims | null> {
    const auth = ctx.headers.authorization ?? "";
    const m = /^Bearer\s+(.*)$/i.exec(auth);
    const wwwAuth = `Bearer realm="", authorization_uri="${ctx.origin}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`;
    if (!m?.[1]) {
      sendGraphError(ctx, 401, "InvalidAuthenticationToken", "Access token is empty.", { "www-authenticate": wwwAuth });
      return null;
    }
    const nowS = Math.floor(this.deps.now() / 1000);
    const result = await verifyAccessToken(this.deps.keys, m[1], nowS);
    if (!result.ok) {
      const message =
        result.reason === "expired" ? "Lifetime validation failed, the token is expired." : "Access token validation failure. Invalid audience.";
      sendGraphError(ctx, 401, "InvalidAuthenticationToken", message, { "www-authenticate": wwwAuth });
      return null;
    }
    const c = result.claims;
    const revokedAt = this.deps.caeRevokedAt.get(c.oid);
    if (revokedAt !== undefined && c.iat < revokedAt) {
      if ((c.xms_cc ?? []).includes("cp1")) {
        // CAE: only clients that declared cp1 get a claims challenge; the claims are base64 here.
        const claims = Buffer.from(JSON.stringify({ access_token: { nbf: { essential: true, value: String(revokedAt) } } })).toString("base64");
        sendGraphError(ctx, 401, "InvalidAuthenticationToken", "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp", {
          "www-authenticate": `Bearer realm="", authorization_uri="${ctx.origin}/common/oauth2/authorize", error="insufficient_claims", claims="${claims}"`,
        });
      } else {
        sendGraphError(ctx, 401, "InvalidAuthenticationToken", "Access token has been revoked.", { "www-authenticate": wwwAuth });
      }
      return null;
    }
    return {
      oid: c.oid.toLowerCase(),
      scp: (c.scp ?? "").split(" ").filter(Boolean),
      amr: c.amr ?? [],
      acrs: c.acrs ?? [],
      xmsCc: c.xms_cc ?? [],
    };
  }

  async handle(ctx: Ctx, rest: string): Promise<void> {
    try {
      rejectUnknownOptions(ctx.query);
      const caller = await this.authenticate(ctx);
      if (!caller) return;
      const pim = this.deps.pim();
      pim.advance(this.deps.now());
      await this.route(ctx, rest, caller, pim);
    } catch (e) {
      if (e instanceof GraphFault) {
        if (e.wrapped) sendGraphError(ctx, e.httpStatus, "UnknownError", e.message);
        else sendGraphError(ctx, e.httpStatus, e.code, e.message);
        return;
      }
      throw e;
    }
  }

  private async route(ctx: Ctx, rest: string, caller: CallerClaims, pim: PimState): Promise<void> {
    const path = rest.replace(/\/+$/, "");
    const lower = path.toLowerCase();
    const method = ctx.method;

    if (lower === "me") {
      if (method !== "GET") throw methodNotAllowed();
      requireScope(caller, READ_USER, false);
      const me = pim.user(caller.oid);
      if (!me) throw new GraphFault(404, "Request_ResourceNotFound", "The signed-in user no longer exists.");
      sendJson(ctx, 200, { "@odata.context": `${ctx.origin}/v1.0/$metadata#users/$entity`, ...applySelect(userJson(me), parseSelect(ctx.query.get("$select"))) });
      return;
    }
    if (lower === "groups" || lower.startsWith("groups/")) return this.groups(ctx, path, caller, pim);
    if (lower.startsWith("policies/")) return this.policies(ctx, path.slice("policies/".length), caller, pim);

    const base = PIM_BASE.toLowerCase() + "/";
    if (!lower.startsWith(base)) throw notFound(path);
    const tail = path.slice(base.length);
    const segments = tail.split("/");
    const collection = segments[0] ?? "";
    const fn = segments[1] ?? null;

    if (collection.toLowerCase() === "assignmentschedulerequests") {
      return this.requests(ctx, segments.slice(1), caller, pim);
    }
    const known = (Object.keys(COLLECTION_FIELDS) as Array<Collection | "assignmentScheduleRequests">).find(
      (c) => c.toLowerCase() === collection.toLowerCase(),
    ) as Collection | undefined;
    if (!known || segments.length > 2) throw notFound(path);
    if (method !== "GET") throw methodNotAllowed();
    requireScope(caller, known.startsWith("eligibility") ? READ_ELIGIBILITY : READ_ASSIGNMENT);

    let items: Array<Record<string, unknown>> = this.collectionItems(known, pim);
    const clauses = parseFilter(ctx.query.get("$filter"), COLLECTION_FIELDS[known]);
    if (fn !== null) {
      const on = parseCurrentUserFunction(fn, ["principal"]);
      void on;
      items = items.filter((i) => String(i.principalId).toLowerCase() === caller.oid);
    } else {
      requireGroupOrPrincipalFilter(clauses);
    }
    items = items.filter((i) => matches(i, clauses));
    this.sendCollection(ctx, `${PIM_BASE}/${known}`, items, TYPE_NAMES[known], pim);
  }

  private collectionItems(c: Collection, pim: PimState): Array<Record<string, unknown>> {
    const now = this.deps.now();
    switch (c) {
      case "eligibilitySchedules":
        return pim.currentEligibilities(now).map(eligibilitySchedule);
      case "eligibilityScheduleInstances":
        return pim.currentEligibilities(now).map(eligibilityInstance);
      case "assignmentScheduleInstances":
        return [...pim.instances.values()].filter((i) => i.startAt <= now).map(assignmentInstance);
      case "assignmentSchedules": {
        const out: Array<Record<string, unknown>> = [...pim.instances.values()].map((i) =>
          assignmentSchedule({ ...i, status: "Provisioned", createdAt: pim.requests.get(i.requestId)?.createdDateTime ?? i.startAt }),
        );
        for (const r of pim.requests.values()) {
          if (r.action === "selfActivate" && (r.status === "Granted" || r.status === "PendingProvisioning")) {
            out.push(assignmentSchedule({ scheduleId: r.targetScheduleId, requestId: r.id, groupId: r.groupId, principalId: r.principalId, accessId: r.accessId, startAt: r.startAt, endAt: r.startAt + r.durationMs, status: "Granted", createdAt: r.createdDateTime }));
          }
        }
        return out;
      }
    }
  }

  private sendCollection(ctx: Ctx, contextPath: string, all: Array<Record<string, unknown>>, typeName: string, pim: PimState): void {
    const expand = parseExpand(ctx.query.get("$expand"), ["group", "principal"], typeName);
    const select = parseSelect(ctx.query.get("$select"));
    const page = paginate(all, ctx.query, this.deps.settings.pageSize);
    const value = page.items.map((item) => {
      const out = applySelect(item, select);
      for (const x of expand) {
        if (x.name === "group") {
          const g = pim.group(String(item.groupId));
          out.group = this.deps.settings.emptyGroupExpansion || !g ? null : applySelect(groupJson(g), x.select);
        } else {
          const u = pim.user(String(item.principalId));
          out.principal = u ? applySelect({ "@odata.type": "#microsoft.graph.user", ...userJson(u) }, x.select) : null;
        }
      }
      return out;
    });
    const body: Record<string, unknown> = { "@odata.context": `${ctx.origin}/v1.0/$metadata#${contextPath}`, value };
    if (page.nextSkip !== null) body["@odata.nextLink"] = nextLink(ctx, page.nextSkip);
    sendJson(ctx, 200, body);
  }

  private async requests(ctx: Ctx, segments: string[], caller: CallerClaims, pim: PimState): Promise<void> {
    const now = this.deps.now();
    const [first, second] = segments;
    if (first === undefined) {
      if (ctx.method === "POST") return this.createRequest(ctx, caller, pim);
      if (ctx.method !== "GET") throw methodNotAllowed();
      requireScope(caller, READ_ASSIGNMENT);
      const clauses = parseFilter(ctx.query.get("$filter"), COLLECTION_FIELDS.assignmentScheduleRequests);
      requireGroupOrPrincipalFilter(clauses);
      const items = [...pim.requests.values()].map((r) => serializeRequest(r)).filter((i) => matches(i, clauses));
      return this.sendCollection(ctx, `${PIM_BASE}/assignmentScheduleRequests`, items, TYPE_NAMES.assignmentScheduleRequests, pim);
    }
    if (first.toLowerCase().startsWith("filterbycurrentuser")) {
      if (ctx.method !== "GET" || second !== undefined) throw methodNotAllowed();
      requireScope(caller, READ_ASSIGNMENT);
      const on = parseCurrentUserFunction(first, ["principal", "createdBy", "approver"]);
      const clauses = parseFilter(ctx.query.get("$filter"), COLLECTION_FIELDS.assignmentScheduleRequests);
      const mine = [...pim.requests.values()].filter((r) => {
        if (on === "approver") {
          return r.status === "PendingApproval" && pim.policyFor(r.groupId, r.accessId).approverUserIds.includes(caller.oid);
        }
        return r.principalId === caller.oid;
      });
      const items = mine.sort((a, b) => b.createdDateTime - a.createdDateTime).map((r) => serializeRequest(r)).filter((i) => matches(i, clauses));
      return this.sendCollection(ctx, `${PIM_BASE}/assignmentScheduleRequests`, items, TYPE_NAMES.assignmentScheduleRequests, pim);
    }
    const request = pim.requests.get(first.toLowerCase());
    const visible = request && (request.principalId === caller.oid || pim.policyFor(request.groupId, request.accessId).approverUserIds.includes(caller.oid));
    if (second?.toLowerCase() === "cancel") {
      if (ctx.method !== "POST") throw methodNotAllowed();
      requireScope(caller, ["PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup", "PrivilegedAccess.ReadWrite.AzureADGroup"]);
      pim.cancel(caller.oid, first, now);
      sendEmpty(ctx, 204);
      return;
    }
    if (second !== undefined) throw notFound(segments.join("/"));
    if (ctx.method !== "GET") throw methodNotAllowed();
    requireScope(caller, READ_ASSIGNMENT);
    if (!request || !visible) throw new GraphFault(404, "ResourceNotFound", `The request '${first}' was not found.`);
    const select = parseSelect(ctx.query.get("$select"));
    const expand = parseExpand(ctx.query.get("$expand"), ["group", "principal"], TYPE_NAMES.assignmentScheduleRequests);
    const out = applySelect(serializeRequest(request), select);
    for (const x of expand) {
      if (x.name === "group") {
        const g = pim.group(request.groupId);
        out.group = this.deps.settings.emptyGroupExpansion || !g ? null : applySelect(groupJson(g), x.select);
      } else {
        const u = pim.user(request.principalId);
        out.principal = u ? applySelect(userJson(u), x.select) : null;
      }
    }
    sendJson(ctx, 200, { "@odata.context": `${ctx.origin}/v1.0/$metadata#${PIM_BASE}/assignmentScheduleRequests/$entity`, ...out });
  }

  private async createRequest(ctx: Ctx, caller: CallerClaims, pim: PimState): Promise<void> {
    const ct = (ctx.headers["content-type"] ?? "").toLowerCase();
    let json: unknown;
    try {
      if (!ct.startsWith("application/json")) throw new Error("content-type");
      json = JSON.parse(ctx.bodyText);
    } catch {
      throw new GraphFault(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
    }
    const parsed = requestBodySchema.safeParse(json);
    if (!parsed.success) throw new GraphFault(400, "BadRequest", describeZodError(parsed.error));
    const body = parsed.data;
    const action = ACTIONS.find((a) => a.toLowerCase() === body.action.toLowerCase()) ?? body.action;
    if (action !== "selfActivate" && action !== "selfDeactivate") {
      throw new GraphFault(
        403,
        "AuthorizationFailed",
        JSON.stringify({ errorCode: "AuthorizationFailed", message: `The action '${action}' requires an administrator role; self-service requests use selfActivate or selfDeactivate.`, instanceAnnotations: [] }),
        true,
      );
    }
    if (action === "selfActivate" && !body.scheduleInfo) {
      throw new GraphFault(400, "BadRequest", "The request is missing the required property 'scheduleInfo'.");
    }
    if (!pim.group(body.groupId)) {
      throw new GraphFault(404, "ResourceNotFound", `The group '${body.groupId}' was not found.`);
    }
    const request = pim.submit(caller, body, this.deps.now());
    sendJson(
      ctx,
      201,
      { "@odata.context": `${ctx.origin}/v1.0/$metadata#${PIM_BASE}/assignmentScheduleRequests/$entity`, ...serializeRequest(request, body.isValidationOnly ?? false) },
      { location: `${ctx.origin}/v1.0/${PIM_BASE}/assignmentScheduleRequests('${request.id}')` },
    );
  }

  private groups(ctx: Ctx, path: string, caller: CallerClaims, pim: PimState): void {
    if (ctx.method !== "GET") throw methodNotAllowed();
    requireScope(caller, READ_GROUP, false);
    const select = parseSelect(ctx.query.get("$select"));
    const id = path.split("/")[1];
    if (id !== undefined) {
      const g = pim.group(id);
      if (!g) {
        throw new GraphFault(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
      }
      sendJson(ctx, 200, { "@odata.context": `${ctx.origin}/v1.0/$metadata#groups/$entity`, ...applySelect(groupJson(g), select) });
      return;
    }
    const clauses = parseFilter(ctx.query.get("$filter"), ["id", "displayName", "mail"]);
    const items = pim.tenant.groups.map(groupJson).filter((g) => matches(g, clauses));
    const page = paginate(items, ctx.query, this.deps.settings.pageSize);
    const body: Record<string, unknown> = {
      "@odata.context": `${ctx.origin}/v1.0/$metadata#groups`,
      value: page.items.map((g) => applySelect(g, select)),
    };
    if (page.nextSkip !== null) body["@odata.nextLink"] = nextLink(ctx, page.nextSkip);
    sendJson(ctx, 200, body);
  }

  private policies(ctx: Ctx, path: string, caller: CallerClaims, pim: PimState): void {
    if (ctx.method !== "GET") throw methodNotAllowed();
    requireScope(caller, READ_POLICY);
    if (this.deps.settings.denyPolicyRead) {
      throw new GraphFault(
        403,
        "AuthorizationFailed",
        JSON.stringify({ errorCode: "AuthorizationFailed", message: "The caller is not authorized to read role management policies for this scope.", instanceAnnotations: [] }),
        true,
      );
    }
    const [kind, id] = path.split("/");
    const isAssignments = kind?.toLowerCase() === "rolemanagementpolicyassignments";
    const isPolicies = kind?.toLowerCase() === "rolemanagementpolicies";
    if (!isAssignments && !isPolicies) throw notFound(`policies/${path}`);

    const expand = parseExpand(ctx.query.get("$expand"), isAssignments ? ["policy"] : ["rules", "effectiveRules"], isAssignments ? "microsoft.graph.unifiedRoleManagementPolicyAssignment" : "microsoft.graph.unifiedRoleManagementPolicy");
    const policyExpand = expand.find((x) => x.name === "policy");
    const withRules = isAssignments ? /\$expand=\s*rules/i.test(policyExpand?.nested ?? "") : expand.some((x) => x.name === "rules" || x.name === "effectiveRules");

    const all: Array<{ groupId: string; accessId: AccessId }> = [];
    for (const g of pim.tenant.groups) for (const a of ["member", "owner"] as const) all.push({ groupId: g.id, accessId: a });

    const policyJson = (groupId: string, accessId: AccessId) => {
      const p = pim.policyFor(groupId, accessId);
      const policyId = `Group_${groupId}_${p.policyGuid}`;
      return {
        id: policyId,
        displayName: "Group",
        description: "Group",
        isOrganizationDefault: false,
        scopeId: groupId,
        scopeType: "Group",
        lastModifiedDateTime: null,
        lastModifiedBy: { displayName: null, id: null },
        ...(withRules ? { rules: policyRules(p) } : {}),
      };
    };
    const assignmentJson = (groupId: string, accessId: AccessId) => {
      const p = pim.policyFor(groupId, accessId);
      return {
        id: `Group_${groupId}_${p.policyGuid}_${accessId}`,
        policyId: `Group_${groupId}_${p.policyGuid}`,
        scopeId: groupId,
        scopeType: "Group",
        roleDefinitionId: accessId,
        ...(policyExpand ? { policy: policyJson(groupId, accessId) } : {}),
      };
    };

    if (id !== undefined) {
      const m = /^Group_([0-9a-f-]{36})_[0-9a-f-]{36}(?:_(member|owner))?$/i.exec(id);
      const hit = m && all.find((x) => x.groupId === (m[1] ?? "").toLowerCase() && (isPolicies || x.accessId === m[2]));
      if (!m || !hit || (isAssignments && !m[2])) throw new GraphFault(404, "ResourceNotFound", `The role management policy '${id}' was not found.`);
      const body = isAssignments ? assignmentJson(hit.groupId, hit.accessId) : policyJson(hit.groupId, hit.accessId);
      sendJson(ctx, 200, { "@odata.context": `${ctx.origin}/v1.0/$metadata#policies/${kind}/$entity`, ...body });
      return;
    }

    const clauses = parseFilter(ctx.query.get("$filter"), isAssignments ? ["scopeId", "scopeType", "roleDefinitionId", "policyId"] : ["scopeId", "scopeType"]);
    const scopeId = clauses.find((c) => c.field === "scopeId");
    const scopeType = clauses.find((c) => c.field === "scopeType");
    if (!scopeId || !scopeType) {
      throw new GraphFault(400, "BadRequest", "The $filter must specify both scopeId and scopeType, for example: scopeId eq '{groupId}' and scopeType eq 'Group'.");
    }
    const candidates = all.filter((x) => matches({ scopeId: x.groupId, scopeType: "Group", roleDefinitionId: x.accessId }, clauses.filter((c) => c.field !== "policyId")));
    const value = isAssignments ? candidates.map((x) => assignmentJson(x.groupId, x.accessId)) : candidates.map((x) => policyJson(x.groupId, x.accessId));
    const ctxSuffix = isAssignments ? "roleManagementPolicyAssignments(policy(rules()))" : "roleManagementPolicies(rules())";
    sendJson(ctx, 200, { "@odata.context": `${ctx.origin}/v1.0/$metadata#policies/${ctxSuffix}`, value });
  }
}

const TARGET = (caller: "EndUser" | "Admin", level: "Assignment" | "Eligibility") => ({
  caller,
  operations: ["All"],
  level,
  inheritableSettings: [],
  enforcedSettings: [],
});

function policyRules(p: ReturnType<PimState["policyFor"]>) {
  return [
    {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
      id: "Expiration_Admin_Eligibility",
      isExpirationRequired: false,
      maximumDuration: "P365D",
      target: TARGET("Admin", "Eligibility"),
    },
    {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
      id: "Enablement_Admin_Assignment",
      enabledRules: ["Justification"],
      target: TARGET("Admin", "Assignment"),
    },
    {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
      id: "Expiration_EndUser_Assignment",
      isExpirationRequired: true,
      maximumDuration: p.maximumDuration,
      target: TARGET("EndUser", "Assignment"),
    },
    {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
      id: "Enablement_EndUser_Assignment",
      enabledRules: p.enabledRules,
      target: TARGET("EndUser", "Assignment"),
    },
    {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
      id: "Approval_EndUser_Assignment",
      target: TARGET("EndUser", "Assignment"),
      setting: {
        isApprovalRequired: p.approvalRequired,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        approvalMode: p.approvalRequired ? "SingleStage" : "NoApproval",
        approvalStages: [
          {
            approvalStageTimeOutInDays: 1,
            isApproverJustificationRequired: true,
            escalationTimeInMinutes: 0,
            isEscalationEnabled: false,
            primaryApprovers: p.approverUserIds.map((userId) => ({
              "@odata.type": "#microsoft.graph.singleUser",
              isBackup: false,
              userId,
              description: null,
            })),
            escalationApprovers: [],
          },
        ],
      },
    },
    {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
      id: "AuthenticationContext_EndUser_Assignment",
      isEnabled: p.authenticationContext !== null,
      claimValue: p.authenticationContext,
      target: TARGET("EndUser", "Assignment"),
    },
    {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
      id: "Notification_Requestor_EndUser_Assignment",
      notificationType: "Email",
      recipientType: "Requestor",
      notificationLevel: "All",
      isDefaultRecipientsEnabled: true,
      notificationRecipients: [],
      target: TARGET("EndUser", "Assignment"),
    },
  ];
}

/** Graph writes query option names with a literal `$` in its links, and encodes spaces as %20. */
function nextLink(ctx: Ctx, offset: number): string {
  const parts: string[] = [];
  for (const [k, v] of ctx.query) {
    if (k.toLowerCase() !== "$skiptoken") parts.push(`${k}=${encodeURIComponent(v).replace(/%24/g, "$").replace(/%2C/gi, ",")}`);
  }
  parts.push(`$skiptoken=${skipToken(offset)}`);
  const path = ctx.path.split("/").map((seg) => encodeURI(seg)).join("/");
  return `${ctx.origin}${path}?${parts.join("&")}`;
}

function parseCurrentUserFunction(segment: string, allowed: string[]): string {
  const m = /^filterByCurrentUser\(on='([^']*)'\)$/i.exec(segment);
  const on = allowed.find((a) => a.toLowerCase() === (m?.[1] ?? "").toLowerCase());
  if (!m) throw new GraphFault(400, "BadRequest", `Resource not found for the segment '${segment}'. Use filterByCurrentUser(on='principal').`);
  if (!on) throw new GraphFault(400, "BadRequest", `The parameter 'on' has an invalid value '${m[1]}'. Allowed: ${allowed.join(", ")}.`);
  return on;
}

function requireGroupOrPrincipalFilter(clauses: Array<{ field: string }>): void {
  if (!clauses.some((c) => c.field === "groupId" || c.field === "principalId")) {
    throw new GraphFault(
      400,
      "BadRequest",
      "A $filter on groupId or principalId (eq) is required for this list. To list your own items, use filterByCurrentUser(on='principal').",
    );
  }
}

function notFound(path: string): GraphFault {
  return new GraphFault(400, "BadRequest", `Resource not found for the segment '${path.split("/").pop() ?? path}'.`);
}

function methodNotAllowed(): GraphFault {
  return new GraphFault(405, "Request_BadRequest", "The HTTP method is not allowed for this resource.");
}
