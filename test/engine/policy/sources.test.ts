// The policy sources, each on real files (or, for the registry, a fake of registry-js's own shape): the owner
// rule on Linux and macOS, binary and XML plists, registry values and lists, and which sources each OS reads.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, buildBinary } from "plist";
import * as registryJs from "registry-js";
import { afterAll, describe, expect, it } from "vitest";
import { LinuxPolicyFile } from "../../../electron/engine/policy/linux-policy-file.js";
import {
  MacManagedPreferences,
  managedPreferencePaths,
} from "../../../electron/engine/policy/macos-managed-preferences.js";
import { platformPolicySources, POLICY_FILE_ENV } from "../../../electron/engine/policy/platform-sources.js";
import { readManagedPolicy } from "../../../electron/engine/policy/policy-resolver.js";
import { readOwnedFile } from "../../../electron/engine/policy/policy-source.js";
import {
  loadRegistryJs,
  WindowsRegistryPolicy,
  type RegistryApi,
  type RegistryEntry,
} from "../../../electron/engine/policy/windows-registry.js";

const dir = mkdtempSync(join(tmpdir(), "pimtray-policy-src-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const me = process.getuid?.() ?? 0;
/** The rule that accepts files this test creates (tests cannot create a file owned by root unless run as root). */
const mine = { ownerUid: me };

function file(content: string | Uint8Array, mode = 0o644): string {
  const path = join(dir, `f${++n}`);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

describe("a policy file's owner and mode (Linux, and macOS's managed preferences)", () => {
  it("reads a file owned by the required owner and writable by no one else", async () => {
    const path = file('{"TenantId":"contoso.com"}');
    const r = await new LinuxPolicyFile(path, mine).read();
    expect(r).toEqual({ values: { TenantId: "contoso.com" }, problems: [] });
  });

  it("refuses a file owned by anyone but the required owner, with the commands that fix it", async () => {
    const path = file('{"TenantId":"contoso.com"}');
    const r = await new LinuxPolicyFile(path, { ownerUid: me + 1 }).read();
    expect(r.values).toBeNull();
    expect(r.refused).toBe(true);
    expect(r.problems[0]).toContain(`owned by uid ${me}, not root`);
    expect(r.problems[0]).toContain(`sudo chown root:root ${path} && sudo chmod 644 ${path}`);
  });

  it("with the real rule (root), refuses a file that is not root's", async () => {
    const path = file('{"TenantId":"contoso.com"}');
    // Run as root, the test gives its file away to make it someone else's; otherwise the file is already not root's.
    if (me === 0) chownSync(path, 65534, 65534);
    const r = await new LinuxPolicyFile(path).read();
    expect(r.refused).toBe(true);
    expect(r.problems[0]).toMatch(/owned by uid \d+, not root/);
  });

  it.runIf(me === 0)("with the real rule, reads a file root owns (the test runs as root)", async () => {
    const path = file('{"TenantId":"contoso.com"}');
    expect((await new LinuxPolicyFile(path).read()).values).toEqual({ TenantId: "contoso.com" });
  });

  for (const mode of [0o664, 0o646, 0o666]) {
    it(`refuses a file group or others may write (mode ${mode.toString(8)})`, async () => {
      const path = file('{"TenantId":"contoso.com"}', mode);
      const r = await new LinuxPolicyFile(path, mine).read();
      expect(r.refused).toBe(true);
      expect(r.problems[0]).toContain(`group or others may write it (mode 0${mode.toString(8)})`);
      expect(r.problems[0]).toContain("sudo chmod 644");
    });
  }

  it("checks the file a symbolic link leads to", async () => {
    const target = file('{"TenantId":"contoso.com"}', 0o666);
    const link = join(dir, `link${++n}`);
    symlinkSync(target, link);
    expect((await new LinuxPolicyFile(link, mine).read()).refused).toBe(true);
  });

  it("the test aid's rule also accepts the user's own file, still refusing a writable one", async () => {
    const rule = { ownerUid: me + 1, orCurrentUser: true };
    expect((await readOwnedFile(file("{}"), rule)).state).toBe("read");
    expect((await readOwnedFile(file("{}", 0o664), rule)).state).toBe("refused");
  });

  it("no file: no policy and nothing to report", async () => {
    expect(await new LinuxPolicyFile(join(dir, "missing.json"), mine).read()).toEqual({ values: null, problems: [] });
    expect(await new LinuxPolicyFile(join(dir, "missing-dir", "policy.json"), mine).read()).toEqual({
      values: null,
      problems: [],
    });
  });

  it("a folder where the file should be is refused", async () => {
    const folder = join(dir, `folder${++n}`);
    mkdirSync(folder, { mode: 0o755 });
    const r = await readOwnedFile(folder, mine);
    expect(r.state).toBe("refused");
  });

  it("reports JSON that does not parse, or is not an object, and applies nothing from it", async () => {
    const bad = await new LinuxPolicyFile(file('{"TenantId": '), mine).read();
    expect(bad.values).toBeNull();
    expect(bad.problems[0]).toMatch(/is not valid JSON .*python3 -m json.tool/);
    const list = await new LinuxPolicyFile(file("[1, 2]"), mine).read();
    expect(list.problems[0]).toContain("must hold one JSON object");
  });
});

describe("macOS managed preferences", () => {
  const values = {
    TenantId: "contoso.com",
    ApprovalsEnabled: true,
    DefaultLeadMinutes: [15, 5],
    EnabledPlanes: ["group", "role"],
    Profiles: [
      {
        name: "Quarter close",
        targets: [{ kind: "group", groupId: "5a2c86b1-7f3e-4a8b-9c1d-2e3f4a5b6c7d", accessId: "member" }],
      },
    ],
  };

  it("reads an XML plist, leaving out the profile's own Payload keys", async () => {
    const path = file(build({ ...values, PayloadUUID: "E1F0…", PayloadVersion: 1 }));
    const r = await new MacManagedPreferences(path, mine).read();
    expect(r).toEqual({ values, problems: [] });
  });

  it("reads a binary plist (what macOS writes to /Library/Managed Preferences)", async () => {
    const bytes = buildBinary(values);
    expect(Buffer.from(bytes).subarray(0, 8).toString("latin1")).toBe("bplist00");
    const r = await new MacManagedPreferences(file(bytes), mine).read();
    expect(r).toEqual({ values, problems: [] });
  });

  it("refuses a plist anyone but root could have written", async () => {
    const r = await new MacManagedPreferences(file(build(values), 0o666), mine).read();
    expect(r.refused).toBe(true);
    const other = await new MacManagedPreferences(file(build(values)), { ownerUid: me + 1 }).read();
    expect(other.refused).toBe(true);
  });

  it("reports a file that is not a property list", async () => {
    const r = await new MacManagedPreferences(file("not a plist"), mine).read();
    expect(r.values).toBeNull();
    expect(r.problems[0]).toContain("is not a property list");
  });

  it("reads the user's managed preferences, then the computer's; never ~/Library/Preferences", () => {
    expect(managedPreferencePaths("adele")).toEqual([
      "/Library/Managed Preferences/adele/dev.pimtray.app.plist",
      "/Library/Managed Preferences/dev.pimtray.app.plist",
    ]);
    for (const user of ["", "..", "a/b"])
      expect(managedPreferencePaths(user)).toEqual(["/Library/Managed Preferences/dev.pimtray.app.plist"]);
  });
});

/** A registry of registry-js's shape: values per "HIVE\subkey", as enumerateValues returns them. */
function fakeRegistry(keys: Record<string, RegistryEntry[]>, calls: string[] = []): RegistryApi {
  return {
    enumerateValues(hive, subkey) {
      calls.push(`${hive}\\${subkey}`);
      return keys[`${hive}\\${subkey}`] ?? [];
    },
  };
}

const KEY = "SOFTWARE\\Policies\\PIMTray";

describe("the Windows registry", () => {
  it("real registry-js has the shape the source uses (checked by the type checker), and loads lazily", async () => {
    const api: RegistryApi = registryJs;
    expect(typeof api.enumerateValues).toBe("function");
    const loaded = await loadRegistryJs();
    // Off Windows, registry-js has no native module and answers every read with nothing.
    if (process.platform !== "win32") expect(loaded.enumerateValues("HKEY_LOCAL_MACHINE", KEY)).toEqual([]);
  });

  it("reads DWORD booleans, text, JSON text and the ADMX list element's numbered values", async () => {
    const registry = fakeRegistry({
      [`HKEY_LOCAL_MACHINE\\${KEY}`]: [
        { name: "", type: "REG_SZ", data: "(default)" },
        { name: "TenantId", type: "REG_SZ", data: "contoso.com" },
        { name: "ApprovalsEnabled", type: "REG_DWORD", data: 1 },
        { name: "AllowCustomEndpoints", type: "REG_DWORD", data: 0 },
        { name: "Profiles", type: "REG_SZ", data: '[{"name":"P","targets":[]}]' },
        { name: "JustificationTemplates", type: "REG_SZ", data: '["Incident"]' },
      ],
      [`HKEY_LOCAL_MACHINE\\${KEY}\\EnabledPlanes`]: [
        { name: "2", type: "REG_SZ", data: "role" },
        { name: "1", type: "REG_SZ", data: "group" },
      ],
      [`HKEY_LOCAL_MACHINE\\${KEY}\\DefaultLeadMinutes`]: [
        { name: "1", type: "REG_SZ", data: "15" },
        { name: "2", type: "REG_SZ", data: "5" },
      ],
    });
    const r = await new WindowsRegistryPolicy("HKEY_LOCAL_MACHINE", () => Promise.resolve(registry)).read();
    expect(r.problems).toEqual([]);
    expect(r.values).toEqual({
      TenantId: "contoso.com",
      ApprovalsEnabled: true,
      AllowCustomEndpoints: false,
      Profiles: [{ name: "P", targets: [] }],
      JustificationTemplates: ["Incident"],
      EnabledPlanes: ["group", "role"],
      DefaultLeadMinutes: [15, 5],
    });
  });

  it("names values case-insensitively, as Windows does, and keeps unknown names for the resolver to report", async () => {
    const registry = fakeRegistry({
      [`HKEY_CURRENT_USER\\${KEY}`]: [
        { name: "tenantid", type: "REG_SZ", data: "contoso.com" },
        { name: "Colour", type: "REG_SZ", data: "blue" },
      ],
    });
    const source = new WindowsRegistryPolicy("HKEY_CURRENT_USER", () => Promise.resolve(registry));
    expect(source.name).toBe("HKCU\\SOFTWARE\\Policies\\PIMTray");
    expect((await source.read()).values).toEqual({ TenantId: "contoso.com", Colour: "blue" });
  });

  it("reports JSON text that does not parse, and keeps the other values", async () => {
    const registry = fakeRegistry({
      [`HKEY_LOCAL_MACHINE\\${KEY}`]: [
        { name: "Profiles", type: "REG_SZ", data: "[{name: P}]" },
        { name: "Cloud", type: "REG_SZ", data: "usgov" },
      ],
    });
    const r = await new WindowsRegistryPolicy("HKEY_LOCAL_MACHINE", () => Promise.resolve(registry)).read();
    expect(r.problems).toEqual([
      "Profiles in HKLM\\SOFTWARE\\Policies\\PIMTray is ignored: it must be JSON text (see docs/deployment.md), and it is not.",
    ]);
    expect(r.values).toMatchObject({ Cloud: "usgov" });
  });

  it("a DWORD other than 0 or 1 for a switch is passed on as a number (the resolver reports it)", async () => {
    const registry = fakeRegistry({
      [`HKEY_LOCAL_MACHINE\\${KEY}`]: [{ name: "ApprovalsEnabled", type: "REG_DWORD", data: 2 }],
    });
    const r = await new WindowsRegistryPolicy("HKEY_LOCAL_MACHINE", () => Promise.resolve(registry)).read();
    expect(r.values).toEqual({ ApprovalsEnabled: 2 });
  });

  it("no key: no policy; a read that fails or a reader that does not load is reported", async () => {
    expect(
      await new WindowsRegistryPolicy("HKEY_LOCAL_MACHINE", () => Promise.resolve(fakeRegistry({}))).read(),
    ).toEqual({
      values: null,
      problems: [],
    });
    const failing: RegistryApi = {
      enumerateValues: () => {
        throw new Error("RegOpenKeyEx failed - exit code: '5'");
      },
    };
    const denied = await new WindowsRegistryPolicy("HKEY_LOCAL_MACHINE", () => Promise.resolve(failing)).read();
    expect(denied.problems[0]).toContain("could not be read (RegOpenKeyEx failed");
    const missing = await new WindowsRegistryPolicy("HKEY_LOCAL_MACHINE", () =>
      Promise.reject(new Error("Cannot find module 'registry-js'")),
    ).read();
    expect(missing.problems[0]).toContain("the registry reader (registry-js) did not load");
  });
});

describe("the sources each OS reads, in precedence order", () => {
  it("Windows: HKLM, then HKCU; the registry is read only when a source reads", async () => {
    const calls: string[] = [];
    const registry = () => Promise.resolve(fakeRegistry({}, calls));
    const sources = platformPolicySources({ platform: "win32", env: {}, registry });
    expect(sources.map((s) => s.name)).toEqual([
      "HKLM\\SOFTWARE\\Policies\\PIMTray",
      "HKCU\\SOFTWARE\\Policies\\PIMTray",
    ]);
    expect(calls).toEqual([]);
    await sources[0]?.read();
    expect(calls[0]).toBe(`HKEY_LOCAL_MACHINE\\${KEY}`);
  });

  it("macOS: the user's managed preferences, then the computer's", () => {
    const sources = platformPolicySources({ platform: "darwin", env: {}, user: "adele" });
    expect(sources.map((s) => s.name)).toEqual(managedPreferencePaths("adele"));
  });

  it("Linux: /etc/pimtray/policy.json", () => {
    expect(platformPolicySources({ platform: "linux", env: {} }).map((s) => s.name)).toEqual([
      "/etc/pimtray/policy.json",
    ]);
  });

  it(`${POLICY_FILE_ENV} adds a file after the machine's own sources, never on Windows`, () => {
    const env = { [POLICY_FILE_ENV]: "/tmp/p.json" };
    expect(platformPolicySources({ platform: "linux", env }).map((s) => s.name)).toEqual([
      "/etc/pimtray/policy.json",
      `${POLICY_FILE_ENV} (/tmp/p.json)`,
    ]);
    expect(
      platformPolicySources({ platform: "win32", env, registry: () => Promise.resolve(fakeRegistry({})) }),
    ).toHaveLength(2);
  });
});

describe("sources read together", () => {
  it("Windows: HKLM wins over HKCU key by key; a bad HKLM value gives way to HKCU's valid one", async () => {
    const registry = fakeRegistry({
      [`HKEY_LOCAL_MACHINE\\${KEY}`]: [
        { name: "TokenCache", type: "REG_SZ", data: "memory" },
        { name: "Cloud", type: "REG_SZ", data: "moon" },
      ],
      [`HKEY_CURRENT_USER\\${KEY}`]: [
        { name: "TokenCache", type: "REG_SZ", data: "encrypted" },
        { name: "Cloud", type: "REG_SZ", data: "usgov" },
        { name: "SupportContact", type: "REG_SZ", data: "Desk" },
      ],
    });
    const p = await readManagedPolicy(
      platformPolicySources({ platform: "win32", env: {}, registry: () => Promise.resolve(registry) }),
    );
    expect(p.values).toEqual({ TokenCache: "memory", Cloud: "usgov", SupportContact: "Desk" });
    expect(p.sourceOf).toEqual({
      TokenCache: "HKLM\\SOFTWARE\\Policies\\PIMTray",
      Cloud: "HKCU\\SOFTWARE\\Policies\\PIMTray",
      SupportContact: "HKCU\\SOFTWARE\\Policies\\PIMTray",
    });
    expect(p.problems).toEqual([
      "Cloud in HKLM\\SOFTWARE\\Policies\\PIMTray is ignored: must be global, usgov, usgovdod or china. Fix or remove the value; the other policies apply.",
    ]);
  });

  it("macOS: the user's managed preferences win over the computer's, key by key", async () => {
    const managed = join(dir, `managed${++n}`);
    mkdirSync(join(managed, "adele"), { recursive: true });
    const [user, computer] = managedPreferencePaths("adele", managed) as [string, string];
    writeFileSync(user, build({ TenantId: "contoso.com" }));
    writeFileSync(computer, Buffer.from(buildBinary({ TenantId: "fabrikam.com", ApprovalsEnabled: false })));
    for (const f of [user, computer]) chmodSync(f, 0o644);
    const p = await readManagedPolicy([
      new MacManagedPreferences(user, mine),
      new MacManagedPreferences(computer, mine),
    ]);
    expect(p.values).toEqual({ TenantId: "contoso.com", ApprovalsEnabled: false });
    expect(p.sourceOf).toEqual({ TenantId: user, ApprovalsEnabled: computer });
  });
});
