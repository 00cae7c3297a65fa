import type { GraphClient } from "../graph/graph-client.js";
import { namesOf, ROLE_REQUESTS } from "../planes/role/role-paths.js";
import { labelOf, type NamedRoleRef } from "../planes/targets.js";
import type { ApprovalStage, ApproverPlane, Decision, ListedApproval } from "./approval-types.js";
import {
  commonFields,
  PENDING_FILTER,
  toStage,
  type RawGraphRequestCommon,
  type RawGraphStage,
} from "./graph-stages.js";

// Entra ID role approvals: the list is Graph v1.0 (roleAssignmentScheduleRequests/
// filterByCurrentUser(on='approver')); reading and deciding an approval exist only in Graph beta
// (roleAssignmentApprovals/{id}/steps), which Microsoft may change without notice. Failures on the
// beta calls therefore name the API in their message, so people know which plane is affected.

interface RawRoleRequest extends RawGraphRequestCommon {
  roleDefinitionId: string;
  directoryScopeId: string;
  roleDefinition?: { displayName?: string | null } | null;
  directoryScope?: { displayName?: string | null } | null;
}

export class RoleApprovals implements ApproverPlane {
  readonly kind = "role" as const;

  /** `beta` is a GraphClient whose base URL is Graph's /beta (same origin and token as v1.0). */
  constructor(
    private readonly graph: GraphClient,
    private readonly beta: GraphClient,
  ) {}

  async pending(): Promise<ListedApproval[]> {
    const raw = await this.graph.list<RawRoleRequest>(`${ROLE_REQUESTS}/filterByCurrentUser(on='approver')`, {
      ...PENDING_FILTER,
      $expand: "principal,roleDefinition,directoryScope",
    });
    return raw
      .filter((r) => r.status === "PendingApproval")
      .map((r) => {
        const target: NamedRoleRef = {
          kind: "role",
          roleDefinitionId: r.roleDefinitionId,
          directoryScopeId: r.directoryScopeId,
          ...namesOf(r),
        };
        return { kind: "role" as const, target, label: labelOf(target), ...commonFields(r) };
      });
  }

  async stages(approvalId: string): Promise<ApprovalStage[]> {
    const r = await this.beta.request<{ steps?: RawGraphStage[] | null }>({
      method: "GET",
      path: `roleManagement/directory/roleAssignmentApprovals/${encodeURIComponent(approvalId)}`,
    });
    return (r.body.steps ?? []).map(toStage);
  }

  async decide(approvalId: string, stageId: string, decision: Decision, justification: string): Promise<void> {
    await this.beta.request({
      method: "PATCH",
      path: `roleManagement/directory/roleAssignmentApprovals/${encodeURIComponent(approvalId)}/steps/${encodeURIComponent(stageId)}`,
      body: { reviewResult: decision, justification },
    });
  }

  async requestStatus(requestId: string): Promise<string | null> {
    const r = await this.graph.request<{ status?: string }>({
      method: "GET",
      path: `${ROLE_REQUESTS}/${encodeURIComponent(requestId)}`,
      query: { $select: "id,status" },
    });
    return r.body.status ?? null;
  }
}
