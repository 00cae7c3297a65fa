import { coveringEligibility, type Target } from "../engine/activation/activation-service.js";
import { normScope, sameScope } from "../engine/planes/azure/arm-ids.js";
import {
  fallbackNames,
  refOf,
  sameTarget,
  type AzureEligibility,
  type Eligibility,
  type NamedRef,
  type TargetRef,
} from "../engine/planes/targets.js";

// Which eligibility an activation request from the popup uses, and the names to show for a target.
// The popup sends references (ids); role and scope names come from what main read from PIM, so a
// request cannot relabel a target. An Azure request may name a scope below its eligibility's (a
// reduced-scope activation): the eligibility is then the nearest one above it (the engine's rule).

export type PlaneTarget = Extract<Target, { kind: "role" } | { kind: "azure" }>;

/**
 * The engine's target for a role or an Azure role the person is eligible for, named from the
 * eligibility; undefined when the list has none for it. `childName` is the scope picker's display
 * name for a picked child scope, used only for a reduced scope.
 */
export function planeTargetFor(
  list: readonly Eligibility[],
  t: TargetRef,
  childName?: string,
): PlaneTarget | undefined {
  if (t.kind === "role") {
    const e = list.find((x) => x.kind === "role" && sameTarget(x, t));
    return e?.kind === "role"
      ? {
          kind: "role",
          roleDefinitionId: e.roleDefinitionId,
          directoryScopeId: e.directoryScopeId,
          roleName: e.roleName,
          scopeName: e.scopeName,
        }
      : undefined;
  }
  if (t.kind !== "azure") return undefined;
  const azure = list.filter((x): x is AzureEligibility => x.kind === "azure");
  const e = coveringEligibility(azure, t);
  if (!e) return undefined;
  const same = sameScope(e.scope, t.scope);
  return {
    kind: "azure",
    roleDefinitionId: e.roleDefinitionId,
    scope: same ? e.scope : t.scope,
    roleName: e.roleName,
    // A child scope's name: the picker's, else the last part of its id (a resource group's or resource's name).
    scopeName: same ? e.scopeName : childName?.trim() || (normScope(t.scope).split("/").pop() ?? t.scope),
    eligibilityScheduleId: e.eligibilityScheduleId,
  };
}

/** Only the target and its names (records in the picture carry times and more). Groups stay without `kind`. */
export function namedOnly(n: NamedRef): NamedRef {
  switch (n.kind) {
    case "role":
      return {
        kind: "role",
        roleDefinitionId: n.roleDefinitionId,
        directoryScopeId: n.directoryScopeId,
        roleName: n.roleName,
        scopeName: n.scopeName,
      };
    case "azure":
      return {
        kind: "azure",
        roleDefinitionId: n.roleDefinitionId,
        scope: n.scope,
        roleName: n.roleName,
        scopeName: n.scopeName,
      };
    default:
      return { groupId: n.groupId, accessId: n.accessId, groupName: n.groupName };
  }
}

/**
 * The names the app knows for a target (a record in the picture), else its ids; a group nobody
 * named goes by `groupFallback` (the id it was asked by).
 */
export function namesFor(known: ReadonlyArray<NamedRef>, t: TargetRef, groupFallback?: string): NamedRef {
  const found = known.find((k) => sameTarget(k, t));
  if (found) return namedOnly(found);
  const names = fallbackNames(refOf(t));
  if (names.kind === "role" || names.kind === "azure") return namedOnly(names);
  return { groupId: names.groupId, accessId: names.accessId, groupName: groupFallback ?? names.groupId };
}
