import type { AccessId, GroupIdentity } from "../graph/pim-types.js";

// What a person can activate, on each of PIM's three planes, as one discriminated union:
//   group  PIM for Groups (Graph), a group's membership or ownership;
//   role   Entra ID directory roles (Graph), at the tenant or an administrative unit;
//   azure  Azure resource roles (Azure Resource Manager), at a management group, subscription,
//          resource group or resource.
// The group variant keeps the fields it always had, and its `kind` may be absent: records written
// before there were planes (settings, history, lifecycle state) still read as groups.

export type PlaneKind = "group" | "role" | "azure";
export const PLANE_KINDS: readonly PlaneKind[] = ["group", "role", "azure"];

export const PLANE_LABELS: Record<PlaneKind, { one: string; many: string }> = {
  group: { one: "group", many: "Groups" },
  role: { one: "Entra ID role", many: "Entra ID roles" },
  azure: { one: "Azure role", many: "Azure roles" },
};

/** A group's membership or ownership. */
export interface GroupRef {
  kind?: "group";
  groupId: string;
  accessId: AccessId;
}

/** An Entra ID directory role at a directory scope (`/` or `/administrativeUnits/{id}`). */
export interface RoleRef {
  kind: "role";
  /** The role definition's id (a GUID, or a template id for built-in roles). */
  roleDefinitionId: string;
  directoryScopeId: string;
}

/** An Azure role at an ARM scope. */
export interface AzureRef {
  kind: "azure";
  /** The full ARM id of the role definition (`/subscriptions/…/providers/Microsoft.Authorization/roleDefinitions/{guid}`). */
  roleDefinitionId: string;
  /** The ARM scope the role is (to be) active at; a child of the eligibility's scope for a reduced-scope activation. */
  scope: string;
}

export type TargetRef = GroupRef | RoleRef | AzureRef;

/** Display names for a role on either role plane. */
export interface RoleNames {
  roleName: string;
  /** "Directory" for `/`, the administrative unit's name, or the ARM scope's display name. */
  scopeName: string;
}

export type NamedGroupRef = GroupRef & { groupName: string };
export type NamedRoleRef = RoleRef & RoleNames;
export type NamedAzureRef = AzureRef & RoleNames;
export type NamedRef = NamedGroupRef | NamedRoleRef | NamedAzureRef;

/** A reference without the names (for comparisons and requests built from named records). */
export function refOf(t: TargetRef): TargetRef {
  switch (t.kind) {
    case "role":
      return { kind: "role", roleDefinitionId: t.roleDefinitionId, directoryScopeId: t.directoryScopeId };
    case "azure":
      return { kind: "azure", roleDefinitionId: t.roleDefinitionId, scope: t.scope };
    default:
      return { kind: "group", groupId: t.groupId, accessId: t.accessId };
  }
}

export function kindOf(t: { kind?: PlaneKind | undefined }): PlaneKind {
  return t.kind ?? "group";
}

/** ARM ids are case-insensitive; Graph ids are lower-case GUIDs already. */
const norm = (s: string) => s.toLowerCase();

/**
 * One string per target, stable across restarts. Groups keep the key they always had
 * (`groupId:accessId`), so state and profiles written before there were planes still match.
 */
export function targetKey(t: TargetRef): string {
  switch (t.kind) {
    case "role":
      return `role:${norm(t.roleDefinitionId)}@${norm(t.directoryScopeId)}`;
    case "azure":
      return `azure:${norm(t.roleDefinitionId)}@${norm(t.scope)}`;
    default:
      return `${t.groupId}:${t.accessId}`;
  }
}

export function sameTarget(a: TargetRef, b: TargetRef): boolean {
  return targetKey(a) === targetKey(b);
}

/** Where the target is: the group id, the directory scope id or the ARM scope id. */
export function scopeOf(t: TargetRef): string {
  switch (t.kind) {
    case "role":
      return t.directoryScopeId;
    case "azure":
      return t.scope;
    default:
      return t.groupId;
  }
}

