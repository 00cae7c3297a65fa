import type { GraphClient } from "../graph/graph-client.js";
import { PIM_GROUP_BASE, type AccessId } from "../graph/pim-types.js";
import { labelOf, type NamedGroupRef } from "../planes/targets.js";
import type { ApprovalStage, ApproverPlane, Decision, ListedApproval } from "./approval-types.js";
import {
  commonFields,
  PENDING_FILTER,
  toStage,
  type RawGraphRequestCommon,
  type RawGraphStage,
} from "./graph-stages.js";

// PIM for Groups approvals, all in Graph v1.0: the requests that wait for me come from
// assignmentScheduleRequests/filterByCurrentUser(on='approver') (with the requester and the group
// expanded: one read), and a decision is a PATCH of the open stage of assignmentApprovals/{id}.

interface RawGroupRequest extends RawGraphRequestCommon {
  groupId: string;
  accessId: AccessId;
  group?: { displayName?: string | null } | null;
}

const REQUESTS = `${PIM_GROUP_BASE}/assignmentScheduleRequests/filterByCurrentUser(on='approver')`;
const approval = (id: string) => `${PIM_GROUP_BASE}/assignmentApprovals/${encodeURIComponent(id)}`;

export class GroupApprovals implements ApproverPlane {
  readonly kind = "group" as const;

  constructor(private readonly graph: GraphClient) {}

  async pending(): Promise<ListedApproval[]> {
    const raw = await this.graph.list<RawGroupRequest>(REQUESTS, { ...PENDING_FILTER, $expand: "principal,group" });
    return raw
      .filter((r) => r.status === "PendingApproval")
      .map((r) => {
        const target: NamedGroupRef = {
          kind: "group",
          groupId: r.groupId,
          accessId: r.accessId,
          groupName: r.group?.displayName ?? r.groupId,
        };
        return { kind: "group" as const, target, label: labelOf(target), ...commonFields(r) };
      });
  }

  async stages(approvalId: string): Promise<ApprovalStage[]> {
    const r = await this.graph.request<{ stages?: RawGraphStage[] | null }>({
      method: "GET",
      path: approval(approvalId),
    });
    return (r.body.stages ?? []).map(toStage);
  }

  async decide(approvalId: string, stageId: string, decision: Decision, justification: string): Promise<void> {
    await this.graph.request({
      method: "PATCH",
      path: `${approval(approvalId)}/stages/${encodeURIComponent(stageId)}`,
      body: { reviewResult: decision, justification },
    });
  }

  async requestStatus(requestId: string): Promise<string | null> {
    const r = await this.graph.request<{ status?: string }>({
      method: "GET",
      path: `${PIM_GROUP_BASE}/assignmentScheduleRequests/${encodeURIComponent(requestId)}`,
      query: { $select: "id,status" },
    });
    return r.body.status ?? null;
  }
}
