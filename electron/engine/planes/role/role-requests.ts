import { odataString, type GraphClient } from "../../graph/graph-client.js";
import { GraphPostBatcher } from "../../graph/post-batcher.js";
import type { RoleRef, RoleRequest } from "../targets.js";
import { MINE, ROLE_REQUESTS } from "./role-paths.js";

// The signed-in user's directory-role requests: listing, reading, cancelling and submitting them. Submissions sent
// together (a profile's roles) share one Graph $batch (graph/post-batcher.ts).

interface RawRoleRequest {
  id: string;
  action: string;
  status: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  justification?: string | null;
  createdDateTime: string;
  approvalId?: string | null;
  scheduleInfo?: { startDateTime?: string | null; expiration?: { duration?: string | null } | null } | null;
}

export function toRoleRequest(r: RawRoleRequest): RoleRequest {
  return {
    kind: "role",
    id: r.id,
    action: r.action,
    status: r.status,
    roleDefinitionId: r.roleDefinitionId,
    directoryScopeId: r.directoryScopeId,
    justification: r.justification ?? null,
    createdDateTime: r.createdDateTime,
    startDateTime: r.scheduleInfo?.startDateTime ?? null,
    duration: r.scheduleInfo?.expiration?.duration ?? null,
    approvalId: r.approvalId ?? null,
  };
}

const item = (id: string) => `${ROLE_REQUESTS}/${encodeURIComponent(id)}`;

export class RoleRequests {
  readonly #posts: GraphPostBatcher;

  constructor(private readonly graph: GraphClient) {
    this.#posts = new GraphPostBatcher(graph);
  }

  /** Hears each 429 Graph gave a submission inside a batch. */
  onThrottled(listener: (retryAfterMs: number) => void): void {
    this.#posts.onThrottled(listener);
  }

  /** My requests, newest first; `filter` narrows server-side. */
  async mine(filter?: { target?: RoleRef; status?: string }): Promise<RoleRequest[]> {
    const clauses: string[] = [];
    if (filter?.target) {
      clauses.push(`roleDefinitionId eq ${odataString(filter.target.roleDefinitionId)}`);
      clauses.push(`directoryScopeId eq ${odataString(filter.target.directoryScopeId)}`);
    }
    if (filter?.status) clauses.push(`status eq ${odataString(filter.status)}`);
    const query: Record<string, string> = clauses.length ? { $filter: clauses.join(" and ") } : {};
    const raw = await this.graph.list<RawRoleRequest>(`${ROLE_REQUESTS}/${MINE}`, query);
    return raw.map(toRoleRequest).sort((a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime));
  }

  async get(id: string): Promise<RoleRequest> {
    return toRoleRequest((await this.graph.request<RawRoleRequest>({ method: "GET", path: item(id) })).body);
  }

  async cancel(id: string): Promise<void> {
    await this.graph.request({ method: "POST", path: `${item(id)}/cancel` });
  }

  /** Sends a request body; `claims` asks the token source for a stepped-up token first. */
  async submit(body: Record<string, unknown>, claims?: string): Promise<RoleRequest> {
    return toRoleRequest(await this.#posts.post<RawRoleRequest>(ROLE_REQUESTS, body, claims));
  }
}
