// Graph endpoints of the emulator, as a client written from Microsoft's documentation sees them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_GROUPS as G, DEMO_USERS as U } from "../../emulator/index.js";
import { startTestEmulator } from "../helpers/emulator.js";
import { activationBody, PIM, RawClient } from "../helpers/graph-client.js";
import { PIM_SCOPES, signIn } from "../helpers/tokens.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let adele: RawClient;
let adeleToken: string;

beforeAll(async () => {
  emu = await startTestEmulator();
  adeleToken = (await signIn(emu, "adele")).accessToken;
  adele = new RawClient(emu.origin, emu.caPem, adeleToken);
});
afterAll(async () => {
  await adele.close();
  await emu.stop();
});
beforeEach(async () => {
  // Keep sessions (tokens) but reset the tenant state between tests.
  emu.emulator.pim.requests.clear();
  emu.emulator.pim.instances.clear();
  emu.emulator.clock.reset();
  emu.emulator.caeRevokedAt.clear();
  emu.emulator.faults.clear();
  await emu.control.configure({
    provisioningDelayMs: 0,
    policyMessageFormat: "text",
    pageSize: 100,
    emptyGroupExpansion: false,
    denyPolicyRead: false,
  });
});

function expectGraphError(
  res: { status: number; json: any; headers: Record<string, string> },
  status: number,
  code: string,
) {
  expect(res.status).toBe(status);
  expect(res.json.error.code).toBe(code);
  expect(typeof res.json.error.message).toBe("string");
  expect(res.json.error.innerError["request-id"]).toBe(res.headers["request-id"]);
  expect(res.json.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
}

describe("schedule collections", () => {
  it("lists my current eligibilities with expanded group names, excluding an expired one", async () => {
    const res = await adele.get(
      `${PIM}/eligibilityScheduleInstances/filterByCurrentUser(on='principal')?$expand=group($select=id,displayName)`,
    );
    expect(res.status).toBe(200);
    expect(res.json["@odata.context"]).toContain("$metadata#");
    const names = res.json.value.map((v: any) => `${v.group.displayName}/${v.accessId}`);
    expect(names).toContain("Finance Admins/member");
    expect(names).toContain("SharePoint Site Admins/member");
    expect(names).toContain("SharePoint Site Admins/owner");
    expect(names).not.toContain("Legacy Billing/member");
    expect(res.json.value[0].group).toEqual({ id: expect.any(String), displayName: expect.any(String) });
    const contractor = res.json.value.find((v: any) => v.groupId === G.contractors);
    expect(Date.parse(contractor.endDateTime)).toBeGreaterThan(Date.now());
  });

  it("serves the same handlers under /beta, and the schedules with their scheduleInfo", async () => {
    const res = await adele.get(
      `/beta/identityGovernance/privilegedAccess/group/eligibilitySchedules/filterByCurrentUser(on='principal')`,
    );
    expect(res.status).toBe(200);
    const finance = res.json.value.find((v: any) => v.groupId === G.financeAdmins);
    expect(finance).toMatchObject({
      accessId: "member",
      memberType: "direct",
      status: "Provisioned",
      principalId: U.adele,
    });
    expect(finance.scheduleInfo.expiration.type).toBe("noExpiration");
    const contractor = res.json.value.find((v: any) => v.groupId === G.contractors);
    expect(contractor.scheduleInfo.expiration.type).toBe("afterDateTime");
  });

  it("accepts the URL-encoded function form and filters with eq and `and`", async () => {
    const res = await adele.get(
      `${PIM}/eligibilitySchedules/filterByCurrentUser(on=%27principal%27)?$filter=groupId%20eq%20'${G.sharePointAdmins}'%20and%20accessId%20eq%20'owner'`,
    );
    expect(res.status).toBe(200);
    expect(res.json.value).toHaveLength(1);
    expect(res.json.value[0].accessId).toBe("owner");
  });

  it("applies $select", async () => {
    const res = await adele.get(
      `${PIM}/eligibilityScheduleInstances/filterByCurrentUser(on='principal')?$select=groupId,accessId`,
    );
    expect(
      Object.keys(res.json.value[0])
        .filter((k) => !k.startsWith("@"))
        .sort(),
    ).toEqual(["accessId", "groupId"]);
  });

  it("requires a groupId or principalId filter on the plain lists", async () => {
    const bare = await adele.get(`${PIM}/eligibilitySchedules`);
    expectGraphError(bare, 400, "BadRequest");
    expect(bare.json.error.message).toMatch(/groupId or principalId/);
    const byGroup = await adele.get(`${PIM}/eligibilitySchedules?$filter=groupId eq '${G.financeAdmins}'`);
    expect(byGroup.status).toBe(200);
    expect(byGroup.json.value.map((v: any) => v.principalId).sort()).toEqual([U.adele, U.megan, U.alex].sort());
  });

  it("rejects an unsupported filter property or operator with BadRequest", async () => {
    expectGraphError(
      await adele.get(`${PIM}/eligibilitySchedules/filterByCurrentUser(on='principal')?$filter=colour eq 'red'`),
      400,
      "BadRequest",
    );
    expectGraphError(
      await adele.get(`${PIM}/eligibilitySchedules/filterByCurrentUser(on='principal')?$filter=groupId ne 'x'`),
      400,
      "BadRequest",
    );
    expectGraphError(
      await adele.get(`${PIM}/eligibilitySchedules/filterByCurrentUser(on='principal')?$expand=owner`),
      400,
      "BadRequest",
    );
    expectGraphError(
      await adele.get(`${PIM}/eligibilitySchedules/filterByCurrentUser(on='nobody')`),
      400,
      "BadRequest",
    );
  });

  it("pages with $top and an opaque @odata.nextLink until every item is seen", async () => {
    const all = await adele.get(`${PIM}/eligibilityScheduleInstances/filterByCurrentUser(on='principal')`);
    const seen: string[] = [];
    let url: string | undefined =
      `${PIM}/eligibilityScheduleInstances/filterByCurrentUser(on='principal')?$top=3&$expand=group`;
    let pages = 0;
    while (url) {
      const page = await adele.get(url);
      expect(page.status).toBe(200);
      expect(page.json.value.length).toBeLessThanOrEqual(3);
      for (const v of page.json.value) {
        expect(v.group.displayName).toBeTruthy();
        seen.push(v.id);
      }
      url = page.json["@odata.nextLink"];
      if (url) expect(url).toContain("$skiptoken=");
      pages++;
    }
    expect(pages).toBe(Math.ceil(all.json.value.length / 3));
    expect(seen).toEqual(all.json.value.map((v: any) => v.id));
  });

  it("can return a null group expansion, as third parties report seeing", async () => {
    await emu.control.configure({ emptyGroupExpansion: true });
    const res = await adele.get(
      `${PIM}/eligibilityScheduleInstances/filterByCurrentUser(on='principal')?$expand=group`,
    );
    expect(res.json.value[0].group).toBeNull();
  });
});

describe("bearer token checks", () => {
  it("answers 401 InvalidAuthenticationToken for a missing or tampered token", async () => {
    const anon = new RawClient(emu.origin, emu.caPem);
    const missing = await anon.get(`${PIM}/eligibilitySchedules/filterByCurrentUser(on='principal')`);
    expectGraphError(missing, 401, "InvalidAuthenticationToken");
    expect(missing.headers["www-authenticate"]).toMatch(/^Bearer /);
    anon.token = `${adeleToken.slice(0, -4)}AAAA`;
    expectGraphError(await anon.get(`/v1.0/me`), 401, "InvalidAuthenticationToken");
    await anon.close();
  });

  it("answers 401 with 'token is expired' once the emulator clock passes exp", async () => {
    await emu.control.advanceClock(2 * 3600_000);
    const res = await adele.get(`${PIM}/assignmentScheduleInstances/filterByCurrentUser(on='principal')`);
    expectGraphError(res, 401, "InvalidAuthenticationToken");
    expect(res.json.error.message).toContain("expired");
  });

  it("answers 403 in PIM's wrapped form when a scope is missing", async () => {
    const token = (await signIn(emu, "adele", [PIM_SCOPES[0] ?? ""])).accessToken;
    const c = new RawClient(emu.origin, emu.caPem, token);
    const res = await c.get(
      `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '${G.financeAdmins}' and scopeType eq 'Group'`,
    );
    expectGraphError(res, 403, "UnknownError");
    const inner = JSON.parse(res.json.error.message);
    expect(inner.errorCode).toBe("PermissionScopeNotGranted");
    expect(inner.message).toContain("RoleManagementPolicy.Read.AzureADGroup");
    const post = await c.post(`${PIM}/assignmentScheduleRequests`, activationBody(U.adele, G.financeAdmins));
    expect(JSON.parse(post.json.error.message).errorCode).toBe("PermissionScopeNotGranted");
    await c.close();
  });

  it("sends a CAE claims challenge in WWW-Authenticate to a cp1 client after sessions are revoked", async () => {
    const token = (await signIn(emu, "megan")).accessToken;
    await new Promise((r) => setTimeout(r, 1100)); // revocation time is in whole seconds
    await emu.control.revokeSessions("megan");
    const c = new RawClient(emu.origin, emu.caPem, token);
    const res = await c.get(`/v1.0/me`);
    expect(res.status).toBe(401);
    const challenge = res.headers["www-authenticate"] ?? "";
    expect(challenge).toContain('error="insufficient_claims"');
    const b64 = /claims="([^"]+)"/.exec(challenge)?.[1] ?? "";
    expect(JSON.parse(Buffer.from(b64, "base64").toString("utf8")).access_token.nbf.essential).toBe(true);
    await c.close();
  });
});

