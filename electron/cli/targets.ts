import type { Target } from "../engine/activation/activation-service.js";
import { NotFoundError, UsageError } from "../engine/errors.js";
import { PLANE_LABELS, type Eligibility, type PlaneKind } from "../engine/planes/targets.js";
import type { Profile, ProfileTarget } from "../engine/profiles/settings-schema.js";
import { resolveTarget, type Resolved } from "../engine/resolve.js";
import type { CliContext } from "./context.js";
import { parseAs, parseKind, parseNameKind, type SelectorOptions } from "./parse.js";

// From what the person typed (a name and --kind/--scope/--as) to a target on its plane, or a profile.
// Every plane's eligibilities are read first; ambiguity is refused before anything is sent.

export type ResolvedName = { resolved: Resolved; eligibilities: Eligibility[] };

/** The subscriptions the Azure eligibilities sit in: id scope (`/subscriptions/{id}`) → name where known. */
function eligibleSubscriptions(eligibilities: Eligibility[]): Map<string, string | null> {
  const subs = new Map<string, string | null>();
  for (const e of eligibilities) {
    if (e.kind !== "azure") continue;
    const sub = /^\/subscriptions\/[^/]+/i.exec(e.scope)?.[0];
    if (!sub) continue;
    if (e.scopeType === "subscription") subs.set(sub, e.scopeName);
    else if (!subs.has(sub)) subs.set(sub, null);
  }
  return subs;
}

/**
 * An Azure scope written as a display path ("Contoso Production/rg-web") becomes its ARM id; an ARM id
 * or a single name (matched against the eligibilities' scope names) is left as it is. The subscription
 * is looked for among the eligibilities first (an eligible-only user may see no subscription in ARM).
 */
async function armScope(ctx: CliContext, scope: string, eligibilities: Eligibility[]): Promise<string> {
  const s = scope.trim();
  if (s.startsWith("/") || !s.includes("/")) return s;
  const [subName = "", rgName = "", ...rest] = s.split("/").map((p) => p.trim());
  if (rest.length || !subName || !rgName) {
    throw new UsageError(`Write an Azure scope as 'SUBSCRIPTION/RESOURCE GROUP' or give its full ARM id (got '${s}').`);
  }
  const want = subName.toLowerCase();
  const known = [...eligibleSubscriptions(eligibilities)].map(([id, name]) => ({ id, name: name ?? id }));
  const matches = (x: { id: string; name: string }) =>
    x.name.toLowerCase() === want || x.id.toLowerCase() === `/subscriptions/${want}`;
  let candidates = known.filter(matches);
  if (!candidates.length) {
    // Not among the eligibilities: the subscriptions ARM lets the user see.
    const azure = ctx.engine.planes.clients.azure;
    const visible = await azure.subscriptions().catch((): Array<{ id: string; name: string }> => []);
    candidates = visible.filter(matches);
  }
  const found = new Map(candidates.map((x) => [x.id.toLowerCase(), x]));
  if (found.size !== 1) {
    throw new NotFoundError(
      found.size
        ? `'${subName}' names ${found.size} subscriptions; give the scope's full ARM id.`
        : `No subscription named '${subName}' among your Azure eligibilities; give the scope's full ARM id.`,
    );
  }
  const [sub] = [...found.values()] as [{ id: string; name: string }]; // exactly one, checked above
  return `${sub.id}/resourceGroups/${rgName}`;
}

/** One plane's eligibilities; a plane that is off (in settings, or without an ARM endpoint) is never asked. */
async function onePlane(ctx: CliContext, kind: PlaneKind): Promise<Eligibility[]> {
  const label = PLANE_LABELS[kind].many;
  if (!ctx.settings.planes[kind]) throw new UsageError(`${label} are turned off in settings (planes.${kind}).`);
  if (kind === "azure" && ctx.engine.connection.armBaseUrl === null) {
    throw new UsageError(
      `${label} are off: this connection names no Azure Resource Manager endpoint (give --arm-endpoint, or armEndpoint in settings).`,
    );
  }
  return ctx.engine.planes.for(kind).eligibilities();
}

