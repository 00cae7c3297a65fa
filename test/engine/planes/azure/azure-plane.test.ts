// The Azure plane against the emulator's ARM (/arm) over HTTPS, with the real MSAL and ARM tokens.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AuthService } from "../../../../electron/engine/auth/auth-service.js";
import { MFA_CLAIMS } from "../../../../electron/engine/auth/claims.js";
import { ArmError, ConsentRequiredError, ServiceError } from "../../../../electron/engine/errors.js";
import { claimsFromAcrsMessage } from "../../../../electron/engine/graph/graph-errors.js";
import type { FetchLike } from "../../../../electron/engine/http/http-client.js";
import type { AzurePlane } from "../../../../electron/engine/planes/azure/azure-client.js";
import type { AzureRef } from "../../../../electron/engine/planes/targets.js";
import {
  ARM_ELIGIBILITIES as E,
  ARM_ROLES as R,
  ARM_SCOPES as S,
  DEFAULT_SETTINGS,
  DEMO_USERS as U,
} from "../../../../emulator/index.js";
import { startTestEmulator } from "../../../helpers/emulator.js";
import { armPlane, armTokens, connectionFor, fetchFor, type Recorded, signedIn } from "./arm-setup.js";

const AUTHZ = "/providers/Microsoft.Authorization";
const roleDef = (scope: string, role: string) =>
  `/subscriptions/${scope.split("/")[2]}${AUTHZ}/roleDefinitions/${role}`;
const eligSchedule = (scope: string, guid: string) => `${scope}${AUTHZ}/roleEligibilitySchedules/${guid}`;
const ref = (scope: string, role: string, roleScope = scope): AzureRef => ({
  kind: "azure",
  roleDefinitionId: roleDef(roleScope, role),
  scope,
});

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let net: ReturnType<typeof fetchFor>;
let fetch: FetchLike;
let auth: AuthService;
let rec: Recorded;
let plane: AzurePlane;

beforeAll(async () => {
  emu = await startTestEmulator();
  rec = { lines: [], sleeps: [], calls: [] };
  net = fetchFor(emu, rec.calls);
  fetch = net.fetch;
  auth = await signedIn(emu, fetch);
});
afterAll(async () => {
  await net.close();
  await emu.stop();
});
beforeEach(async () => {
  emu.emulator.reset();
  await emu.control.configure({
    armPageSize: 100,
    armRateLimit: DEFAULT_SETTINGS.armRateLimit,
    deviceCodeAutoApprove: "adele",
    deviceCodeIntervalSeconds: 0,
  });
  rec.lines.length = 0;
  rec.sleeps.length = 0;
  rec.calls.length = 0;
  plane = armPlane(emu, fetch, armTokens(auth, connectionFor(emu)), rec).plane;
});

function activate(target: AzureRef, extra: Partial<Parameters<AzurePlane["submit"]>[0]> = {}) {
  return {
    action: "activate" as const,
    target,
    principalId: U.adele,
    durationMs: 3_600_000,
    justification: "Hotfix deploy CHG-2291",
    ...extra,
  };
}

const deactivate = (target: AzureRef) => ({ action: "deactivate" as const, target, principalId: U.adele });

async function failure(p: Promise<unknown>): Promise<ArmError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ArmError);
  return e as ArmError;
}

function expectNoTokens() {
  for (const line of rec.lines) expect(line).not.toMatch(/eyJ[\w-]{5,}\./);
}

