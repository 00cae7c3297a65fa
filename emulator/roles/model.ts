// The directory-roles plane's records: role definitions, administrative units, eligibilities, and
// the requests and active instances that PIM creates. Policies reuse the groups plane's shape.
import type { GroupPolicy, RequestCore } from "../model.js";

export interface RoleDefinition {
  /** Built-in roles: the id is the role's template id. */
  id: string;
  displayName: string;
  description: string;
}

export interface AdministrativeUnit {
  id: string;
  displayName: string;
  description: string;
}

export interface RoleEligibility {
  /** The eligibility schedule's id. */
  id: string;
  principalId: string;
  roleDefinitionId: string;
  /** `/` for the tenant, `/administrativeUnits/{id}`, or `/{applicationObjectId}`. */
  directoryScopeId: string;
  /** `Group`: held through a role-assignable group, so `filterByCurrentUser` leaves it out. */
  memberType: "Direct" | "Group";
  startDateTime: string;
  endDateTime: string | null;
  createdDateTime: string;
}

/**
 * A group policy's fields and meaning, keyed by role definition id (policies apply at scope `/`), but single-stage:
 * Microsoft documents no multi-stage approval on the Entra-roles Graph path.
 */
export type RolePolicy = Omit<GroupPolicy, "approvalStages">;

export interface RoleRequest extends RequestCore {
  roleDefinitionId: string;
  directoryScopeId: string;
  targetScheduleId: string;
}

export interface RoleInstance {
  id: string;
  scheduleId: string;
  requestId: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  startAt: number;
  endAt: number;
  eligibilityScheduleId: string;
}

export interface RolesSeed {
  roleDefinitions: RoleDefinition[];
  administrativeUnits: AdministrativeUnit[];
  /** Keyed by role definition id; roles without an entry get the directory-role default policy. */
  policies: Map<string, RolePolicy>;
  eligibilities: RoleEligibility[];
}
