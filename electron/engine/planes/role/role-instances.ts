import type { Logger } from "../../logger.js";
import { odataString, type GraphClient } from "../../graph/graph-client.js";
import { equalsIgnoreCase } from "../../graph/graph-errors.js";
import type { RoleAssignment, RoleEligibility, RoleRef } from "../targets.js";
import { MINE, NAMES_EXPAND, namesOf, ROLE_BASE } from "./role-paths.js";

// The signed-in user's directory-role eligibilities and active assignments (schedule instances), named.

interface RawInstance {
  roleDefinitionId: string;
  directoryScopeId: string;
  startDateTime?: string | null;
  endDateTime?: string | null;
  memberType?: string | null;
  assignmentType?: string | null;
  roleDefinition?: { displayName?: string | null } | null;
  directoryScope?: { displayName?: string | null } | null;
}

/** Reports of lists capped at 50 with no nextLink (reference A.1): worth a line in the log if we hit one. */
const SUSPECT_PAGE = 50;

export class RoleInstances {
  constructor(
    private readonly graph: GraphClient,
    private readonly logger: Logger,
  ) {}

  /** `onPart`: the list so far, after each page but the last. */
  async eligibilities(onPart?: (soFar: RoleEligibility[]) => void): Promise<RoleEligibility[]> {
    const seen: RawInstance[] = [];
    const raw = await this.graph.list<RawInstance>(
      `${ROLE_BASE}/roleEligibilityScheduleInstances/${MINE}`,
      { $expand: NAMES_EXPAND },
      undefined,
      onPart &&
        ((page) => {
          seen.push(...page);
          onPart(roleEligibilities(seen));
        }),
    );
    // list() follows every nextLink, so exactly 50 in all is what a silently capped list looks like.
    if (raw.length === SUSPECT_PAGE)
      this.logger.warn(`exactly ${SUSPECT_PAGE} directory-role eligibilities arrived; Graph may have cut the list`);
    return roleEligibilities(raw);
  }

  async activeAssignments(filter?: RoleRef): Promise<RoleAssignment[]> {
    const query: Record<string, string> = { $expand: NAMES_EXPAND };
    if (filter)
      query.$filter = `roleDefinitionId eq ${odataString(filter.roleDefinitionId)} and directoryScopeId eq ${odataString(filter.directoryScopeId)}`;
    const raw = await this.graph.list<RawInstance>(`${ROLE_BASE}/roleAssignmentScheduleInstances/${MINE}`, query);
    return raw.map((r) => ({
      kind: "role" as const,
      roleDefinitionId: r.roleDefinitionId,
      directoryScopeId: r.directoryScopeId,
      ...namesOf(r),
      // A standing assignment may have no start; the epoch keeps the field a date.
      startDateTime: r.startDateTime ?? new Date(0).toISOString(),
      endDateTime: r.endDateTime ?? null,
      assignmentType: equalsIgnoreCase(r.assignmentType, "assigned") ? "assigned" : "activated",
    }));
  }
}

/** Eligibilities from raw instances, by role name then scope name. */
function roleEligibilities(raw: readonly RawInstance[]): RoleEligibility[] {
  return raw
    .map((r) => ({
      kind: "role" as const,
      roleDefinitionId: r.roleDefinitionId,
      directoryScopeId: r.directoryScopeId,
      ...namesOf(r),
      memberType: r.memberType ?? null,
      startDateTime: r.startDateTime ?? null,
      endDateTime: r.endDateTime ?? null,
    }))
    .sort((a, b) => a.roleName.localeCompare(b.roleName) || a.scopeName.localeCompare(b.scopeName));
}
