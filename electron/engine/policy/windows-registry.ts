import { POLICY_KEYS, policyKeyFor } from "./policy-schema.js";
import type { PolicyRead, PolicySource, RawPolicy } from "./policy-source.js";

// Windows: HKLM\SOFTWARE\Policies\PIMTray, then HKCU\SOFTWARE\Policies\PIMTray, where Group Policy and Intune's
// ADMX ingestion write what assets/policy/windows/pimtray.admx defines.
//
// Read with registry-js (GitHub Desktop's): N-API prebuilt binaries, a small read-only subset (enumerateValues)
// in process, so it works where the "Prevent access to registry editing tools" GPO blocks reg.exe (anything that
// spawns reg.exe, such as winreg, fails there; regedit needs cscript and script files). native-reg would do too,
// but exposes the whole Win32 registry API and is less kept. @vscode/policy-watcher cannot be used as it is: its
// Windows key is hard-coded to Software\Policies\Microsoft\<product>, and on macOS it has no check that a value
// was forced. registry-js reads the 64-bit view (KEY_WOW64_64KEY), where policy is written.
//
// registry-js returns REG_SZ, REG_EXPAND_SZ and REG_DWORD values; other types (REG_MULTI_SZ, REG_QWORD) are not
// returned, so lists are a subkey of numbered values (what the ADMX list element writes) or one REG_SZ of JSON.

export const POLICY_SUBKEY = "SOFTWARE\\Policies\\PIMTray";

export type RegistryHive = "HKEY_LOCAL_MACHINE" | "HKEY_CURRENT_USER";

/** One value, as registry-js's enumerateValues returns it. */
export interface RegistryEntry {
  readonly name: string;
  readonly type: string;
  readonly data: string | number;
}

/**
 * The part of registry-js used here, same shape (test/engine/policy checks the real module fits it). The hive is a
 * string because registry-js's HKEY enum holds the hives' names as its values.
 */
export interface RegistryApi {
  enumerateValues(key: string, subkey: string): ReadonlyArray<RegistryEntry>;
}

/**
 * registry-js, imported on first use and only on Windows. The specifier is not a literal on purpose: registry-js
 * loads a native .node binary, which a bundler must leave to Node at run time (esbuild has no loader for it).
 */
export async function loadRegistryJs(): Promise<RegistryApi> {
  const specifier = "registry-js";
  const mod = (await import(specifier)) as Partial<RegistryApi> & { default?: RegistryApi };
  const api = typeof mod.enumerateValues === "function" ? (mod as RegistryApi) : mod.default;
  if (!api || typeof api.enumerateValues !== "function") throw new Error("registry-js has no enumerateValues");
  return api;
}

const SHORT: Record<RegistryHive, string> = { HKEY_LOCAL_MACHINE: "HKLM", HKEY_CURRENT_USER: "HKCU" };

export class WindowsRegistryPolicy implements PolicySource {
  readonly name: string;

  constructor(
    private readonly hive: RegistryHive,
    private readonly registry: () => Promise<RegistryApi> = loadRegistryJs,
    private readonly subkey: string = POLICY_SUBKEY,
  ) {
    this.name = `${SHORT[hive]}\\${subkey}`;
  }

  async read(): Promise<PolicyRead> {
    let api: RegistryApi;
    try {
      api = await this.registry();
    } catch (e) {
      return {
        values: null,
        problems: [
          `${this.name} could not be read: the registry reader (registry-js) did not load (${(e as Error).message}). Reinstall PIM Tray.`,
        ],
      };
    }
    const problems: string[] = [];
    let entries: ReadonlyArray<RegistryEntry>;
    try {
      entries = api.enumerateValues(this.hive, this.subkey);
    } catch (e) {
      return { values: null, problems: [`${this.name} could not be read (${(e as Error).message}).`] };
    }
    const values: RawPolicy = {};
    for (const entry of entries) {
      if (entry.name === "") continue; // the key's (Default) value: Group Policy never writes policy there
      const key = policyKeyFor(entry.name);
      values[key ?? entry.name] = key ? this.#convert(key, entry, problems) : entry.data;
    }
    // Lists written by the ADMX list element: a subkey named for the key, values 1, 2, 3…
    for (const [key, def] of Object.entries(POLICY_KEYS)) {
      if (def.kind !== "list") continue;
      let items: ReadonlyArray<RegistryEntry>;
      try {
        items = api.enumerateValues(this.hive, `${this.subkey}\\${key}`);
      } catch (e) {
        problems.push(`${this.name}\\${key} could not be read (${(e as Error).message}).`);
        continue;
      }
      const named = items.filter((i) => i.name !== "");
      if (!named.length) continue;
      const ordered = [...named].sort((a, b) => order(a.name) - order(b.name) || a.name.localeCompare(b.name));
      values[key] = ordered.map((i) => listItem(i.data, def.items ?? "string"));
    }
    return { values: Object.keys(values).length ? values : null, problems };
  }

  /** A registry value as the key's type: DWORD 0/1 as a boolean, JSON text as what it holds. */
  #convert(key: keyof typeof POLICY_KEYS, entry: RegistryEntry, problems: string[]): unknown {
    const def = POLICY_KEYS[key];
    const { data } = entry;
    if (def.kind === "boolean" && typeof data === "number") return data === 0 ? false : data === 1 ? true : data;
    if ((def.kind === "list" || def.kind === "json") && typeof data === "string") {
      try {
        return JSON.parse(data) as unknown;
      } catch {
        problems.push(
          `${key} in ${this.name} is ignored: it must be JSON text (${def.kind === "list" ? 'e.g. ["a", "b"]' : "see docs/deployment.md"}), and it is not.`,
        );
        return undefined;
      }
    }
    return data;
  }
}

function order(name: string): number {
  const n = Number(name);
  return Number.isInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}

/** A list item from the registry: always text there, so "15" is 15 where the list holds numbers. */
function listItem(data: string | number, items: "string" | "number"): unknown {
  if (items === "number" && typeof data === "string" && /^\s*\d+\s*$/.test(data)) return Number(data);
  return data;
}
