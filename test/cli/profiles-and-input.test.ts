// Profiles, naming, and bad input through `pimtray`: clear messages, the right exit codes, no request sent.
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_GROUPS as G } from "../../emulator/index.js";
import { CliHarness, endCliSuite, POST_REQUESTS, resetPim, startCliSuite, type CliSuite } from "../helpers/cli.js";

let emu: CliSuite["emu"];
let cli: CliHarness;

beforeAll(async () => {
  ({ emu, cli } = await startCliSuite({ provisioningDelayMs: 100 }));
});
afterAll(() => endCliSuite({ emu, cli }, false));
beforeEach(() => resetPim(emu));

const posts = async () => (await emu.control.requests()).filter((e) => e.method === "POST" && e.path === POST_REQUESTS);

describe("profiles", () => {
  it("add, list, show, edit and remove", async () => {
    const add = await cli.json([
      "profile",
      "add",
      "Month end",
      "--group",
      "Finance Admins",
      "--group",
      "SharePoint Site Admins:owner",
      "--duration",
      "2h",
      "--justification",
      "Month-end close",
      "--auto-activate",
      "--notify",
      "15,5",
    ]);
    expect(add.code).toBe(0);
    expect(add.body.profile).toMatchObject({
      name: "Month end",
      duration: "PT2H",
      justification: "Month-end close",
      autoActivate: true,
      notifyLeadMinutes: [15, 5],
      targets: [
        { groupId: G.financeAdmins, accessId: "member", groupName: "Finance Admins" },
        { groupId: G.sharePointAdmins, accessId: "owner", groupName: "SharePoint Site Admins" },
      ],
    });
    const list = await cli.run(["profile", "list"]);
    expect(list.stdout).toMatch(/Month end\s+Finance Admins, SharePoint Site Admins \(owner\)\s+2 h\s+yes/);
    const edit = await cli.json([
      "profile",
      "edit",
      "month end",
      "--duration",
      "1h",
      "--keep-active-until",
      "18:00",
      "--name",
      "Month-end",
    ]);
    expect(edit.body.profile).toMatchObject({
      name: "Month-end",
      duration: "PT1H",
      keepActive: { enabled: true, until: "18:00" },
    });
    const show = await cli.run(["profile", "show", "Month-end"]);
    expect(show.stdout).toContain("keep active    yes, until 18:00");
    expect((await cli.run(["profile", "remove", "Month-end"])).code).toBe(0);
    expect((await cli.json(["profile", "list"])).body.profiles).toEqual([]);
  });

  it("activates a profile of several groups; one failure does not stop the others", async () => {
    await cli.run([
      "profile",
      "add",
      "Mixed",
      "--group",
      "Finance Admins",
      "--group",
      "Helpdesk Operators",
      "--group",
      "Production Deploy",
      "--duration",
      "2h",
      "--justification",
      "Incident 7",
    ]);
    const r = await cli.json(["activate", "Mixed"]);
    expect(r.body.profile).toBe("Mixed");
    const byName = Object.fromEntries(r.body.outcomes.map((o: any) => [o.groupName, o]));
    expect(byName["Finance Admins"].status).toBe("active");
    expect(byName["Helpdesk Operators"]).toMatchObject({ status: "failed", error: { kind: "policy" } }); // max 1 h
    expect(byName["Production Deploy"].error.message).toContain("requires a ticket");
    expect(r.code).toBe(4);
    expect((await posts()).map((p) => (p.body as { groupId: string }).groupId)).toEqual([G.financeAdmins]);
    const human = await cli.run(["deactivate", "Mixed"]);
    expect(human.stdout).toContain("Helpdesk Operators (member) was not active.");
    await cli.run(["profile", "remove", "Mixed"]);
  });

  it("a name that is both a profile and a group must be disambiguated", async () => {
    await cli.run(["profile", "add", "Finance Admins", "--group", "Finance Admins", "--justification", "x"]);
    const r = await cli.run(["activate", "Finance Admins"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "both a profile and an eligible group. Add --profile to use the profile, or --group to use the group.",
    );
    expect(await posts()).toHaveLength(0);
    const g = await cli.json(["activate", "Finance Admins", "--group", "--justification", "x"]);
    expect(g.code).toBe(0);
    expect(g.body.profile).toBeUndefined();
    await cli.run(["profile", "remove", "Finance Admins"]);
  });

  it("rejects a profile without groups or with a bad keep-active end", async () => {
    const none = await cli.run(["profile", "add", "Empty"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("needs at least one group");
    const bad = await cli.run(["profile", "add", "K", "--group", "Finance Admins", "--keep-active-until", "25:00"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("keepActive.until: must be a time of day like 18:00");
  });
});

describe("naming groups", () => {
  it("lists the candidates for an ambiguous name and accepts an id", async () => {
    const r = await cli.run(["activate", "platform ops", "--justification", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("2 eligible groups are named 'platform ops'");
    expect(r.stderr).toContain(G.platformOpsEu);
    expect(r.stderr).toContain(G.platformOpsUs);
    const byId = await cli.json(["activate", G.platformOpsUs, "--justification", "x"]);
    expect(byId.code).toBe(0);
    expect(byId.body.outcomes[0].groupId).toBe(G.platformOpsUs);
  });

  it("asks for --as when eligible as both member and owner", async () => {
    const r = await cli.run(["activate", "SharePoint Site Admins"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Add --as member or --as owner");
    const owner = await cli.json(["activate", "SharePoint Site Admins", "--as", "owner", "--justification", "x"]);
    expect(owner.body.outcomes[0]).toMatchObject({ accessId: "owner", status: "active" });
  });
});

describe("bad input", () => {
  const cases: Array<[string, string[], number, string]> = [
    [
      "an unknown group",
      ["activate", "Payroll Admins", "--justification", "x"],
      2,
      "no eligibility for a group named 'Payroll Admins'",
    ],
    [
      "an expired eligibility",
      ["activate", "Legacy Billing", "--justification", "x"],
      2,
      "no eligibility for a group named 'Legacy Billing'",
    ],
    [
      "a malformed duration",
      ["activate", "Finance Admins", "--duration", "two hours"],
      2,
      "Write it like 90m, 2h, 1h30m or PT2H",
    ],
    ["a duration under 5 minutes", ["activate", "Finance Admins", "--duration", "2m"], 2, "at least 5 minutes"],
    [
      "a malformed ticket",
      ["activate", "Production Deploy", "--ticket", "INC0012345"],
      2,
      "Write the ticket as SYSTEM:NUMBER",
    ],
    [
      "a malformed start",
      ["activate", "Finance Admins", "--start", "tomorrow"],
      2,
      "--start takes an ISO-8601 date-time",
    ],
    [
      "a start in the past",
      ["activate", "Finance Admins", "--justification", "x", "--start", "2020-01-01T00:00:00Z"],
      2,
      "is in the past",
    ],
    ["a bad --as", ["activate", "Finance Admins", "--as", "admin"], 2, "--as takes member or owner"],
    ["a missing justification", ["activate", "Finance Admins"], 4, "requires a justification"],
    ["an unknown option", ["activate", "Finance Admins", "--frobnicate"], 2, "unknown option '--frobnicate'"],
    ["an unknown cloud", ["status", "--cloud", "mars"], 2, "Allowed choices are global, usgov, usgovdod, china"],
    ["an http authority", ["status", "--authority-host", "http://127.0.0.1:1"], 2, "must use https"],
  ];
  for (const [what, args, code, message] of cases) {
    it(`${what}: exit ${code}, a message naming the fix, no request sent`, async () => {
      const r = await cli.run(args);
      expect(r.code).toBe(code);
      expect(r.stderr).toContain(message);
      expect(await posts()).toHaveLength(0);
    });
  }

  it("a corrupt settings file: exit 8, a backup, and the file left as it was", async () => {
    const other = new CliHarness(emu);
    writeFileSync(join(other.configDir, "settings.json"), "{ not json");
    const r = await other.json(["status"]);
    expect(r.code).toBe(8);
    expect(r.body.error.kind).toBe("config");
    expect(r.body.error.message).toContain("is not valid JSON");
    expect(readdirSync(other.configDir).some((f) => f.startsWith("settings.json.corrupt-"))).toBe(true);
    other.cleanup();
  });
});

describe("demo mode", () => {
  it("signs in without a browser and activates against the embedded demo tenant", async () => {
    const demo = new CliHarness(emu);
    const env = { PIMTRAY_AUTHORITY_HOST: "", PIMTRAY_GRAPH_ENDPOINT: "", PIMTRAY_TENANT: "" };
    try {
      const r = await demo.run(["activate", "Helpdesk Operators", "--demo", "--justification", "Demo", "--json"], env);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).outcomes[0]).toMatchObject({ groupName: "Helpdesk Operators", status: "active" });
      const status = await demo.run(["status", "--demo", "--json"], env);
      expect(JSON.parse(status.stdout).active.map((a: { groupName: string }) => a.groupName)).toEqual([
        "Helpdesk Operators",
      ]);
      expect((await demo.run(["whoami", "--demo", "--json"], env)).stdout).toContain("adele@contoso.example");
      // The demo emulator's log holds request lines: owner-only, like the rest of the config folder.
      expect(statSync(join(demo.configDir, "demo", "emulator.log")).mode & 0o777).toBe(0o600);
    } finally {
      await demo.run(["demo", "stop"], env);
      demo.cleanup();
    }
  });
});
