import { parseIsoDuration } from "../duration.js";
import { GraphError } from "../errors.js";
import type { Logger } from "../logger.js";
import { odataString, type GraphClient } from "./graph-client.js";
import { equalsIgnoreCase } from "./graph-errors.js";

// The PIM for Groups surface PIM Tray uses, in domain terms.

export type AccessId = "member" | "owner";

/** What tells groups with the same display name apart (null when Graph did not say). */
export interface GroupIdentity {
  groupDescription: string | null;
  groupMailNickname: string | null;
}

export interface Eligibility extends GroupIdentity {
  groupId: string;
  groupName: string;
  accessId: AccessId;
  startDateTime: string | null;
  endDateTime: string | null;
}

export interface ActiveAssignment extends GroupIdentity {
  groupId: string;
  groupName: string;
  accessId: AccessId;
  startDateTime: string;
  endDateTime: string | null;
  /** `activated` came from an activation (and can be deactivated); `assigned` is a standing assignment. */
  assignmentType: "activated" | "assigned";
}

export type RequestStatus = string;

export interface ScheduleRequest {
  id: string;
  action: string;
  status: RequestStatus;
  groupId: string;
  accessId: AccessId;
  justification: string | null;
  createdDateTime: string;
  startDateTime: string | null;
  duration: string | null;
  approvalId: string | null;
}

export interface PolicySummary {
  /** False when the policy could not be read: the server then decides at submission. */
  known: boolean;
  maxDurationMs: number | null;
  maxDuration: string | null;
  justificationRequired: boolean;
  ticketRequired: boolean;
  mfaRequired: boolean;
  authContext: string | null;
  approvalRequired: boolean;
  approvers: Array<{ id: string; description: string | null; kind: "user" | "group" }>;
}

export const UNKNOWN_POLICY: PolicySummary = {
  known: false,
  maxDurationMs: null,
  maxDuration: null,
  justificationRequired: false,
  ticketRequired: false,
  mfaRequired: false,
  authContext: null,
  approvalRequired: false,
  approvers: [],
};

export const PENDING_STATUSES = [
  "PendingApproval",
  "Granted",
  "PendingProvisioning",
  "PendingScheduleCreation",
  "PendingAdminDecision",
  "PendingEvaluation",
];
export const FINAL_FAILURE_STATUSES = ["Denied", "Failed", "Canceled", "Revoked"];

export function isPending(status: string): boolean {
  return PENDING_STATUSES.some((s) => equalsIgnoreCase(status, s));
}

const BASE = "identityGovernance/privilegedAccess/group";
const GROUP_SELECT = "id,displayName,description,mailNickname";
const GROUP_EXPAND = `group($select=${GROUP_SELECT})`;

interface GroupInfo {
  name: string;
  description: string | null;
  mailNickname: string | null;
}

function identity(info: GroupInfo | undefined): GroupIdentity {
  return { groupDescription: info?.description || null, groupMailNickname: info?.mailNickname || null };
}

function access(v: unknown): AccessId {
  return equalsIgnoreCase(String(v), "owner") ? "owner" : "member";
}

interface RawInstance {
  groupId: string;
  accessId: string;
  startDateTime?: string | null;
  endDateTime?: string | null;
  assignmentType?: string;
  group?: { id?: string; displayName?: string; description?: string | null; mailNickname?: string | null } | null;
}

interface RawRequest {
  id: string;
  action: string;
  status: string;
  groupId: string;
  accessId: string;
  justification?: string | null;
  createdDateTime: string;
  approvalId?: string | null;
  scheduleInfo?: { startDateTime?: string | null; expiration?: { duration?: string | null } | null } | null;
}

interface RawRule {
  "@odata.type"?: string;
  id: string;
  maximumDuration?: string;
  enabledRules?: string[];
  isEnabled?: boolean;
  claimValue?: string | null;
  setting?: {
    isApprovalRequired?: boolean;
    approvalStages?: Array<{
      primaryApprovers?: Array<{
        "@odata.type"?: string;
        userId?: string;
        groupId?: string;
        description?: string | null;
      }>;
    }>;
  };
}

export function toRequest(r: RawRequest): ScheduleRequest {
  return {
    id: r.id,
    action: r.action,
    status: r.status,
    groupId: r.groupId.toLowerCase(),
    accessId: access(r.accessId),
    justification: r.justification ?? null,
    createdDateTime: r.createdDateTime,
    startDateTime: r.scheduleInfo?.startDateTime ?? null,
    duration: r.scheduleInfo?.expiration?.duration ?? null,
    approvalId: r.approvalId ?? null,
  };
}

