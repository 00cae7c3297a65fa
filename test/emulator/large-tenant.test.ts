// The large-tenant generator mixes all three planes: generated groups, directory roles (some AU-scoped) and Azure
// roles (subscription, resource group and resource scope), each with a policy mix, seen over HTTPS as a client would.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS as U } from "../../emulator/index.js";
import { largeArm } from "../../emulator/arm/seed.js";
import { largeRoles } from "../../emulator/roles/seed.js";
import { largeTenant } from "../../emulator/seed.js";
import { largeCounts } from "../../emulator/settings.js";
import { startTestEmulator } from "../helpers/emulator.js";
import { PIM, RawClient } from "../helpers/graph-client.js";
import { checkArm, checkGraph } from "../helpers/schema-check.js";
import { PIM_SCOPES, signIn } from "../helpers/tokens.js";

const ROLE_SCOPES = [
  "https://graph.microsoft.com/RoleEligibilitySchedule.Read.Directory",
  "https://graph.microsoft.com/RoleAssignmentSchedule.ReadWrite.Directory",
  "https://graph.microsoft.com/RoleManagementPolicy.Read.Directory",
];
const ARM_SCOPE = ["https://management.azure.com/user_impersonation"];
const V = "api-version=2020-10-01";
const AUTHZ = "providers/Microsoft.Authorization";
/** The demo tenant's current eligibilities for Adele on each plane (filterByCurrentUser / asTarget). */
const DEMO = { groups: 11, roles: 6, azure: 7 };

/** Every item of a Graph or ARM list, following @odata.nextLink / nextLink. */
async function all(client: RawClient, first: string): Promise<Array<Record<string, any>>> {
  const out: Array<Record<string, any>> = [];
  for (let url: string | undefined = first; url;) {
    const page = await client.get(url);
    expect(page.status).toBe(200);
    out.push(...page.json.value);
    url = page.json["@odata.nextLink"] ?? page.json.nextLink ?? undefined;
  }
  return out;
}

describe("largeCounts", () => {
  it("defaults to half as many directory roles and as many Azure roles as groups", () => {
    expect(largeCounts({ kind: "large", groups: 7 })).toEqual({ roles: 4, azure: 7 });
    expect(largeCounts({ kind: "large", groups: 7, roles: 0, azure: 3 })).toEqual({ roles: 0, azure: 3 });
  });

  it("generates the same tenant on every run, and a different one for another seed", () => {
    expect(largeRoles(0, 30)).toEqual(largeRoles(0, 30));
    expect(largeArm(0, 30)).toEqual(largeArm(0, 30));
    expect(largeArm(0, 30, 7).eligibilities.map((e) => e.scope)).not.toEqual(
      largeArm(0, 30).eligibilities.map((e) => e.scope),
    );
    // The groups generator is unchanged by the new planes.
    expect(largeTenant(0, 5).groups).toHaveLength(11 + 5);
  });
});

describe("npm run emulator -- --large-roles / --large-azure", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "emulator/cli.ts", ...args], { encoding: "utf8", timeout: 30_000 });

  it("needs --large, and whole numbers", () => {
    const alone = run("--large-roles", "3");
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain("--large-roles and --large-azure need --large.");
    const bad = run("--large", "5", "--large-azure", "many");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--large-azure must be a whole number from 0 to 20000; got 'many'.");
  });
});

