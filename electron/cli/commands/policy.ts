import { join } from "node:path";
import { PimTrayError } from "../../engine/errors.js";
import { defaultConfigDir, FILES } from "../../engine/paths.js";
import { platformPolicySources } from "../../engine/policy/platform-sources.js";
import { applyPolicy, readManagedPolicy, type EffectiveSettings } from "../../engine/policy/policy-resolver.js";
import { FileSettingsStore } from "../../engine/profiles/settings-store.js";
import type { GlobalOptions } from "../context.js";
import { EXIT, exitCodeFor } from "../exit-codes.js";
import { createOut } from "../output.js";

// `pimtray policy`: the effective managed policy, each value with where it came from (a policy source, your
// settings, or the default), the locked settings and every problem. Exit 0, or 8 (config) when the policy has
// problems: a bad value, an unknown key, a refused or unreadable source. It needs neither the engine nor a
// sign-in, so it answers even when the policy stops every other command.

export async function cmdPolicy(o: GlobalOptions): Promise<number> {
  const out = createOut(Boolean(o.json));
  let configDir = o.configDir ?? (process.env.PIMTRAY_CONFIG_DIR || undefined) ?? defaultConfigDir();
  if (o.demo) configDir = join(configDir, "demo");
  const policy = await readManagedPolicy(platformPolicySources());
  let effective: EffectiveSettings;
  try {
    effective = applyPolicy(await new FileSettingsStore(join(configDir, FILES.settings)).load(), policy);
  } catch (e) {
    if (!(e instanceof PimTrayError)) throw e;
    if (out.json) out.write(JSON.stringify({ error: { kind: e.kind, message: e.message } }));
    else out.error(`pimtray: ${e.message}`);
    return exitCodeFor(e.kind);
  }
  if (out.json) out.write(JSON.stringify(policyJson(effective)));
  else out.write(policyText(effective));
  return effective.invalid ? EXIT.config : EXIT.ok;
}

/** The JSON fields are documented in docs/deployment.md ("pimtray policy"). */
export function policyJson(e: EffectiveSettings): Record<string, unknown> {
  return {
    valid: !e.invalid,
    fields: e.fields.map((f) => ({
      key: f.key,
      setting: f.setting,
      value: f.value,
      from: f.origin.kind,
      ...(f.origin.kind === "policy" ? { source: f.origin.source } : {}),
      locked: f.locked,
    })),
    locked: e.locked,
    managedProfiles: e.settings.profiles.filter((p) => e.managedProfileIds.includes(p.id)).map((p) => p.name),
    hiddenUserProfiles: e.hiddenUserProfiles,
    supportContact: e.supportContact,
    sources: e.sources,
    problems: e.problems,
  };
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "(not set)";
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "object" && v !== null && "name" in v))
      return value.length ? value.map((v) => (v as { name: string }).name).join(", ") : "(none)";
    return value.length ? value.map(String).join(", ") : "(none)";
  }
  if (typeof value === "object")
    return Object.entries(value)
      .map(([k, v]) => `${k} ${v === true ? "on" : v === false ? "off" : String(v)}`)
      .join(", ");
  return String(value);
}

const STATE: Record<EffectiveSettings["sources"][number]["state"], string> = {
  applied: "applied",
  empty: "read; nothing valid in it",
  absent: "none here",
  refused: "refused",
  unreadable: "could not be read",
};

export function policyText(e: EffectiveSettings): string {
  const lines: string[] = [];
  const applied = e.sources.filter((s) => s.state === "applied");
  lines.push(
    applied.length
      ? `Your organisation's policy applies (from ${applied.map((s) => s.name).join(", ")}).`
      : "No managed policy applies on this computer: your own settings and the defaults are used.",
  );
  lines.push("");
  const rows = e.fields.map((f) => [
    f.key,
    show(f.value),
    f.origin.kind === "policy"
      ? `policy: ${f.origin.source} (locked)`
      : f.origin.kind === "user"
        ? "your settings"
        : "default",
  ]);
  const widths = [0, 1].map((i) => Math.min(48, Math.max(...rows.map((r) => (r[i] ?? "").length))));
  const cut = (t: string, w: number) => (t.length > w ? `${t.slice(0, w - 1)}…` : t.padEnd(w));
  lines.push(`${"POLICY".padEnd(widths[0] ?? 0)}  ${"VALUE".padEnd(widths[1] ?? 0)}  FROM`);
  for (const [k, v, from] of rows)
    lines.push(`${cut(k ?? "", widths[0] ?? 0)}  ${cut(v ?? "", widths[1] ?? 0)}  ${from}`);
  lines.push("");
  const locked = e.fields
    .filter((f) => f.locked)
    .map((f) => (f.key === "Profiles" ? "Profiles (your own profiles stay yours)" : f.key));
  lines.push(
    locked.length
      ? `Set by your organisation (you cannot change them): ${locked.join(", ")}.`
      : "Nothing is set by your organisation.",
  );
  if (e.supportContact) lines.push(`Support: ${e.supportContact}`);
  lines.push("");
  lines.push("Sources, in precedence order:");
  for (const s of e.sources) lines.push(`  ${s.name}: ${STATE[s.state]}`);
  if (e.problems.length) {
    lines.push("");
    lines.push(`${e.problems.length === 1 ? "1 problem" : `${e.problems.length} problems`}:`);
    for (const p of e.problems) lines.push(`  - ${p}`);
  }
  return lines.join("\n");
}
