import { odataString, type GraphClient } from "./graph-client.js";
import { equalsIgnoreCase } from "./graph-errors.js";
import { GROUP_EXPAND, identity, type GroupInfo, type GroupNames, type GroupRef } from "./group-names.js";
import { access, PIM_GROUP_BASE, type AccessId, type ActiveAssignment, type Eligibility } from "./pim-types.js";

// The signed-in user's eligibility and assignment schedule instances, with their groups named.

interface RawInstance extends GroupRef {
  accessId: string;
  startDateTime?: string | null;
  endDateTime?: string | null;
  assignmentType?: string;
}

export class ScheduleInstances {
  constructor(
    private readonly graph: GraphClient,
    private readonly names: GroupNames,
  ) {}

  /** `onPart`: the list so far, after each page but the last (names from the expansion only). */
  async eligibilities(onPart?: (soFar: Eligibility[]) => void): Promise<Eligibility[]> {
    const seen: RawInstance[] = [];
    const raw = await this.graph.list<RawInstance>(
      `${PIM_GROUP_BASE}/eligibilityScheduleInstances/filterByCurrentUser(on='principal')`,
      { $expand: GROUP_EXPAND },
      undefined,
      onPart &&
        ((page) => {
          seen.push(...page);
          onPart(named(seen, this.names.known(seen)));
        }),
    );
    return named(raw, await this.names.resolve(raw));
  }

  async activeAssignments(filter?: { groupId: string; accessId: AccessId }): Promise<ActiveAssignment[]> {
    const query: Record<string, string> = { $expand: GROUP_EXPAND };
    if (filter)
      query.$filter = `groupId eq ${odataString(filter.groupId)} and accessId eq ${odataString(filter.accessId)}`;
    const raw = await this.graph.list<RawInstance>(
      `${PIM_GROUP_BASE}/assignmentScheduleInstances/filterByCurrentUser(on='principal')`,
      query,
    );
    const names = await this.names.resolve(raw);
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
}

/** Eligibilities from raw instances, named, by group name then access. */
function named(raw: readonly RawInstance[], names: Map<string, GroupInfo>): Eligibility[] {
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
