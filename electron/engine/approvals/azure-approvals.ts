import { UsageError } from "../errors.js";
import { AUTHZ } from "../planes/azure/arm-ids.js";
import type { ArmClient } from "../planes/azure/arm-client.js";
import { labelOf, type NamedAzureRef } from "../planes/targets.js";
import type { ApprovalStage, ApproverPlane, Decision, ListedApproval } from "./approval-types.js";

// Azure role approvals. What waits for me comes from the GA schedule-request list with
// `$filter=asApprover()` (api-version 2020-10-01), which carries the names ARM expands; reading and
// deciding an approval exist only in the preview API roleAssignmentApprovals (2021-01-01-preview).

export const APPROVALS_API_VERSION = "2021-01-01-preview";

interface RawAzureRequest {
  id: string;
  name: string;
  properties: {
    scope: string;
    roleDefinitionId: string;
    principalId: string;
    status: string;
    approvalId?: string | null;
    justification?: string | null;
    createdOn?: string | null;
    ticketInfo?: { ticketNumber?: string | null; ticketSystem?: string | null } | null;
    scheduleInfo?: { startDateTime?: string | null; expiration?: { duration?: string | null } | null } | null;
    expandedProperties?: {
      scope?: { displayName?: string | null } | null;
      roleDefinition?: { displayName?: string | null } | null;
      principal?: { displayName?: string | null; email?: string | null } | null;
    } | null;
  };
}

interface RawArmStage {
  id?: string;
  name: string;
  properties?: {
    status?: string | null;
    assignedToMe?: boolean | null;
    reviewResult?: string | null;
    reviewedBy?: { principalName?: string | null; userPrincipalName?: string | null } | null;
    reviewedDateTime?: string | null;
  } | null;
}

/** ARM approval ids are `/providers/Microsoft.Authorization/roleAssignmentApprovals/{guid}`; nothing else is sent. */
function approvalPath(approvalId: string): string {
  if (!/^\/providers\/Microsoft\.Authorization\/roleAssignmentApprovals\/[0-9a-f-]{36}$/i.test(approvalId)) {
    throw new UsageError(`'${approvalId}' is not an Azure role assignment approval id.`);
  }
  return approvalId;
}

export class AzureApprovals implements ApproverPlane {
  readonly kind = "azure" as const;

  constructor(private readonly arm: ArmClient) {}

  async pending(): Promise<ListedApproval[]> {
    const raw = await this.arm.list<RawAzureRequest>(`${AUTHZ}/roleAssignmentScheduleRequests`, {
      $filter: "asApprover()",
    });
    return raw
      .filter((r) => r.properties.status === "PendingApproval" && r.properties.approvalId)
      .map((r) => {
        const p = r.properties;
        const x = p.expandedProperties;
        const target: NamedAzureRef = {
          kind: "azure",
          roleDefinitionId: p.roleDefinitionId,
          scope: p.scope,
          roleName: x?.roleDefinition?.displayName || (p.roleDefinitionId.split("/").pop() ?? p.roleDefinitionId),
          scopeName: x?.scope?.displayName || p.scope,
        };
        return {
          kind: "azure" as const,
          requestId: r.name,
          approvalId: p.approvalId ?? "",
          target,
          label: labelOf(target),
          requester: {
            id: p.principalId,
            displayName: x?.principal?.displayName ?? null,
            userPrincipalName: x?.principal?.email ?? null,
          },
          justification: p.justification ?? null,
          ticket: p.ticketInfo?.ticketNumber
            ? { number: p.ticketInfo.ticketNumber, system: p.ticketInfo.ticketSystem ?? null }
            : null,
          duration: p.scheduleInfo?.expiration?.duration ?? null,
          startDateTime: p.scheduleInfo?.startDateTime ?? null,
          createdDateTime: p.createdOn ?? new Date(0).toISOString(),
        };
      });
  }

  async stages(approvalId: string): Promise<ApprovalStage[]> {
    const r = await this.arm.request<{ properties?: { stages?: RawArmStage[] | null } | null }>({
      method: "GET",
      path: approvalPath(approvalId),
      query: { "api-version": APPROVALS_API_VERSION },
    });
    return (r.body.properties?.stages ?? []).map((s) => ({
      id: s.name,
      status: s.properties?.status ?? "NotStarted",
      assignedToMe: s.properties?.assignedToMe === true,
      reviewResult: s.properties?.reviewResult ?? "NotReviewed",
      reviewedBy: s.properties?.reviewedBy?.principalName ?? s.properties?.reviewedBy?.userPrincipalName ?? null,
      reviewedDateTime: s.properties?.reviewedDateTime ?? null,
    }));
  }

  async decide(approvalId: string, stageId: string, decision: Decision, justification: string): Promise<void> {
    await this.arm.request({
      method: "PATCH",
      path: `${approvalPath(approvalId)}/stages/${encodeURIComponent(stageId)}`,
      query: { "api-version": APPROVALS_API_VERSION },
      body: { properties: { reviewResult: decision, justification } },
    });
  }

  /** ARM lists only pending requests to an approver, by scope; a decided one cannot be looked up by name. */
  requestStatus(): Promise<string | null> {
    return Promise.resolve(null);
  }
}
