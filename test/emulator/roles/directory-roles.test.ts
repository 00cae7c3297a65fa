// The directory-roles plane (Graph roleManagement/directory), over real HTTPS with MSAL-issued tokens.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_USERS as U } from "../../../emulator/index.js";
import { DEMO_ADMINISTRATIVE_UNITS as AU, DEMO_ROLES as R } from "../../../emulator/roles/seed.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { RawClient } from "../../helpers/graph-client.js";
import { PIM_SCOPES, signIn } from "../../helpers/tokens.js";

const BASE = "/v1.0/roleManagement/directory";
const ROLE_SCOPES = [
  "https://graph.microsoft.com/RoleEligibilitySchedule.Read.Directory",
  "https://graph.microsoft.com/RoleAssignmentSchedule.ReadWrite.Directory",
  "https://graph.microsoft.com/RoleManagementPolicy.Read.Directory",
];
const MFA_CLAIMS = JSON.stringify({ access_token: { amr: { essential: true, values: ["mfa"] } } });
const SALES = `/administrativeUnits/${AU.sales}`;

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let adele: RawClient;
let groupsOnly: RawClient;

beforeAll(async () => {
  emu = await startTestEmulator();
  adele = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "adele", ROLE_SCOPES)).accessToken);
  groupsOnly = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "adele", PIM_SCOPES)).accessToken);
});
afterAll(async () => {
  await adele.close();
  await groupsOnly.close();
  await emu.stop();
});
beforeEach(async () => {
  emu.emulator.roles.requests.clear();
  emu.emulator.roles.instances.clear();
  emu.emulator.roles.approvals.clear();
  emu.emulator.clock.reset();
  await emu.control.configure({ provisioningDelayMs: 0, policyMessageFormat: "text", pageSize: 100 });
});

function body(roleDefinitionId: string, extra: Record<string, unknown> = {}) {
  return {
    action: "selfActivate",
    principalId: U.adele,
    roleDefinitionId,
    directoryScopeId: "/",
    justification: "Investigating INC0012345",
    scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } },
    ...extra,
  };
}
const activate = (roleId: string, extra: Record<string, unknown> = {}, c = adele) =>
  c.post(`${BASE}/roleAssignmentScheduleRequests`, body(roleId, extra));

describe("eligible and active roles", () => {
  it("lists Adele's direct eligibilities with role names, the AU scope, and no group-held role", async () => {
    const res = await adele.get(
      `${BASE}/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')?$expand=roleDefinition($select=id,displayName),directoryScope`,
    );
    expect(res.status).toBe(200);
    const byName = new Map<string, any>(res.json.value.map((v: any) => [v.roleDefinition.displayName, v]));
    expect([...byName.keys()].sort()).toEqual([
      "Exchange Administrator",
      "Global Reader",
      "Helpdesk Administrator",
      "Privileged Role Administrator",
      "Security Administrator",
      "User Administrator",
    ]);
    const helpdesk = byName.get("Helpdesk Administrator");
    expect(helpdesk.directoryScopeId).toBe(SALES);
    expect(helpdesk.directoryScope).toMatchObject({
      "@odata.type": "#microsoft.graph.administrativeUnit",
      displayName: "Sales",
    });
    expect(helpdesk.memberType).toBe("Direct");
    expect(byName.get("Global Reader").directoryScope).toBeNull();
    expect(Object.keys(helpdesk.roleDefinition).sort()).toEqual(["displayName", "id"]);
  });

  it("pages with @odata.nextLink and filters by roleDefinitionId", async () => {
    const first = await adele.get(
      `${BASE}/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')?$top=4`,
    );
    expect(first.json.value).toHaveLength(4);
    const next = await adele.get(first.json["@odata.nextLink"]);
    expect(next.json.value).toHaveLength(2);
    expect(next.json["@odata.nextLink"]).toBeUndefined();
    const one = await adele.get(
      `${BASE}/roleEligibilitySchedules/filterByCurrentUser(on='principal')?$filter=roleDefinitionId eq '${R.globalReader}'`,
    );
    expect(one.json.value).toHaveLength(1);
    expect(one.json.value[0].scheduleInfo.expiration.type).toBe("noExpiration");
  });

  it("answers 403 PermissionScopeNotGranted, wrapped, to a token without the directory scopes", async () => {
    const res = await groupsOnly.get(`${BASE}/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')`);
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("UnknownError");
    expect(JSON.parse(res.json.error.message).errorCode).toBe("PermissionScopeNotGranted");
    expect((await groupsOnly.post(`${BASE}/roleAssignmentScheduleRequests`, body(R.globalReader))).status).toBe(403);
  });
});