describe("eligibilities", () => {
  it("lists mine at subscription, resource-group and resource scope with ARM's names, following nextLink", async () => {
    await emu.control.configure({ armPageSize: 3 });
    const list = await plane.eligibilities();
    expect(rec.calls.filter((c) => c.includes("roleEligibilityScheduleInstances"))).toHaveLength(3);
    expect(list).toHaveLength(7);
    expect(list.map((e) => `${e.roleName}@${e.scopeName}`)).toEqual([
      "Contributor@Contoso Production",
      "Contributor@rg-web",
      "Key Vault Secrets Officer@kv-prod-secrets",
      "Owner@Contoso Production",
      "Reader@Contoso Development",
      "Virtual Machine Contributor@rg-sandbox",
      "Website Contributor@app-contoso-web",
    ]);
    const kv = list.find((e) => e.scope === S.keyVault);
    expect(kv).toEqual({
      kind: "azure",
      roleDefinitionId: roleDef(S.keyVault, R.keyVaultSecretsOfficer),
      scope: S.keyVault,
      roleName: "Key Vault Secrets Officer",
      scopeName: "kv-prod-secrets",
      scopeType: "resource",
      eligibilityScheduleId: eligSchedule(S.keyVault, E.keyVaultSecretsOfficer),
      memberType: "Direct",
      startDateTime: expect.any(String),
      endDateTime: null,
    });
    expect(list.find((e) => e.scope === S.production)?.scopeType).toBe("subscription");
    expect(list.find((e) => e.scope === S.rgWeb)?.scopeType).toBe("resourcegroup");
  });

  it("shows the standing assignment as assigned, not as an activation", async () => {
    const active = await plane.activeAssignments();
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({
      kind: "azure",
      scope: S.rgSandbox,
      roleName: "Reader",
      assignmentType: "assigned",
    });
  });
});

describe("policies", () => {
  it("summarises approval, ticket, MFA, authentication context and maximum duration; caches them", async () => {
    const owner = await plane.policy(ref(S.production, R.owner));
    expect(owner).toMatchObject({
      known: true,
      approvalRequired: true,
      maxDuration: "PT4H",
      justificationRequired: true,
    });
    expect(owner.approvers).toEqual([{ id: U.megan, description: expect.any(String), kind: "user" }]);
    const web = await plane.policy(ref(S.rgWeb, R.contributor));
    expect(web).toMatchObject({
      ticketRequired: true,
      justificationRequired: true,
      maxDuration: "PT2H",
      mfaRequired: false,
    });
    expect((await plane.policy(ref(S.production, R.contributor))).mfaRequired).toBe(true);
    expect((await plane.policy(ref(S.rgSandbox, R.virtualMachineContributor))).authContext).toBe("c1");
    const kv = await plane.policy(ref(S.keyVault, R.keyVaultSecretsOfficer));
    expect(kv).toMatchObject({ maxDuration: "PT1H", maxDurationMs: 3_600_000, approvalRequired: false });
    const reads = rec.calls.filter((c) => c.includes("roleManagementPolicyAssignments")).length;
    await plane.policy(ref(S.production, R.owner));
    expect(rec.calls.filter((c) => c.includes("roleManagementPolicyAssignments"))).toHaveLength(reads);
    plane.invalidatePolicies();
    await plane.policy(ref(S.production, R.owner));
    expect(rec.calls.filter((c) => c.includes("roleManagementPolicyAssignments"))).toHaveLength(reads + 1);
  });

  it("a reduced scope (a child resource group) gets the eligibility's policy", async () => {
    const child = await plane.policy(ref(S.rgData, R.owner, S.production));
    expect(child).toMatchObject({ known: true, approvalRequired: true, maxDuration: "PT4H" });
  });

  it("a refused read gives UNKNOWN_POLICY, logged", async () => {
    // The tenant root has no policy assignments (ARM answers 400 InvalidResourceScope).
    const p = await plane.policy({ kind: "azure", roleDefinitionId: roleDef(S.production, R.owner), scope: "" });
    expect(p.known).toBe(false);
    expect(rec.lines.some((l) => l.includes("not readable (InvalidResourceScope)"))).toBe(true);
  });
});

