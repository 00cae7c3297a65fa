// The emulator's three planes, and the bodies sent to them, checked against Microsoft's published schemas
// (test/fixtures/pim-schemas.json: Graph v1.0 CSDL and the Microsoft.Authorization 2020-10-01 ARM specs).
// Responses are fetched over real HTTPS with MSAL-issued tokens; bodies are checked as the emulator's request log
// recorded them after they went over the wire.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ARM_ELIGIBILITIES as E,
  ARM_ROLES as AR,
  ARM_SCOPES as S,
  DEMO_GROUPS as G,
  DEMO_USERS as U,
} from "../../emulator/index.js";
import { DEMO_ROLES as R } from "../../emulator/roles/seed.js";
import { azureRequestBody } from "../../electron/engine/planes/azure/request-body.js";
import { roleRequestBody } from "../../electron/engine/planes/role/role-body.js";
import { startTestEmulator } from "../helpers/emulator.js";
import { activationBody, PIM, RawClient } from "../helpers/graph-client.js";
import { checkArm, checkGraph, SCHEMAS, type CheckOptions } from "../helpers/schema-check.js";
import { PIM_SCOPES, signIn } from "../helpers/tokens.js";

const ROLES = "/v1.0/roleManagement/directory";
const ROLE_SCOPES = [
  "https://graph.microsoft.com/RoleEligibilitySchedule.Read.Directory",
  "https://graph.microsoft.com/RoleAssignmentSchedule.ReadWrite.Directory",
  "https://graph.microsoft.com/RoleManagementPolicy.Read.Directory",
];
const ARM_SCOPE = ["https://management.azure.com/user_impersonation"];
const V = "api-version=2020-10-01";
const AUTHZ = "providers/Microsoft.Authorization";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let groups: RawClient;
let roles: RawClient;
let azure: RawClient;

beforeAll(async () => {
  emu = await startTestEmulator();
  groups = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "adele", PIM_SCOPES)).accessToken);
  roles = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "adele", ROLE_SCOPES)).accessToken);
  azure = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "adele", ARM_SCOPE)).accessToken);
});
afterAll(async () => {
  await groups.close();
  await roles.close();
  await azure.close();
  await emu.stop();
});
beforeEach(async () => {
  emu.emulator.reset();
  await emu.control.configure({ provisioningDelayMs: 0, pageSize: 100, armPageSize: 100 });
});

/** Fails with every problem listed, each naming its JSON path. */
function expectGraph(type: string, value: unknown, opts: CheckOptions = { required: true }) {
  expect(checkGraph(type, value, opts)).toEqual([]);
}
function expectArm(file: string, name: string, value: unknown, opts: CheckOptions = {}) {
  expect(checkArm(file, name, value, opts)).toEqual([]);
}
function expectGraphItems(type: string, res: { status: number; json: { value?: unknown[] } }, min = 1) {
  expect(res.status).toBe(200);
  const items = res.json.value ?? [];
  expect(items.length).toBeGreaterThanOrEqual(min);
  items.forEach((item, i) => expect(checkGraph(type, item, { required: true }, `$.value[${i}]`)).toEqual([]));
}
function expectArmItems(file: string, name: string, res: { status: number; json: { value?: unknown[] } }, min = 1) {
  expect(res.status).toBe(200);
  const items = res.json.value ?? [];
  expect(items.length).toBeGreaterThanOrEqual(min);
  expectArm(file, `${name}ListResult`, res.json);
}

/** The JSON bodies the emulator logged for `method` requests whose path ends with `suffix`. */
async function loggedBodies(method: string, pathPart: string): Promise<unknown[]> {
  const log = await emu.control.requests();
  return log.filter((r) => r.method === method && r.path.includes(pathPart)).map((r) => r.body);
}

