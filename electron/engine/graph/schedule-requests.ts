import { odataString, type GraphClient } from "./graph-client.js";
import { access, PIM_GROUP_BASE, type AccessId, type ScheduleRequest } from "./pim-types.js";

// The signed-in user's assignment schedule requests: listing, reading, cancelling and submitting them.

const REQUESTS = `${PIM_GROUP_BASE}/assignmentScheduleRequests`;

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

export class ScheduleRequests {
  constructor(private readonly graph: GraphClient) {}

  /** My requests, newest first; `filter` narrows server-side. */
  async mine(filter?: { groupId?: string; accessId?: AccessId; status?: string }): Promise<ScheduleRequest[]> {
    const clauses: string[] = [];
    if (filter?.groupId) clauses.push(`groupId eq ${odataString(filter.groupId)}`);
    if (filter?.accessId) clauses.push(`accessId eq ${odataString(filter.accessId)}`);
    if (filter?.status) clauses.push(`status eq ${odataString(filter.status)}`);
    const query: Record<string, string> = clauses.length ? { $filter: clauses.join(" and ") } : {};
    const raw = await this.graph.list<RawRequest>(`${REQUESTS}/filterByCurrentUser(on='principal')`, query);
    return raw.map(toRequest).sort((a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime));
  }

  async get(id: string): Promise<ScheduleRequest> {
    const r = await this.graph.request<RawRequest>({
      method: "GET",
      path: `${REQUESTS}/${encodeURIComponent(id)}`,
    });
    return toRequest(r.body);
  }

  async cancel(id: string): Promise<void> {
    await this.graph.request({
      method: "POST",
      path: `${REQUESTS}/${encodeURIComponent(id)}/cancel`,
    });
  }

  /** Submits a request. The raw body is PIM's documented shape. */
  async submit(
    body: Record<string, unknown>,
    token?: string,
    claims?: string,
  ): Promise<{ request: ScheduleRequest; token: string }> {
    const r = await this.graph.request<RawRequest>({
      method: "POST",
      path: REQUESTS,
      body,
      ...(token ? { token } : {}),
      ...(claims ? { claims } : {}),
    });
    return { request: toRequest(r.body), token: r.token };
  }
}
