import { AmbiguousError, NotFoundError, UsageError } from "./errors.js";
import type { AccessId, Eligibility } from "./graph/pim-client.js";
import type { Profile } from "./profiles/settings-schema.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type Resolved =
  | { kind: "group"; groupId: string; groupName: string; accessId: AccessId }
  | { kind: "profile"; profile: Profile };

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
export function resolveTarget(name: string, eligibilities: Eligibility[], profiles: Profile[], opts: ResolveOptions = {}): Resolved {
  const key = name.trim().toLowerCase();
  if (!key) throw new UsageError("Name a group (its display name or id) or a profile.");
  const profile = profiles.find((p) => p.name.toLowerCase() === key);
  const byGroup = GUID.test(key)
    ? eligibilities.filter((e) => e.groupId === key)
    : eligibilities.filter((e) => e.groupName.toLowerCase() === key);

  if (profile && byGroup.length && !opts.prefer) {
    throw new AmbiguousError(`'${name}' is both a profile and an eligible group. Add --profile to use the profile, or --group to use the group.`, [
      { id: profile.id, label: `profile ${profile.name}` },
      ...byGroup.map((e) => ({ id: e.groupId, label: `group ${e.groupName} (${e.accessId})` })),
    ]);
  }
  if (profile && opts.prefer !== "group") return { kind: "profile", profile };
  if (opts.prefer === "profile") throw new NotFoundError(`No profile named '${name}'. List profiles with \`pimtray profile list\`.`);

  let matches = byGroup;
  if (opts.as) matches = matches.filter((e) => e.accessId === opts.as);
  const groups = new Set(matches.map((e) => e.groupId));
  if (groups.size > 1) {
    throw new AmbiguousError(
      `${groups.size} eligible groups are named '${name}'. Name one by its id:\n${matches.map((e) => `  ${e.groupId}  ${e.groupName} (${e.accessId})`).join("\n")}`,
      matches.map((e) => ({ id: e.groupId, label: `${e.groupName} (${e.accessId})` })),
    );
  }
  if (matches.length > 1) {
    throw new AmbiguousError(`You are eligible for '${matches[0]?.groupName}' as both member and owner. Add --as member or --as owner.`, matches.map((e) => ({ id: e.groupId, label: `${e.groupName} (${e.accessId})` })));
  }
  const hit = matches[0];
  if (!hit) {
    if (byGroup.length && opts.as) {
      throw new NotFoundError(`You are eligible for '${byGroup[0]?.groupName}' only as ${byGroup.map((e) => e.accessId).join(" and ")}, not as ${opts.as}.`);
    }
    const near = eligibilities.filter((e) => e.groupName.toLowerCase().includes(key)).slice(0, 5);
    throw new NotFoundError(
      `You have no eligibility for a group named '${name}'.${near.length ? ` Did you mean: ${near.map((e) => `'${e.groupName}'`).join(", ")}?` : ""} List what you can activate with \`pimtray eligible\`.`,
    );
  }
  return { kind: "group", groupId: hit.groupId, groupName: hit.groupName, accessId: hit.accessId };
}