/** Reduces a role management policy's rules to what an activating user needs. */
export function summarizePolicy(rules: RawRule[]): PolicySummary {
  const byId = (id: string) => rules.find((r) => equalsIgnoreCase(r.id, id));
  const expiration = byId("Expiration_EndUser_Assignment");
  const enablement = (byId("Enablement_EndUser_Assignment")?.enabledRules ?? []).map((r) => r.toLowerCase());
  const approval = byId("Approval_EndUser_Assignment");
  const ac = byId("AuthenticationContext_EndUser_Assignment");
  const maxDuration = expiration?.maximumDuration ?? null;
  const approvers =
    approval?.setting?.approvalStages?.flatMap((s) =>
      (s.primaryApprovers ?? []).map((a) => ({
        id: a.userId ?? a.groupId ?? "",
        description: a.description ?? null,
        kind: (a.groupId ? "group" : "user") as "user" | "group",
      })),
    ) ?? [];
  return {
    known: true,
    maxDuration,
    maxDurationMs: maxDuration ? parseIsoDuration(maxDuration) : null,
    justificationRequired: enablement.includes("justification"),
    ticketRequired: enablement.includes("ticketing"),
    mfaRequired: enablement.includes("multifactorauthentication"),
    authContext: ac?.isEnabled && ac.claimValue ? ac.claimValue : null,
    approvalRequired: approval?.setting?.isApprovalRequired === true,
    approvers,
  };
}

export interface PimClientOptions {
  policyTtlMs?: number;
  now?: () => number;
}

export class PimClient {
  readonly #policies = new Map<string, { at: number; value: PolicySummary }>();
  /** Names learned from expansions, reused when a later expansion comes back empty. */
  readonly #names = new Map<string, GroupInfo>();
  readonly #ttl: number;
  readonly #now: () => number;

  constructor(
    readonly graph: GraphClient,
    private readonly logger: Logger,
    options: PimClientOptions = {},
  ) {
    this.#ttl = options.policyTtlMs ?? 10 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  async eligibilities(): Promise<Eligibility[]> {
    const raw = await this.graph.list<RawInstance>(
      `${BASE}/eligibilityScheduleInstances/filterByCurrentUser(on='principal')`,
      { $expand: GROUP_EXPAND },
    );
    const names = await this.#groupNames(raw);
    return raw
      .map((r) => ({
        groupId: r.groupId.toLowerCase(),
        groupName: names.get(r.groupId.toLowerCase())?.name ?? r.groupId,
        ...identity(names.get(r.groupId.toLowerCase())),
        accessId: access(r.accessId),
        startDateTime: r.startDateTime ?? null,
        endDateTime: r.endDateTime ?? null,
      }))
      .sort((a, b) => a.groupName.localeCompare(b.groupName) || a.accessId.localeCompare(b.accessId));
  }

  async activeAssignments(filter?: { groupId: string; accessId: AccessId }): Promise<ActiveAssignment[]> {
    const query: Record<string, string> = { $expand: GROUP_EXPAND };
    if (filter)
      query.$filter = `groupId eq ${odataString(filter.groupId)} and accessId eq ${odataString(filter.accessId)}`;
    const raw = await this.graph.list<RawInstance>(
      `${BASE}/assignmentScheduleInstances/filterByCurrentUser(on='principal')`,
      query,
    );
    const names = await this.#groupNames(raw);
    return raw.map((r) => ({
      groupId: r.groupId.toLowerCase(),
      groupName: names.get(r.groupId.toLowerCase())?.name ?? r.groupId,
      ...identity(names.get(r.groupId.toLowerCase())),
      accessId: access(r.accessId),
      startDateTime: r.startDateTime ?? new Date(0).toISOString(),
      endDateTime: r.endDateTime ?? null,
      assignmentType: equalsIgnoreCase(r.assignmentType, "assigned") ? "assigned" : "activated",
    }));
  }

  /** My requests, newest first; `filter` narrows server-side. */
  async myRequests(filter?: { groupId?: string; accessId?: AccessId; status?: string }): Promise<ScheduleRequest[]> {
    const clauses: string[] = [];
    if (filter?.groupId) clauses.push(`groupId eq ${odataString(filter.groupId)}`);
    if (filter?.accessId) clauses.push(`accessId eq ${odataString(filter.accessId)}`);
    if (filter?.status) clauses.push(`status eq ${odataString(filter.status)}`);
    const query: Record<string, string> = clauses.length ? { $filter: clauses.join(" and ") } : {};
    const raw = await this.graph.list<RawRequest>(
      `${BASE}/assignmentScheduleRequests/filterByCurrentUser(on='principal')`,
      query,
    );
    return raw.map(toRequest).sort((a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime));
  }

