import { UsageError } from "../errors.js";
import type { Settings } from "../profiles/settings-schema.js";
import type { SettingsRepository } from "../profiles/settings-store.js";
import {
  applyPolicy,
  isManagedProfile,
  lockedBecause,
  SETTING_OF,
  type EffectiveSettings,
  type ManagedPolicy,
  type PolicedSetting,
} from "./policy-resolver.js";
import { POLICY_KEY_NAMES } from "./policy-schema.js";

// Settings with policy applied, for everything that reads or changes settings (the engine, the lifecycle, the
// CLI's commands, the app's handlers). Reads give the effective settings. A change is made on what the user
// sees, then written back onto the user's own file without the policy's values: a change to a locked setting or
// to one of the organisation's profiles is refused with the policy's name, and nothing of the policy is written.

const LABEL: Record<PolicedSetting, string> = {
  "connection.cloud": "The cloud",
  "connection.tenant": "The tenant",
  "connection.clientId": "The client id",
  planes: "Which planes are on",
  "approvals.enabled": '"I approve requests"',
  "notifications.leadMinutes": "The expiry warning lead times",
  profiles: "The organisation's profiles",
  tokenStorage: "Where tokens are kept",
  allowCustomEndpoints: "Custom endpoints",
};

function read(s: Settings, setting: Exclude<PolicedSetting, "profiles">): unknown {
  const [a, b] = setting.split(".") as [keyof Settings, string | undefined];
  const top = s[a] as unknown;
  return b ? (top as Record<string, unknown> | null)?.[b] : top;
}

function write(s: Settings, setting: Exclude<PolicedSetting, "profiles">, value: unknown): void {
  const [a, b] = setting.split(".") as [keyof Settings, string | undefined];
  if (b) (s[a] as unknown as Record<string, unknown>)[b] = value;
  else (s as unknown as Record<string, unknown>)[a] = value;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class PolicedSettings implements SettingsRepository {
  #policy: ManagedPolicy;

  constructor(
    private readonly inner: SettingsRepository,
    policy: ManagedPolicy,
  ) {
    this.#policy = policy;
  }

  get policy(): ManagedPolicy {
    return this.#policy;
  }

  /**
   * Takes a policy read again (a long-running process: after Group Policy or MDM changed it); the next load and
   * update use it. Nothing is written.
   */
  replacePolicy(policy: ManagedPolicy): void {
    this.#policy = policy;
  }

  get path(): string {
    return this.inner.path;
  }

  /** The effective settings with where each value came from; see policy-resolver.ts. */
  async effective(): Promise<EffectiveSettings> {
    return applyPolicy(await this.inner.load(), this.#policy);
  }

  async load(): Promise<Settings> {
    return (await this.effective()).settings;
  }

  async update(change: (s: Settings) => Settings | void): Promise<Settings> {
    const saved = await this.inner.update((user) => {
      const effective = applyPolicy(user, this.#policy);
      const draft = structuredClone(effective.settings);
      const next = change(draft) ?? draft;
      return this.#withoutPolicy(user, effective, next);
    });
    return applyPolicy(saved, this.#policy).settings;
  }

  /** `next` as the user's file: locked settings keep the user's own values, the organisation's profiles are left out. */
  #withoutPolicy(user: Settings, effective: EffectiveSettings, next: Settings): Settings {
    const out = structuredClone(next);
    for (const key of POLICY_KEY_NAMES) {
      const setting = SETTING_OF[key];
      if (!setting || setting === "profiles" || !effective.locked.includes(setting)) continue;
      if (!same(read(next, setting), read(effective.settings, setting)))
        throw new UsageError(`${LABEL[setting]}: ${lockedBecause(effective, key)} It was not changed.`);
      write(out, setting, structuredClone(read(user, setting)));
    }
    const managed = effective.settings.profiles.filter(isManagedProfile);
    for (const p of managed) {
      const now = next.profiles.find((q) => q.id === p.id);
      if (!now || !same({ ...now, managed: true }, p))
        throw new UsageError(
          `The profile "${p.name}" is ${lockedBecause(effective, "Profiles")} It cannot be changed or removed; to change it, save a copy under another name.`,
        );
    }
    const own = out.profiles.filter((p) => !isManagedProfile(p) && !effective.managedProfileIds.includes(p.id));
    // The user's profiles a policy profile hides go back where they were, untouched.
    user.profiles.forEach((p, i) => {
      if (effective.hiddenUserProfiles.includes(p.name) && !own.some((q) => q.id === p.id))
        own.splice(Math.min(i, own.length), 0, p);
    });
    out.profiles = own.map((p) => {
      const { managed: _managed, ...rest } = p as typeof p & { managed?: true };
      return rest;
    });
    return out;
  }
}