describe("activation", () => {
  it("activates (Provisioned), then the activation is listed, and a second one is RoleAssignmentExists", async () => {
    const target = ref(S.development, R.reader);
    const r = await plane.submit(activate(target, { justification: undefined }));
    expect(r).toMatchObject({ kind: "azure", action: "SelfActivate", status: "Provisioned", approvalId: null });
    expect(r.id).toMatch(new RegExp(`^${S.development}${AUTHZ}/roleAssignmentScheduleRequests/[0-9a-f-]{36}$`));
    expect(r.duration).toBe("PT1H");
    const active = await plane.activeAssignments(target);
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({
      assignmentType: "activated",
      scopeName: "Contoso Development",
      eligibilityScheduleId: eligSchedule(S.development, E.devReader),
    });
    expect((await plane.request(r.id)).status).toBe("Provisioned");
    expect((await plane.myRequests({ target })).map((x) => x.id)).toEqual([r.id]);
    const again = await failure(plane.submit(activate(target)));
    expect(again).toBeInstanceOf(ServiceError);
    expect(again.code).toBe("RoleAssignmentExists");
    expect(again.service).toBe("arm");
  });

  it("reduced scope: Owner at a child resource group of the subscription eligibility, approved, then active there", async () => {
    const target = ref(S.rgData, R.owner, S.production);
    const scopes = await plane.childScopes(S.production, "resourcegroup");
    expect(scopes.map((c) => c.name).sort()).toEqual(["rg-data", "rg-web"]);
    expect(scopes.find((c) => c.name === "rg-data")).toEqual({ id: S.rgData, name: "rg-data", type: "resourcegroup" });
    const r = await plane.submit(activate(target));
    expect(r.status).toBe("PendingApproval");
    expect(r.scope).toBe(S.rgData);
    expect(r.approvalId).toMatch(/^\/providers\/Microsoft.Authorization\/roleAssignmentApprovals\//);
    const name = r.id.split("/").pop() ?? "";
    expect((await emu.control.decideArm(name, "approve")).status).toBe("Provisioned");
    expect((await plane.request(r.id)).status).toBe("Provisioned");
    const active = await plane.activeAssignments(target);
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({
      scope: S.rgData,
      scopeName: "rg-data",
      roleName: "Owner",
      eligibilityScheduleId: eligSchedule(S.production, E.prodOwner),
    });
  });

  it("validate-only returns the evaluated request and creates nothing", async () => {
    const r = await plane.submit(activate(ref(S.production, R.owner), { validateOnly: true }));
    expect(r.status).toBe("PendingApproval");
    expect(emu.emulator.armState.requests.size).toBe(0);
    expect(rec.calls.some((c) => c.startsWith("POST ") && c.endsWith("/validate"))).toBe(true);
  });

  it("a PUT whose answer was lost is sent again; the 409 for our own name reads the request back", async () => {
    await emu.control.addFaults([
      { kind: "drop", after: true, method: "PUT", path: "/roleAssignmentScheduleRequests/", count: 1 },
    ]);
    const r = await plane.submit(activate(ref(S.development, R.reader)));
    expect(r.status).toBe("Provisioned");
    expect(rec.calls.filter((c) => c.startsWith("PUT "))).toHaveLength(2);
    expect(rec.calls.filter((c) => c.startsWith("GET ") && c.endsWith(r.id))).toHaveLength(1);
    expect(emu.emulator.armState.requests.size).toBe(1);
    expect(rec.lines.some((l) => l.includes("already exists after a retry"))).toBe(true);
  });

  it("policy failures carry ARM's code and message; a step-up with the claims asked for goes through", async () => {
    const web = await failure(plane.submit(activate(ref(S.rgWeb, R.contributor))));
    expect(web.code).toBe("RoleAssignmentRequestPolicyValidationFailed");
    expect(web.serverMessage).toContain("TicketingRule");
    const ok = await plane.submit(
      activate(ref(S.rgWeb, R.contributor), { ticket: { system: "Jira", number: "CHG-2291" } }),
    );
    expect(ok.status).toBe("Provisioned");

    const mfa = await failure(plane.submit(activate(ref(S.production, R.contributor))));
    expect(mfa.serverMessage).toContain("MfaRule");
    expect((await plane.submit(activate(ref(S.production, R.contributor)), { claims: MFA_CLAIMS })).status).toBe(
      "Provisioned",
    );

    const sandbox = ref(S.rgSandbox, R.virtualMachineContributor);
    const acrs = await failure(plane.submit(activate(sandbox)));
    expect(acrs.code).toBe("RoleAssignmentRequestAcrsValidationFailed");
    const claims = claimsFromAcrsMessage(acrs.serverMessage);
    expect(claims).toContain('"c1"');
    expect((await plane.submit(activate(sandbox), { claims: claims ?? "" })).status).toBe("Provisioned");

    expectNoTokens();
  });

  it("deactivating too soon is ActiveDurationTooShort; after five minutes it is Revoked", async () => {
    const target = ref(S.development, R.reader);
    await plane.submit(activate(target));
    const soon = await failure(plane.submit(deactivate(target)));
    expect(soon.code).toBe("ActiveDurationTooShort");
    expect(soon.kind).toBe("policy");
    await emu.control.advanceClock(6 * 60_000);
    const off = await plane.submit(deactivate(target));
    expect(off).toMatchObject({ action: "SelfDeactivate", status: "Revoked" });
    expect(await plane.activeAssignments(target)).toEqual([]);
  });

  it("cancels a request waiting for approval", async () => {
    const r = await plane.submit(activate(ref(S.production, R.owner)));
    expect(r.status).toBe("PendingApproval");
    expect((await plane.myRequests({ status: "PendingApproval" })).map((x) => x.id)).toEqual([r.id]);
    await plane.cancel(r.id);
    expect((await plane.request(r.id)).status).toBe("Canceled");
    expect(await plane.myRequests({ status: "PendingApproval" })).toEqual([]);
  });
});

describe("tokens and errors", () => {
  it("a Graph token sent to ARM is a typed auth error naming InvalidAuthenticationTokenAudience", async () => {
    const graphTokens = { getAccessToken: (r = {}) => auth.getAccessToken(r) };
    const { plane: wrong } = armPlane(emu, fetch, graphTokens, rec);
    const e = await failure(wrong.eligibilities());
    expect(e).toMatchObject({ status: 401, code: "InvalidAuthenticationTokenAudience", kind: "auth", service: "arm" });
    expect(e.message).toContain("InvalidAuthenticationTokenAudience");
    expect(e.requestId).toBeTruthy();
    expect(`${e.message} ${e.serverMessage}`).not.toMatch(/eyJ/);
    expectNoTokens();
  });

  it("a CAE claims challenge from ARM is answered with a token for those claims, once", async () => {
    // MSAL would serve its cached token until ARM challenges it; the emulator's answer for `.default`
    // does not name `.default`, so MSAL misses its cache there. This source keeps the token as MSAL would.
    const real = armTokens(auth, connectionFor(emu));
    let cached: string | null = null;
    const asked: Array<string | undefined> = [];
    const tokens = {
      async getAccessToken(r: { claims?: string | undefined; forceRefresh?: boolean } = {}) {
        asked.push(r.claims);
        if (!cached || r.claims || r.forceRefresh) cached = await real.getAccessToken(r);
        return cached;
      },
    };
    const { plane: p } = armPlane(emu, fetch, tokens, rec);
    await p.eligibilities();
    await emu.control.advanceClock(2000);
    await emu.control.revokeSessions("adele");
    expect(await p.eligibilities()).toHaveLength(7);
    expect(rec.lines.some((l) => l.includes("claims challenge"))).toBe(true);
    expect(asked).toHaveLength(3);
    expect(JSON.parse(asked[2] ?? "{}").access_token.nbf.essential).toBe(true);
    expect(rec.calls).toHaveLength(3);
  });

  it("consent missing for ARM only: ConsentRequiredError naming the Azure permission", async () => {
    const fresh = await signedIn(emu, fetch);
    await emu.control.configure({ consentNotGrantedForArm: ["*"] });
    const { plane: p } = armPlane(emu, fetch, armTokens(fresh, connectionFor(emu)), rec);
    const e = await p.eligibilities().then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ConsentRequiredError);
    expect((e as ConsentRequiredError).message).toContain("Azure Service Management");
    expect((e as ConsentRequiredError).facts.scopes).toEqual(["https://management.azure.com/.default"]);
  });
});

