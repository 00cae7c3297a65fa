import { AmbiguousError, NotFoundError, UsageError } from "./errors.js";
import type { AccessId } from "./graph/pim-client.js";
import {
  kindOf,
  PLANE_LABELS,
  type AzureEligibility,
  type Eligibility as AnyEligibility,
  type GroupEligibility,
  type PlaneKind,
  type RoleEligibility,
} from "./planes/targets.js";
import type { Profile } from "./profiles/settings-schema.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface NamedGroup {
  groupId: string;
  groupName: string;
  groupDescription?: string | null | undefined;
  groupMailNickname?: string | null | undefined;
}

// Graph-supplied text reaches terminals and menus: no control characters, and a bounded length.
function clean(text: string, max = 60): string {
  const t = text
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * For groups whose display names collide (case-insensitive), what tells each apart: its
 * description (or mail nickname when the description is missing or shared) and the start of its
 * id. Groups with a unique name get no entry, so their rows stay as they were.
 */
export function groupHints(items: NamedGroup[]): Map<string, string> {
  const byName = new Map<string, Map<string, NamedGroup>>();
  for (const i of items) {
    const k = i.groupName.trim().toLowerCase();
    const groups = byName.get(k) ?? new Map<string, NamedGroup>();
    if (!groups.has(i.groupId.toLowerCase())) groups.set(i.groupId.toLowerCase(), i);
    byName.set(k, groups);
  }
  const hints = new Map<string, string>();
  for (const groups of byName.values()) {
    if (groups.size < 2) continue;
    const all = [...groups.values()];
    const shared = (d: string) =>
      all.filter((g) => (g.groupDescription ?? "").trim().toLowerCase() === d.toLowerCase()).length > 1;
    for (const [id, g] of groups) {
      const description = (g.groupDescription ?? "").trim();
      const words =
        description && !shared(description) ? description : (g.groupMailNickname ?? "").trim() || description;
      hints.set(id, `${words ? `${clean(words)}, ` : ""}id ${id.slice(0, 8)}`);
    }
  }
  return hints;
}

/** "Platform Ops — Platform operations (EU), id ddcc6b95" where names collide; the name otherwise. */
export function labelWithHint(name: string, hint: string | undefined): string {
  return hint ? `${name} — ${hint}` : name;
}

export type Resolved =
  | { kind: "group"; groupId: string; groupName: string; accessId: AccessId }
  | { kind: "role"; eligibility: RoleEligibility }
  /** `scope` is where to activate: the eligibility's own scope, or a child of it (reduced scope). */
  | { kind: "azure"; eligibility: AzureEligibility; scope: string; scopeName: string }
  | { kind: "profile"; profile: Profile };

export interface ResolveOptions {
  /** --as: which role, when the group has both. */
  as?: AccessId | undefined;
  /** --profile or --group forces the kind when a name is both; "target" is any plane's eligibility (--kind). */
  prefer?: "profile" | "group" | "target" | undefined;
  /** --kind: only this plane's eligibilities. */
  kind?: PlaneKind | undefined;
  /**
   * --scope: for a role, its directory scope id (`/`, `/administrativeUnits/{id}`) or the scope's name; for an
   * Azure role, an ARM scope id (the eligibility's, or a child of it for a reduced scope) or the scope's name.
   */
  scope?: string | undefined;
}

/** The eligibilities a resolver works on: every plane's, or the groups' alone as before there were planes. */
type Eligibility = AnyEligibility | (GroupEligibility & { kind?: undefined });

const lower = (s: string) => s.trim().toLowerCase();

function isRole(e: Eligibility): e is RoleEligibility {
  return e.kind === "role";
}
function isAzure(e: Eligibility): e is AzureEligibility {
  return e.kind === "azure";
}
function isGroupElig(e: Eligibility): e is GroupEligibility {
  return kindOf(e) === "group";
}

/** "Helpdesk Administrator at /administrativeUnits/… (Sales)", for candidate lists. */
export function candidateLabel(e: AnyEligibility): string {
  switch (e.kind) {
    case "role":
      return `${PLANE_LABELS.role.one} ${e.roleName} at ${e.directoryScopeId} (${e.directoryScopeId === "/" ? "Directory" : e.scopeName})`;
    case "azure":
      return `${PLANE_LABELS.azure.one} ${e.roleName} at ${e.scope} (${e.scopeName})`;
    default:
      return `group ${e.groupName} (${e.accessId})`;
  }
}

function candidateId(e: AnyEligibility): string {
  switch (e.kind) {
    case "role":
      return `${e.roleDefinitionId}@${e.directoryScopeId}`;
    case "azure":
      return `${e.roleDefinitionId}@${e.scope}`;
    default:
      return e.groupId;
  }
}

/** A role names itself by display name or definition id (for Azure, the full ARM id or its GUID). */
function roleMatches(e: RoleEligibility | AzureEligibility, key: string): boolean {
  const def = e.roleDefinitionId.toLowerCase();
  return lower(e.roleName) === key || def === key || def.split("/").pop() === key;
}

/** ARM scope `child` is `parent` or below it (ARM ids are case-insensitive). */
export function coversScope(parent: string, child: string): boolean {
  const p = parent.toLowerCase().replace(/\/+$/, "");
  const c = child.toLowerCase().replace(/\/+$/, "");
  return c === p || c.startsWith(`${p}/`);
}

function resolveRole(name: string, matches: RoleEligibility[], scope: string | undefined): Resolved {
  let hits = matches;
  if (scope !== undefined) {
    const s = lower(scope);
    hits = matches.filter(
      (e) =>
        e.directoryScopeId.toLowerCase() === s ||
        lower(e.scopeName) === s ||
        (e.directoryScopeId === "/" && s === "directory"),
    );
    if (!hits.length) {
      throw new NotFoundError(
        `You are eligible for '${matches[0]?.roleName}' only at: ${matches.map((e) => `${e.directoryScopeId} (${e.directoryScopeId === "/" ? "Directory" : e.scopeName})`).join(", ")}; not at '${scope}'.`,
      );
    }
  }
  if (hits.length > 1) {
    throw new AmbiguousError(
      `You are eligible for '${hits[0]?.roleName}' at ${hits.length} scopes. Add --scope with one of:\n${hits.map((e) => `  ${e.directoryScopeId}  ${candidateLabel(e)}`).join("\n")}`,
      hits.map((e) => ({ id: candidateId(e), label: candidateLabel(e) })),
    );
  }
  const [hit] = hits;
  if (!hit) throw new NotFoundError(`You have no eligibility for a role named '${name}'.`);
  return { kind: "role", eligibility: hit };
}

function resolveAzure(name: string, matches: AzureEligibility[], scope: string | undefined): Resolved {
  if (scope === undefined) {
    if (matches.length > 1) {
      throw new AmbiguousError(
        `You are eligible for '${matches[0]?.roleName}' at ${matches.length} scopes. Add --scope with one of:\n${matches.map((e) => `  ${e.scope}  ${candidateLabel(e)}`).join("\n")}`,
        matches.map((e) => ({ id: candidateId(e), label: candidateLabel(e) })),
      );
    }
    const [hit] = matches;
    if (!hit) throw new NotFoundError(`You have no eligibility for an Azure role named '${name}'.`);
    return { kind: "azure", eligibility: hit, scope: hit.scope, scopeName: hit.scopeName };
  }
  const s = scope.trim();
  if (s.startsWith("/")) {
    const exact = matches.filter((e) => e.scope.toLowerCase() === s.toLowerCase().replace(/\/+$/, ""));
    // A child scope of an eligibility: a reduced-scope activation. The nearest covering eligibility wins.
    const covering = exact.length ? exact : matches.filter((e) => coversScope(e.scope, s));
    const nearest = covering.sort((a, b) => b.scope.length - a.scope.length);
    const distinct = new Set(nearest.filter((e) => e.scope.length === nearest[0]?.scope.length).map(candidateId));
    if (distinct.size > 1) {
      throw new AmbiguousError(
        `More than one eligibility for '${nearest[0]?.roleName}' covers '${s}':\n${nearest.map((e) => `  ${e.scope}  ${candidateLabel(e)}`).join("\n")}`,
        nearest.map((e) => ({ id: candidateId(e), label: candidateLabel(e) })),
      );
    }
    const [hit] = nearest;
    if (!hit) {
      throw new NotFoundError(
        `You are eligible for '${matches[0]?.roleName}' only at: ${matches.map((e) => `${e.scope} (${e.scopeName})`).join(", ")}; '${s}' is not one of them nor below one.`,
      );
    }
    const own = hit.scope.toLowerCase() === s.toLowerCase().replace(/\/+$/, "");
    return {
      kind: "azure",
      eligibility: hit,
      scope: own ? hit.scope : s.replace(/\/+$/, ""),
      scopeName: own ? hit.scopeName : (s.replace(/\/+$/, "").split("/").pop() ?? s),
    };
  }
  const byName = matches.filter((e) => lower(e.scopeName) === lower(s));
  if (byName.length > 1) {
    throw new AmbiguousError(
      `'${s}' names more than one scope where you are eligible for '${byName[0]?.roleName}'. Give the scope's ARM id:\n${byName.map((e) => `  ${e.scope}  ${candidateLabel(e)}`).join("\n")}`,
      byName.map((e) => ({ id: candidateId(e), label: candidateLabel(e) })),
    );
  }
  const [hit] = byName;
  if (!hit) {
    throw new NotFoundError(
      `You are eligible for '${matches[0]?.roleName}' only at: ${matches.map((e) => `${e.scope} (${e.scopeName})`).join(", ")}; not at '${s}'.`,
    );
  }
  return { kind: "azure", eligibility: hit, scope: hit.scope, scopeName: hit.scopeName };
}

/**
 * Names a group by id or by display name (case-insensitive, exact), an Entra ID or Azure role by name
 * or definition id (with --scope where it is eligible at more than one), or a profile by name.
 * Ambiguity is an error that lists the candidates; nothing is guessed.
 */
export function resolveTarget(
  name: string,
  eligibilities: readonly Eligibility[],
  profiles: Profile[],
  opts: ResolveOptions = {},
): Resolved {
  const key = name.trim().toLowerCase();
  if (!key) throw new UsageError("Name a group (its display name or id) or a profile.");
  const profile = profiles.find((p) => p.name.toLowerCase() === key);
  const on = (k: PlaneKind) => opts.kind === undefined || opts.kind === k;
  const groupsOnly = eligibilities.filter(isGroupElig);
  const byGroup = !on("group")
    ? []
    : GUID.test(key)
      ? groupsOnly.filter((e) => e.groupId === key)
      : groupsOnly.filter((e) => e.groupName.toLowerCase() === key);
  const byRole = on("role") ? eligibilities.filter(isRole).filter((e) => roleMatches(e, key)) : [];
  const byAzure = on("azure") ? eligibilities.filter(isAzure).filter((e) => roleMatches(e, key)) : [];
  const others = [...byRole, ...byAzure];

  if (profile && (byGroup.length || others.length) && !opts.prefer) {
    if (!others.length) {
      throw new AmbiguousError(
        `'${name}' is both a profile and an eligible group. Add --profile to use the profile, or --group to use the group.`,
        [
          { id: profile.id, label: `profile ${profile.name}` },
          ...byGroup.map((e) => ({ id: e.groupId, label: `group ${e.groupName} (${e.accessId})` })),
        ],
      );
    }
    throw new AmbiguousError(
      `'${name}' is both a profile and something you are eligible for. Add --profile to use the profile, or --kind to use the eligibility.`,
      [
        { id: profile.id, label: `profile ${profile.name}` },
        ...[...byGroup, ...others].map((e) => ({ id: candidateId(e), label: candidateLabel(e) })),
      ],
    );
  }
  if (profile && opts.prefer !== "group" && opts.prefer !== "target") return { kind: "profile", profile };
  if (opts.prefer === "profile")
    throw new NotFoundError(`No profile named '${name}'. List profiles with \`pimtray profile list\`.`);

  // The same name on two planes: say which with --kind; nothing is sent.
  const planesHit = [byGroup, byRole, byAzure].filter((l) => l.length > 0);
  if (planesHit.length > 1) {
    const all = [...byGroup, ...others];
    throw new AmbiguousError(
      `'${name}' names eligibilities on more than one plane. Add --kind group, --kind role or --kind azure:\n${all.map((e) => `  ${candidateLabel(e)}`).join("\n")}`,
      all.map((e) => ({ id: candidateId(e), label: candidateLabel(e) })),
    );
  }
  if (byRole.length) return resolveRole(name, byRole, opts.scope);
  if (byAzure.length) return resolveAzure(name, byAzure, opts.scope);
  if (opts.kind === "role" || opts.kind === "azure") {
    const plane = opts.kind === "role" ? eligibilities.filter(isRole) : eligibilities.filter(isAzure);
    const near = [...new Set(plane.map((e) => e.roleName))].filter((n) => n.toLowerCase().includes(key)).slice(0, 5);
    throw new NotFoundError(
      `You have no eligibility for an ${PLANE_LABELS[opts.kind].one} named '${name}'.${near.length ? ` Did you mean: ${near.map((n) => `'${n}'`).join(", ")}?` : ""} List what you can activate with \`pimtray eligible --kind ${opts.kind}\`.`,
    );
  }

  let matches = byGroup;
  if (opts.as) matches = matches.filter((e) => e.accessId === opts.as);
  const groups = new Set(matches.map((e) => e.groupId));
  if (groups.size > 1) {
    const hints = groupHints(matches);
    const label = (e: GroupEligibility) => `${labelWithHint(e.groupName, hints.get(e.groupId))} (${e.accessId})`;
    throw new AmbiguousError(
      `${groups.size} eligible groups are named '${name}'. Name one by its id:\n${matches.map((e) => `  ${e.groupId}  ${label(e)}`).join("\n")}`,
      matches.map((e) => ({ id: e.groupId, label: label(e) })),
    );
  }
  if (matches.length > 1) {
    throw new AmbiguousError(
      `You are eligible for '${matches[0]?.groupName}' as both member and owner. Add --as member or --as owner.`,
      matches.map((e) => ({ id: e.groupId, label: `${e.groupName} (${e.accessId})` })),
    );
  }
  const hit = matches[0];
  if (!hit) {
    if (byGroup.length && opts.as) {
      throw new NotFoundError(
        `You are eligible for '${byGroup[0]?.groupName}' only as ${byGroup.map((e) => e.accessId).join(" and ")}, not as ${opts.as}.`,
      );
    }
    const near = groupsOnly.filter((e) => e.groupName.toLowerCase().includes(key)).slice(0, 5);
    throw new NotFoundError(
      `You have no eligibility for a group named '${name}'.${near.length ? ` Did you mean: ${near.map((e) => `'${e.groupName}'`).join(", ")}?` : ""} List what you can activate with \`pimtray eligible\`.`,
    );
  }
  return { kind: "group", groupId: hit.groupId, groupName: hit.groupName, accessId: hit.accessId };
}
