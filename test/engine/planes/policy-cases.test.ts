// Every policy case of the groups suite, on Entra ID roles and on Azure roles: the same activation
// service, against the emulator over HTTPS, with the real MSAL. Sleeps move the emulator's clock.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARM_ROLES, ARM_SCOPES, DEMO_GROUPS as G } from "../../../emulator/index.js";
import { DEMO_ADMINISTRATIVE_UNITS, DEMO_ROLES } from "../../../emulator/roles/seed.js";
import type { Target } from "../../../electron/engine/activation/activation-service.js";
import type { Engine } from "../../../electron/engine/engine.js";
import { PolicyError } from "../../../electron/engine/errors.js";
import { kindOf } from "../../../electron/engine/planes/targets.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { engineAgainst } from "../../helpers/engine.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let engine: Engine;
let dir: string;

const role = (id: string, roleName: string, directoryScopeId = "/"): Target => ({
  kind: "role",
  roleDefinitionId: id,
  directoryScopeId,
  roleName,
});
const azure = (guid: string, scope: string, roleName: string): Target => ({
  kind: "azure",
  roleDefinitionId: `/subscriptions/${scope.split("/")[2]}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
  scope,
  roleName,
  // As a profile stores it: the scope's last segment is its display name in the demo tenant.
  ...(scope.includes("/resourceGroups/") ? { scopeName: scope.split("/").pop() } : {}),
});

/** Per plane, a target for each policy case of the demo tenant. */
const PLANES = {
  role: {
    plain: role(DEMO_ROLES.globalReader, "Global Reader"),
    approval: role(DEMO_ROLES.privilegedRoleAdministrator, "Privileged Role Administrator"),
    mfa: role(DEMO_ROLES.exchangeAdministrator, "Exchange Administrator"),
    authContext: role(DEMO_ROLES.securityAdministrator, "Security Administrator"),
    ticket: role(DEMO_ROLES.userAdministrator, "User Administrator"),
    // Helpdesk Administrator on the Sales AU: at most 4 hours.
    limited: role(
      DEMO_ROLES.helpdeskAdministrator,
      "Helpdesk Administrator",
      `/administrativeUnits/${DEMO_ADMINISTRATIVE_UNITS.sales}`,
    ),
    limitMs: 4 * 3600_000,
  },
  azure: {
    plain: azure(ARM_ROLES.reader, ARM_SCOPES.development, "Reader"),
    approval: azure(ARM_ROLES.owner, ARM_SCOPES.production, "Owner"),
    mfa: azure(ARM_ROLES.contributor, ARM_SCOPES.production, "Contributor"),
    authContext: azure(ARM_ROLES.virtualMachineContributor, ARM_SCOPES.rgSandbox, "Virtual Machine Contributor"),
    ticket: azure(ARM_ROLES.contributor, ARM_SCOPES.rgWeb, "Contributor"),
    limited: azure(ARM_ROLES.keyVaultSecretsOfficer, ARM_SCOPES.keyVault, "Key Vault Secrets Officer"),
    limitMs: 3600_000,
  },
} as const;

beforeAll(async () => {
  emu = await startTestEmulator({
    settings: { provisioningDelayMs: 0, deviceCodeAutoApprove: "adele", deviceCodeIntervalSeconds: 0 },
  });
  dir = mkdtempSync(join(tmpdir(), "pimtray-planes-"));
  engine = await engineAgainst(emu, dir, {
    overrides: { sleep: async (ms) => void emu.emulator.clock.advance(ms) },
  });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await emu.stop();
});

describe.each(["role", "azure"] as const)("the %s plane, every policy case", (plane) => {
  const t = PLANES[plane];
  // Each plane starts from a fresh sign-in without MFA, so its MFA case must step up itself.
  beforeAll(async () => {
    engine = await engineAgainst(emu, dir, {
      overrides: { sleep: async (ms) => void emu.emulator.clock.advance(ms) },
    });
  });
  const why = { justification: `policy case on the ${plane} plane` };

  it("validate-only checks without activating", async () => {
    const out = await engine.activation.activate({ target: t.plain, ...why, validateOnly: true });
    expect(out.status).toBe("validated");
    expect(await engine.planes.activeAssignments(t.plain)).toHaveLength(0);
  });

  it("a plain activation is active, a second one says already active", async () => {
    const out = await engine.activation.activate({ target: t.plain, ...why, durationMs: 3600_000 });
    expect(out.status).toBe("active");
    expect(out.endDateTime).not.toBeNull();
    const again = await engine.activation.activate({ target: t.plain, ...why, durationMs: 3600_000 });
    expect(again.status).toBe("already-active");
  });

  it("deactivation honours the 5-minute floor, and --wait waits it out", async () => {
    await expect(engine.activation.deactivate(t.plain)).rejects.toSatisfy(
      (e) => e instanceof PolicyError && e.rules.includes("ActiveDurationTooShort"),
    );
    const out = await engine.activation.deactivate(t.plain, { wait: true });
    expect(out.status).toBe("deactivated");
    expect(await engine.planes.activeAssignments(t.plain)).toHaveLength(0);
  });

  it("a duration over the policy's maximum is refused before anything is sent", async () => {
    const before = emu.emulator.log.lastSeq;
    await expect(
      engine.activation.activate({ target: t.limited, ...why, durationMs: t.limitMs + 3600_000 }),
    ).rejects.toSatisfy((e) => e instanceof PolicyError && e.rules.includes("ExpirationRule"));
    const sent = emu.emulator.log.since(before);
    expect(sent.filter((r) => r.method === "POST" || r.method === "PUT")).toHaveLength(0);
  });

  it("a ticket is required where the policy says so, and accepted when given", async () => {
    await expect(engine.activation.activate({ target: t.ticket, ...why, durationMs: 3600_000 })).rejects.toSatisfy(
      (e) => e instanceof PolicyError && e.rules.includes("TicketingRule"),
    );
    const out = await engine.activation.activate({
      target: t.ticket,
      ...why,
      durationMs: 3600_000,
      ticket: { system: "ServiceNow", number: "INC0042317" },
    });
    expect(out.status).toBe("active");
  });

  it("MFA is asked for when PIM says MfaRule, then the activation goes through", async () => {
    const phases: string[] = [];
    const out = await engine.activation.activate(
      { target: t.mfa, ...why, durationMs: 3600_000 },
      { onProgress: (p) => phases.push(p.phase) },
    );
    expect(out.status).toBe("active");
    expect(phases).toContain("stepping-up");
  });

  it("an authentication context is satisfied up front from the policy", async () => {
    const out = await engine.activation.activate({ target: t.authContext, ...why, durationMs: 3600_000 });
    expect(out.status).toBe("active");
  });

  it("approval leaves the request pending, and cancel withdraws it", async () => {
    const out = await engine.activation.activate({ target: t.approval, ...why, durationMs: 3600_000 });
    expect(out.status).toBe("pending-approval");
    expect(out.requestId).toBeTruthy();
    await engine.activation.cancel(out.requestId ?? "", out);
    const after = await engine.planes.request(out.requestId ?? "", plane);
    expect(after.status).toBe("Canceled");
  });

  it("a future start is scheduled, and can be canceled before it begins", async () => {
    const startAt = new Date(emu.emulator.clock.now() + 3600_000);
    const out = await engine.activation.activate({ target: t.limited, ...why, durationMs: 3600_000, startAt });
    expect(out.status).toBe("scheduled");
    await engine.activation.cancel(out.requestId ?? "", out);
    expect((await engine.planes.request(out.requestId ?? "", plane)).status).toBe("Canceled");
  });

  it("history names the plane, the role and its scope", async () => {
    const { entries } = await engine.history.read(200);
    const mine = entries.filter((e) => e.kind === plane);
    expect(mine.length).toBeGreaterThan(3);
    expect(mine.every((e) => e.roleName && e.scope && e.scopeName)).toBe(true);
  });
});

describe("Azure roles at a reduced scope", () => {
  it("an eligibility at a subscription activates at one of its resource groups only", async () => {
    const target = azure(ARM_ROLES.contributor, ARM_SCOPES.rgData, "Contributor");
    const out = await engine.activation.activate({ target, justification: "reduced scope", durationMs: 3600_000 });
    expect(out.status).toBe("active");
    const active = await engine.planes.activeAssignments(target);
    expect(active.map((a) => (a.kind === "azure" ? a.scope : null))).toEqual([ARM_SCOPES.rgData]);
    expect(out.kind === "azure" ? out.scopeName : null).toBe("rg-data");
  });
});

describe("a mixed profile", () => {
  it("activates each target on its plane; one failure per plane stops none of the others", async () => {
    engine = await engineAgainst(emu, dir, {
      overrides: { sleep: async (ms) => void emu.emulator.clock.advance(ms) },
    });
    const inputs = [
      // A group, a role and an Azure role that go through…
      { target: { groupId: G.financeAdmins, accessId: "member" as const, groupName: "Finance Admins" } },
      { target: role(DEMO_ROLES.globalReader, "Global Reader") },
      { target: azure(ARM_ROLES.reader, ARM_SCOPES.development, "Reader") },
      // …and one of each that its policy refuses (no ticket where one is required, too long).
      {
        target: { groupId: G.tenantAdmins, accessId: "member" as const, groupName: "Tenant Admins" },
        durationMs: 99 * 3600_000,
      },
      { target: role(DEMO_ROLES.userAdministrator, "User Administrator") },
      { target: azure(ARM_ROLES.contributor, ARM_SCOPES.rgWeb, "Contributor") },
    ].map((i) => ({ durationMs: 3600_000, justification: "mixed profile", ...i }));
    const out = await engine.activation.activateMany(inputs);
    expect(out.map((o) => [kindOf(o), o.status])).toEqual([
      ["group", "active"],
      ["role", "active"],
      ["azure", "active"],
      ["group", "failed"],
      ["role", "failed"],
      ["azure", "failed"],
    ]);
    expect(out.slice(3).map((o) => (o.error instanceof PolicyError ? o.error.rules : []))).toEqual([
      ["ExpirationRule"],
      ["TicketingRule"],
      ["TicketingRule"],
    ]);
    // Each failure names its target the way a person knows it.
    expect(out[4]?.error?.message).toContain("User Administrator");
    expect(out[5]?.error?.message).toContain("Contributor on rg-web");
  });
});
