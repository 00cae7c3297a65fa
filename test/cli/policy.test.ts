// Managed policy through the real `pimtray` against the emulator. The policy is a file named by
// PIMTRAY_POLICY_FILE (tests cannot create a file owned by root; that variable's file comes after the machine's
// own sources and must still be writable by no one but its owner): `pimtray policy`, its exit codes, every command
// applying it (planes, profiles, locked settings, flags against locked values), and what each start loads.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_GROUPS as G } from "../../emulator/index.js";
import { CliHarness, endCliSuite, resetPim, startCliSuite, type CliSuite } from "../helpers/cli.js";
import { loadedFrom, loadRecorder, recorded, sourcesLoaded } from "../main/start-time-harness.js";

let emu: CliSuite["emu"];
let cli: CliHarness;
const dir = mkdtempSync(join(tmpdir(), "pimtray-policy-cli-"));
let n = 0;

beforeAll(async () => {
  ({ emu, cli } = await startCliSuite({}));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await endCliSuite({ emu, cli }, false);
});
beforeEach(() => resetPim(emu));

/** A policy file as an administrator writes it (mode 0644), and the variable that names it. */
function policy(values: Record<string, unknown>, mode = 0o644): Record<string, string> {
  const path = join(dir, `policy-${++n}.json`);
  writeFileSync(path, JSON.stringify(values));
  chmodSync(path, mode);
  return { PIMTRAY_POLICY_FILE: path };
}

async function json(args: string[], env: Record<string, string>) {
  const r = await cli.run([...args, "--json"], env);
  return { ...r, body: JSON.parse(r.stdout.trim().split("\n").pop() ?? "null") as Record<string, any> };
}

const settingsFile = () => readFileSync(join(cli.configDir, "settings.json"), "utf8");
const planeReads = async () =>
  (await emu.control.requests())
    .map((r) => r.path)
    .filter((p) => p.includes("/roleManagement/") || p.startsWith("/arm/"));

describe("pimtray policy", () => {
  it("prints each value, where it came from and what is locked (exit 0)", async () => {
    const env = policy({ TenantId: emu.tenantId, ApprovalsEnabled: false, SupportContact: "Service desk, ext. 4000" });
    const r = await json(["policy"], env);
    expect(r.code, r.stderr).toBe(0);
    const source = `PIMTRAY_POLICY_FILE (${env.PIMTRAY_POLICY_FILE})`;
    expect(r.body.valid).toBe(true);
    expect(r.body.fields.find((f: { key: string }) => f.key === "TenantId")).toEqual({
      key: "TenantId",
      setting: "connection.tenant",
      value: emu.tenantId,
      from: "policy",
      source,
      locked: true,
    });
    expect(r.body.fields.find((f: { key: string }) => f.key === "TokenCache")).toMatchObject({
      from: "default",
      locked: false,
    });
    expect(r.body.locked).toEqual(["connection.tenant", "approvals.enabled"]);
    expect(r.body.supportContact).toBe("Service desk, ext. 4000");
    expect(r.body.sources).toEqual([
      {
        name: "/etc/pimtray/policy.json",
        state: existsSync("/etc/pimtray/policy.json") ? expect.any(String) : "absent",
        keys: [],
      },
      { name: source, state: "applied", keys: ["TenantId", "ApprovalsEnabled", "SupportContact"] },
    ]);
    const text = await cli.run(["policy"], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`TenantId\\s+${emu.tenantId}\\s+policy: PIMTRAY_POLICY_FILE`));
    expect(text.stdout).toContain(
      "Set by your organisation (you cannot change them): TenantId, ApprovalsEnabled, SupportContact.",
    );
    expect(text.stdout).toContain("Support: Service desk, ext. 4000");
  });

  it("a bad value and an unknown key: exit 8 with each problem; every other command runs, with the valid keys applied", async () => {
    const env = policy({ EnabledPlanes: ["group"], TokenCache: "plain-text", Colour: "blue" });
    const r = await json(["policy"], env);
    expect(r.code).toBe(8);
    expect(r.body.valid).toBe(false);
    expect(r.body.problems).toEqual([
      expect.stringMatching(
        /^TokenCache in PIMTRAY_POLICY_FILE \(.*\) is ignored: must be encrypted or memory\. Fix or remove/,
      ),
      expect.stringMatching(/^Unknown policy "Colour" in PIMTRAY_POLICY_FILE .* is ignored/),
    ]);
    const text = await cli.run(["policy"], env);
    expect(text.code).toBe(8);
    expect(text.stdout).toContain("2 problems:");

    const status = await json(["status"], env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stderr).toContain("your organisation's policy has 2 problems; run `pimtray policy` for details.");
    // EnabledPlanes applied: only groups are read; Entra ID roles and Azure are never asked.
    expect(await planeReads()).toEqual([]);
    const eligible = await json(["eligible"], env);
    expect(eligible.code).toBe(0);
    expect(new Set(eligible.body.eligibilities.map((e: { kind: string }) => e.kind))).toEqual(new Set(["group"]));
    // The user's settings file still has every plane on.
    expect(JSON.parse(settingsFile()).planes).toEqual({ group: true, role: true, azure: true });
  });

  it("refuses a policy file others may write, with the fix, and applies none of it (exit 8)", async () => {
    const env = policy({ EnabledPlanes: ["group"] }, 0o666);
    const r = await json(["policy"], env);
    expect(r.code).toBe(8);
    expect(r.body.sources[1]).toMatchObject({ state: "refused", keys: [] });
    expect(r.body.problems[0]).toContain(`sudo chown root:root ${env.PIMTRAY_POLICY_FILE} && sudo chmod 644`);
    expect(r.body.fields.find((f: { key: string }) => f.key === "EnabledPlanes")).toMatchObject({ locked: false });
  });
});

