import { userInfo } from "node:os";
import { LINUX_POLICY_FILE, LinuxPolicyFile } from "./linux-policy-file.js";
import { MacManagedPreferences, managedPreferencePaths } from "./macos-managed-preferences.js";
import type { PolicySource } from "./policy-source.js";
import { loadRegistryJs, WindowsRegistryPolicy, type RegistryApi } from "./windows-registry.js";

// The policy sources of this computer, in precedence order. Each source imports its reader (registry-js, plist,
// bplist-parser) only when it reads, so a command on Linux loads none of them.

export interface PlatformSourceOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** macOS: whose managed preferences to read (the signed-in user). */
  user?: string;
  registry?: () => Promise<RegistryApi>;
  linuxFile?: string;
  macDir?: string;
}

/**
 * PIMTRAY_POLICY_FILE names one more JSON policy file, for tests (which cannot create a file owned by root) and
 * for trying a policy out. It cannot weaken an organisation's policy: it comes after the machine's own sources,
 * so it only sets keys they leave unset; it is read only on Linux and macOS; and the file must still be owned by
 * root or by you and writable by no one else. `pimtray policy` names it as the source of what it sets.
 */
export const POLICY_FILE_ENV = "PIMTRAY_POLICY_FILE";

export function platformPolicySources(o: PlatformSourceOptions = {}): PolicySource[] {
  const platform = o.platform ?? process.platform;
  const env = o.env ?? process.env;
  const sources: PolicySource[] = [];
  if (platform === "win32") {
    const registry = o.registry ?? loadRegistryJs;
    sources.push(
      new WindowsRegistryPolicy("HKEY_LOCAL_MACHINE", registry),
      new WindowsRegistryPolicy("HKEY_CURRENT_USER", registry),
    );
  } else if (platform === "darwin") {
    for (const path of managedPreferencePaths(o.user ?? safeUserName(), o.macDir))
      sources.push(new MacManagedPreferences(path));
  } else {
    sources.push(new LinuxPolicyFile(o.linuxFile ?? LINUX_POLICY_FILE));
  }
  const extra = env[POLICY_FILE_ENV];
  if (extra && platform !== "win32")
    sources.push(new LinuxPolicyFile(extra, { ownerUid: 0, orCurrentUser: true }, `${POLICY_FILE_ENV} (${extra})`));
  return sources;
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return "";
  }
}