describe("activation requests", () => {
  it("activates a plain role, then shows it as an Activated instance; a second try is RoleAssignmentExists", async () => {
    const res = await activate(R.globalReader);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      action: "selfActivate",
      status: "Provisioned",
      directoryScopeId: "/",
      approvalId: null,
    });
    expect(res.headers.location).toContain(`roleAssignmentScheduleRequests('${res.json.id}')`);
    const active = await adele.get(
      `${BASE}/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')?$expand=roleDefinition`,
    );
    expect(active.json.value).toHaveLength(1);
    expect(active.json.value[0]).toMatchObject({ assignmentType: "Activated", memberType: "Direct" });
    expect(active.json.value[0].roleDefinition.displayName).toBe("Global Reader");
    const again = await activate(R.globalReader);
    expect(again.status).toBe(400);
    expect(again.json.error.code).toBe("RoleAssignmentExists");
  });

  it("activates the AU-scoped role only at its own scope", async () => {
    const wrong = await activate(R.helpdeskAdministrator);
    expect(wrong.json.error.message).toContain("EligibilityRule");
    const ok = await activate(R.helpdeskAdministrator, { directoryScopeId: SALES });
    expect(ok.status).toBe(201);
    expect(ok.json.directoryScopeId).toBe(SALES);
  });

  it("keeps nothing for isValidationOnly, and echoes ticketInfo", async () => {
    const dry = await activate(R.userAdministrator, {
      isValidationOnly: true,
      ticketInfo: { ticketNumber: "CHG0042", ticketSystem: "ServiceNow" },
    });
    expect(dry.status).toBe(201);
    expect(dry.json.isValidationOnly).toBe(true);
    expect(dry.json.ticketInfo).toEqual({ ticketNumber: "CHG0042", ticketSystem: "ServiceNow" });
    const mine = await adele.get(`${BASE}/roleAssignmentScheduleRequests/filterByCurrentUser(on='principal')`);
    expect(mine.json.value).toHaveLength(0);
  });

  it("reports policy failures in both message formats, in the groups plane's order", async () => {
    const both = await activate(R.userAdministrator, { justification: "" });
    expect(both.json.error.code).toBe("RoleAssignmentRequestPolicyValidationFailed");
    expect(both.json.error.message).toBe(
      "The following policy rules failed: JustificationRule - Justification is required; TicketingRule - Ticket information is required",
    );
    await emu.control.configure({ policyMessageFormat: "list" });
    const dur = await activate(R.userAdministrator, {
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT9H" } },
    });
    expect(dur.json.error.message).toBe('The following policy rules failed: ["ExpirationRule"]');
  });

  it("requires MFA (MfaRule) and accepts a stepped-up token", async () => {
    const res = await activate(R.exchangeAdministrator);
    expect(res.json.error.message).toContain("MfaRule");
    const c = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "adele", ROLE_SCOPES, MFA_CLAIMS)).accessToken);
    expect((await activate(R.exchangeAdministrator, {}, c)).status).toBe(201);
    await c.close();
  });

  it("requires the authentication context with the claims challenge", async () => {
    const res = await activate(R.securityAdministrator);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("RoleAssignmentRequestAcrsValidationFailed");
    const claims = decodeURIComponent(/claims=([^&"\s]+)/.exec(res.json.error.message)?.[1] ?? "");
    expect(JSON.parse(claims)).toEqual({ access_token: { acrs: { essential: true, value: "c1" } } });
    const c = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "adele", ROLE_SCOPES, claims)).accessToken);
    expect((await activate(R.securityAdministrator, {}, c)).status).toBe(201);
    await c.close();
  });

  it("waits for approval; the approver sees it; cancel works while pending and fails after", async () => {
    const res = await activate(R.privilegedRoleAdministrator);
    expect(res.status).toBe(201);
    expect(res.json.status).toBe("PendingApproval");
    expect(res.json.approvalId).toBe(res.json.id);
    const megan = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "megan", ROLE_SCOPES)).accessToken);
    const queue = await megan.get(`${BASE}/roleAssignmentScheduleRequests/filterByCurrentUser(on='approver')`);
    expect(queue.json.value.map((v: any) => v.id)).toEqual([res.json.id]);
    await megan.close();
    expect((await adele.post(`${BASE}/roleAssignmentScheduleRequests/${res.json.id}/cancel`)).status).toBe(204);
    const got = await adele.get(`${BASE}/roleAssignmentScheduleRequests/${res.json.id}`);
    expect(got.json.status).toBe("Canceled");
    expect((await adele.post(`${BASE}/roleAssignmentScheduleRequests/${res.json.id}/cancel`)).status).toBe(400);
  });

  it("approves and denies through the control API", async () => {
    const first = await activate(R.privilegedRoleAdministrator);
    const approved = await emu.control.decideRole(first.json.id, "approve");
    expect(approved.status).toBe("Provisioned");
    const instances = await adele.get(`${BASE}/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')`);
    expect(instances.json.value).toHaveLength(1);
    emu.emulator.roles.instances.clear();
    emu.emulator.roles.approvals.clear();
    const second = await activate(R.privilegedRoleAdministrator);
    const denied = await emu.control.decideRole(second.json.id, "deny");
    expect(denied.status).toBe("Denied");
  });

  it("refuses filterByCurrentUser(on='createdBy')", async () => {
    const res = await adele.get(`${BASE}/roleAssignmentScheduleRequests/filterByCurrentUser(on='createdBy')`);
    expect(res.status).toBe(400);
  });

  it("deactivates only after five minutes (ActiveDurationTooShort)", async () => {
    await activate(R.globalReader);
    const deact = {
      action: "selfDeactivate",
      principalId: U.adele,
      roleDefinitionId: R.globalReader,
      directoryScopeId: "/",
    };
    const early = await adele.post(`${BASE}/roleAssignmentScheduleRequests`, deact);
    expect(early.json.error.code).toBe("ActiveDurationTooShort");
    await emu.control.advanceClock(6 * 60_000);
    const ok = await adele.post(`${BASE}/roleAssignmentScheduleRequests`, deact);
    expect(ok.status).toBe(201);
    const none = await adele.post(`${BASE}/roleAssignmentScheduleRequests`, deact);
    expect(none.json.error.code).toBe("RoleAssignmentDoesNotExist");
  });
});

