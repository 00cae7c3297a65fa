import { fallbackNames, refOf, targetKey, type NamedRef, type TargetRef } from "../planes/targets.js";

// The names events carry. They come from the records first (an active assignment carries its
// group's or role's names); a request carries none, so its names are looked up among what was seen
// (eligibilities and assignments, keyed by targetKey) and, failing that, the ids stand in.

/**
 * Names seen so far, keyed by targetKey. A value may be a plain group name under the group's id
 * alone: maps built before there were planes (and tests' doubles) look like that.
 */
export type Names = ReadonlyMap<string, string | NamedRef>;

/** A target and whatever names its record carries. */
export type MaybeNamed = TargetRef & { groupName?: string | undefined; roleName?: string; scopeName?: string };

/**
 * The target as events carry it, with names. A group's is exactly `{ groupId, groupName, accessId }`
 * (as before there were planes); a role's and an Azure role's carry kind, ids, roleName and scopeName.
 */
export function namedTarget(names: Names, t: MaybeNamed): NamedRef {
  switch (t.kind) {
    case "role":
    case "azure": {
      const ref = refOf(t);
      if (t.roleName && t.scopeName) return { ...ref, roleName: t.roleName, scopeName: t.scopeName } as NamedRef;
      const seen =
        names.get(targetKey(ref)) ?? (t.kind === "azure" ? parentNames(names, t.roleDefinitionId, t.scope) : undefined);
      const known = typeof seen === "object" && (seen.kind === "role" || seen.kind === "azure") ? seen : null;
      const fallback = fallbackNames(ref) as NamedRef & { roleName: string; scopeName: string };
      return {
        ...ref,
        roleName: t.roleName ?? known?.roleName ?? fallback.roleName,
        scopeName: t.scopeName ?? known?.scopeName ?? fallback.scopeName,
      } as NamedRef;
    }
    default: {
      const seen = names.get(targetKey(t)) ?? names.get(t.groupId);
      const seenName = typeof seen === "string" ? seen : seen && !seen.kind ? seen.groupName : undefined;
      return { groupId: t.groupId, groupName: seenName ?? t.groupName ?? t.groupId, accessId: t.accessId };
    }
  }
}

/**
 * An Azure role activated at a child scope of its eligibility (reduced scope) has no record of its
 * own until it is active: it takes the role's name from the eligibility, and the scope's last
 * segment (the resource group's or resource's name) as the scope's name.
 */
function parentNames(names: Names, roleDefinitionId: string, scope: string): NamedRef | undefined {
  const def = roleDefinitionId.toLowerCase();
  const s = scope.toLowerCase();
  for (const v of names.values()) {
    if (typeof v !== "object" || v.kind !== "azure") continue;
    if (v.roleDefinitionId.toLowerCase() !== def || !s.startsWith(`${v.scope.toLowerCase()}/`)) continue;
    return { ...v, scope, scopeName: scope.split("/").pop() ?? scope };
  }
  return undefined;
}

/** Remembers a record's names under its key (groups also under the group id, for older lookups). */
export function rememberNames(names: Map<string, string | NamedRef>, t: NamedRef): void {
  names.set(
    targetKey(t),
    t.kind === "role" || t.kind === "azure"
      ? ({ ...refOf(t), roleName: t.roleName, scopeName: t.scopeName } as NamedRef)
      : namedTarget(new Map(), t),
  );
}