describe("the fixture", () => {
  it("records where each schema came from", () => {
    expect(SCHEMAS.sources.graph).toMatchObject({
      repo: "microsoftgraph/msgraph-metadata",
      path: "clean_v10_metadata/cleanMetadata.xml",
    });
    expect(SCHEMAS.sources.graph.commit).toMatch(/^[0-9a-f]{40}$/);
    for (const file of Object.values(SCHEMAS.arm)) expect(file.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(Object.keys(SCHEMAS.arm)).toContain("RoleAssignmentScheduleRequest.json");
  });
});

describe("the validator", () => {
  const instance = {
    id: "x",
    accessId: "member",
    groupId: G.financeAdmins,
    principalId: U.adele,
    memberType: "direct",
    startDateTime: "2026-01-01T00:00:00Z",
    endDateTime: null,
  };
  const armRequest = {
    properties: {
      principalId: U.adele,
      roleDefinitionId: "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/y",
      requestType: "SelfActivate",
      scheduleInfo: { expiration: { type: "AfterDuration", duration: "PT1H" } },
    },
  };
  const graphType = "privilegedAccessGroupEligibilityScheduleInstance";
  const armFile = "RoleAssignmentScheduleRequest.json";

  it("accepts a conforming value, OData annotations and expanded navigation properties", () => {
    expect(checkGraph(graphType, instance, { required: true })).toEqual([]);
    const annotated = {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#x",
      "@odata.type": "#microsoft.graph.privilegedAccessGroupEligibilityScheduleInstance",
      "group@odata.context": "x",
      group: { id: G.financeAdmins, displayName: "Finance Admins" },
      ...instance,
    };
    expect(checkGraph(graphType, annotated, { required: true })).toEqual([]);
    expect(checkArm(armFile, "RoleAssignmentScheduleRequest", armRequest, { body: true })).toEqual([]);
  });

  it("fails an unknown property, naming its path", () => {
    expect(checkGraph(graphType, { ...instance, groupName: "x" })).toEqual([
      "$.groupName: unknown property (not declared by privilegedAccessGroupEligibilityScheduleInstance)",
    ]);
    const extra = { properties: { ...armRequest.properties, scheduleInfo: { duration: "PT1H" } } };
    expect(checkArm(armFile, "RoleAssignmentScheduleRequest", extra)).toEqual([
      "$.properties.scheduleInfo.duration: unknown property",
    ]);
  });

  it("fails a missing required property", () => {
    const { id: _id, ...noId } = instance;
    expect(checkGraph(graphType, noId, { required: true })).toEqual([
      "$.id: missing required property of privilegedAccessGroupEligibilityScheduleInstance",
    ]);
    // Without `required`, Graph's omissions pass: responses may leave properties out.
    expect(checkGraph(graphType, noId)).toEqual([]);
    const { requestType: _rt, ...noType } = armRequest.properties;
    expect(checkArm(armFile, "RoleAssignmentScheduleRequest", { properties: noType })).toEqual([
      "$.properties.requestType: missing required property",
    ]);
  });

  it("fails a wrong primitive type", () => {
    expect(checkGraph(graphType, { ...instance, startDateTime: 1767225600000 })).toEqual([
      "$.startDateTime: expected an ISO 8601 date-time (Edm.DateTimeOffset), got number",
    ]);
    expect(checkGraph(graphType, { ...instance, id: null }, { required: true })).toEqual([
      '$.id: null, but the property is Nullable="false"',
    ]);
    const bad = { properties: { ...armRequest.properties, principalId: 42 } };
    expect(checkArm(armFile, "RoleAssignmentScheduleRequest", bad)).toEqual([
      "$.properties.principalId: expected string, got number",
    ]);
  });

  it("fails an enum value outside the schema, case-sensitively", () => {
    expect(checkGraph(graphType, { ...instance, accessId: "Member" })).toEqual([
      '$.accessId: "Member" is not a member of privilegedAccessGroupRelationships (owner, member, unknownFutureValue)',
    ]);
    const rule = {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
      id: "Expiration_EndUser_Assignment",
      target: { caller: "EndUser", operations: ["All"], level: "Assignment" },
    };
    expect(checkGraph("unifiedRoleManagementPolicyRule", rule)[0]).toMatch(
      /^\$\.target\.operations\[0\]: "All" is not a member of unifiedRoleManagementPolicyRuleTargetOperations/,
    );
    const bad = { properties: { ...armRequest.properties, requestType: "selfActivate" } };
    expect(checkArm(armFile, "RoleAssignmentScheduleRequest", bad)).toEqual([
      '$.properties.requestType: "selfActivate" is not a member of RequestType (AdminAssign, AdminRemove, AdminUpdate, AdminExtend, AdminRenew, SelfActivate, SelfDeactivate, SelfExtend, SelfRenew)',
    ]);
  });

  it("follows @odata.type and ARM's ruleType to the derived type", () => {
    const rule = {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
      id: "Enablement_EndUser_Assignment",
      enabledRules: ["Justification"],
      isExpirationRequired: true,
    };
    expect(checkGraph("unifiedRoleManagementPolicyRule", rule)).toEqual([
      "$.isExpirationRequired: unknown property (not declared by unifiedRoleManagementPolicyEnablementRule)",
    ]);
    const armRule = { id: "Enablement_EndUser_Assignment", ruleType: "RoleManagementPolicyEnablementRule" };
    expect(checkArm("RoleManagementPolicyAssignment.json", "RoleManagementPolicyRule", armRule)).toEqual([]);
    expect(
      checkArm("RoleManagementPolicyAssignment.json", "RoleManagementPolicyRule", {
        ...armRule,
        enabledRules: ["MFA"],
      }),
    ).toEqual([
      '$.enabledRules[0]: "MFA" is not a member of EnablementRules (MultiFactorAuthentication, Justification, Ticketing)',
    ]);
  });

  it("fails a readOnly ARM property in a request body", () => {
    const body = { properties: { ...armRequest.properties, status: "Provisioned" } };
    expect(checkArm(armFile, "RoleAssignmentScheduleRequest", body, { body: true })).toEqual([
      "$.properties.status: readOnly property sent in a request body",
    ]);
  });
});

describe("PIM for Groups (Graph)", () => {
  it("eligibility and assignment instances", async () => {
    expectGraphItems(
      "privilegedAccessGroupEligibilityScheduleInstance",
      await groups.get(`${PIM}/eligibilityScheduleInstances/filterByCurrentUser(on='principal')`),
    );
    expectGraphItems(
      "privilegedAccessGroupEligibilityScheduleInstance",
      await groups.get(`${PIM}/eligibilityScheduleInstances?$filter=principalId eq '${U.adele}'&$expand=group`),
    );
    expect(
      (await groups.post(`${PIM}/assignmentScheduleRequests`, activationBody(U.adele, G.financeAdmins))).status,
    ).toBe(201);
    expectGraphItems(
      "privilegedAccessGroupAssignmentScheduleInstance",
      await groups.get(`${PIM}/assignmentScheduleInstances/filterByCurrentUser(on='principal')`),
    );
  });

  it("requests: create and get, and the bodies the client sent", async () => {
    const body = activationBody(U.adele, G.productionDeploy, {
      scheduleInfo: {
        startDateTime: new Date(emu.emulator.clock.now()).toISOString(),
        expiration: { type: "afterDuration", duration: "PT2H" },
      },
      ticketInfo: { ticketSystem: "ServiceNow", ticketNumber: "CHG0042" },
    });
    const created = await groups.post(`${PIM}/assignmentScheduleRequests`, body);
    expect(created.status).toBe(201);
    expectGraph("privilegedAccessGroupAssignmentScheduleRequest", created.json);
    const got = await groups.get(`${PIM}/assignmentScheduleRequests/${created.json.id}`);
    expectGraph("privilegedAccessGroupAssignmentScheduleRequest", got.json);
    // Deactivation and a validation-only request, as deactivate.ts and activation-service.ts build them. PIM refuses
    // a deactivation in the first five minutes.
    await emu.control.advanceClock(6 * 60_000);
    const off = await groups.post(`${PIM}/assignmentScheduleRequests`, {
      accessId: "member",
      principalId: U.adele,
      groupId: G.productionDeploy,
      action: "selfDeactivate",
    });
    expect(off.status).toBe(201);
    expectGraph("privilegedAccessGroupAssignmentScheduleRequest", off.json);
    await groups.post(
      `${PIM}/assignmentScheduleRequests`,
      activationBody(U.adele, G.helpdesk, { isValidationOnly: true }),
    );
    const bodies = await loggedBodies("POST", "/privilegedAccess/group/assignmentScheduleRequests");
    expect(bodies).toHaveLength(3);
    for (const b of bodies) expectGraph("privilegedAccessGroupAssignmentScheduleRequest", b, {});
  });

  it("policies with rules, through the assignment and directly", async () => {
    for (const groupId of [G.financeAdmins, G.tenantAdmins, G.exchangeAdmins, G.productionDeploy, G.keyVaultOfficers]) {
      const filter = `$filter=scopeId eq '${groupId}' and scopeType eq 'Group'`;
      expectGraphItems(
        "unifiedRoleManagementPolicyAssignment",
        await groups.get(`/v1.0/policies/roleManagementPolicyAssignments?${filter}&$expand=policy($expand=rules)`),
      );
      expectGraphItems(
        "unifiedRoleManagementPolicy",
        await groups.get(`/v1.0/policies/roleManagementPolicies?${filter}&$expand=rules`),
      );
    }
  });
});

describe("directory roles (Graph)", () => {
  it("eligibility and assignment instances, with $expand", async () => {
    expectGraphItems(
      "unifiedRoleEligibilityScheduleInstance",
      await roles.get(
        `${ROLES}/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')?$expand=roleDefinition,directoryScope`,
      ),
    );
    const on = await roles.post(`${ROLES}/roleAssignmentScheduleRequests`, {
      action: "selfActivate",
      principalId: U.adele,
      roleDefinitionId: R.globalReader,
      directoryScopeId: "/",
      justification: "Quarterly review",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } },
    });
    expect(on.status).toBe(201);
    expectGraphItems(
      "unifiedRoleAssignmentScheduleInstance",
      await roles.get(
        `${ROLES}/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')?$expand=roleDefinition,activatedUsing`,
      ),
    );
  });

  it("requests: create and get, and the bodies the client sent", async () => {
    const created = await roles.post(`${ROLES}/roleAssignmentScheduleRequests`, {
      action: "selfActivate",
      principalId: U.adele,
      roleDefinitionId: R.userAdministrator,
      directoryScopeId: "/",
      justification: "Onboarding",
      ticketInfo: { ticketSystem: "Jira", ticketNumber: "OPS-7" },
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT2H" } },
    });
    expect(created.status).toBe(201);
    expectGraph("unifiedRoleAssignmentScheduleRequest", created.json);
    const got = await roles.get(`${ROLES}/roleAssignmentScheduleRequests/${created.json.id}`);
    expectGraph("unifiedRoleAssignmentScheduleRequest", got.json);
    await emu.control.advanceClock(6 * 60_000);
    const off = await roles.post(`${ROLES}/roleAssignmentScheduleRequests`, {
      action: "selfDeactivate",
      principalId: U.adele,
      roleDefinitionId: R.userAdministrator,
      directoryScopeId: "/",
    });
    expect(off.status).toBe(201);
    expectGraph("unifiedRoleAssignmentScheduleRequest", off.json);
    const bodies = await loggedBodies("POST", "/roleManagement/directory/roleAssignmentScheduleRequests");
    expect(bodies).toHaveLength(2);
    for (const b of bodies) expectGraph("unifiedRoleAssignmentScheduleRequest", b, {});
  });

  it("policies with rules", async () => {
    for (const role of [
      R.globalReader,
      R.privilegedRoleAdministrator,
      R.exchangeAdministrator,
      R.securityAdministrator,
    ]) {
      expectGraphItems(
        "unifiedRoleManagementPolicyAssignment",
        await roles.get(
          `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${role}'&$expand=policy($expand=rules)`,
        ),
      );
    }
  });
});