describe("policies", () => {
  it("looks up a role's policy by scopeId '/', scopeType 'DirectoryRole' and roleDefinitionId, with rules", async () => {
    const res = await adele.get(
      `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${R.privilegedRoleAdministrator}'&$expand=policy($expand=rules)`,
    );
    expect(res.status).toBe(200);
    expect(res.json.value).toHaveLength(1);
    const a = res.json.value[0];
    expect(a.id).toMatch(/^DirectoryRole_/);
    expect(a.roleDefinitionId).toBe(R.privilegedRoleAdministrator);
    const rules = new Map<string, any>(a.policy.rules.map((r: any) => [r.id, r]));
    expect(rules.get("Expiration_EndUser_Assignment").maximumDuration).toBe("PT2H");
    expect(rules.get("Approval_EndUser_Assignment").setting.isApprovalRequired).toBe(true);
    const byId = await adele.get(`/v1.0/policies/roleManagementPolicyAssignments/${a.id}`);
    expect(byId.status).toBe(200);
  });

  it("needs RoleManagementPolicy.Read.Directory, and scopeId with scopeType", async () => {
    const q = `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'`;
    expect((await groupsOnly.get(q)).status).toBe(403);
    expect((await adele.get(q)).json.value.length).toBeGreaterThanOrEqual(6);
    const noScope = await adele.get(
      `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeType eq 'DirectoryRole'`,
    );
    expect(noScope.status).toBe(400);
  });
});