describe("headers", () => {
  it("echoes client-request-id and adds request-id on every response, errors included", async () => {
    const ok = await adele.get(`${PIM}/eligibilitySchedules/filterByCurrentUser(on='principal')`, {
      "client-request-id": "abc-123",
    });
    expect(ok.headers["client-request-id"]).toBe("abc-123");
    expect(ok.headers["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await adele.get(`/v1.0/nothing-here`, { "client-request-id": "def-456" });
    expect(bad.headers["client-request-id"]).toBe("def-456");
    expect(bad.json.error.innerError["client-request-id"]).toBe("def-456");
  });
});

describe("me and groups", () => {
  it("returns me with $select, and a group by id with $select", async () => {
    // The PIM scopes alone do not include User.Read, so /me is refused until it is asked for.
    expectGraphError(await adele.get(`/v1.0/me`), 403, "Authorization_RequestDenied");
    const token = (
      await signIn(emu, "adele", [...PIM_SCOPES, "User.Read", "https://graph.microsoft.com/GroupMember.Read.All"])
    ).accessToken;
    const c = new RawClient(emu.origin, emu.caPem, token);
    const me = await c.get(`/v1.0/me?$select=id,displayName`);
    expect(me.json).toMatchObject({ id: U.adele, displayName: "Adele Vance" });
    expect(me.json.userPrincipalName).toBeUndefined();
    const g = await c.get(`/v1.0/groups/${G.financeAdmins}?$select=id,displayName`);
    expect(g.json).toMatchObject({ id: G.financeAdmins, displayName: "Finance Admins" });
    expect(Object.keys(g.json).filter((k) => !k.startsWith("@"))).toEqual(["id", "displayName"]);
    expectGraphError(await c.get(`/v1.0/groups/00000000-0000-0000-0000-000000000000`), 404, "Request_ResourceNotFound");
    const byName = await c.get(`/v1.0/groups?$filter=displayName eq 'Platform Ops'&$select=id,description`);
    expect(byName.json.value).toHaveLength(2);
    await c.close();
    // Without a group-read scope, directory reads answer Graph's usual 403.
    expectGraphError(await adele.get(`/v1.0/groups/${G.financeAdmins}`), 403, "Authorization_RequestDenied");
  });
});

describe("policies", () => {
  const url = (groupId: string, extra = "") =>
    `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '${groupId}' and scopeType eq 'Group'${extra}&$expand=policy($expand=rules)`;

  it("returns the documented end-user rules for a group role", async () => {
    const res = await adele.get(url(G.tenantAdmins, " and roleDefinitionId eq 'member'"));
    expect(res.status).toBe(200);
    expect(res.json.value).toHaveLength(1);
    const a = res.json.value[0];
    expect(a.id).toMatch(new RegExp(`^Group_${G.tenantAdmins}_[0-9a-f-]{36}_member$`));
    expect(a).toMatchObject({ scopeId: G.tenantAdmins, scopeType: "Group", roleDefinitionId: "member" });
    const rules = Object.fromEntries(a.policy.rules.map((r: any) => [r.id, r]));
    expect(rules.Expiration_EndUser_Assignment).toMatchObject({
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
      isExpirationRequired: true,
      maximumDuration: "PT2H",
      target: { caller: "EndUser", level: "Assignment" },
    });
    expect(rules.Enablement_EndUser_Assignment.enabledRules).toEqual(["Justification"]);
    expect(rules.Approval_EndUser_Assignment.setting.isApprovalRequired).toBe(true);
    expect(rules.Approval_EndUser_Assignment.setting.approvalStages[0].primaryApprovers[0]).toMatchObject({
      "@odata.type": "#microsoft.graph.singleUser",
      userId: U.megan,
    });
    expect(rules.AuthenticationContext_EndUser_Assignment).toMatchObject({ isEnabled: false, claimValue: null });
  });

  it("returns both roles without roleDefinitionId, and the c1 and MFA policies", async () => {
    const both = await adele.get(url(G.sharePointAdmins));
    expect(both.json.value.map((v: any) => v.roleDefinitionId).sort()).toEqual(["member", "owner"]);
    const kv = await adele.get(url(G.keyVaultOfficers, " and roleDefinitionId eq 'member'"));
    const ac = kv.json.value[0].policy.rules.find((r: any) => r.id === "AuthenticationContext_EndUser_Assignment");
    expect(ac).toMatchObject({ isEnabled: true, claimValue: "c1" });
    const ex = await adele.get(url(G.exchangeAdmins, " and roleDefinitionId eq 'member'"));
    expect(
      ex.json.value[0].policy.rules.find((r: any) => r.id === "Enablement_EndUser_Assignment").enabledRules,
    ).toContain("MultiFactorAuthentication");
  });

  it("requires the scope filter, and omits the policy without $expand", async () => {
    expectGraphError(await adele.get(`/v1.0/policies/roleManagementPolicyAssignments`), 400, "BadRequest");
    const plain = await adele.get(
      `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '${G.helpdesk}' and scopeType eq 'Group'`,
    );
    expect(plain.json.value[0].policy).toBeUndefined();
    const byPolicy = await adele.get(
      `/v1.0/policies/roleManagementPolicies?$filter=scopeId eq '${G.helpdesk}' and scopeType eq 'Group'&$expand=rules`,
    );
    expect(
      byPolicy.json.value[0].rules.find((r: any) => r.id === "Expiration_EndUser_Assignment").maximumDuration,
    ).toBe("PT1H");
  });

  it("can refuse policy reads, as for an ordinary user", async () => {
    await emu.control.configure({ denyPolicyRead: true });
    const res = await adele.get(url(G.financeAdmins));
    expectGraphError(res, 403, "UnknownError");
  });
});

describe("activation requests and PIM rules", () => {
  const requests = `${PIM}/assignmentScheduleRequests`;
  const activate = (groupId: string, extra: Record<string, unknown> = {}, client = adele) =>
    client.post(requests, activationBody(U.adele, groupId, extra));

  it("provisions after the configured delay, with an instance ending at start + duration", async () => {
    await emu.control.configure({ provisioningDelayMs: 400 });
    const res = await activate(G.financeAdmins, {
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT2H" } },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      action: "selfActivate",
      status: "PendingProvisioning",
      accessId: "member",
      groupId: G.financeAdmins,
      principalId: U.adele,
    });
    expect(res.json.targetScheduleId).toBe(`${G.financeAdmins}_member_${res.json.id}`);
    const none = await adele.get(`${PIM}/assignmentScheduleInstances/filterByCurrentUser(on='principal')`);
    expect(none.json.value).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 450));
    const got = await adele.get(`${requests}/${res.json.id}`);
    expect(got.json.status).toBe("Provisioned");
    const inst = await adele.get(
      `${PIM}/assignmentScheduleInstances/filterByCurrentUser(on='principal')?$expand=group`,
    );
    expect(inst.json.value).toHaveLength(1);
    const i = inst.json.value[0];
    expect(i).toMatchObject({ assignmentType: "activated", accessId: "member", groupId: G.financeAdmins });
    expect(Date.parse(i.endDateTime) - Date.parse(i.startDateTime)).toBe(2 * 3600_000);
    expect(i.group.displayName).toBe("Finance Admins");
  });

  it("lists my requests, newest first, with $filter on status", async () => {
    await emu.control.configure({ provisioningDelayMs: 60_000 });
    await activate(G.financeAdmins);
    await activate(G.helpdesk);
    const mine = await adele.get(
      `${requests}/filterByCurrentUser(on='principal')?$filter=status eq 'PendingProvisioning'`,
    );
    expect(mine.json.value.map((r: any) => r.groupId)).toEqual([G.helpdesk, G.financeAdmins]);
  });

  it("refuses a group the caller is not eligible for, or whose eligibility expired (EligibilityRule)", async () => {
    const expired = await activate(G.legacyBilling);
    expectGraphError(expired, 400, "RoleAssignmentRequestPolicyValidationFailed");
    expect(expired.json.error.message).toContain("EligibilityRule");
    const owner = await adele.post(requests, activationBody(U.adele, G.financeAdmins, { accessId: "owner" }));
    expect(owner.json.error.message).toContain("EligibilityRule");
  });

  it("refuses a second activation while one is active or pending (RoleAssignmentExists)", async () => {
    await emu.control.configure({ provisioningDelayMs: 60_000 });
    expect((await activate(G.financeAdmins)).status).toBe(201);
    const again = await activate(G.financeAdmins);
    expectGraphError(again, 400, "RoleAssignmentExists");
    const owner = await adele.post(requests, activationBody(U.adele, G.sharePointAdmins, { accessId: "owner" }));
    expect(owner.status).toBe(201); // member and owner are separate
  });

  it("refuses a duration over the policy maximum (ExpirationRule), and a permanent request", async () => {
    const long = await activate(G.helpdesk, {
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT2H" } },
    });
    expectGraphError(long, 400, "RoleAssignmentRequestPolicyValidationFailed");
    expect(long.json.error.message).toBe(
      "The following policy rules failed: ExpirationRule - The duration in the request is greater than maximum allowed duration",
    );
    const permanent = await activate(G.helpdesk, { scheduleInfo: { expiration: { type: "noExpiration" } } });
    expect(permanent.json.error.message).toContain("ExpirationRule");
  });

  it("requires justification and ticket, in both message formats", async () => {
    const both = await activate(G.productionDeploy, { justification: "" });
    expect(both.json.error.message).toBe(
      "The following policy rules failed: JustificationRule - Justification is required; TicketingRule - Ticket information is required",
    );
    await emu.control.configure({ policyMessageFormat: "list" });
    const ticket = await activate(G.productionDeploy);
    expect(ticket.json.error.message).toBe('The following policy rules failed: ["TicketingRule"]');
    const ok = await activate(G.productionDeploy, {
      ticketInfo: { ticketNumber: "CHG0042", ticketSystem: "ServiceNow" },
    });
    expect(ok.status).toBe(201);
    expect(ok.json.ticketInfo).toEqual({ ticketNumber: "CHG0042", ticketSystem: "ServiceNow" });
  });

  it("requires MFA in the token (MfaRule), and accepts a stepped-up token", async () => {
    const res = await activate(G.exchangeAdmins);
    expect(res.json.error.message).toContain("MfaRule");
    const mfa = (
      await signIn(
        emu,
        "adele",
        PIM_SCOPES,
        JSON.stringify({ access_token: { amr: { essential: true, values: ["mfa"] } } }),
      )
    ).accessToken;
    const c = new RawClient(emu.origin, emu.caPem, mfa);
    expect((await activate(G.exchangeAdmins, {}, c)).status).toBe(201);
    await c.close();
  });

  it("requires the authentication context, with the URL-encoded claims challenge in the message", async () => {
    const res = await activate(G.keyVaultOfficers);
    expectGraphError(res, 400, "RoleAssignmentRequestAcrsValidationFailed");
    const claims = decodeURIComponent(/claims=([^&"\s]+)/.exec(res.json.error.message)?.[1] ?? "");
    expect(JSON.parse(claims)).toEqual({ access_token: { acrs: { essential: true, value: "c1" } } });
    const token = (await signIn(emu, "adele", PIM_SCOPES, claims)).accessToken;
    const c = new RawClient(emu.origin, emu.caPem, token);
    expect((await activate(G.keyVaultOfficers, {}, c)).status).toBe(201);
    await c.close();
  });

  it("evaluates the rules in order: eligibility before duration before justification", async () => {
    const res = await activate(G.legacyBilling, {
      justification: null,
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT99H" } },
    });
    expect(res.json.error.message).toContain("EligibilityRule");
    const dur = await activate(G.helpdesk, {
      justification: null,
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT99H" } },
    });
    expect(dur.json.error.message).toContain("ExpirationRule");
    expect(dur.json.error.message).not.toContain("JustificationRule");
  });

  it("waits for approval, then provisions when approved; the approver sees it in their queue", async () => {
    const res = await activate(G.tenantAdmins);
    expect(res.json.status).toBe("PendingApproval");
    expect(res.json.approvalId).toMatch(/^[0-9a-f-]{36}$/);
    const megan = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "megan")).accessToken);
    const queue = await megan.get(`${requests}/filterByCurrentUser(on='approver')?$filter=status eq 'PendingApproval'`);
    expect(queue.json.value.map((r: any) => r.id)).toEqual([res.json.id]);
    await megan.close();
    expect((await adele.get(`${requests}/${res.json.id}`)).json.status).toBe("PendingApproval");
    await emu.control.approve(res.json.id);
    expect((await adele.get(`${requests}/${res.json.id}`)).json.status).toBe("Provisioned");
  });

  it("ends Denied when the approver denies", async () => {
    const res = await activate(G.tenantAdmins);
    await emu.control.deny(res.json.id);
    expect((await adele.get(`${requests}/${res.json.id}`)).json.status).toBe("Denied");
    expect((await activate(G.tenantAdmins)).status).toBe(201); // a denied request no longer blocks a new one
  });

  it("cancels a pending request (204), and refuses to cancel a finished one", async () => {
    const res = await activate(G.tenantAdmins);
    const cancel = await adele.post(`${requests}/${res.json.id}/cancel`);
    expect(cancel.status).toBe(204);
    expect((await adele.get(`${requests}/${res.json.id}`)).json.status).toBe("Canceled");
    const again = await adele.post(`${requests}/${res.json.id}/cancel`);
    expectGraphError(again, 400, "RequestCannotBeCanceled");
  });

  it("validates only, with no side effects", async () => {
    const res = await activate(G.financeAdmins, { isValidationOnly: true });
    expect(res.status).toBe(201);
    expect(res.json.isValidationOnly).toBe(true);
    expect((await adele.get(`${requests}/${res.json.id}`)).status).toBe(404);
    expect(await emu.control.pimRequests()).toHaveLength(0);
    const bad = await activate(G.helpdesk, {
      isValidationOnly: true,
      scheduleInfo: { expiration: { type: "afterDuration", duration: "PT5H" } },
    });
    expect(bad.json.error.message).toContain("ExpirationRule");
  });

  it("holds a future start as Granted until it starts", async () => {
    const start = new Date(Date.now() + 3600_000).toISOString();
    const res = await activate(G.financeAdmins, {
      scheduleInfo: { startDateTime: start, expiration: { type: "afterDuration", duration: "PT1H" } },
    });
    expect(res.json.status).toBe("Granted");
    expect(
      (await adele.get(`${PIM}/assignmentScheduleInstances/filterByCurrentUser(on='principal')`)).json.value,
    ).toHaveLength(0);
    await emu.control.advanceClock(3600_000 + 1000);
    const token = (await signIn(emu, "adele")).accessToken; // the old one expired with the clock shift
    const c = new RawClient(emu.origin, emu.caPem, token);
    expect((await c.get(`${requests}/${res.json.id}`)).json.status).toBe("Provisioned");
    const inst = await c.get(`${PIM}/assignmentScheduleInstances/filterByCurrentUser(on='principal')`);
    expect(inst.json.value[0].startDateTime).toBe(start);
    await c.close();
  });

  it("removes an instance at its end time", async () => {
    await activate(G.helpdesk, { scheduleInfo: { expiration: { type: "afterDuration", duration: "PT30M" } } });
    await emu.control.advanceClock(31 * 60_000);
    expect(await emu.control.pimInstances()).toHaveLength(0);
  });

  it("refuses deactivation within 5 minutes, then revokes", async () => {
    await activate(G.financeAdmins);
    const deactivate = () =>
      adele.post(requests, {
        accessId: "member",
        principalId: U.adele,
        groupId: G.financeAdmins,
        action: "selfDeactivate",
      });
    const early = await deactivate();
    expectGraphError(early, 400, "ActiveDurationTooShort");
    await emu.control.advanceClock(5 * 60_000);
    const ok = await deactivate();
    expect(ok.status).toBe(201);
    expect(ok.json.status).toBe("Revoked");
    expect(await emu.control.pimInstances()).toHaveLength(0);
    expectGraphError(await deactivate(), 400, "RoleAssignmentDoesNotExist");
  });

  it("accepts PascalCase enum values, as some tools send", async () => {
    const res = await adele.post(
      requests,
      activationBody(U.adele, G.financeAdmins, {
        accessId: "Member",
        action: "SelfActivate",
        scheduleInfo: { expiration: { type: "AfterDuration", duration: "PT1H" } },
      }),
    );
    expect(res.status).toBe(201);
    expect(res.json.action).toBe("selfActivate");
  });
});

