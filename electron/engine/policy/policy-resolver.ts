import type { Profile, Settings } from "../profiles/settings-schema.js";
import { defaultSettings } from "../profiles/settings-schema.js";
import {
  describeValueIssues,
  POLICY_KEY_NAMES,
  POLICY_KEYS,
  policyKeyFor,
  type PolicyKey,
  type PolicyValues,
} from "./policy-schema.js";
import type { PolicySource } from "./policy-source.js";

// The one resolver the command line and the tray app share: effective settings = policy > user settings >
// defaults, with where each policed value came from, which settings are locked, and every problem in plain words.
// It never writes: the user's settings file keeps the user's values (policed-settings.ts refuses changes to
// locked ones), so removing a policy brings the user's own values back.

/** How a source fared. */
export interface PolicySourceState {
  name: string;
  /** applied: it set at least one key; empty: read, but nothing valid in it; absent: no policy there. */
  state: "applied" | "empty" | "absent" | "refused" | "unreadable";
  /** The keys this source set (a key set by an earlier source is not listed for a later one). */
  keys: PolicyKey[];
}

export interface ManagedPolicy {
  values: Partial<PolicyValues>;
  /** The source each value came from. */
  sourceOf: Partial<Record<PolicyKey, string>>;
  /** Every source, in precedence order. */
  sources: PolicySourceState[];
  /** Bad values, unknown keys, refused or unreadable sources: one line each, saying what to do. */
  problems: string[];
}

export const NO_POLICY: ManagedPolicy = Object.freeze({ values: {}, sourceOf: {}, sources: [], problems: [] });

/**
 * Reads every source (at once) and takes each key from the first source, in the order given, that holds a valid
 * value for it. A bad value is reported and skipped (a later source's valid value may apply); an unknown key is
 * reported; neither stops the other keys.
 */
export async function readManagedPolicy(sources: readonly PolicySource[]): Promise<ManagedPolicy> {
  const reads = await Promise.all(
    sources.map((s) =>
      s.read().catch((e: unknown) => ({
        values: null,
        problems: [
          `${s.name} could not be read (${e instanceof Error ? e.message : String(e)}); nothing in it applies.`,
        ],
        refused: false,
        failed: true,
      })),
    ),
  );
  const policy: ManagedPolicy = { values: {}, sourceOf: {}, sources: [], problems: [] };
  const values = policy.values as Record<PolicyKey, unknown>;
  sources.forEach((source, i) => {
    const read = reads[i] ?? { values: null, problems: [] };
    policy.problems.push(...read.problems);
    const keys: PolicyKey[] = [];
    for (const [name, raw] of Object.entries(read.values ?? {})) {
      const key = policyKeyFor(name);
      if (!key) {
        policy.problems.push(
          `Unknown policy "${name}" in ${source.name} is ignored: PIM Tray has no policy by that name (the names are listed in docs/deployment.md).`,
        );
        continue;
      }
      if (raw === undefined) continue; // the source already said why it could not read this value
      const parsed = POLICY_KEYS[key].schema.safeParse(raw);
      if (!parsed.success) {
        policy.problems.push(
          `${key} in ${source.name} is ignored: ${describeValueIssues(parsed.error)}. Fix or remove the value; the other policies apply.`,
        );
        continue;
      }
      if (key in policy.sourceOf) continue; // an earlier source set it
      values[key] = parsed.data;
      policy.sourceOf[key] = source.name;
      keys.push(key);
    }
    const state: PolicySourceState["state"] =
      "failed" in read || (read.values === null && read.problems.length && !read.refused)
        ? "unreadable"
        : read.refused
          ? "refused"
          : read.values === null
            ? "absent"
            : keys.length
              ? "applied"
              : "empty";
    policy.sources.push({ name: source.name, state, keys });
  });
  return policy;
}

/** The settings a policy key stands for; null for keys that are not in settings.json. */
export type PolicedSetting =
  | "connection.cloud"
  | "connection.tenant"
  | "connection.clientId"
  | "planes"
  | "approvals.enabled"
  | "notifications.leadMinutes"
  | "profiles"
  | "tokenStorage"
  | "allowCustomEndpoints";

export const SETTING_OF: Record<PolicyKey, PolicedSetting | null> = {
  Cloud: "connection.cloud",
  TenantId: "connection.tenant",
  ClientId: "connection.clientId",
  EnabledPlanes: "planes",
  ApprovalsEnabled: "approvals.enabled",
  DefaultLeadMinutes: "notifications.leadMinutes",
  Profiles: "profiles",
  JustificationTemplates: null,
  TokenCache: "tokenStorage",
  AllowCustomEndpoints: "allowCustomEndpoints",
  UpdateMode: null,
  UpdateFeedUrl: null,
  SupportContact: null,
};

export type ValueOrigin = { kind: "policy"; source: string } | { kind: "user" } | { kind: "default" };

export interface PolicyField {
  key: PolicyKey;
  /** The policy's name in Group Policy and docs. */
  title: string;
  setting: PolicedSetting | null;
  /** The effective value (null: not set by policy and not a setting, e.g. SupportContact unset). */
  value: unknown;
  /** policy (with its source), user (settings.json differs from the default) or default. */
  origin: ValueOrigin;
  /** Set by policy: users cannot change it. */
  locked: boolean;
}

/** A profile as the app and the CLI list it: the organisation's profiles carry `managed: true`. */
export type EffectiveProfile = Profile & { managed?: true };

