// The Azure resource-roles plane (ARM under /arm), as a client written from ARM's REST docs sees it.
import { randomUUID } from "node:crypto";
import { InteractionRequiredAuthError } from "@azure/msal-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ARM_ELIGIBILITIES as E,
  ARM_ROLES as R,
  ARM_SCOPES as S,
  ARM_SUBSCRIPTIONS,
  DEFAULT_SETTINGS,
  DEMO_USERS as U,
} from "../../../emulator/index.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { RawClient } from "../../helpers/graph-client.js";
import { emulatorNetworkClient } from "../../helpers/msal-network.js";
import { jwtPayload, newPca, PIM_SCOPES, signIn } from "../../helpers/tokens.js";

const ARM_SCOPE = ["https://management.azure.com/user_impersonation"];
const V = "api-version=2020-10-01";
const AUTHZ = "providers/Microsoft.Authorization";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let adele: RawClient;
let megan: RawClient;
let graphToken: string;
let armToken: string;

beforeAll(async () => {
  emu = await startTestEmulator();
  armToken = (await signIn(emu, "adele", ARM_SCOPE)).accessToken;
  graphToken = (await signIn(emu, "adele")).accessToken;
  adele = new RawClient(emu.origin, emu.caPem, armToken);
  megan = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "megan", ARM_SCOPE)).accessToken);
});
afterAll(async () => {
  await adele.close();
  await megan.close();
  await emu.stop();
});
beforeEach(async () => {
  emu.emulator.reset();
  // reset() drops sign-in sessions but tokens stay valid: they are verified by signature only.
  await emu.control.configure({ armPageSize: 100, armRateLimit: DEFAULT_SETTINGS.armRateLimit });
});

const arm = (path: string) => `${emu.armBaseUrl}${path}`;
const roleDef = (scope: string, role: string) =>
  `/subscriptions/${scope.split("/")[2]}/${AUTHZ}/roleDefinitions/${role}`;
const eligSchedule = (scope: string, guid: string) => `${scope}/${AUTHZ}/roleEligibilitySchedules/${guid}`;

function activation(scope: string, role: string, eligScope: string, elig: string, extra: Record<string, unknown> = {}) {
  return {
    properties: {
      principalId: U.adele,
      roleDefinitionId: roleDef(scope, role),
      requestType: "SelfActivate",
      linkedRoleEligibilityScheduleId: eligSchedule(eligScope, elig),
      justification: "Hotfix deploy CHG-2291",
      scheduleInfo: { startDateTime: null, expiration: { type: "AfterDuration", duration: "PT1H" } },
      ...extra,
    },
  };
}

function put(client: RawClient, scope: string, body: unknown, name = randomUUID()) {
  return client.request("PUT", arm(`${scope}/${AUTHZ}/roleAssignmentScheduleRequests/${name}?${V}`), body);
}

function expectArmError(res: { status: number; json: any }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.json.error.code).toBe(code);
  expect(typeof res.json.error.message).toBe("string");
  expect(res.json.error.innerError).toBeUndefined();
}

describe("demo tenant", () => {
  it("keeps the ids docs/emulator.md documents", () => {
    expect(ARM_SUBSCRIPTIONS).toEqual({
      production: "4f2d0a05-0fff-50b1-9d0b-027719e6a4ce",
      development: "830f4082-e8c6-5d7e-b420-acb4e8a2fafd",
    });
    expect(E.prodOwner).toBe("c6294d02-44c0-5640-9d70-d2bcea7452c0");
    expect(E.rgWebContributor).toBe("68a86602-2477-5d6e-b08a-02f7f42a3959");
    expect(E.keyVaultSecretsOfficer).toBe("17d16d49-6812-5989-a5d7-d952bf2ea736");
  });
});

