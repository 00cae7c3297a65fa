// The directory-roles plane client against the emulator over HTTPS, with MSAL tokens for the role plane's
// scopes (as the engine asks for them: the connection's planeScopes.role).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_USERS as U } from "../../../../emulator/index.js";
import { DEMO_ADMINISTRATIVE_UNITS as AU, DEMO_ROLES as R } from "../../../../emulator/roles/seed.js";
import type { Engine } from "../../../../electron/engine/engine.js";
import { acrsClaims } from "../../../../electron/engine/auth/claims.js";
import { ServiceError } from "../../../../electron/engine/errors.js";
import { GraphClient } from "../../../../electron/engine/graph/graph-client.js";
import { UNKNOWN_POLICY } from "../../../../electron/engine/graph/policy-summary.js";
import { silentLogger, type Logger } from "../../../../electron/engine/logger.js";
import type { PlaneSubmission } from "../../../../electron/engine/planes/plane.js";
import { RolePlane, roleRequestBody } from "../../../../electron/engine/planes/role/role-client.js";
import type { RoleRef } from "../../../../electron/engine/planes/targets.js";
import { startTestEmulator } from "../../../helpers/emulator.js";
import { engineAgainst } from "../../../helpers/engine.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let engine: Engine;
let dir: string;
let plane: RolePlane;
const logged: string[] = [];
const logger: Logger = { ...silentLogger, info: (m) => logged.push(m), warn: (m) => logged.push(m) };

const ref = (roleDefinitionId: string, directoryScopeId = "/"): RoleRef => ({
  kind: "role",
  roleDefinitionId,
  directoryScopeId,
});
const activation = (target: RoleRef, extra: Partial<PlaneSubmission<RoleRef>> = {}): PlaneSubmission<RoleRef> => ({
  action: "activate",
  target,
  principalId: U.adele,
  durationMs: 3600_000,
  justification: "Investigating INC0012345",
  ...extra,
});

/** A plane whose tokens carry `scopes`: the role plane's, or another plane's to provoke the 403. */
function planeWith(scopes: string[]): RolePlane {
  const tokens = { getAccessToken: (r = {}) => engine.auth.getAccessToken({ ...r, scopes }) };
  return new RolePlane(new GraphClient(engine.http, engine.connection.graphBaseUrl, tokens, logger), logger);
}

beforeAll(async () => {
  emu = await startTestEmulator({ settings: { provisioningDelayMs: 0, deviceCodeIntervalSeconds: 0 } });
  dir = mkdtempSync(join(tmpdir(), "pimtray-role-plane-"));
  engine = await engineAgainst(emu, dir);
  plane = planeWith(engine.connection.planeScopes.role);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await emu.stop();
});
beforeEach(() => {
  emu.emulator.roles.requests.clear();
  emu.emulator.roles.instances.clear();
  emu.emulator.roles.approvals.clear();
  emu.emulator.clock.reset();
  logged.length = 0;
});

describe("RolePlane reads", () => {
  it("lists Adele's eligible roles with names, sorted, the AU by name, the group-held role left out", async () => {
    const list = await plane.eligibilities();
    expect(list.map((e) => [e.roleName, e.scopeName])).toEqual([
      ["Exchange Administrator", "Directory"],
      ["Global Reader", "Directory"],
      ["Helpdesk Administrator", "Sales"],
      ["Privileged Role Administrator", "Directory"],
      ["Security Administrator", "Directory"],
      ["User Administrator", "Directory"],
    ]);
    expect(list[2]).toMatchObject({
      kind: "role",
      roleDefinitionId: R.helpdeskAdministrator,
      directoryScopeId: `/administrativeUnits/${AU.sales}`,
      memberType: "Direct",
      endDateTime: null,
    });
    expect(logged).toEqual([]);
  });

  it("warns when exactly 50 eligibilities arrive (Graph's reported silent cap)", async () => {
    const seed = emu.emulator.roles.seed.eligibilities;
    const adeles = seed.filter((e) => e.principalId === U.adele && e.memberType === "Direct");
    const [base] = adeles;
    if (!base) throw new Error("the demo tenant has no direct role eligibility for Adele");
    const extra = Array.from({ length: 50 - adeles.length }, (_, i) => ({
      ...base,
      id: `extra-${i}`,
      directoryScopeId: `/administrativeUnits/extra-${i}`,
    }));
    seed.push(...extra);
    try {
      expect(await plane.eligibilities()).toHaveLength(50);
      expect(logged.filter((l) => l.includes("exactly 50"))).toHaveLength(1);
    } finally {
      seed.splice(seed.length - extra.length, extra.length);
    }
  });

  it("summarises each role's policy: approval, MFA, authentication context, ticket, maximum duration", async () => {
    const pra = await plane.policy(ref(R.privilegedRoleAdministrator));
    expect(pra).toMatchObject({
      known: true,
      approvalRequired: true,
      maxDuration: "PT2H",
      justificationRequired: true,
    });
    expect(pra.approvers.map((a) => a.id)).toEqual([U.megan]);
    expect((await plane.policy(ref(R.exchangeAdministrator))).mfaRequired).toBe(true);
    expect((await plane.policy(ref(R.securityAdministrator))).authContext).toBe("c1");
    expect((await plane.policy(ref(R.userAdministrator))).ticketRequired).toBe(true);
    const au = await plane.policy(ref(R.helpdeskAdministrator, `/administrativeUnits/${AU.sales}`));
    expect(au).toMatchObject({ maxDurationMs: 4 * 3600_000, approvalRequired: false, mfaRequired: false });
  });

  it("answers a token without the role scopes with a typed 403, and reads the policy as unknown", async () => {
    const groupsOnly = planeWith(engine.connection.planeScopes.group);
    const err = await groupsOnly.eligibilities().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).toMatchObject({ status: 403, code: "PermissionScopeNotGranted", kind: "auth" });
    expect(await groupsOnly.policy(ref(R.globalReader))).toBe(UNKNOWN_POLICY);
    expect(logged.some((l) => l.includes("not readable (PermissionScopeNotGranted)"))).toBe(true);
  });
});