/** The name a person knows the target by: the group's or the role's display name. */
export function nameOf(t: NamedRef): string {
  return t.kind === "role" || t.kind === "azure" ? t.roleName : t.groupName;
}

/** The scope's display name; for a group, its name. */
export function scopeNameOf(t: NamedRef): string {
  return t.kind === "role" || t.kind === "azure" ? t.scopeName : t.groupName;
}

/**
 * How a target reads in messages, menus and notifications:
 * "Platform Ops (member)", "Global Reader", "Helpdesk Administrator on Sales (AU)", "Contributor on rg-web".
 */
export function labelOf(t: NamedRef, show: (name: string) => string = (n) => n): string {
  switch (t.kind) {
    case "role":
      return t.directoryScopeId === "/" ? show(t.roleName) : `${show(t.roleName)} on ${show(t.scopeName)}`;
    case "azure":
      return `${show(t.roleName)} on ${show(t.scopeName)}`;
    default:
      return `${show(t.groupName)} (${t.accessId})`;
  }
}

/** A name for a target known only by reference (ids), when nothing better is at hand. */
export function fallbackNames(t: TargetRef): NamedRef {
  switch (t.kind) {
    case "role":
      return {
        ...t,
        roleName: t.roleDefinitionId,
        scopeName: t.directoryScopeId === "/" ? "Directory" : t.directoryScopeId,
      };
    case "azure":
      return { ...t, roleName: t.roleDefinitionId.split("/").pop() ?? t.roleDefinitionId, scopeName: t.scope };
    default:
      return { ...t, groupName: t.groupId };
  }
}

/** When a record's access is valid, in Graph's and ARM's ISO strings (null end: permanent). */
export interface Window {
  startDateTime: string | null;
  endDateTime: string | null;
}

export type GroupEligibility = NamedGroupRef & GroupIdentity & Window;
export interface RoleEligibility extends NamedRoleRef, Window {
  /** `Direct`, `Group` or `Inherited`; roles held through a group are not returned for the user. */
  memberType: string | null;
}
export interface AzureEligibility extends NamedAzureRef, Window {
  /** The eligibility schedule's full ARM id, sent as `linkedRoleEligibilityScheduleId`. */
  eligibilityScheduleId: string;
  /** `subscription`, `resourcegroup`, `resource` or `managementgroup`, as ARM names it. */
  scopeType: string;
  memberType: string | null;
}
export type Eligibility = GroupEligibility | RoleEligibility | AzureEligibility;

interface Activation {
  startDateTime: string;
  endDateTime: string | null;
  /** `activated` came from an activation (and can be deactivated); `assigned` is a standing assignment. */
  assignmentType: "activated" | "assigned";
}
export type GroupAssignment = NamedGroupRef & GroupIdentity & Activation;
export type RoleAssignment = NamedRoleRef & Activation;
export interface AzureAssignment extends NamedAzureRef, Activation {
  /** The eligibility this activation came from (full ARM id), when ARM says. */
  eligibilityScheduleId: string | null;
}
export type ActiveAssignment = GroupAssignment | RoleAssignment | AzureAssignment;

interface RequestFields {
  /** Graph's request id; for Azure, the request's full ARM id (what GET and cancel take). */
  id: string;
  /** selfActivate / selfDeactivate (Graph), SelfActivate / SelfDeactivate (ARM): compare case-insensitively. */
  action: string;
  status: string;
  justification: string | null;
  createdDateTime: string;
  startDateTime: string | null;
  duration: string | null;
  approvalId: string | null;
}
export type GroupRequest = GroupRef & RequestFields;
export type RoleRequest = RoleRef & RequestFields;
export type AzureRequest = AzureRef & RequestFields;
export type ScheduleRequest = GroupRequest | RoleRequest | AzureRequest;

/** Narrowing helpers: `kind` is optional on groups, so `t.kind === "group"` would miss old records. */
export function isGroup<T extends { kind?: PlaneKind | undefined }>(t: T): t is Extract<T, { kind?: "group" }> {
  return kindOf(t) === "group";
}
