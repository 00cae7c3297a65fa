// ARM ids and scopes: case-insensitive, role definitions compared by their trailing GUID (their ids
// carry the scope they were read at), and a scope's ancestors for policy lookups.

export const AUTHZ = "/providers/Microsoft.Authorization";

/** Lower-cased, without a trailing slash; "" is the tenant root. */
export function normScope(scope: string): string {
  return scope.replace(/\/+$/, "").toLowerCase();
}

export function sameScope(a: string, b: string): boolean {
  return normScope(a) === normScope(b);
}

/** The role definition's GUID, lower-cased, from a full id or a bare GUID. */
export function roleGuid(roleDefinitionId: string): string {
  return (roleDefinitionId.replace(/\/+$/, "").split("/").pop() ?? "").toLowerCase();
}

export function sameRole(a: string, b: string): boolean {
  return roleGuid(a) === roleGuid(b);
}

/** True when `child` is `parent` or lies below it. */
export function isAtOrBelow(child: string, parent: string): boolean {
  const c = normScope(child);
  const p = normScope(parent);
  return p === "" || c === p || c.startsWith(`${p}/`);
}

/**
 * The scopes above `scope`, nearest first, down to (and including) `stopAt` or the subscription:
 * a resource's resource group, the group's subscription. Management groups are not walked.
 */
export function ancestorScopes(scope: string, stopAt?: string): string[] {
  const out: string[] = [];
  let s = scope.replace(/\/+$/, "");
  for (;;) {
    if (stopAt !== undefined && sameScope(s, stopAt)) break;
    const provider = s.toLowerCase().lastIndexOf("/providers/");
    const parent =
      provider > 0
        ? s.slice(0, provider)
        : /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+$/i.test(s)
          ? s.replace(/\/resourceGroups\/[^/]+$/i, "")
          : null;
    if (!parent) break;
    out.push(parent);
    s = parent;
  }
  return out;
}