export interface EffectiveSettings {
  /** What every command, the lifecycle and the app use: policy applied, managed profiles first. */
  settings: Settings & { profiles: EffectiveProfile[] };
  /** Every policy key, in the schema's order. */
  fields: PolicyField[];
  /** The settings users cannot change ("Set by your organisation"). */
  locked: PolicedSetting[];
  /** The ids of the organisation's profiles (read-only, shown with a lock). */
  managedProfileIds: string[];
  /** Names of the user's profiles hidden because a policy profile has the same name (kept in settings.json). */
  hiddenUserProfiles: string[];
  justificationTemplates: string[];
  /** Update settings from policy; null where policy does not set them (the app's own default applies). */
  update: { mode: PolicyValues["UpdateMode"] | null; feedUrl: string | null };
  supportContact: string | null;
  sources: PolicySourceState[];
  /** The policy's problems and notes on hidden profiles: one plain line each. Empty when all is well. */
  problems: string[];
  /** Problems with the policy itself (bad values, unknown keys, refused or unreadable sources). */
  invalid: boolean;
}

/** A policy profile's id: stable across restarts (the lifecycle keys auto-activation by id), never a UUID. */
export function managedProfileId(name: string): string {
  return `managed:${name.trim().toLowerCase()}`;
}

export function isManagedProfile(p: Profile): p is EffectiveProfile & { managed: true } {
  return (p as EffectiveProfile).managed === true;
}

function get(s: Settings, setting: PolicedSetting): unknown {
  switch (setting) {
    case "connection.cloud":
      return s.connection.cloud;
    case "connection.tenant":
      return s.connection.tenant;
    case "connection.clientId":
      return s.connection.clientId ?? null;
    case "planes":
      return s.planes;
    case "approvals.enabled":
      return s.approvals.enabled;
    case "notifications.leadMinutes":
      return s.notifications.leadMinutes;
    case "profiles":
      return s.profiles;
    case "tokenStorage":
      return s.tokenStorage;
    case "allowCustomEndpoints":
      return s.allowCustomEndpoints;
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Applies policy to the user's settings. Pure: the user's object is not changed. */
export function applyPolicy(user: Settings, policy: ManagedPolicy): EffectiveSettings {
  const s = structuredClone(user) as Settings & { profiles: EffectiveProfile[] };
  const v = policy.values;
  if (v.Cloud !== undefined) s.connection.cloud = v.Cloud;
  if (v.TenantId !== undefined) s.connection.tenant = v.TenantId;
  if (v.ClientId !== undefined) s.connection.clientId = v.ClientId.toLowerCase();
  if (v.EnabledPlanes !== undefined) {
    const on = new Set(v.EnabledPlanes);
    s.planes = { group: on.has("group"), role: on.has("role"), azure: on.has("azure") };
  }
  if (v.ApprovalsEnabled !== undefined) s.approvals.enabled = v.ApprovalsEnabled;
  if (v.DefaultLeadMinutes !== undefined)
    s.notifications.leadMinutes = [...new Set(v.DefaultLeadMinutes)].sort((a, b) => b - a);
  if (v.TokenCache !== undefined) s.tokenStorage = v.TokenCache;
  if (v.AllowCustomEndpoints !== undefined) s.allowCustomEndpoints = v.AllowCustomEndpoints;

  const hiddenUserProfiles: string[] = [];
  const managed: EffectiveProfile[] = (v.Profiles ?? []).map((p) => ({
    ...p,
    id: managedProfileId(p.name),
    managed: true,
  }));
  if (managed.length) {
    const names = new Set(managed.map((p) => p.name.toLowerCase()));
    const own = s.profiles.filter((p) => {
      const hidden = names.has(p.name.toLowerCase());
      if (hidden) hiddenUserProfiles.push(p.name);
      return !hidden;
    });
    s.profiles = [...managed, ...own];
  }

  const defaults = defaultSettings();
  const fields: PolicyField[] = POLICY_KEY_NAMES.map((key) => {
    const setting = SETTING_OF[key];
    const source = policy.sourceOf[key];
    const value = setting ? get(s, setting) : (v[key] ?? null);
    const origin: ValueOrigin = source
      ? { kind: "policy", source }
      : setting && setting !== "profiles" && !same(get(user, setting), get(defaults, setting))
        ? { kind: "user" }
        : setting === "profiles" && user.profiles.length
          ? { kind: "user" }
          : { kind: "default" };
    return { key, title: POLICY_KEYS[key].title, setting, value, origin, locked: source !== undefined };
  });

  const problems = [...policy.problems];
  for (const name of hiddenUserProfiles)
    problems.push(
      `Your profile "${name}" is hidden: your organisation's profile of the same name replaces it (policy Profiles, ${policy.sourceOf.Profiles ?? "policy"}). It is kept in your settings file; rename it there to see it again.`,
    );
  return {
    settings: s,
    fields,
    locked: fields.flatMap((f) => (f.locked && f.setting ? [f.setting] : [])),
    managedProfileIds: managed.map((p) => p.id),
    hiddenUserProfiles,
    justificationTemplates: v.JustificationTemplates ?? [],
    update: { mode: v.UpdateMode ?? null, feedUrl: v.UpdateFeedUrl ?? null },
    supportContact: v.SupportContact ?? null,
    sources: policy.sources,
    problems,
    invalid: policy.problems.length > 0,
  };
}

/** "set by your organisation (policy TenantId, /etc/pimtray/policy.json)", for messages that refuse a change. */
export function lockedBecause(effective: EffectiveSettings, key: PolicyKey): string {
  const field = effective.fields.find((f) => f.key === key);
  const where = field?.origin.kind === "policy" ? `, ${field.origin.source}` : "";
  const contact = effective.supportContact ? ` To change it, contact ${effective.supportContact}.` : "";
  return `set by your organisation (policy ${key}${where}).${contact}`;
}
