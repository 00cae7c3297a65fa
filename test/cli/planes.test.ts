// `pimtray` as a child process against the emulator over HTTPS, real MSAL inside: eligibilities,
// activation, status, cancel and profiles on all three planes (groups, Entra ID roles, Azure roles).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ARM_ELIGIBILITIES as E, ARM_SCOPES as S, DEMO_GROUPS as G } from "../../emulator/index.js";
import { DEMO_ADMINISTRATIVE_UNITS as AU, DEMO_ROLES as R } from "../../emulator/roles/seed.js";
import { CliHarness, endCliSuite, resetPim, startCliSuite, type CliSuite } from "../helpers/cli.js";

let emu: CliSuite["emu"];
let cli: CliHarness;

beforeAll(async () => {
  ({ emu, cli } = await startCliSuite({ provisioningDelayMs: 0 }));
});
afterAll(() => endCliSuite({ emu, cli }));
beforeEach(async () => {
  resetPim(emu);
  await emu.control.clearRequests();
});

type Item = Record<string, any>;
const SALES = `/administrativeUnits/${AU.sales}`;

/** Requests that would change something on the role or Azure plane (nothing else sends these). */
async function roleWrites() {
  return (await emu.control.requests()).filter(
    (r) =>
      (r.method === "POST" && r.path.endsWith("/roleManagement/directory/roleAssignmentScheduleRequests")) ||
      (r.method === "PUT" && r.path.includes("/roleAssignmentScheduleRequests/")),
  );
}
async function groupPosts() {
  return (await emu.control.requests()).filter(
    (r) => r.method === "POST" && r.path.endsWith("/privilegedAccess/group/assignmentScheduleRequests"),
  );
}

