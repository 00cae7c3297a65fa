// The tray menu on all three planes: a profile's entry says which planes it holds, and every active
// or pending item, on any plane, has its own Deactivate or Cancel. The pure model over app states,
// then the menu's own actions carried out by the real controller against the emulator over HTTPS.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { profilePlanes, trayMenu, type MenuItemModel } from "../../electron/app/tray-model.js";
import { startPreview, type RunningPreview } from "../../electron/preview/preview-server.js";
import type { ActiveView, PendingViewDto, ProfileView } from "../../electron/shared/ipc-contract.js";
import { ARM_ROLES, ARM_SCOPES } from "../../emulator/index.js";
import { DEMO_ROLES } from "../../emulator/roles/seed.js";
import { startTestEmulator } from "../helpers/emulator.js";
import { active, G1, G2, iso, NOW, state } from "./app-state.js";

const CONTRIBUTOR = `${ARM_SCOPES.production}/providers/Microsoft.Authorization/roleDefinitions/${ARM_ROLES.contributor}`;

const profile = (targets: ProfileView["targets"]): ProfileView => ({
  id: "p1",
  name: "On-call",
  targets,
  durationMinutes: 60,
  justification: null,
  ticket: null,
  autoActivate: false,
  keepActive: { enabled: false },
  notifyLeadMinutes: null,
  managed: false,
});

const roleActive: ActiveView = {
  kind: "role",
  roleDefinitionId: DEMO_ROLES.globalReader,
  directoryScopeId: "/",
  scope: "/",
  roleName: "Global Reader",
  scopeName: "Directory",
  startDateTime: iso(-3600_000),
  endDateTime: iso(30 * 60_000),
  deactivatableAt: iso(-3300_000),
};
const azureActive: ActiveView = {
  kind: "azure",
  roleDefinitionId: CONTRIBUTOR,
  scope: ARM_SCOPES.rgWeb,
  roleName: "Contributor",
  scopeName: "rg-web",
  startDateTime: iso(-60_000),
  endDateTime: iso(60 * 60_000),
  deactivatableAt: iso(4 * 60_000),
};
const azurePending: PendingViewDto = {
  kind: "azure",
  requestId: `${ARM_SCOPES.production}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${G2}`,
  roleDefinitionId: CONTRIBUTOR,
  scope: ARM_SCOPES.production,
  roleName: "Owner",
  scopeName: "Contoso Production",
  status: "PendingApproval",
  createdDateTime: iso(0),
  startDateTime: null,
};

const labels = (items: MenuItemModel[]) => items.flatMap((i) => (i.type === "action" ? [i.label] : []));

describe("tray model, planes", () => {
  it("names the planes a profile holds, and leaves a groups-only profile's entry as it was", () => {
    const mixed = profile([
      { groupId: G1, accessId: "member" },
      { groupId: G2, accessId: "owner" },
      { kind: "role", roleDefinitionId: DEMO_ROLES.globalReader, directoryScopeId: "/" },
      { kind: "azure", roleDefinitionId: CONTRIBUTOR, scope: ARM_SCOPES.rgWeb },
    ]);
    expect(profilePlanes(mixed)).toBe(" (2 groups, 1 role, 1 Azure role)");
    expect(profilePlanes(profile([{ groupId: G1, accessId: "member" }]))).toBe("");
    expect(
      profilePlanes(
        profile([
          { kind: "azure", roleDefinitionId: CONTRIBUTOR, scope: ARM_SCOPES.rgWeb },
          { kind: "azure", roleDefinitionId: CONTRIBUTOR, scope: ARM_SCOPES.rgData },
        ]),
      ),
    ).toBe(" (2 Azure roles)");
    // Partly active: the role counts, matched by its own key.
    const menu = trayMenu(state({ profiles: [mixed], active: [roleActive] }), NOW);
    expect(menu.find((i) => i.type === "action" && i.id === "profile:p1")).toMatchObject({
      label: "Activate On-call (2 groups, 1 role, 1 Azure role) — 1 of 4 active",
      enabled: true,
    });
  });

  it("deactivates and cancels each item on its own plane, labelled as everywhere else", () => {
    const menu = trayMenu(
      state({ active: [active(G1, "Finance Admins", 3600_000), roleActive, azureActive], pending: [azurePending] }),
      NOW,
    );
    expect(labels(menu)).toEqual([
      "Deactivate Finance Admins (member) — 1 h left",
      "Deactivate Global Reader — 30 min left",
      "Deactivate Contributor on rg-web — 1 h left",
      "Cancel Owner on Contoso Production — waiting for approval",
      "Open PIM Tray…",
      "Troubleshoot…",
      "Export diagnostics…",
      "Quit",
    ]);
    const byId = new Map(menu.flatMap((i) => (i.type === "action" ? [[i.id, i] as const] : [])));
    expect(byId.get(`deactivate:role:${DEMO_ROLES.globalReader}@/`)).toMatchObject({
      enabled: true,
      action: {
        kind: "deactivate",
        target: { kind: "role", roleDefinitionId: DEMO_ROLES.globalReader, directoryScopeId: "/" },
      },
    });
    // Within PIM's first five minutes, as for groups.
    expect(byId.get(`deactivate:azure:${CONTRIBUTOR.toLowerCase()}@${ARM_SCOPES.rgWeb.toLowerCase()}`)).toMatchObject({
      enabled: false,
      action: { kind: "deactivate", target: { kind: "azure", scope: ARM_SCOPES.rgWeb } },
    });
    expect(byId.get(`cancel:${azurePending.requestId}`)?.action).toEqual({
      kind: "cancel",
      requestId: azurePending.requestId,
    });
    expect(byId.get(`deactivate:${G1}:member`)?.action).toEqual({
      kind: "deactivate",
      groupId: G1,
      accessId: "member",
    });
  });
});

