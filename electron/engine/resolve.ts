import { AmbiguousError, NotFoundError, UsageError } from "./errors.js";
import type { AccessId, Eligibility } from "./graph/pim-client.js";
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
  { kind: "group"; groupId: string; groupName: string; accessId: AccessId } | { kind: "profile"; profile: Profile };

export interface ResolveOptions {
  /** --as: which role, when the group has both. */
  as?: AccessId | undefined;
  /** --profile or --group forces the kind when a name is both. */
  prefer?: "profile" | "group" | undefined;
}

/**
 * Names a group by id or by display name (case-insensitive, exact), or a profile by name.
 * Ambiguity is an error that lists the candidates; nothing is guessed.
 */
export function resolveTarget(
  name: string,
  eligibilities: Eligibility[],
  profiles: Profile[],
  opts: ResolveOptions = {},
): Resolved {
  const key = name.trim().toLowerCase();
  if (!key) throw new UsageError("Name a group (its display name or id) or a profile.");
  const profile = profiles.find((p) => p.name.toLowerCase() === key);
  const byGroup = GUID.test(key)
    ? eligibilities.filter((e) => e.groupId === key)
    : eligibilities.filter((e) => e.groupName.toLowerCase() === key);

  if (profile && byGroup.length && !opts.prefer) {
    throw new AmbiguousError(
      `'${name}' is both a profile and an eligible group. Add --profile to use the profile, or --group to use the group.`,
      [
        { id: profile.id, label: `profile ${profile.name}` },
        ...byGroup.map((e) => ({ id: e.groupId, label: `group ${e.groupName} (${e.accessId})` })),
      ],
    );
  }
  if (profile && opts.prefer !== "group") return { kind: "profile", profile };
  if (opts.prefer === "profile")
    throw new NotFoundError(`No profile named '${name}'. List profiles with \`pimtray profile list\`.`);

  let matches = byGroup;
  if (opts.as) matches = matches.filter((e) => e.accessId === opts.as);
  const groups = new Set(matches.map((e) => e.groupId));
  if (groups.size > 1) {
    const hints = groupHints(matches);
    const label = (e: Eligibility) => `${labelWithHint(e.groupName, hints.get(e.groupId))} (${e.accessId})`;
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
    const near = eligibilities.filter((e) => e.groupName.toLowerCase().includes(key)).slice(0, 5);
    throw new NotFoundError(
      `You have no eligibility for a group named '${name}'.${near.length ? ` Did you mean: ${near.map((e) => `'${e.groupName}'`).join(", ")}?` : ""} List what you can activate with \`pimtray eligible\`.`,
    );
  }
  return { kind: "group", groupId: hit.groupId, groupName: hit.groupName, accessId: hit.accessId };
}