describe("eligible", () => {
  it("lists every plane: the groups' table as before, then Entra ID roles and Azure roles", async () => {
    const r = await cli.run(["eligible"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^GROUP\s+ROLE\s+MAX\s+APPROVAL/m);
    expect(r.stdout).toMatch(/^Entra ID roles$/m);
    expect(r.stdout).toMatch(/^Azure roles$/m);
    expect(r.stdout.indexOf("Entra ID roles")).toBeGreaterThan(r.stdout.indexOf("Finance Admins"));
    expect(r.stdout).toMatch(/Helpdesk Administrator\s+Sales\s+4 h/);
    expect(r.stdout).toMatch(/Global Reader\s+Directory\s+8 h/);
    expect(r.stdout).toMatch(/Privileged Role Administrator\s+Directory\s+2 h\s+yes/);
    expect(r.stdout).toMatch(/Contributor\s+rg-web\s+resourcegroup\s+2 h/);
    expect(r.stdout).toMatch(/Owner\s+Contoso Production\s+subscription\s+4 h\s+Megan/);
    expect(r.stderr).not.toMatch(/needs consent|unreachable/);
  });

  it("--json: kind, name, scope and scopeName on every item, group fields unchanged, and the planes' states", async () => {
    const r = await cli.json(["eligible"]);
    expect(r.code).toBe(0);
    const items = r.body.eligibilities as Item[];
    const finance = items.find((e) => e.groupId === G.financeAdmins);
    expect(finance).toMatchObject({
      kind: "group",
      name: "Finance Admins",
      scope: G.financeAdmins,
      scopeName: "Finance Admins",
      groupName: "Finance Admins",
      accessId: "member",
      policy: expect.objectContaining({ known: true }),
    });
    expect(items.find((e) => e.kind === "role" && e.name === "Global Reader")).toMatchObject({
      scope: "/",
      scopeName: "Directory",
      roleDefinitionId: R.globalReader,
      policy: expect.objectContaining({ maxDuration: "PT8H", justificationRequired: true }),
    });
    expect(items.find((e) => e.kind === "role" && e.name === "Helpdesk Administrator")).toMatchObject({
      scope: SALES,
      scopeName: "Sales",
    });
    const rgWeb = items.find((e) => e.kind === "azure" && e.scope === S.rgWeb);
    expect(rgWeb).toMatchObject({
      name: "Contributor",
      scopeName: "rg-web",
      scopeType: "resourcegroup",
      policy: expect.objectContaining({ ticketRequired: true, maxDuration: "PT2H" }),
    });
    expect(rgWeb?.accessId).toBeUndefined();
    const planes = r.body.planes as Item[];
    expect(planes.map((p) => [p.kind, p.state])).toEqual([
      ["group", "ok"],
      ["role", "ok"],
      ["azure", "ok"],
    ]);
    for (const p of planes) expect(p.count).toBe(items.filter((e) => e.kind === p.kind).length);
  });

  it("--kind filters: only that plane's items and state are shown", async () => {
    const roles = await cli.json(["eligible", "--kind", "role"]);
    expect(roles.code).toBe(0);
    expect(new Set((roles.body.eligibilities as Item[]).map((e) => e.kind))).toEqual(new Set(["role"]));
    expect((roles.body.planes as Item[]).map((p) => p.kind)).toEqual(["role"]);
    const human = await cli.run(["eligible", "--kind", "azure"]);
    expect(human.stdout).not.toMatch(/^GROUP\s+ROLE/m);
    expect(human.stdout).toMatch(/^Azure roles$/m);
    const bad = await cli.run(["eligible", "--kind", "planet"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--kind takes group, role or azure");
  });
});

describe("activate and deactivate on the role planes", () => {
  it("activates an Entra ID role by name; status shows it beside groups; it is deactivated after PIM's minimum", async () => {
    const r = await cli.json(["activate", "global reader", "--duration", "1h", "--justification", "Audit"]);
    expect(r.code).toBe(0);
    expect(r.body.outcomes[0]).toMatchObject({
      kind: "role",
      name: "Global Reader",
      scope: "/",
      scopeName: "Directory",
      status: "active",
      durationMinutes: 60,
      error: null,
    });
    const [post] = await roleWrites();
    expect(post?.body).toMatchObject({
      action: "selfActivate",
      roleDefinitionId: R.globalReader,
      directoryScopeId: "/",
      justification: "Audit",
    });
    const group = await cli.json(["activate", "Finance Admins", "--duration", "1h", "--justification", "x"]);
    expect(group.code).toBe(0);

    const status = await cli.json(["status"]);
    const active = status.body.active as Item[];
    expect(active.find((a) => a.kind === "role")).toMatchObject({ name: "Global Reader", scope: "/" });
    expect(active.find((a) => a.kind === "group")).toMatchObject({
      groupName: "Finance Admins",
      accessId: "member",
      scope: G.financeAdmins,
    });
    // Adele's standing Reader on rg-sandbox is Azure's: listed apart, as nothing of PIM Tray's to end.
    expect(active.find((a) => a.kind === "azure")).toBeUndefined();
    expect((status.body.standing as Item[]).find((a) => a.kind === "azure")).toMatchObject({
      scope: S.rgSandbox,
      assignmentType: "assigned",
    });
    expect((status.body.planes as Item[]).every((p) => p.state === "ok")).toBe(true);
    const human = await cli.run(["status"]);
    expect(human.stdout).toMatch(/^GROUP\s+ROLE\s+UNTIL\s+LEFT/m);
    expect(human.stdout).toMatch(/Entra ID role\s+Global Reader\s+Directory\s+\S/);
    expect(human.stdout).toMatch(/Azure role\s+Reader \(standing\)\s+rg-sandbox\s+permanent/);

    await emu.control.advanceClock(6 * 60_000);
    const off = await cli.json(["deactivate", "Global Reader", "--kind", "role"]);
    expect(off.code).toBe(0);
    expect(off.body.outcomes[0]).toMatchObject({ kind: "role", name: "Global Reader", status: "deactivated" });
    const after = await cli.json(["status"]);
    expect((after.body.active as Item[]).some((a) => a.kind === "role")).toBe(false);
    await cli.run(["deactivate", "Finance Admins"]);
  });

  it("activates a role scoped to an administrative unit with --scope (its id or its name)", async () => {
    const r = await cli.json([
      "activate",
      "Helpdesk Administrator",
      "--scope",
      SALES,
      "--justification",
      "Password resets",
    ]);
    expect(r.code).toBe(0);
    expect(r.body.outcomes[0]).toMatchObject({ kind: "role", scope: SALES, scopeName: "Sales", status: "active" });
    expect((await roleWrites())[0]?.body).toMatchObject({
      roleDefinitionId: R.helpdeskAdministrator,
      directoryScopeId: SALES,
    });
    const human = await cli.run(["activate", "Helpdesk Administrator", "--scope", "Sales", "--justification", "x"]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("Helpdesk Administrator on Sales");
    const wrong = await cli.run(["activate", "Helpdesk Administrator", "--scope", "/", "--justification", "x"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`only at: ${SALES} (Sales)`);
  });

  it("activates an Azure role at a scope, and Owner at a child resource group (reduced scope), then cancels it by the id status shows", async () => {
    const reader = await cli.json(["activate", "Reader", "--kind", "azure", "--scope", S.development]);
    expect(reader.code).toBe(0);
    expect(reader.body.outcomes[0]).toMatchObject({
      kind: "azure",
      name: "Reader",
      scope: S.development,
      scopeName: "Contoso Development",
      status: "active",
    });

    // rg-data has no eligibility of its own: Owner is eligible on its subscription.
    const owner = await cli.json([
      "activate",
      "Owner",
      "--scope",
      "Contoso Production/rg-data",
      "--justification",
      "x",
    ]);
    expect(owner.code).toBe(0);
    expect(owner.body.outcomes[0]).toMatchObject({
      kind: "azure",
      name: "Owner",
      scope: S.rgData,
      scopeName: "rg-data",
      status: "pending-approval",
    });
    const put = [...emu.emulator.armState.requests.values()].find(
      (q) => q.scope.toLowerCase() === S.rgData.toLowerCase(),
    );
    expect(put?.linkedRoleEligibilityScheduleId?.toLowerCase()).toContain(E.prodOwner);

    const status = await cli.json(["status"]);
    const pending = (status.body.pending as Item[]).find((p) => p.kind === "azure");
    expect(pending).toMatchObject({ scope: S.rgData, name: "Owner", status: "PendingApproval" });
    expect(String(pending?.requestId)).toMatch(/^\/subscriptions\/.+\/roleAssignmentScheduleRequests\//);
    const human = await cli.run(["status"]);
    expect(human.stdout).toContain(String(pending?.requestId));

    const cancel = await cli.json(["cancel", String(pending?.requestId)]);
    expect(cancel.code).toBe(0);
    expect(cancel.body).toMatchObject({ requestId: pending?.requestId, status: "Canceled", kind: "azure" });
    const after = await cli.json(["status"]);
    expect((after.body.pending as Item[]).some((p) => p.kind === "azure")).toBe(false);
  });

  it("cancels a pending role request by name, with the same selectors as activate", async () => {
    const r = await cli.json(["activate", "Privileged Role Administrator", "--justification", "x"]);
    expect(r.body.outcomes[0]).toMatchObject({ kind: "role", status: "pending-approval" });
    const c = await cli.run(["cancel", "Privileged Role Administrator", "--kind", "role"]);
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/^Request [0-9a-f-]{36} is canceled\.$/m);
    const none = await cli.run(["cancel", "Privileged Role Administrator"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("No pending request for Privileged Role Administrator");
  });
});

describe("ambiguity is refused, with the candidates, before anything is sent", () => {
  it("a name on two planes needs --kind", async () => {
    const def = emu.emulator.roles.seed.roleDefinitions.find((d) => d.id === R.globalReader);
    if (!def) throw new Error("the demo has Global Reader");
    const was = def.displayName;
    def.displayName = "Reader";
    try {
      const r = await cli.run(["activate", "Reader", "--justification", "x"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("more than one plane");
      expect(r.stderr).toContain("--kind");
      expect(r.stderr).toContain("Entra ID role Reader at /");
      expect(r.stderr).toContain(`Azure role Reader at ${S.development}`);
      const j = await cli.json(["activate", "Reader", "--justification", "x"]);
      expect(j.code).toBe(2);
      expect(j.body.error.kind).toBe("ambiguous");
      expect(j.body.error.candidates).toHaveLength(2);
      expect(await roleWrites()).toHaveLength(0);
      expect(await groupPosts()).toHaveLength(0);
    } finally {
      def.displayName = was;
    }
  });

  it("a role eligible at two scopes needs --scope", async () => {
    const r = await cli.run(["activate", "Contributor", "--justification", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("at 2 scopes. Add --scope");
    expect(r.stderr).toContain(S.production);
    expect(r.stderr).toContain(S.rgWeb);
    expect(await roleWrites()).toHaveLength(0);
  });
});

describe("profiles across planes", () => {
  it("a profile of groups, an Entra ID role and an Azure role: add, show, activate each on its plane", async () => {
    const add = await cli.run([
      "profile",
      "add",
      "Mixed planes",
      "--group",
      "Finance Admins",
      "--group",
      "Production Deploy",
      "--role",
      "User Administrator",
      "--azure",
      `Contributor@${S.rgWeb}`,
      "--justification",
      "Change 42",
    ]);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain("saved with 4 targets");
    const show = await cli.run(["profile", "show", "Mixed planes"]);
    expect(show.stdout).toMatch(/group\s+Finance Admins \(member\)/);
    expect(show.stdout).toMatch(/role\s+User Administrator/);
    expect(show.stdout).toMatch(/azure role\s+Contributor on rg-web/);
    const list = await cli.run(["profile", "list"]);
    expect(list.stdout).toMatch(
      /Mixed planes\s+Finance Admins, Production Deploy, User Administrator, Contributor on rg-web/,
    );

    // Production Deploy, User Administrator and Contributor on rg-web each need a ticket: one failure per plane.
    const r = await cli.json(["activate", "Mixed planes"]);
    expect(r.code).toBe(4);
    const outcomes = r.body.outcomes as Item[];
    expect(outcomes.map((o) => [o.kind, o.name, o.status])).toEqual([
      ["group", "Finance Admins", "active"],
      ["group", "Production Deploy", "failed"],
      ["role", "User Administrator", "failed"],
      ["azure", "Contributor", "failed"],
    ]);
    for (const o of outcomes.slice(1)) expect(o.error).toMatchObject({ kind: "policy" });
    expect(outcomes[3]).toMatchObject({ scope: S.rgWeb });
    await cli.run(["deactivate", "Mixed planes"]);
    await cli.run(["profile", "remove", "Mixed planes"]);
  });

  it("history shows role and Azure entries by their names", async () => {
    await cli.run(["activate", "Helpdesk Administrator", "--justification", "x"]);
    const h = await cli.run(["history", "--limit", "50"]);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/activate\s+Helpdesk Administrator on Sales\s+Entra ID role/);
    expect(h.stdout).toMatch(/Owner on rg-data\s+Azure role/);
  });
});