describe("throttling", () => {
  it("obeys Retry-After on a 429 from ARM's bucket", async () => {
    await emu.control.configure({
      armRateLimit: { readBurst: 2, readsPerSecond: 1, writeBurst: 200, writesPerSecond: 10 },
    });
    const retries: string[] = [];
    // Pacing off (lowWater below zero), to meet the 429.
    const { plane: p, arm } = armPlane(emu, fetch, armTokens(auth, connectionFor(emu)), rec, {
      arm: { lowWater: -1 },
      http: { onRetry: (e) => retries.push(e.reason) },
    });
    for (let i = 0; i < 3; i++) expect(await p.activeAssignments()).toHaveLength(1);
    expect(retries).toEqual(["HTTP 429 (Retry-After 1 s)"]);
    expect(rec.sleeps).toEqual([1000]);
    expect(arm.remaining(false)).toBe(0);
  });

  it("reads x-ms-ratelimit-remaining-* and slows down before the bucket runs dry", async () => {
    await emu.control.configure({
      armRateLimit: { readBurst: 10, readsPerSecond: 1, writeBurst: 200, writesPerSecond: 10 },
    });
    const retries: string[] = [];
    const { plane: p, arm } = armPlane(emu, fetch, armTokens(auth, connectionFor(emu)), rec, {
      http: { onRetry: (e) => retries.push(e.reason) },
    });
    for (let i = 0; i < 20; i++) await p.activeAssignments();
    expect(retries).toEqual([]);
    expect(arm.remaining(false)).toBeLessThanOrEqual(5);
    expect(rec.sleeps.length).toBeGreaterThan(10);
    expect(rec.lines.some((l) => l.startsWith("warn") && l.includes("reads budget is low"))).toBe(true);
    expect(rec.lines.some((l) => l.includes("pacing Azure Resource Manager reads"))).toBe(true);
  });
});

