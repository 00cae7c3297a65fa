// resolveTarget over every plane's eligibilities: a pure function, tested with the demo's shapes.
import { describe, expect, it } from "vitest";
import { AmbiguousError, NotFoundError } from "../../electron/engine/errors.js";
import type { AzureEligibility, Eligibility, RoleEligibility } from "../../electron/engine/planes/targets.js";
import { coversScope, resolveTarget } from "../../electron/engine/resolve.js";

const SUB = "/subscriptions/11111111-1111-4111-8111-111111111111";
const RG = `${SUB}/resourceGroups/rg-web`;
const AU = "/administrativeUnits/22222222-2222-4222-8222-222222222222";
const def = (guid: string) => `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const window = { startDateTime: null, endDateTime: null };

const group = (id: string, name: string, accessId: "member" | "owner" = "member"): Eligibility => ({
  groupId: id,
  groupName: name,
  accessId,
  groupDescription: null,
  groupMailNickname: null,
  ...window,
});
const role = (name: string, id: string, scope = "/", scopeName = "Directory"): RoleEligibility => ({
  kind: "role",
  roleDefinitionId: id,
  directoryScopeId: scope,
  roleName: name,
  scopeName,
  memberType: "Direct",
  ...window,
});
const azure = (name: string, guid: string, scope: string, scopeName: string): AzureEligibility => ({
  kind: "azure",
  roleDefinitionId: def(guid),
  scope,
  roleName: name,
  scopeName,
  scopeType: scope.includes("resourceGroups") ? "resourcegroup" : "subscription",
  eligibilityScheduleId: `${scope}/providers/Microsoft.Authorization/roleEligibilitySchedules/x`,
  memberType: "Direct",
  ...window,
});

const FIN = "33333333-3333-4333-8333-333333333333";
const all: Eligibility[] = [
  group(FIN, "Finance Admins"),
  role("Global Reader", "f2ef992c-3afb-46b9-b7cf-a126ee74c451"),
  role("Helpdesk Administrator", "729827e3-9c14-49f7-bb1b-9608f156bbb8", AU, "Sales"),
  role("Helpdesk Administrator", "729827e3-9c14-49f7-bb1b-9608f156bbb8"),
  azure("Contributor", CONTRIBUTOR, SUB, "Contoso Production"),
  azure("Contributor", CONTRIBUTOR, RG, "rg-web"),
  azure("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7", SUB, "Contoso Production"),
  role("Reader", "44444444-4444-4444-8444-444444444444"),
];

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("did not throw");
}

describe("resolveTarget on every plane", () => {
  it("groups resolve as before, with the same messages", () => {
    expect(resolveTarget("finance admins", all, [])).toEqual({
      kind: "group",
      groupId: FIN,
      groupName: "Finance Admins",
      accessId: "member",
    });
    const e = thrown(() => resolveTarget("Nope", all, []));
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.message).toMatch(/^You have no eligibility for a group named 'Nope'\./);
  });

  it("a role by name, by definition id, and at a scope by id or name", () => {
    expect(resolveTarget("global reader", all, [])).toMatchObject({
      kind: "role",
      eligibility: { directoryScopeId: "/" },
    });
    expect(resolveTarget("f2ef992c-3afb-46b9-b7cf-a126ee74c451", all, [])).toMatchObject({ kind: "role" });
    expect(resolveTarget("Helpdesk Administrator", all, [], { scope: AU })).toMatchObject({
      eligibility: { directoryScopeId: AU },
    });
    expect(resolveTarget("Helpdesk Administrator", all, [], { scope: "sales" })).toMatchObject({
      eligibility: { directoryScopeId: AU },
    });
    expect(resolveTarget("Helpdesk Administrator", all, [], { scope: "Directory" })).toMatchObject({
      eligibility: { directoryScopeId: "/" },
    });
  });

  it("two scopes without --scope, or two planes without --kind, are ambiguous with candidates", () => {
    const scopes = thrown(() => resolveTarget("Helpdesk Administrator", all, []));
    expect(scopes).toBeInstanceOf(AmbiguousError);
    expect((scopes as AmbiguousError).candidates).toHaveLength(2);
    expect(scopes.message).toContain("Add --scope");
    const planes = thrown(() => resolveTarget("Reader", all, []));
    expect(planes).toBeInstanceOf(AmbiguousError);
    expect(planes.message).toContain("--kind");
    expect((planes as AmbiguousError).candidates.map((c) => c.label)).toEqual([
      "Entra ID role Reader at / (Directory)",
      `Azure role Reader at ${SUB} (Contoso Production)`,
    ]);
    expect(resolveTarget("Reader", all, [], { kind: "azure" })).toMatchObject({ kind: "azure", scope: SUB });
  });

  it("an Azure child scope is a reduced scope under the nearest covering eligibility", () => {
    const vm = `${RG}/providers/Microsoft.Web/sites/app`;
    expect(resolveTarget("Contributor", all, [], { scope: vm })).toMatchObject({
      kind: "azure",
      scope: vm,
      scopeName: "app",
      eligibility: { scope: RG },
    });
    const data = `${SUB}/resourceGroups/rg-data`;
    expect(resolveTarget("Contributor", all, [], { scope: data })).toMatchObject({
      scope: data,
      eligibility: { scope: SUB },
    });
    expect(resolveTarget("Contributor", all, [], { scope: "rg-web" })).toMatchObject({ scope: RG });
    const outside = thrown(() => resolveTarget("Contributor", all, [], { scope: "/subscriptions/other" }));
    expect(outside).toBeInstanceOf(NotFoundError);
    expect(coversScope(SUB, RG.toUpperCase())).toBe(true);
    expect(coversScope(RG, `${SUB}/resourceGroups/rg-web2`)).toBe(false);
  });

  it("a profile and a role with one name need --profile or --kind", () => {
    const profile = { id: "p1", name: "Global Reader" } as never;
    const e = thrown(() => resolveTarget("Global Reader", all, [profile]));
    expect(e).toBeInstanceOf(AmbiguousError);
    expect(e.message).toContain("--kind");
    expect(resolveTarget("Global Reader", all, [profile], { prefer: "target", kind: "role" })).toMatchObject({
      kind: "role",
    });
    expect(resolveTarget("Global Reader", all, [profile], { prefer: "profile" })).toMatchObject({ kind: "profile" });
  });
});