describe("lists, beta and reset", () => {
  it("includes the group-held role in the plain list, and serves /beta with the same handlers", async () => {
    const plain = await adele.get(`${BASE}/roleEligibilityScheduleInstances?$filter=principalId eq '${U.adele}'`);
    expect(plain.json.value).toHaveLength(7);
    expect(plain.json.value.filter((v: any) => v.memberType === "Group").map((v: any) => v.roleDefinitionId)).toEqual([
      R.groupsAdministrator,
    ]);
    const beta = await adele.get(
      "/beta/roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')",
    );
    expect(beta.json.value).toHaveLength(6);
  });

  it("names roles through roleDefinitions", async () => {
    const res = await adele.get(`${BASE}/roleDefinitions/${R.securityAdministrator}?$select=displayName`);
    expect(res.status).toBe(200);
    expect(res.json.displayName).toBe("Security Administrator");
  });

  it("keeps the role state across requests and clears it on reset", async () => {
    await activate(R.privilegedRoleAdministrator);
    expect(await emu.control.roleRequests()).toHaveLength(1);
    await emu.control.reset();
    expect(await emu.control.roleRequests()).toHaveLength(0);
    await emu.control.configure({ provisioningDelayMs: 0 });
    const after = await activate(R.globalReader);
    expect(after.status).toBe(201);
  });
});

describe("approvals (beta)", () => {
  const APPROVALS = "/beta/roleManagement/directory/roleAssignmentApprovals";

  it("shows the step to the approver, refuses the requester, approves once and then answers 409", async () => {
    const req = await activate(R.privilegedRoleAdministrator);
    const id = req.json.id as string;
    const megan = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "megan", ROLE_SCOPES)).accessToken);
    const approval = await megan.get(`${APPROVALS}/${id}`);
    expect(approval.status).toBe(200);
    expect(approval.json.id).toBe(id);
    expect(approval.json.steps).toHaveLength(1);
    expect(approval.json.steps[0]).toMatchObject({
      status: "InProgress",
      assignedToMe: true,
      reviewResult: "NotReviewed",
    });
    const stepId = approval.json.steps[0].id as string;
    const mine = await adele.get(`${APPROVALS}/${id}/steps`);
    expect(mine.json.value[0].assignedToMe).toBe(false);

    const own = await adele.request("PATCH", `${APPROVALS}/${id}/steps/${stepId}`, {
      reviewResult: "Approve",
      justification: "self",
    });
    expect(own.status).toBe(403);
    const noReason = await megan.request("PATCH", `${APPROVALS}/${id}/steps/${stepId}`, { reviewResult: "Approve" });
    expect(noReason.status).toBe(400);
    const ok = await megan.request("PATCH", `${APPROVALS}/${id}/steps/${stepId}`, {
      reviewResult: "Approve",
      justification: "On-call swap confirmed",
    });
    expect(ok.status).toBe(204);
    const again = await megan.request("PATCH", `${APPROVALS}/${id}/steps/${stepId}`, {
      reviewResult: "Deny",
      justification: "changed my mind",
    });
    expect(again.status).toBe(409);
    const step = (await megan.get(`${APPROVALS}/${id}/steps/${stepId}`)).json;
    expect(step).toMatchObject({
      status: "Completed",
      reviewResult: "Approve",
      justification: "On-call swap confirmed",
    });
    expect(step.reviewedBy.id).toBe(U.megan);
    expect((await adele.get(`${BASE}/roleAssignmentScheduleRequests/${id}`)).json.status).toBe("Provisioned");
    await megan.close();
  });

  it("denies through the step, and does not exist on /v1.0", async () => {
    const req = await activate(R.privilegedRoleAdministrator);
    const id = req.json.id as string;
    const megan = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "megan", ROLE_SCOPES)).accessToken);
    const v1 = await megan.get(`${BASE}/roleAssignmentApprovals/${id}`);
    expect(v1.status).toBe(400);
    const deny = await megan.request("PATCH", `${APPROVALS}/${id}/steps/${id}`, {
      reviewResult: "Deny",
      justification: "No change ticket",
    });
    expect(deny.status).toBe(204);
    expect((await adele.get(`${BASE}/roleAssignmentScheduleRequests/${id}`)).json.status).toBe("Denied");
    await megan.close();
  });
});