describe("every command applies the policy", () => {
  it("a flag against a locked value is refused, naming the policy; the same value is fine", async () => {
    const env = policy({ TenantId: emu.tenantId, Cloud: "global" });
    const r = await cli.run(["status", "--tenant", "contoso.com"], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "--tenant (or PIMTRAY_TENANT) 'contoso.com' is refused: this setting is set by your organisation (policy TenantId, PIMTRAY_POLICY_FILE",
    );
    const cloud = await cli.run(["status", "--cloud", "china"], env);
    expect(cloud.code).toBe(2);
    expect(cloud.stderr).toContain("policy Cloud");
    expect((await cli.run(["status", "--tenant", emu.tenantId.toUpperCase()], env)).code).toBe(0);
  });

  it("AllowCustomEndpoints off: a custom sign-in or Graph endpoint is refused before any request", async () => {
    await emu.control.clearRequests();
    const r = await cli.run(["status"], policy({ AllowCustomEndpoints: false, SupportContact: "the service desk" }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Custom endpoints (authorityHost, graphEndpoint, armEndpoint) are turned off");
    expect(r.stderr).toContain("policy AllowCustomEndpoints");
    expect(r.stderr).toContain("To change it, contact the service desk.");
    expect(await emu.control.requests()).toEqual([]);
  });

  it("a locked setting cannot be changed from the command line, and settings.json is not touched", async () => {
    const before = settingsFile();
    const r = await cli.run(["approvals", "on"], policy({ ApprovalsEnabled: false }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"I approve requests": set by your organisation (policy ApprovalsEnabled');
    expect(settingsFile()).toBe(before);
  });

  it("the organisation's profiles are listed, locked, and activate like any profile", async () => {
    const env = policy({
      Profiles: [
        {
          name: "Finance close",
          targets: [{ groupId: G.financeAdmins, accessId: "member" }],
          justification: "Month-end close",
        },
      ],
    });
    const list = await json(["profile", "list"], env);
    expect(list.code).toBe(0);
    expect(list.body.profiles[0]).toMatchObject({ id: "managed:finance close", name: "Finance close", managed: true });
    const remove = await cli.run(["profile", "remove", "Finance close"], env);
    expect(remove.code).toBe(2);
    expect(remove.stderr).toContain('The profile "Finance close" is set by your organisation (policy Profiles');
    const activate = await json(["activate", "Finance close", "--profile", "--no-wait"], env);
    expect(activate.code, activate.stderr).toBe(0);
    expect(activate.body.outcomes[0]).toMatchObject({ groupId: G.financeAdmins });
    const posted = (await emu.control.requests()).filter(
      (e) => e.method === "POST" && e.path.endsWith("/assignmentScheduleRequests"),
    );
    expect(posted.map((p) => (p.body as { justification: string }).justification)).toEqual(["Month-end close"]);
    expect(JSON.parse(settingsFile()).profiles).toEqual([]);
  });
});

describe("what a start loads", () => {
  const traceDir = join(dir, "trace");
  async function traced(args: string[], env: Record<string, string> = {}) {
    const run = join(traceDir, `run-${++n}`);
    mkdirSync(run, { recursive: true });
    const record = join(run, "loaded.txt");
    const r = await cli.run(args, { NODE_OPTIONS: `--import=${loadRecorder(run, record)}`, ...env });
    return { ...r, sources: sourcesLoaded(recorded(record)) };
  }

  it("--version loads no policy module", async () => {
    const r = await traced(["--version"]);
    expect(r.code).toBe(0);
    expect(loadedFrom(r.sources, "electron/cli/main.ts")).toBe(true);
    expect(loadedFrom(r.sources, "electron/engine/policy/")).toBe(false);
  });

  it("status on Linux loads the resolver, and neither plist, bplist-parser nor registry-js", async () => {
    const r = await traced(["status", "--json"], policy({ ApprovalsEnabled: false }));
    expect(r.code, r.stderr).toBe(0);
    expect(loadedFrom(r.sources, "electron/engine/policy/policy-resolver.ts")).toBe(true);
    for (const pkg of ["plist", "bplist-parser", "registry-js", "@xmldom/xmldom"])
      expect(loadedFrom(r.sources, `node_modules/${pkg}/`), pkg).toBe(false);
    expect(loadedFrom(r.sources, "electron/cli/commands/policy.ts")).toBe(false);
  });
});

// Last: it removes the suite's token cache.
describe("TokenCache memory", () => {
  it("keeps no token between commands and removes the file kept before", async () => {
    expect(existsSync(join(cli.configDir, "msal-cache.json"))).toBe(true);
    const r = await json(["whoami"], { ...policy({ TokenCache: "memory" }), PIMTRAY_NO_INTERACTIVE: "1" });
    expect(r.body.tokenStorage).toContain("memory only");
    expect(existsSync(join(cli.configDir, "msal-cache.json"))).toBe(false);
    const status = await cli.run(["status", "--no-interactive"], policy({ TokenCache: "memory" }));
    expect(status.code).toBe(3);
  });
});
