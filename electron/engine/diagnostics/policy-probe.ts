import type { ManagedPolicy } from "../policy/policy-resolver.js";
import type { PolicyProbeResult } from "./checks-local.js";

// The doctor's policy probe, for the CLI and the app alike: the managed policy as `pimtray policy` and the tray
// read it (electron/engine/policy), imported when the check runs.

export type PolicyReport = PolicyProbeResult & { sourceOf: Record<string, unknown> };

export async function readPolicyForDoctor(): Promise<PolicyReport> {
  const [{ readManagedPolicy }, { platformPolicySources }] = await Promise.all([
    import("../policy/policy-resolver.js"),
    import("../policy/platform-sources.js"),
  ]);
  return policyReportOf(await readManagedPolicy(platformPolicySources()));
}

/** The doctor's view of a policy already read (the app reads it once, at start). */
export function policyReportOf(m: ManagedPolicy): PolicyReport {
  // A value set by policy is locked for the user.
  return {
    sources: m.sources,
    values: m.values,
    sourceOf: m.sourceOf,
    locked: Object.keys(m.values),
    problems: m.problems,
  };
}
