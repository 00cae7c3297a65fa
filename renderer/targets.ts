// The popup's words for targets on every plane: which plane a row is on, its name and label, the
// request that names it. Keys and labels come from the planes' own vocabulary (targets.ts), so the
// popup matches and names a target exactly as main and the tray menu do.
import { kindOf, labelOf, PLANE_LABELS, targetKey, type PlaneKind } from "../electron/engine/planes/targets.js";
import type { ActiveView, EligibleView, PendingViewDto, ProfileTargetView } from "../electron/shared/ipc-api.js";

export { kindOf, labelOf, PLANE_LABELS, targetKey, type PlaneKind };

export type Row = EligibleView | ActiveView | PendingViewDto;

/** The name a person knows the row by: the group's or the role's. */
export function nameOf(r: Row): string {
  return r.kind === "role" || r.kind === "azure" ? r.roleName : r.groupName;
}

/** "group", "role", "Azure role": for messages such as "This role requires a ticket". */
export function noun(r: { kind?: PlaneKind | undefined }): string {
  const k = kindOf(r);
  return k === "azure" ? "Azure role" : k;
}

/** A test id and element id part for a row: "Finance Admins-member", "Global Reader-Directory". */
export function testIdOf(r: Row): string {
  return r.kind === "role" || r.kind === "azure" ? `${r.roleName}-${r.scopeName}` : `${r.groupName}-${r.accessId}`;
}

/** A profile target as the Profiles tab lists it, with a group's hint where two groups share a name. */
export function profileTargetLabel(t: ProfileTargetView, eligible: EligibleView[]): string {
  if (t.kind === "role" || t.kind === "azure") {
    const scope = t.kind === "role" ? t.directoryScopeId : t.scope;
    const name = t.roleName ?? t.roleDefinitionId.split("/").pop() ?? t.roleDefinitionId;
    if (t.kind === "role" && scope === "/") return name;
    return `${name} on ${t.scopeName ?? scope}`;
  }
  const row = eligible.find((e) => e.groupId === t.groupId);
  const hint = row?.groupHint;
  // A profile from policy names its groups by id only: the eligible list has their names.
  const name = t.groupName ?? row?.groupName ?? t.groupId;
  return hint ? `${name} (${hint})` : name;
}