describe("Azure resource roles (ARM)", () => {
  const arm = (path: string) => `${emu.armBaseUrl}${path}`;
  const roleDef = (sub: string, role: string) => `${sub}/${AUTHZ}/roleDefinitions/${role}`;

  it("eligibility and assignment instances", async () => {
    expectArmItems(
      "RoleEligibilityScheduleInstance.json",
      "RoleEligibilityScheduleInstance",
      await azure.get(arm(`/${AUTHZ}/roleEligibilityScheduleInstances?${V}&$filter=asTarget()`)),
    );
    expect((await activateDevReader()).status).toBe(201);
    expectArmItems(
      "RoleAssignmentScheduleInstance.json",
      "RoleAssignmentScheduleInstance",
      await azure.get(arm(`/${AUTHZ}/roleAssignmentScheduleInstances?${V}&$filter=asTarget()`)),
    );
  });

  async function activateDevReader(extra: Record<string, unknown> = {}) {
    const body = {
      properties: {
        principalId: U.adele,
        roleDefinitionId: roleDef(S.development, AR.reader),
        requestType: "SelfActivate",
        linkedRoleEligibilityScheduleId: `${S.development}/${AUTHZ}/roleEligibilitySchedules/${E.devReader}`,
        justification: "Checking the sandbox",
        scheduleInfo: { startDateTime: null, expiration: { type: "AfterDuration", duration: "PT1H" } },
        ...extra,
      },
    };
    return azure.request(
      "PUT",
      arm(`${S.development}/${AUTHZ}/roleAssignmentScheduleRequests/${randomUUID()}?${V}`),
      body,
    );
  }

  it("request PUT response, GET, and the bodies the client sent", async () => {
    const created = await activateDevReader({ ticketInfo: { ticketSystem: "Jira", ticketNumber: "OPS-9" } });
    expect(created.status).toBe(201);
    expectArm("RoleAssignmentScheduleRequest.json", "RoleAssignmentScheduleRequest", created.json);
    const got = await azure.get(arm(`${created.json.id}?${V}`));
    expect(got.status).toBe(200);
    expectArm("RoleAssignmentScheduleRequest.json", "RoleAssignmentScheduleRequest", got.json);
    await emu.control.advanceClock(6 * 60_000);
    const off = await azure.request(
      "PUT",
      arm(`${S.development}/${AUTHZ}/roleAssignmentScheduleRequests/${randomUUID()}?${V}`),
      {
        properties: {
          principalId: U.adele,
          roleDefinitionId: roleDef(S.development, AR.reader),
          requestType: "SelfDeactivate",
        },
      },
    );
    expect(off.status).toBe(201);
    expectArm("RoleAssignmentScheduleRequest.json", "RoleAssignmentScheduleRequest", off.json);
    const bodies = await loggedBodies("PUT", "/roleAssignmentScheduleRequests/");
    expect(bodies).toHaveLength(2);
    for (const b of bodies) {
      expectArm("RoleAssignmentScheduleRequest.json", "RoleAssignmentScheduleRequest", b, { body: true });
    }
  });

  it("policy assignments with effectiveRules, and eligibleChildResources", async () => {
    for (const scope of [S.production, S.development, S.rgWeb, S.rgSandbox, S.keyVault]) {
      expectArmItems(
        "RoleManagementPolicyAssignment.json",
        "RoleManagementPolicyAssignment",
        await azure.get(arm(`${scope}/${AUTHZ}/roleManagementPolicyAssignments?${V}`)),
      );
    }
    expectArmItems(
      "EligibleChildResources.json",
      "EligibleChildResources",
      await azure.get(arm(`${S.production}/${AUTHZ}/eligibleChildResources?${V}`)),
    );
  });
});

