// ARM scope paths: normalising, parent/child relations, and their display names for expandedProperties.
import type { ArmSeed } from "./seed.js";

/** Lower-cased, no trailing slash; "" is the tenant root. */
export function normScope(scope: string): string {
  return scope.replace(/\/+$/, "").toLowerCase();
}

/** True when `child` is `parent` or lies below it. The tenant root ("") is above everything. */
export function isAtOrBelow(child: string, parent: string): boolean {
  const c = normScope(child);
  const p = normScope(parent);
  return p === "" || c === p || c.startsWith(`${p}/`);
}

export function subscriptionOf(scope: string): string | null {
  const m = /^\/subscriptions\/([^/]+)/i.exec(scope);
  return m?.[1] ?? null;
}

export type ScopeType = "subscription" | "resourcegroup" | "resource" | "managementgroup";

export interface ScopeInfo {
  id: string;
  displayName: string;
  type: ScopeType;
}

/** The scope as the seed spells it, with its display name; null when the scope does not exist. */
export function describeScope(seed: ArmSeed, scope: string): ScopeInfo | null {
  const n = normScope(scope);
  for (const s of seed.subscriptions) {
    const id = `/subscriptions/${s.subscriptionId}`;
    if (normScope(id) === n) return { id, displayName: s.displayName, type: "subscription" };
  }
  for (const g of seed.resourceGroups) {
    const id = `/subscriptions/${g.subscriptionId}/resourceGroups/${g.name}`;
    if (normScope(id) === n) return { id, displayName: g.name, type: "resourcegroup" };
  }
  for (const r of seed.resources) {
    if (normScope(r.id) === n) return { id: r.id, displayName: r.name, type: "resource" };
  }
  return null;
}