describe("bad input gets Graph's error format", () => {
  const requests = `${PIM}/assignmentScheduleRequests`;

  it("malformed JSON", async () => {
    const res = await adele.request("POST", requests, "{not json", { "content-type": "application/json" });
    expectGraphError(res, 400, "BadRequest");
    expect(res.json.error.message).toContain("Unable to read JSON request payload");
  });

  it("an unknown enum value names the property", async () => {
    const res = await adele.post(requests, activationBody(U.adele, G.financeAdmins, { accessId: "admin" }));
    expectGraphError(res, 400, "BadRequest");
    expect(res.json.error.message).toContain("accessId");
  });

  it("a missing required property names it", async () => {
    const body: Record<string, unknown> = activationBody(U.adele, G.financeAdmins);
    delete body.groupId;
    const res = await adele.post(requests, body);
    expectGraphError(res, 400, "BadRequest");
    expect(res.json.error.message).toContain("groupId");
  });

  it("an unknown property, as Graph words it", async () => {
    const res = await adele.post(requests, activationBody(U.adele, G.financeAdmins, { reason: "x" }));
    expect(res.json.error.message).toContain("The property 'reason' does not exist on type");
  });

  it("an unknown group, an unknown path and another user's principalId", async () => {
    expectGraphError(
      await adele.post(requests, activationBody(U.adele, "00000000-0000-0000-0000-000000000001")),
      404,
      "ResourceNotFound",
    );
    expectGraphError(await adele.get(`${PIM}/noSuchCollection`), 400, "BadRequest");
    const other = await adele.post(requests, activationBody(U.megan, G.financeAdmins));
    expect(other.status).toBe(403);
    expect(JSON.parse(other.json.error.message).errorCode).toBe("AuthorizationFailed");
  });

  it("an invalid $top or $skiptoken", async () => {
    expectGraphError(
      await adele.get(`${PIM}/eligibilitySchedules/filterByCurrentUser(on='principal')?$top=0`),
      400,
      "BadRequest",
    );
    expectGraphError(
      await adele.get(`${PIM}/eligibilitySchedules/filterByCurrentUser(on='principal')?$skiptoken=garbage`),
      400,
      "BadRequest",
    );
  });
});