describe("bodies the engine's plane builders write", () => {
  const ticket = { system: "ServiceNow", number: "CHG0042" };

  it("directory roles (roleRequestBody): activation, validation-only, future start, deactivation; the emulator takes them", async () => {
    const target = { kind: "role" as const, roleDefinitionId: R.userAdministrator, directoryScopeId: "/" };
    const bodies = [
      roleRequestBody({
        action: "activate",
        target,
        principalId: U.adele,
        durationMs: 90 * 60_000,
        justification: " x ",
        ticket,
      }),
      roleRequestBody({
        action: "activate",
        target,
        principalId: U.adele,
        durationMs: 3600_000,
        validateOnly: true,
        ticket,
      }),
      roleRequestBody({
        action: "activate",
        target,
        principalId: U.adele,
        durationMs: 3600_000,
        startAt: new Date(emu.emulator.clock.now() + 3600_000),
        ticket,
        justification: "later",
      }),
      roleRequestBody({ action: "deactivate", target, principalId: U.adele }),
    ];
    for (const b of bodies) expectGraph("unifiedRoleAssignmentScheduleRequest", b, {});
    const first = bodies[0] ?? {};
    expect((await roles.post(`${ROLES}/roleAssignmentScheduleRequests`, first)).status).toBe(201);
    await emu.control.advanceClock(6 * 60_000);
    expect((await roles.post(`${ROLES}/roleAssignmentScheduleRequests`, bodies[3])).status).toBe(201);
    for (const b of await loggedBodies("POST", "/roleAssignmentScheduleRequests")) {
      expectGraph("unifiedRoleAssignmentScheduleRequest", b, {});
    }
  });

  it("Azure roles (azureRequestBody): activation with a ticket and a start, deactivation; the emulator takes them", async () => {
    const target = {
      kind: "azure" as const,
      roleDefinitionId: `${S.development}/${AUTHZ}/roleDefinitions/${AR.reader}`,
      scope: S.development,
    };
    const linked = `${S.development}/${AUTHZ}/roleEligibilitySchedules/${E.devReader}`;
    const on = azureRequestBody({
      action: "activate",
      target,
      principalId: U.adele,
      durationMs: 3600_000,
      justification: "Checking the sandbox",
      ticket,
      linkedEligibilityScheduleId: linked,
    });
    const off = azureRequestBody({ action: "deactivate", target, principalId: U.adele });
    const later = azureRequestBody({
      action: "activate",
      target,
      principalId: U.adele,
      durationMs: 3600_000,
      startAt: new Date(emu.emulator.clock.now() + 3600_000),
      linkedEligibilityScheduleId: linked,
    });
    for (const b of [on, off, later]) {
      expectArm("RoleAssignmentScheduleRequest.json", "RoleAssignmentScheduleRequest", b, { body: true });
    }
    const put = (body: unknown) =>
      azure.request(
        "PUT",
        `${emu.armBaseUrl}${S.development}/${AUTHZ}/roleAssignmentScheduleRequests/${randomUUID()}?${V}`,
        body,
      );
    expect((await put(on)).status).toBe(201);
    await emu.control.advanceClock(6 * 60_000);
    expect((await put(off)).status).toBe(201);
    for (const b of await loggedBodies("PUT", "/roleAssignmentScheduleRequests/")) {
      expectArm("RoleAssignmentScheduleRequest.json", "RoleAssignmentScheduleRequest", b, { body: true });
    }
  });
});