describe("expansions", () => {
  it("expands principal and activatedUsing on active roles and requests", async () => {
    const req = await activate(R.helpdeskAdministrator, { directoryScopeId: SALES });
    const active = await adele.get(
      `${BASE}/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')?$expand=principal($select=displayName),activatedUsing`,
    );
    const inst = active.json.value[0];
    expect(inst.principal.displayName).toBe("Adele Vance");
    expect(inst.activatedUsing).toMatchObject({ roleDefinitionId: R.helpdeskAdministrator, directoryScopeId: SALES });
    const got = await adele.get(`${BASE}/roleAssignmentScheduleRequests('${req.json.id}')?$expand=activatedUsing`);
    // Graph's metadata: the instance expands to the eligibility instance, the request to the eligibility schedule.
    expect(inst.activatedUsing["@odata.type"]).toBe("#microsoft.graph.unifiedRoleEligibilityScheduleInstance");
    expect(got.json.activatedUsing["@odata.type"]).toBe("#microsoft.graph.unifiedRoleEligibilitySchedule");
    expect(got.json.activatedUsing.id).toBe(inst.activatedUsing.roleEligibilityScheduleId);
    const bad = await adele.get(
      `${BASE}/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')?$expand=activatedUsing`,
    );
    expect(bad.status).toBe(400);
  });
});

describe("time", () => {
  it("holds a future start as Granted, provisions it when it starts, and ends the instance at its end", async () => {
    const start = new Date(Date.parse((await emu.control.clock()).now) + 10 * 60_000).toISOString();
    const res = await activate(R.globalReader, {
      scheduleInfo: { startDateTime: start, expiration: { type: "afterDuration", duration: "PT20M" } },
    });
    expect(res.json.status).toBe("Granted");
    const list = () => adele.get(`${BASE}/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')`);
    expect((await list()).json.value).toHaveLength(0);
    await emu.control.advanceClock(11 * 60_000);
    expect((await list()).json.value).toHaveLength(1);
    expect((await adele.get(`${BASE}/roleAssignmentScheduleRequests/${res.json.id}`)).json.status).toBe("Provisioned");
    await emu.control.advanceClock(20 * 60_000); // (the tokens live an hour of emulator time)
    expect((await list()).json.value).toHaveLength(0);
  });
});

describe("consent", () => {
  it("grants the directory-role scopes for .default, as the tenant has consented to them", async () => {
    const token = (await signIn(emu, "adele", ["https://graph.microsoft.com/.default"])).accessToken;
    const c = new RawClient(emu.origin, emu.caPem, token);
    const res = await c.get(`${BASE}/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')`);
    expect(res.status).toBe(200);
    expect(res.json.value).toHaveLength(6);
    await c.close();
  });
});

describe("approval expiry", () => {
  it("leaves an undecided request pending by default, and ends it after 24 h when configured", async () => {
    const stays = await activate(R.privilegedRoleAdministrator);
    emu.emulator.clock.advance(25 * 3_600_000);
    emu.emulator.roles.advance(emu.emulator.clock.now());
    expect(emu.emulator.roles.requests.get(stays.json.id)?.status).toBe("PendingApproval");
    emu.emulator.clock.reset();
    emu.emulator.roles.requests.clear();

    await emu.control.configure({ roleApprovalExpiryStatus: "Canceled" });
    const res = await activate(R.privilegedRoleAdministrator);
    await emu.control.advanceClock(23 * 3_600_000);
    expect((await emu.control.roleRequests())[0]?.status).toBe("PendingApproval");
    await emu.control.advanceClock(3_600_000);
    const [r] = await emu.control.roleRequests();
    expect(r?.status).toBe("Canceled");
    expect(emu.emulator.roles.approvals.get(res.json.id)?.status).toBe("Completed");
    await emu.control.configure({ roleApprovalExpiryStatus: null });
  });
});