  async request(id: string): Promise<ScheduleRequest> {
    const r = await this.graph.request<RawRequest>({
      method: "GET",
      path: `${BASE}/assignmentScheduleRequests/${encodeURIComponent(id)}`,
    });
    return toRequest(r.body);
  }

  async cancel(id: string): Promise<void> {
    await this.graph.request({
      method: "POST",
      path: `${BASE}/assignmentScheduleRequests/${encodeURIComponent(id)}/cancel`,
    });
  }

  /** The policy for a group role, cached for a while; a refused read gives UNKNOWN_POLICY. */
  async policy(groupId: string, accessId: AccessId): Promise<PolicySummary> {
    const key = `${groupId.toLowerCase()}:${accessId}`;
    const hit = this.#policies.get(key);
    if (hit && this.#now() - hit.at < this.#ttl) return hit.value;
    let value: PolicySummary;
    try {
      const r = await this.graph.request<{ value: Array<{ policy?: { rules?: RawRule[] } }> }>({
        method: "GET",
        path: "policies/roleManagementPolicyAssignments",
        query: {
          $filter: `scopeId eq ${odataString(groupId)} and scopeType eq 'Group' and roleDefinitionId eq ${odataString(accessId)}`,
          $expand: "policy($expand=rules)",
        },
      });
      const rules = r.body.value[0]?.policy?.rules;
      value = rules ? summarizePolicy(rules) : UNKNOWN_POLICY;
    } catch (e) {
      if (e instanceof GraphError && (e.status === 403 || e.status === 404 || e.status === 400)) {
        this.logger.info(`policy for ${key} not readable (${e.code}); PIM will decide at submission`);
        value = UNKNOWN_POLICY;
      } else {
        throw e;
      }
    }
    this.#policies.set(key, { at: this.#now(), value });
    return value;
  }

  invalidatePolicies(): void {
    this.#policies.clear();
  }

  async #groupNames(raw: RawInstance[]): Promise<Map<string, GroupInfo>> {
    const names = new Map<string, GroupInfo>();
    const missing = new Set<string>();
    for (const r of raw) {
      const id = r.groupId.toLowerCase();
      const g = r.group;
      const info = g?.displayName
        ? { name: g.displayName, description: g.description ?? null, mailNickname: g.mailNickname ?? null }
        : this.#names.get(id);
      if (info) {
        names.set(id, info);
        this.#names.set(id, info);
      } else {
        missing.add(id);
      }
    }
    if (missing.size) await this.#lookupNames([...missing], names);
    return names;
  }

  /** Falls back to /groups when $expand=group came back empty. Needs a group-read scope; without one we show ids. */
  async #lookupNames(ids: string[], into: Map<string, GroupInfo>): Promise<void> {
    for (let i = 0; i < ids.length; i += 15) {
      const chunk = ids.slice(i, i + 15);
      try {
        const found = await this.graph.list<{
          id: string;
          displayName: string;
          description?: string | null;
          mailNickname?: string | null;
        }>("groups", {
          $filter: `id in (${chunk.map(odataString).join(",")})`,
          $select: GROUP_SELECT,
        });
        for (const g of found) {
          const info = {
            name: g.displayName,
            description: g.description ?? null,
            mailNickname: g.mailNickname ?? null,
          };
          into.set(g.id.toLowerCase(), info);
          this.#names.set(g.id.toLowerCase(), info);
        }
      } catch (e) {
        this.logger.info(
          `group names could not be looked up (${e instanceof Error ? e.message : String(e)}); showing ids`,
        );
        return;
      }
    }
  }

  /** Submits a request. The raw body is PIM's documented shape. */
  async submit(
    body: Record<string, unknown>,
    token?: string,
    claims?: string,
  ): Promise<{ request: ScheduleRequest; token: string }> {
    const r = await this.graph.request<RawRequest>({
      method: "POST",
      path: `${BASE}/assignmentScheduleRequests`,
      body,
      ...(token ? { token } : {}),
      ...(claims ? { claims } : {}),
    });
    return { request: toRequest(r.body), token: r.token };
  }
}