describe("tokens and audiences", () => {
  it("issues an ARM-audience token for the ARM scope, and a Graph one otherwise", () => {
    expect(jwtPayload(armToken).aud).toBe("https://management.azure.com");
    expect(jwtPayload(armToken).scp).toBe("user_impersonation");
    expect(jwtPayload(graphToken).aud).toBe("https://graph.microsoft.com");
    expect(emu.armBaseUrl).toBe(`${emu.origin}/arm`);
  });

  it("ARM refuses a Graph token with InvalidAuthenticationTokenAudience in ARM's envelope", async () => {
    const c = new RawClient(emu.origin, emu.caPem, graphToken);
    const res = await c.get(arm(`/${AUTHZ}/roleEligibilityScheduleInstances?${V}&$filter=asTarget()`));
    await c.close();
    expectArmError(res, 401, "InvalidAuthenticationTokenAudience");
    expect(res.headers["www-authenticate"]).toContain("Bearer");
    expect(res.headers["x-ms-request-id"]).toBeTruthy();
  });

  it("Graph and ARM scopes in one token request: AADSTS28000, one resource per token", async () => {
    await expect(signIn(emu, "adele", [...ARM_SCOPE, "https://graph.microsoft.com/User.Read"])).rejects.toThrow(
      /28000|invalid_scope/,
    );
  });

  it("Graph refuses an ARM token", async () => {
    const c = new RawClient(emu.origin, emu.caPem, armToken);
    const res = await c.get("/v1.0/me");
    await c.close();
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("InvalidAuthenticationToken");
  });

  it("no token: AuthenticationFailed", async () => {
    const c = new RawClient(emu.origin, emu.caPem);
    const res = await c.get(arm(`/subscriptions?api-version=2022-12-01`));
    await c.close();
    expectArmError(res, 401, "AuthenticationFailed");
  });

  it("consent missing for ARM only: a silent ARM token fails with AADSTS65001 consent_required, Graph still works", async () => {
    await emu.control.configure({ deviceCodeAutoApprove: "adele", deviceCodeIntervalSeconds: 0 });
    const network = emulatorNetworkClient(emu.caPem);
    try {
      const pca = newPca(emu, network);
      const first = await pca.acquireTokenByDeviceCode({ scopes: PIM_SCOPES, deviceCodeCallback: () => undefined });
      const account = first?.account;
      if (!account) throw new Error("no account");
      await emu.control.configure({ consentNotGrantedForArm: ["*"] });
      const error = await pca.acquireTokenSilent({ account, scopes: ARM_SCOPE }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InteractionRequiredAuthError);
      expect(error).toMatchObject({ subError: "consent_required" });
      expect(String((error as Error).message)).toContain("AADSTS65001");
      const graph = await pca.acquireTokenSilent({ account, scopes: PIM_SCOPES, forceRefresh: true });
      expect(jwtPayload(graph.accessToken).aud).toBe("https://graph.microsoft.com");
      await emu.control.configure({ consentNotGrantedForArm: [] });
      const armOk = await pca.acquireTokenSilent({ account, scopes: ARM_SCOPE });
      expect(jwtPayload(armOk.accessToken).aud).toBe("https://management.azure.com");
    } finally {
      await emu.control.configure({ deviceCodeAutoApprove: null });
      await network.close();
    }
  });
});

describe("continuous access evaluation", () => {
  it("after revoke-sessions, a cp1 client's older ARM token gets a claims challenge in ARM's envelope", async () => {
    await emu.control.advanceClock(2000);
    await emu.control.revokeSessions("adele");
    const res = await adele.get(arm(`/subscriptions?api-version=2022-12-01`));
    expectArmError(res, 401, "InvalidAuthenticationToken");
    expect(res.headers["www-authenticate"]).toContain('error="insufficient_claims"');
    const claims = /claims="([^"]+)"/.exec(res.headers["www-authenticate"] ?? "")?.[1] ?? "";
    expect(JSON.parse(Buffer.from(claims, "base64").toString("utf8")).access_token.nbf.essential).toBe(true);
  });
});

