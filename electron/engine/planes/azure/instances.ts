import type { AzureAssignment, AzureEligibility, AzureRef } from "../targets.js";
import type { ArmClient } from "./arm-client.js";
import { AUTHZ, sameRole, sameScope } from "./arm-ids.js";

// The signed-in user's eligible and active Azure roles, from the schedule instances at the tenant root
// (asTarget(): mine, at every scope), with the names ARM puts in expandedProperties.

interface Expanded {
  scope?: { id?: string; displayName?: string; type?: string } | null;
  roleDefinition?: { id?: string; displayName?: string } | null;
}

interface RawInstance {
  id: string;
  properties: {
    scope: string;
    roleDefinitionId: string;
    roleEligibilityScheduleId?: string;
    linkedRoleEligibilityScheduleId?: string | null;
    startDateTime?: string | null;
    endDateTime?: string | null;
    memberType?: string | null;
    assignmentType?: string | null;
    expandedProperties?: Expanded | null;
  };
}

function names(p: RawInstance["properties"]) {
  const x = p.expandedProperties;
  return {
    roleName: x?.roleDefinition?.displayName || (p.roleDefinitionId.split("/").pop() ?? p.roleDefinitionId),
    scopeName: x?.scope?.displayName || p.scope,
    scopeType: x?.scope?.type ?? "",
  };
}

export function toEligibility(r: RawInstance): AzureEligibility {
  const p = r.properties;
  const { roleName, scopeName, scopeType } = names(p);
  return {
    kind: "azure",
    roleDefinitionId: p.roleDefinitionId,
    scope: p.scope,
    roleName,
    scopeName,
    scopeType,
    eligibilityScheduleId: p.roleEligibilityScheduleId ?? "",
    memberType: p.memberType ?? null,
    startDateTime: p.startDateTime ?? null,
    endDateTime: p.endDateTime ?? null,
  };
}

export function toAssignment(r: RawInstance): AzureAssignment {
  const p = r.properties;
  const { roleName, scopeName } = names(p);
  return {
    kind: "azure",
    roleDefinitionId: p.roleDefinitionId,
    scope: p.scope,
    roleName,
    scopeName,
    startDateTime: p.startDateTime ?? new Date(0).toISOString(),
    endDateTime: p.endDateTime ?? null,
    // Only an activation can be deactivated by its holder; "Assigned" is a standing assignment.
    assignmentType: (p.assignmentType ?? "").toLowerCase() === "activated" ? "activated" : "assigned",
    eligibilityScheduleId: p.linkedRoleEligibilityScheduleId ?? null,
  };
}

const MINE = { $filter: "asTarget()" };

export class ScheduleInstances {
  constructor(private readonly arm: ArmClient) {}

  /** My eligibilities at every scope, by role name then scope name. */
  /** `onPart`: the list so far, after each page but the last. */
  async eligibilities(onPart?: (soFar: AzureEligibility[]) => void): Promise<AzureEligibility[]> {
    const seen: RawInstance[] = [];
    const raw = await this.arm.list<RawInstance>(
      `${AUTHZ}/roleEligibilityScheduleInstances`,
      MINE,
      onPart &&
        ((page) => {
          seen.push(...page);
          onPart(azureEligibilities(seen));
        }),
    );
    return azureEligibilities(raw);
  }

  /** My active assignments; `filter` narrows to one role at one scope. */
  async active(filter?: AzureRef): Promise<AzureAssignment[]> {
    const raw = await this.arm.list<RawInstance>(`${AUTHZ}/roleAssignmentScheduleInstances`, MINE);
    const all = raw.map(toAssignment);
    return filter
      ? all.filter((a) => sameRole(a.roleDefinitionId, filter.roleDefinitionId) && sameScope(a.scope, filter.scope))
      : all;
  }
}

function azureEligibilities(raw: readonly RawInstance[]): AzureEligibility[] {
  return raw
    .map(toEligibility)
    .sort((a, b) => a.roleName.localeCompare(b.roleName) || a.scopeName.localeCompare(b.scopeName));
}
