import { UsageError } from "../engine/errors.js";
import {
  applyPolicy,
  lockedBecause,
  NO_POLICY,
  type EffectiveSettings,
  type PolicedSetting,
} from "../engine/policy/policy-resolver.js";
import type { PolicyKey } from "../engine/policy/policy-schema.js";
import type { SettingsRepository } from "../engine/profiles/settings-store.js";
import type { OrganisationView } from "../shared/ipc-api.js";

// Managed policy as the app shows it: the engine's settings repository is PolicedSettings in the tray app and the
// preview; anything else (a test's in-memory settings) is settings without policy.

interface WithEffective {
  effective(): Promise<EffectiveSettings>;
}

function hasEffective(repo: SettingsRepository): repo is SettingsRepository & WithEffective {
  return typeof (repo as Partial<WithEffective>).effective === "function";
}

/** The effective settings with where each value came from; no policy when the repository applies none. */
export async function effectiveOf(repo: SettingsRepository): Promise<EffectiveSettings> {
  return hasEffective(repo) ? repo.effective() : applyPolicy(await repo.load(), NO_POLICY);
}

export function organisationView(e: EffectiveSettings): OrganisationView {
  return {
    problems: [...e.problems],
    supportContact: e.supportContact,
    locked: [...e.locked],
    justificationTemplates: [...e.justificationTemplates],
  };
}

/** The policy key that locks a setting, for the refusal's wording. */
function keyOf(e: EffectiveSettings, setting: PolicedSetting): PolicyKey | null {
  return e.fields.find((f) => f.setting === setting)?.key ?? null;
}

/**
 * Refuses a change to a locked setting before anything is done about it (the token cache is switched before the
 * choice is saved), with the words PolicedSettings uses when it refuses the save itself.
 */
export function refuseLocked(e: EffectiveSettings, setting: PolicedSetting, wanted: unknown, label: string): void {
  const key = keyOf(e, setting);
  if (!key || !e.locked.includes(setting)) return;
  const field = e.fields.find((f) => f.key === key);
  if (JSON.stringify(field?.value) === JSON.stringify(wanted)) return;
  throw new UsageError(`${label}: ${lockedBecause(e, key)} It was not changed.`);
}

/** Refuses to edit or delete one of the organisation's profiles, saying what can be done instead. */
export function refuseManagedProfile(e: EffectiveSettings, id: string, doing: "edit" | "delete"): void {
  if (!e.managedProfileIds.includes(id)) return;
  const name = e.settings.profiles.find((p) => p.id === id)?.name ?? id;
  throw new UsageError(
    `The profile "${name}" is ${lockedBecause(e, "Profiles")} It cannot be ${doing === "edit" ? "changed" : "deleted"}; to change it, save a copy under another name.`,
  );
}