describe("eligible child resources", () => {
  it("lists the resource groups below a subscription eligibility, for reduced-scope activation", async () => {
    const res = await adele.get(
      arm(`${S.production}/${AUTHZ}/eligibleChildResources?${V}&$filter=resourceType eq 'resourcegroup'`),
    );
    expect(res.status).toBe(200);
    expect(res.json.value.map((c: any) => c.name).sort()).toEqual(["rg-data", "rg-web"]);
    expect(res.json.value[0].type).toBe("resourcegroup");
  });
});

describe("api-version", () => {
  it("missing → 400 MissingApiVersionParameter; malformed → InvalidApiVersionParameter; unknown → NoRegisteredProviderFound", async () => {
    const base = arm(`/${AUTHZ}/roleEligibilityScheduleInstances?$filter=asTarget()`);
    expectArmError(await adele.get(base), 400, "MissingApiVersionParameter");
    expectArmError(await adele.get(`${base}&api-version=latest`), 400, "InvalidApiVersionParameter");
    expectArmError(await adele.get(`${base}&api-version=2019-01-01`), 400, "NoRegisteredProviderFound");
    expect((await adele.get(`${base}&api-version=2024-09-01-preview`)).status).toBe(200);
  });
});

describe("instance lists", () => {
  it("lists all my eligibilities at the tenant root with expandedProperties, not the expired one", async () => {
    const res = await adele.get(arm(`/${AUTHZ}/roleEligibilityScheduleInstances?${V}&$filter=asTarget()`));
    expect(res.status).toBe(200);
    expect(res.headers["x-ms-ratelimit-remaining-tenant-reads"]).toMatch(/^\d+$/);
    const v = res.json.value as any[];
    expect(v).toHaveLength(7);
    const names = v.map(
      (i) =>
        `${i.properties.expandedProperties.roleDefinition.displayName}@${i.properties.expandedProperties.scope.displayName}`,
    );
    expect(names).toContain("Contributor@Contoso Production");
    expect(names).toContain("Contributor@rg-web");
    expect(names).toContain("Key Vault Secrets Officer@kv-prod-secrets");
    expect(names).not.toContain("User Access Administrator@Contoso Development");
    const kv = v.find((i) => i.properties.scope === S.keyVault);
    expect(kv.type).toBe("Microsoft.Authorization/roleEligibilityScheduleInstances");
    expect(kv.properties.expandedProperties.scope.type).toBe("resource");
    expect(kv.properties.roleEligibilityScheduleId).toBe(eligSchedule(S.keyVault, E.keyVaultSecretsOfficer));
    expect(kv.properties.memberType).toBe("Direct");
    expect(kv.properties.expandedProperties.principal.displayName).toBe("Adele Vance");
  });

  it("per scope: an RG list shows the subscription's eligibility as Inherited, atScope() drops children", async () => {
    const rg = await adele.get(arm(`${S.rgWeb}/${AUTHZ}/roleEligibilityScheduleInstances?${V}&$filter=asTarget()`));
    const scopes = (rg.json.value as any[]).map((i) => [i.properties.scope, i.properties.memberType]);
    expect(scopes).toContainEqual([S.production, "Inherited"]);
    expect(scopes).toContainEqual([S.rgWeb, "Direct"]);
    expect(scopes).toContainEqual([S.webApp, "Direct"]);
    expect(scopes.some(([s]) => s === S.rgData || s === S.development)).toBe(false);
    const at = await adele.get(
      arm(`${S.rgWeb}/${AUTHZ}/roleEligibilityScheduleInstances?${V}&$filter=atScope() and asTarget()`),
    );
    expect((at.json.value as any[]).map((i) => i.properties.scope)).not.toContain(S.webApp);
  });

  it("pages with nextLink followed verbatim", async () => {
    await emu.control.configure({ armPageSize: 3 });
    let url: string | undefined = arm(`/${AUTHZ}/roleEligibilityScheduleInstances?${V}&$filter=asTarget()`);
    const seen: string[] = [];
    let pages = 0;
    while (url) {
      const res = await adele.get(url);
      expect(res.status).toBe(200);
      seen.push(...res.json.value.map((i: any) => i.name));
      url = res.json.nextLink;
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
  });

  it("shows Adele's standing Reader assignment as Assigned; Megan sees only her own", async () => {
    const res = await adele.get(arm(`/${AUTHZ}/roleAssignmentScheduleInstances?${V}&$filter=asTarget()`));
    expect(res.json.value).toHaveLength(1);
    expect(res.json.value[0].properties.assignmentType).toBe("Assigned");
    const m = await megan.get(arm(`/${AUTHZ}/roleEligibilityScheduleInstances?${V}&$filter=asTarget()`));
    expect(m.json.value).toHaveLength(1);
  });
});

describe("activation requests", () => {
  it("SelfActivate at the eligibility's scope → 201 Provisioned, instance listed; reused name → 409", async () => {
    const name = randomUUID();
    const body = activation(S.development, R.reader, S.development, E.devReader, { justification: null });
    const res = await put(adele, S.development, body, name);
    expect(res.status).toBe(201);
    expect(res.headers["x-ms-ratelimit-remaining-tenant-writes"]).toMatch(/^\d+$/);
    expect(res.json.name).toBe(name);
    expect(res.json.type).toBe("Microsoft.Authorization/RoleAssignmentScheduleRequests");
    expect(res.json.properties.status).toBe("Provisioned");
    expect(res.json.properties.approvalId).toBeNull();
    expect(res.json.properties.targetRoleAssignmentScheduleInstanceId).toContain("/roleAssignmentScheduleInstances/");
    const list = await adele.get(arm(`/${AUTHZ}/roleAssignmentScheduleInstances?${V}&$filter=asTarget()`));
    const act = (list.json.value as any[]).find((i) => i.properties.assignmentType === "Activated");
    expect(act.properties.scope).toBe(S.development);
    expect(act.properties.linkedRoleEligibilityScheduleId).toBe(eligSchedule(S.development, E.devReader));
    const again = await put(adele, S.development, body, name);
    expectArmError(again, 409, "RoleAssignmentRequestExists");
    const got = await adele.get(arm(`${S.development}/${AUTHZ}/roleAssignmentScheduleRequests/${name}?${V}`));
    expect(got.json.properties.status).toBe("Provisioned");
    // Active now: a second activation is RoleAssignmentExists.
    expectArmError(await put(adele, S.development, body), 400, "RoleAssignmentExists");
  });

  it("reduced scope: activation at a child resource group of a subscription eligibility", async () => {
    const body = activation(S.rgData, R.owner, S.production, E.prodOwner);
    // Owner at production needs approval → PendingApproval with an approvalId path.
    const res = await put(adele, S.rgData, body);
    expect(res.status).toBe(201);
    expect(res.json.properties.scope).toBe(S.rgData);
    expect(res.json.properties.status).toBe("PendingApproval");
    expect(res.json.properties.approvalId).toMatch(
      /^\/providers\/Microsoft.Authorization\/roleAssignmentApprovals\/[0-9a-f-]{36}$/,
    );
    const decided = await emu.control.decideArm(res.json.name, "approve");
    expect(decided.status).toBe("Provisioned");
    const list = await adele.get(arm(`${S.rgData}/${AUTHZ}/roleAssignmentScheduleInstances?${V}&$filter=asTarget()`));
    const act = (list.json.value as any[]).find((i) => i.properties.assignmentType === "Activated");
    expect(act.properties.scope).toBe(S.rgData);
    expect(act.properties.expandedProperties.scope.displayName).toBe("rg-data");
  });

  it("not eligible at a parent scope (eligible only below) → EligibilityRule, reported with the other failures", async () => {
    const body = activation(S.production, R.keyVaultSecretsOfficer, S.keyVault, E.keyVaultSecretsOfficer, {
      justification: "",
      scheduleInfo: { expiration: { type: "AfterDuration", duration: "PT12H" } },
    });
    const res = await put(adele, S.production, body);
    expectArmError(res, 400, "RoleAssignmentRequestPolicyValidationFailed");
    expect(res.json.error.message).toContain("EligibilityRule");
    expect(res.json.error.message).toContain("ExpirationRule");
    expect(res.json.error.message).toContain("JustificationRule");
  });

  it("ticket required at rg-web; MFA at production; auth context c1 at rg-sandbox", async () => {
    const web = activation(S.rgWeb, R.contributor, S.rgWeb, E.rgWebContributor);
    const t = await put(adele, S.rgWeb, web);
    expectArmError(t, 400, "RoleAssignmentRequestPolicyValidationFailed");
    expect(t.json.error.message).toContain("TicketingRule");
    const ok = await put(adele, S.rgWeb, {
      properties: { ...web.properties, ticketInfo: { ticketNumber: "CHG-2291", ticketSystem: "Jira" } },
    });
    expect(ok.status).toBe(201);
    expect(ok.json.properties.ticketInfo).toEqual({ ticketNumber: "CHG-2291", ticketSystem: "Jira" });

    const mfa = await put(
      adele,
      S.production,
      activation(S.production, R.contributor, S.production, E.prodContributor),
    );
    expectArmError(mfa, 400, "RoleAssignmentRequestPolicyValidationFailed");
    expect(mfa.json.error.message).toContain("MfaRule");

    const acrs = await put(
      adele,
      S.rgSandbox,
      activation(S.rgSandbox, R.virtualMachineContributor, S.rgSandbox, E.rgSandboxVmContributor),
    );
    expectArmError(acrs, 400, "RoleAssignmentRequestAcrsValidationFailed");
    expect(decodeURIComponent(acrs.json.error.message)).toContain('"value":"c1"');
  });

  it("validate evaluates without side effects; cancel only while pending", async () => {
    const name = randomUUID();
    const body = activation(S.production, R.owner, S.production, E.prodOwner);
    const v = await adele.post(
      arm(`${S.production}/${AUTHZ}/roleAssignmentScheduleRequests/${name}/validate?${V}`),
      body,
    );
    expect(v.status).toBe(200);
    expect(v.json.properties.status).toBe("PendingApproval");
    expect(emu.emulator.armState.requests.size).toBe(0);
    const created = await put(adele, S.production, body, name);
    expect(created.status).toBe(201);
    const c = await adele.post(arm(`${S.production}/${AUTHZ}/roleAssignmentScheduleRequests/${name}/cancel?${V}`));
    expect(c.status).toBe(200);
    const got = await adele.get(arm(`${S.production}/${AUTHZ}/roleAssignmentScheduleRequests/${name}?${V}`));
    expect(got.json.properties.status).toBe("Canceled");
    const again = await adele.post(arm(`${S.production}/${AUTHZ}/roleAssignmentScheduleRequests/${name}/cancel?${V}`));
    expect(again.status).toBe(400);
  });

  it("SelfDeactivate: too soon → ActiveDurationTooShort; after 5 minutes → Revoked; none → RoleAssignmentDoesNotExist", async () => {
    await put(adele, S.development, activation(S.development, R.reader, S.development, E.devReader));
    const off = {
      properties: {
        principalId: U.adele,
        roleDefinitionId: roleDef(S.development, R.reader),
        requestType: "SelfDeactivate",
      },
    };
    expectArmError(await put(adele, S.development, off), 400, "ActiveDurationTooShort");
    await emu.control.advanceClock(6 * 60_000);
    const res = await put(adele, S.development, off);
    expect(res.status).toBe(201);
    expect(res.json.properties.status).toBe("Revoked");
    expectArmError(await put(adele, S.development, off), 400, "RoleAssignmentDoesNotExist");
    // The standing Reader is Assigned, not Activated: not self-deactivatable.
    const standing = { properties: { ...off.properties, roleDefinitionId: roleDef(S.rgSandbox, R.reader) } };
    expectArmError(await put(adele, S.rgSandbox, standing), 400, "RoleAssignmentDoesNotExist");
  });
});

describe("schedules and decisions", () => {
  it("a future start is Granted, then Provisioned once the clock reaches it; a denied request stays Denied", async () => {
    const start = new Date(Date.now() + 10 * 60_000).toISOString();
    const body = activation(S.development, R.reader, S.development, E.devReader, {
      scheduleInfo: { startDateTime: start, expiration: { type: "AfterDuration", duration: "PT30M" } },
    });
    const name = randomUUID();
    const res = await put(adele, S.development, body, name);
    expect(res.json.properties.status).toBe("Granted");
    await emu.control.advanceClock(11 * 60_000);
    const got = await adele.get(arm(`${S.development}/${AUTHZ}/roleAssignmentScheduleRequests/${name}?${V}`));
    expect(got.json.properties.status).toBe("Provisioned");
    await emu.control.advanceClock(30 * 60_000);
    const after = await adele.get(arm(`/${AUTHZ}/roleAssignmentScheduleInstances?${V}&$filter=asTarget()`));
    expect((after.json.value as any[]).every((i) => i.properties.assignmentType === "Assigned")).toBe(true);

    const owner = await put(adele, S.production, activation(S.production, R.owner, S.production, E.prodOwner));
    const queue = await megan.get(arm(`/${AUTHZ}/roleAssignmentScheduleRequests?${V}&$filter=asApprover()`));
    expect(queue.json.value.map((r: any) => r.name)).toEqual([owner.json.name]);
    expect((await emu.control.decideArm(owner.json.name, "deny")).status).toBe("Denied");
  });
});

describe("approvals (2021-01-01-preview)", () => {
  const P = "api-version=2021-01-01-preview";

  it("the approver lists, reads and approves the stage; the requester may not; a second decision is 409", async () => {
    const req = await put(adele, S.production, activation(S.production, R.owner, S.production, E.prodOwner));
    const approvalId: string = req.json.properties.approvalId;
    const guid = approvalId.split("/").pop();
    const list = await megan.get(arm(`/${AUTHZ}/roleAssignmentApprovals?${P}&$filter=asApprover()`));
    expect(list.status).toBe(200);
    expect(list.json.value.map((a: any) => a.id)).toEqual([approvalId]);
    const stage = list.json.value[0].properties.stages[0];
    expect(stage.properties).toMatchObject({ status: "InProgress", reviewResult: "NotReviewed", assignedToMe: true });
    expectArmError(await megan.get(arm(`/${AUTHZ}/roleAssignmentApprovals?${V}`)), 400, "NoRegisteredProviderFound");

    const own = await adele.request("PATCH", arm(`${approvalId}/stages/${guid}?${P}`), {
      properties: { reviewResult: "Approve", justification: "me" },
    });
    expectArmError(own, 403, "AuthorizationFailed");
    const noWhy = await megan.request("PATCH", arm(`${approvalId}/stages/${guid}?${P}`), {
      properties: { reviewResult: "Approve" },
    });
    expect(noWhy.status).toBe(400);

    const ok = await megan.request("PATCH", arm(`${approvalId}/stages/${guid}?${P}`), {
      properties: { reviewResult: "Approve", justification: "On-call swap confirmed" },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.properties).toMatchObject({ status: "Completed", reviewResult: "Approve" });
    expect(ok.json.properties.reviewedBy.principalId).toBe(U.megan);
    const again = await megan.request("PUT", arm(`${approvalId}/steps/${guid}?${P}`), {
      properties: { reviewResult: "Deny", justification: "late" },
    });
    expect(again.status).toBe(409);
    const got = await adele.get(arm(`${S.production}/${AUTHZ}/roleAssignmentScheduleRequests/${req.json.name}?${V}`));
    expect(got.json.properties.status).toBe("Provisioned");
    const read = await adele.get(arm(`${approvalId}?${P}`));
    expect(read.json.properties.stages[0].properties.assignedToMe).toBe(false);
  });

  it("an undecided request times out after 24 hours (armApprovalExpiryStatus; null keeps it pending)", async () => {
    const now = Date.now();
    const state = emu.emulator.armState;
    const body = activation(S.production, R.owner, S.production, E.prodOwner);
    const caller = { oid: U.adele, scp: [], amr: ["pwd"], acrs: [], xmsCc: [] };
    const r = state.submit(S.production, randomUUID(), body, caller, now, true);
    expect(r.status).toBe("PendingApproval");
    state.advance(now + 24 * 3_600_000);
    expect(r.status).toBe("TimedOut");
    await emu.control.configure({ armApprovalExpiryStatus: null });
    const kept = state.submit(
      S.rgWeb,
      randomUUID(),
      activation(S.rgWeb, R.owner, S.production, E.prodOwner),
      caller,
      now,
      true,
    );
    state.advance(now + 48 * 3_600_000);
    expect(kept.status).toBe("PendingApproval");
  });
});

describe("policies", () => {
  it("roleManagementPolicyAssignments at a scope with effectiveRules and ruleType", async () => {
    const res = await adele.get(
      arm(
        `${S.production}/${AUTHZ}/roleManagementPolicyAssignments?${V}&$filter=roleDefinitionId eq '${roleDef(S.production, R.owner)}'`,
      ),
    );
    expect(res.status).toBe(200);
    expect(res.json.value).toHaveLength(1);
    const p = res.json.value[0];
    expect(p.name).toMatch(new RegExp(`_${R.owner}$`));
    const rules = Object.fromEntries(p.properties.effectiveRules.map((r: any) => [r.id, r]));
    expect(rules.Expiration_EndUser_Assignment.maximumDuration).toBe("PT4H");
    expect(rules.Approval_EndUser_Assignment.ruleType).toBe("RoleManagementPolicyApprovalRule");
    expect(rules.Approval_EndUser_Assignment.setting.isApprovalRequired).toBe(true);
    expect(rules.Approval_EndUser_Assignment.setting.approvalStages[0].primaryApprovers[0].id).toBe(U.megan);
    // A child scope inherits the subscription's policy.
    const child = await adele.get(
      arm(
        `${S.rgWeb}/${AUTHZ}/roleManagementPolicyAssignments?${V}&$filter=roleDefinitionId eq '${roleDef(S.production, R.owner)}'`,
      ),
    );
    expect(child.json.value[0].properties.effectiveRules[0].maximumDuration).toBe("PT4H");
  });
});

describe("scope picker and throttling", () => {
  it("lists subscriptions and resource groups the caller holds an active role in", async () => {
    const subs = await adele.get(arm(`/subscriptions?api-version=2022-12-01`));
    expect(subs.status).toBe(200);
    expect(subs.json.value.map((s: any) => s.displayName)).toEqual(["Contoso Development"]);
    const rgs = await adele.get(
      arm(`/subscriptions/${ARM_SUBSCRIPTIONS.development}/resourcegroups?api-version=2021-04-01`),
    );
    expect(rgs.json.value.map((g: any) => g.name)).toEqual(["rg-sandbox"]);
    expectArmError(
      await adele.get(arm(`/subscriptions/${ARM_SUBSCRIPTIONS.production}/resourcegroups?api-version=2021-04-01`)),
      404,
      "SubscriptionNotFound",
    );
  });

  it("429 from the token bucket with Retry-After and a decrementing remaining budget", async () => {
    await emu.control.configure({
      armRateLimit: { readBurst: 2, readsPerSecond: 0.001, writeBurst: 2, writesPerSecond: 0.001 },
    });
    const url = arm(`/${AUTHZ}/roleEligibilityScheduleInstances?${V}&$filter=asTarget()`);
    expect((await adele.get(url)).headers["x-ms-ratelimit-remaining-tenant-reads"]).toBe("1");
    expect((await adele.get(url)).headers["x-ms-ratelimit-remaining-tenant-reads"]).toBe("0");
    const res = await adele.get(url);
    expectArmError(res, 429, "TooManyRequests");
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("an injected 429 on /arm answers in ARM's envelope", async () => {
    await emu.control.addFaults([{ kind: "status", status: 429, retryAfter: 7, path: "/arm/", count: 1 }]);
    const res = await adele.get(arm(`/subscriptions?api-version=2022-12-01`));
    expectArmError(res, 429, "TooManyRequests");
    expect(res.headers["retry-after"]).toBe("7");
  });
});