describe("tray menu actions against the emulator", () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let preview: RunningPreview;
  beforeAll(async () => {
    emu = await startTestEmulator({ settings: { autoSignIn: "adele", provisioningDelayMs: 100 } });
    preview = await startPreview({ emulator: emu });
  });
  afterAll(async () => {
    await preview.close();
    await emu.stop();
  });

  it("deactivates an Entra ID role and cancels a pending Azure role from their menu items", async () => {
    const c = preview.controller;
    expect((await c.invoke("auth:sign-in", {})).ok).toBe(true);
    expect((await c.invoke("pim:eligible", {})).ok).toBe(true);
    const role = { kind: "role" as const, roleDefinitionId: DEMO_ROLES.globalReader, directoryScopeId: "/" };
    const on = await c.invoke("pim:activate", { target: role, durationMinutes: 60, justification: "audit" });
    expect(on).toMatchObject({ ok: true, value: { kind: "role", roleName: "Global Reader", status: "active" } });
    const owner = `${ARM_SCOPES.production}/providers/Microsoft.Authorization/roleDefinitions/${ARM_ROLES.owner}`;
    const asked = await c.invoke("pim:activate", {
      target: { kind: "azure", roleDefinitionId: owner, scope: ARM_SCOPES.production },
      durationMinutes: 60,
      justification: "change window",
    });
    expect(asked).toMatchObject({ ok: true, value: { kind: "azure", roleName: "Owner", status: "pending-approval" } });
    await expect.poll(async () => (await c.state()).pending.length, { timeout: 10_000 }).toBe(1);

    await emu.control.advanceClock(5 * 60_000 + 1000);
    await preview.lifecycle.refresh();
    const menu = trayMenu(await c.state(), Date.now() + 5 * 60_000 + 1000);
    const item = (prefix: string) => menu.find((i) => i.type === "action" && i.label.startsWith(prefix));
    const deactivate = item("Deactivate Global Reader");
    const cancel = item("Cancel Owner on Contoso Production");
    expect(deactivate && deactivate.type === "action" && deactivate.enabled).toBe(true);
    if (deactivate?.type !== "action" || deactivate.action.kind !== "deactivate") throw new Error("no deactivate item");
    if (cancel?.type !== "action" || cancel.action.kind !== "cancel") throw new Error("no cancel item");
    expect(cancel.action.requestId).toMatch(/\/providers\/Microsoft\.Authorization\/roleAssignmentScheduleRequests\//i);

    // What app-tray.ts does with each action.
    const { kind: _action, ...request } = deactivate.action;
    const off = await c.invoke("pim:deactivate", request);
    expect(off).toMatchObject({ ok: true, value: { roleName: "Global Reader", status: "deactivated" } });
    expect((await c.invoke("pim:cancel", { requestId: cancel.action.requestId })).ok).toBe(true);
    await expect.poll(async () => (await c.state()).pending.length, { timeout: 10_000 }).toBe(0);
    await expect
      .poll(async () => (await c.state()).active.some((a) => a.kind === "role"), { timeout: 10_000 })
      .toBe(false);
  }, 60_000);

  it("lists the scopes below an Azure eligibility for the picker, and asks ARM nothing once Azure roles are off", async () => {
    const c = preview.controller;
    const scopes = await c.invoke("pim:azure-scopes", { scope: ARM_SCOPES.rgWeb });
    expect(scopes).toMatchObject({ ok: true, value: [{ name: "app-contoso-web", type: "resource" }] });
    expect((await c.invoke("settings:update", { planes: { azure: false } })).ok).toBe(true);
    const before = (await emu.control.requests()).length;
    expect(await c.invoke("pim:azure-scopes", { scope: ARM_SCOPES.rgWeb })).toEqual({
      ok: false,
      error: { kind: "usage", message: "Azure roles are turned off in Settings." },
    });
    expect((await emu.control.requests()).slice(before).filter((r) => r.path.startsWith("/arm"))).toEqual([]);
    expect((await c.invoke("pim:planes", undefined)).ok).toBe(true);
    expect((await c.state()).planes.find((p) => p.kind === "azure")).toMatchObject({ state: "off", canTurnOn: false });
    expect((await c.invoke("settings:update", { planes: { azure: true } })).ok).toBe(true);
  });
});