describe("requests waiting for approval, and my request lists", () => {
  it("on all three planes", async () => {
    const g = await groups.post(`${PIM}/assignmentScheduleRequests`, activationBody(U.adele, G.tenantAdmins));
    expect(g.json.status).toBe("PendingApproval");
    expectGraph("privilegedAccessGroupAssignmentScheduleRequest", g.json);
    expectGraphItems(
      "privilegedAccessGroupAssignmentScheduleRequest",
      await groups.get(`${PIM}/assignmentScheduleRequests/filterByCurrentUser(on='principal')`),
    );
    const r = await roles.post(`${ROLES}/roleAssignmentScheduleRequests`, {
      action: "selfActivate",
      principalId: U.adele,
      roleDefinitionId: R.privilegedRoleAdministrator,
      directoryScopeId: "/",
      justification: "Role review",
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } },
    });
    expect(r.json.status).toBe("PendingApproval");
    expectGraph("unifiedRoleAssignmentScheduleRequest", r.json);
    expectGraphItems(
      "unifiedRoleAssignmentScheduleRequest",
      await roles.get(`${ROLES}/roleAssignmentScheduleRequests/filterByCurrentUser(on='principal')`),
    );
    const a = await azure.request(
      "PUT",
      `${emu.armBaseUrl}${S.production}/${AUTHZ}/roleAssignmentScheduleRequests/${randomUUID()}?${V}`,
      {
        properties: {
          principalId: U.adele,
          roleDefinitionId: `${S.production}/${AUTHZ}/roleDefinitions/${AR.owner}`,
          requestType: "SelfActivate",
          linkedRoleEligibilityScheduleId: `${S.production}/${AUTHZ}/roleEligibilitySchedules/${E.prodOwner}`,
          justification: "Owner for the migration",
          scheduleInfo: { expiration: { type: "AfterDuration", duration: "PT1H" } },
        },
      },
    );
    expect(a.json.properties?.status).toBe("PendingApproval");
    expectArm("RoleAssignmentScheduleRequest.json", "RoleAssignmentScheduleRequest", a.json);
    expectArmItems(
      "RoleAssignmentScheduleRequest.json",
      "RoleAssignmentScheduleRequest",
      await azure.get(`${emu.armBaseUrl}/${AUTHZ}/roleAssignmentScheduleRequests?${V}&$filter=asRequestor()`),
    );
  });
});