describe("scopes and ids", () => {
  it("lists eligible child scopes of every type, and the subscriptions and groups ARM shows", async () => {
    const all = await plane.childScopes(S.production);
    expect(all.map((c) => `${c.type}:${c.name}`).sort()).toEqual([
      "resource:app-contoso-web",
      "resource:kv-prod-secrets",
      "resourcegroup:rg-data",
      "resourcegroup:rg-web",
    ]);
    expect(await plane.subscriptions()).toEqual([
      { id: S.development, name: "Contoso Development", type: "subscription" },
    ]);
    expect(await plane.resourceGroups(S.development)).toEqual([
      { id: S.rgSandbox, name: "rg-sandbox", type: "resourcegroup" },
    ]);
    expect(rec.calls.slice(-2)).toEqual(["GET /subscriptions", `GET ${S.development}/resourcegroups`]);
  });

  it("never follows a nextLink to another host, and takes only ARM request ids", async () => {
    const { arm } = armPlane(emu, fetch, armTokens(auth, connectionFor(emu)), rec);
    const foreign = await failure(arm.list("https://evil.example/providers/x?api-version=2020-10-01"));
    expect(foreign.code).toBe("ForeignNextLink");
    await expect(plane.request("https://evil.example/x")).rejects.toThrow(/not an Azure role request id/);
    await expect(plane.cancel(`${S.production}${AUTHZ}/roleAssignments/x`)).rejects.toThrow(
      /not an Azure role request id/,
    );
    expect(rec.calls).toEqual([]);
  });

  it("throttled past the retries: a network-kind ArmError naming TooManyRequests", async () => {
    await emu.control.addFaults([{ kind: "status", status: 429, retryAfter: 2, path: "/arm/", count: 3 }]);
    const { plane: p } = armPlane(emu, fetch, armTokens(auth, connectionFor(emu)), rec, { http: { maxAttempts: 3 } });
    const e = await failure(p.activeAssignments());
    expect(e).toMatchObject({ status: 429, code: "TooManyRequests", kind: "network" });
    expect(rec.sleeps).toEqual([2000, 2000]);
  });
});