describe("RolePlane requests", () => {
  it("activates a plain role: Provisioned, then active and among my requests", async () => {
    const req = await plane.submit(activation(ref(R.globalReader)));
    expect(req).toMatchObject({ kind: "role", action: "selfActivate", status: "Provisioned", duration: "PT1H" });
    const active = await plane.activeAssignments(ref(R.globalReader));
    expect(active).toEqual([
      expect.objectContaining({ roleName: "Global Reader", scopeName: "Directory", assignmentType: "activated" }),
    ]);
    expect(await plane.activeAssignments(ref(R.userAdministrator))).toEqual([]);
    expect((await plane.myRequests({ target: ref(R.globalReader) })).map((r) => r.id)).toEqual([req.id]);
    expect((await plane.request(req.id)).status).toBe("Provisioned");
  });

  it("validates only, keeping nothing; then activates with the ticket the policy asks for", async () => {
    const ticket = { system: "ServiceNow", number: "CHG0042" };
    const dry = await plane.submit(activation(ref(R.userAdministrator), { ticket, validateOnly: true }));
    expect(dry.action).toBe("selfActivate");
    expect(await plane.myRequests()).toEqual([]);
    const missing = await plane.submit(activation(ref(R.userAdministrator))).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: "RoleAssignmentRequestPolicyValidationFailed" });
    expect((missing as ServiceError).serverMessage).toContain("TicketingRule");
    expect((await plane.submit(activation(ref(R.userAdministrator), { ticket }))).status).toBe("Provisioned");
  });

  it("refuses a deactivation within five minutes with ActiveDurationTooShort, allows it after", async () => {
    await plane.submit(activation(ref(R.globalReader)));
    const off: PlaneSubmission<RoleRef> = { action: "deactivate", target: ref(R.globalReader), principalId: U.adele };
    const early = await plane.submit(off).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(ServiceError);
    expect(early).toMatchObject({ code: "ActiveDurationTooShort", kind: "policy" });
    await emu.control.advanceClock(6 * 60_000);
    expect((await plane.submit(off)).action).toBe("selfDeactivate");
    expect(await plane.activeAssignments(ref(R.globalReader))).toEqual([]);
  });

  it("sends the claims of a step-up with the submission (authentication context c1)", async () => {
    const refused = await plane.submit(activation(ref(R.securityAdministrator))).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "RoleAssignmentRequestAcrsValidationFailed" });
    // The step-up signs in again through the device code, which engineAgainst set to approve as Adele.
    const req = await plane.submit(activation(ref(R.securityAdministrator)), { claims: acrsClaims(["c1"]) });
    expect(req.status).toBe("Provisioned");
  });

  it("cancels a request pending approval", async () => {
    const req = await plane.submit(activation(ref(R.privilegedRoleAdministrator)));
    expect(req.status).toBe("PendingApproval");
    expect((await plane.myRequests({ status: "PendingApproval" })).map((r) => r.id)).toEqual([req.id]);
    await plane.cancel(req.id);
    expect((await plane.request(req.id)).status).toBe("Canceled");
  });
});

describe("roleRequestBody", () => {
  it("writes Graph's selfActivate and selfDeactivate bodies", () => {
    const startAt = new Date("2026-03-02T09:00:00Z");
    const target = ref(R.helpdeskAdministrator, `/administrativeUnits/${AU.sales}`);
    expect(
      roleRequestBody(
        activation(target, {
          durationMs: 90 * 60_000,
          startAt,
          ticket: { system: "SN", number: "1" },
          validateOnly: true,
        }),
      ),
    ).toEqual({
      action: "selfActivate",
      principalId: U.adele,
      roleDefinitionId: R.helpdeskAdministrator,
      directoryScopeId: `/administrativeUnits/${AU.sales}`,
      justification: "Investigating INC0012345",
      ticketInfo: { ticketSystem: "SN", ticketNumber: "1" },
      scheduleInfo: {
        startDateTime: startAt.toISOString(),
        expiration: { type: "afterDuration", duration: "PT1H30M" },
      },
      isValidationOnly: true,
    });
    expect(roleRequestBody({ action: "deactivate", target, principalId: U.adele, justification: "done" })).toEqual({
      action: "selfDeactivate",
      principalId: U.adele,
      roleDefinitionId: R.helpdeskAdministrator,
      directoryScopeId: `/administrativeUnits/${AU.sales}`,
      justification: "done",
    });
  });
});