describe("a large tenant on all three planes", () => {
  const counts = { groups: 60, roles: 40, azure: 90 };
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let groups: RawClient;
  let roles: RawClient;
  let azure: RawClient;

  beforeAll(async () => {
    emu = await startTestEmulator({ seed: { kind: "large", ...counts } });
    groups = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "adele", PIM_SCOPES)).accessToken);
    roles = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "adele", ROLE_SCOPES)).accessToken);
    azure = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "adele", ARM_SCOPE)).accessToken);
    await emu.control.configure({ pageSize: 25, armPageSize: 25 });
  });
  afterAll(async () => {
    await groups.close();
    await roles.close();
    await azure.close();
    await emu.stop();
  });

  it("answers with the expected number of group eligibilities", async () => {
    const items = await all(groups, `${PIM}/eligibilityScheduleInstances/filterByCurrentUser(on='principal')`);
    expect(items).toHaveLength(DEMO.groups + counts.groups);
  });

  it("answers with the expected number of directory-role eligibilities, some scoped to an administrative unit", async () => {
    const items = await all(
      roles,
      `/v1.0/roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')?$expand=roleDefinition,directoryScope`,
    );
    expect(items).toHaveLength(DEMO.roles + counts.roles);
    const generated = items.filter((i) => i.roleDefinition.description === "Generated custom role");
    expect(generated).toHaveLength(counts.roles);
    const auScoped = generated.filter((i) => i.directoryScopeId.startsWith("/administrativeUnits/"));
    expect(auScoped.length).toBeGreaterThan(0);
    expect(auScoped.length).toBeLessThan(counts.roles);
    for (const i of auScoped) expect(i.directoryScope["@odata.type"]).toBe("#microsoft.graph.administrativeUnit");
    for (const i of items)
      expect(checkGraph("unifiedRoleEligibilityScheduleInstance", i, { required: true })).toEqual([]);
  });

  it("gives the generated directory roles a policy mix: plain, approval, MFA and ticket", async () => {
    const ids = emu.emulator.roles.seed.roleDefinitions
      .filter((r) => r.description === "Generated custom role")
      .map((r) => r.id);
    const seen = new Set<string>();
    for (const id of ids) {
      const res = await roles.get(
        `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${id}'&$expand=policy($expand=rules)`,
      );
      const rules: Array<Record<string, any>> = res.json.value[0].policy.rules;
      const approval = rules.find((r) => r.id === "Approval_EndUser_Assignment")?.setting.isApprovalRequired;
      const enabled: string[] = rules.find((r) => r.id === "Enablement_EndUser_Assignment")?.enabledRules ?? [];
      seen.add(
        approval
          ? "approval"
          : enabled.includes("MultiFactorAuthentication")
            ? "mfa"
            : enabled.includes("Ticketing")
              ? "ticket"
              : "plain",
      );
    }
    expect([...seen].sort()).toEqual(["approval", "mfa", "plain", "ticket"]);
  });

  it("answers with the expected number of Azure eligibilities, at subscription, resource group and resource scope", async () => {
    const items = await all(
      azure,
      `${emu.armBaseUrl}/${AUTHZ}/roleEligibilityScheduleInstances?${V}&$filter=asTarget()`,
    );
    expect(items).toHaveLength(DEMO.azure + counts.azure);
    const depth = (scope: string) => scope.split("/").length;
    const scopes = items.map((i) => i.properties.scope as string);
    expect(scopes.some((s) => depth(s) === 3)).toBe(true); // /subscriptions/{id}
    expect(scopes.some((s) => depth(s) === 5)).toBe(true); // .../resourceGroups/{rg}
    expect(scopes.some((s) => depth(s) > 5)).toBe(true); // .../providers/{ns}/{type}/{name}
    const subs = new Set(scopes.map((s) => s.split("/")[2]));
    expect(subs.size).toBe(2);
    for (const i of items) expect(i.properties.principalId).toBe(U.adele);
    expect(
      checkArm("RoleEligibilityScheduleInstance.json", "RoleEligibilityScheduleInstance", items[items.length - 1]),
    ).toEqual([]);
  });

  it("gives the generated Azure eligibilities a policy mix, and lists their resource groups as children", async () => {
    const gen = emu.emulator.armState.seed.eligibilities.slice(-counts.azure);
    const seen = new Set<string>();
    for (const e of gen) {
      const res = await azure.get(
        `${emu.armBaseUrl}${e.scope}/${AUTHZ}/roleManagementPolicyAssignments?${V}&$filter=roleDefinitionId eq '${e.scope.split("/").slice(0, 3).join("/")}/${AUTHZ}/roleDefinitions/${e.roleGuid}'`,
      );
      expect(res.status).toBe(200);
      const rules: Array<Record<string, any>> = res.json.value[0].properties.effectiveRules;
      const approval = rules.find((r) => r.id === "Approval_EndUser_Assignment")?.setting.isApprovalRequired;
      const enabled: string[] = rules.find((r) => r.id === "Enablement_EndUser_Assignment")?.enabledRules ?? [];
      seen.add(
        approval
          ? "approval"
          : enabled.includes("MultiFactorAuthentication")
            ? "mfa"
            : enabled.includes("Ticketing")
              ? "ticket"
              : "plain",
      );
    }
    expect([...seen].sort()).toEqual(["approval", "mfa", "plain", "ticket"]);
    const rgScoped = gen.find((e) => e.scope.split("/").length === 5);
    expect(rgScoped).toBeDefined();
    const sub = (rgScoped?.scope ?? "").split("/").slice(0, 3).join("/");
    const children = await all(
      azure,
      `${emu.armBaseUrl}${sub}/${AUTHZ}/eligibleChildResources?${V}&$filter=resourceType eq 'resourcegroup'`,
    );
    expect(children.map((c) => c.id)).toContain(rgScoped?.scope);
  });

  it("keeps the demo tenant unchanged when reset to it", async () => {
    await emu.control.reset({ kind: "demo" });
    try {
      expect(emu.emulator.roles.seed.roleDefinitions).toHaveLength(7);
      expect(emu.emulator.armState.seed.eligibilities).toHaveLength(9);
      expect(emu.emulator.pim.tenant.groups).toHaveLength(11);
    } finally {
      await emu.control.reset({ kind: "large", ...counts });
    }
  });
});