/** Resolves a name on every plane (or one, with --kind); a profile name alone needs no Graph call. */
export async function resolveName(ctx: CliContext, name: string, o: SelectorOptions): Promise<ResolvedName> {
  // --group (from before there were planes) says the name is a group's.
  const kind = parseKind(o.kind) ?? (o.group ? "group" : undefined);
  const as = parseAs(o.as);
  const named = parseNameKind(o);
  const prefer = named ?? (kind ? (kind === "group" ? "group" : "target") : undefined);
  const profiles = ctx.settings.profiles;
  const quick = profiles.find((p) => p.name.toLowerCase() === name.trim().toLowerCase());
  if (quick && o.profile) return { resolved: { kind: "profile", profile: quick }, eligibilities: [] };
  // With --kind, only that plane is asked; without it, every plane (a name on two is refused).
  const eligibilities: Eligibility[] = kind ? await onePlane(ctx, kind) : await ctx.engine.planes.eligibilities();
  const scope = o.scope !== undefined ? await armScope(ctx, o.scope, eligibilities) : undefined;
  return { resolved: resolveTarget(name, eligibilities, profiles, { as, prefer, kind, scope }), eligibilities };
}

/** The target a resolved (non-profile) name stands for, with its names. */
export function targetOf(r: Exclude<Resolved, { kind: "profile" }>): Target {
  switch (r.kind) {
    case "role": {
      const e = r.eligibility;
      return {
        kind: "role",
        roleDefinitionId: e.roleDefinitionId,
        directoryScopeId: e.directoryScopeId,
        roleName: e.roleName,
        scopeName: e.directoryScopeId === "/" ? "Directory" : e.scopeName,
      };
    }
    case "azure": {
      const e = r.eligibility;
      return {
        kind: "azure",
        roleDefinitionId: e.roleDefinitionId,
        scope: r.scope,
        roleName: e.roleName,
        scopeName: r.scopeName,
        eligibilityScheduleId: e.eligibilityScheduleId,
      };
    }
    default:
      return { groupId: r.groupId, accessId: r.accessId, groupName: r.groupName };
  }
}

/** A profile's targets, with the current names where the eligibilities know them. */
export function profileTargets(profile: Profile, eligibilities: Eligibility[]): Target[] {
  const groupNames = new Map<string, string>();
  for (const e of eligibilities) if (e.kind !== "role" && e.kind !== "azure") groupNames.set(e.groupId, e.groupName);
  return profile.targets.map((t): Target => {
    switch (t.kind) {
      case "role":
        return {
          kind: "role",
          roleDefinitionId: t.roleDefinitionId,
          directoryScopeId: t.directoryScopeId,
          roleName: t.roleName ?? t.roleDefinitionId,
          scopeName: t.scopeName ?? (t.directoryScopeId === "/" ? "Directory" : t.directoryScopeId),
        };
      case "azure":
        return {
          kind: "azure",
          roleDefinitionId: t.roleDefinitionId,
          scope: t.scope,
          roleName: t.roleName ?? t.roleDefinitionId.split("/").pop() ?? t.roleDefinitionId,
          scopeName: t.scopeName ?? t.scope,
        };
      default:
        return {
          groupId: t.groupId,
          accessId: t.accessId,
          groupName: groupNames.get(t.groupId) ?? t.groupName ?? t.groupId,
        };
    }
  });
}

/** A target as a profile stores it (ids and the names at the time). */
export function profileTargetOf(t: Target): ProfileTarget {
  switch (t.kind) {
    case "role":
      return {
        kind: "role",
        roleDefinitionId: t.roleDefinitionId,
        directoryScopeId: t.directoryScopeId,
        ...(t.roleName ? { roleName: t.roleName } : {}),
        ...(t.scopeName ? { scopeName: t.scopeName } : {}),
      };
    case "azure":
      return {
        kind: "azure",
        roleDefinitionId: t.roleDefinitionId,
        scope: t.scope,
        ...(t.roleName ? { roleName: t.roleName } : {}),
        ...(t.scopeName ? { scopeName: t.scopeName } : {}),
      };
    default:
      return { groupId: t.groupId, accessId: t.accessId, ...(t.groupName ? { groupName: t.groupName } : {}) };
  }
}

/** The scope option for profile --role/--azure values: resolves display paths like --scope does. */
export async function resolveProfileRole(
  ctx: CliContext,
  eligibilities: Eligibility[],
  kind: "role" | "azure",
  spec: { name: string; scope: string | undefined },
): Promise<ProfileTarget> {
  const scope =
    spec.scope !== undefined && kind === "azure" ? await armScope(ctx, spec.scope, eligibilities) : spec.scope;
  const r = resolveTarget(spec.name, eligibilities, [], { kind, scope, prefer: "target" });
  if (r.kind === "profile") throw new UsageError(`'${spec.name}' is not a role.`);
  return profileTargetOf(targetOf(r));
}
