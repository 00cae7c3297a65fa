// The lifecycle service on the role and Azure planes, against the emulator over HTTPS with the real
// MSAL, on a clock shared with the emulator (hours pass in milliseconds).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { labelOf, type NamedRef } from "../../../electron/engine/planes/targets.js";
import type { Profile } from "../../../electron/engine/profiles/settings-schema.js";
import { notificationFor } from "../../../electron/engine/notify/texts.js";
import { ARM_SCOPES, DEMO_GROUPS as G } from "../../../emulator/index.js";
import { DEMO_ROLES } from "../../../emulator/roles/seed.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { LifecycleHarness } from "../../helpers/lifecycle.js";

const MIN = 60_000;
let emu: Awaited<ReturnType<typeof startTestEmulator>>;
const harnesses: LifecycleHarness[] = [];

beforeAll(async () => {
  emu = await startTestEmulator({ settings: { provisioningDelayMs: 0 } });
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(async () => {
  await emu.control.reset();
  await emu.control.configure({ provisioningDelayMs: 0 });
});
afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    await h.service.stop();
    h.cleanup();
  }
});

async function harness(o: Parameters<LifecycleHarness["build"]>[0] = {}, dir?: string): Promise<LifecycleHarness> {
  const h = await new LifecycleHarness(emu, dir).build(o);
  harnesses.push(h);
  return h;
}

const globalReader = { kind: "role" as const, roleDefinitionId: DEMO_ROLES.globalReader, directoryScopeId: "/" };

/** Adele's Reader eligibility on the development subscription (no rules), as the Azure plane names it. */
async function devReader(h: LifecycleHarness) {
  const all = await h.engine.planes.for("azure").eligibilities();
  const e = all.find((x) => x.roleName === "Reader" && x.scope.toLowerCase() === ARM_SCOPES.development.toLowerCase());
  if (!e) throw new Error("the demo tenant lost Adele's Reader on Contoso Development");
  return { kind: "azure" as const, roleDefinitionId: e.roleDefinitionId, scope: e.scope };
}

/** Events as "type label" lines, the planes' labels ("Global Reader", "Reader on Contoso Development"). */
function said(h: LifecycleHarness): string[] {
  return h.events.map((e) => ("target" in e ? `${e.type} ${labelOf(e.target)}` : e.type));
}

async function addProfile(h: LifecycleHarness, p: Partial<Profile> & Pick<Profile, "name" | "targets">) {
  return h.engine.profiles.add({ justification: "lifecycle test", ...p });
}

const ARM = (path: string) => path.startsWith("/arm/");
const ROLES = (path: string) => path.startsWith("/v1.0/roleManagement/");

describe("expiry on the role and Azure planes", () => {
  it("warns before a role and an Azure role end, then reports them expired, once each, in the planes' words", async () => {
    const h = await harness();
    const reader = await devReader(h);
    const p = await addProfile(h, { name: "Both", targets: [globalReader, reader], duration: "PT30M" });
    await h.service.start();
    await h.service.activateProfile(p);
    expect(said(h).sort()).toEqual(
      [
        "submitted Global Reader",
        "provisioned Global Reader",
        "submitted Reader on Contoso Development",
        "provisioned Reader on Contoso Development",
      ].sort(),
    );
    await h.clock.advance(20 * MIN + 2000);
    const soon = h.events.filter((e) => e.type === "expiring-soon");
    expect(soon.map((e) => ("target" in e ? labelOf(e.target) : "")).sort()).toEqual([
      "Global Reader",
      "Reader on Contoso Development",
    ]);
    expect(soon.every((e) => e.type === "expiring-soon" && e.leadMinutes === 10)).toBe(true);
    await h.clock.advance(10 * MIN + 5000);
    const ends = said(h).filter((s) => s.startsWith("expired"));
    expect(ends.sort()).toEqual(["expired Global Reader", "expired Reader on Contoso Development"]);
    await h.service.refresh();
    await h.clock.advance(30 * MIN);
    expect(said(h).filter((s) => s.startsWith("expired"))).toHaveLength(2);
    expect(said(h).filter((s) => s.startsWith("expiring-soon"))).toHaveLength(4); // 10 and 2 minutes, each

    // The texts: a role by its name, an Azure role with its scope; the names came from the records.
    const now = Date.now();
    const texts = h.events.flatMap((e) => {
      const n = notificationFor(e, now, "en-GB");
      return n ? [n.title] : [];
    });
    expect(texts.some((t) => /^Global Reader is active until \d\d:\d\d$/.test(t))).toBe(true);
    expect(texts).toContain("Global Reader has expired");
    expect(texts).toContain("Reader on Contoso Development has expired");
    expect(texts.some((t) => t.startsWith("Reader on Contoso Development expires in"))).toBe(true);
  });
});

describe("keep-active on the role plane", () => {
  it("renews a role the moment it ends, at the same scope, until the renewal limit", async () => {
    const h = await harness();
    const p = await addProfile(h, {
      name: "Reading",
      targets: [globalReader],
      duration: "PT30M",
      keepActive: { enabled: true, maxRenewals: 1 },
    });
    await h.service.start();
    await h.service.activateProfile(p);
    await h.clock.advance(31 * MIN);
    await h.clock.advance(31 * MIN);
    expect(said(h).filter((s) => !s.startsWith("expiring-soon"))).toEqual([
      "submitted Global Reader",
      "provisioned Global Reader",
      "expired Global Reader",
      "submitted Global Reader",
      "provisioned Global Reader",
      "expired Global Reader",
      "keep-active-stopped",
    ]);
    const activations = (await emu.control.roleRequests()).filter((r) => r.action === "selfActivate");
    expect(activations).toHaveLength(2);
    expect(activations.every((r) => r.roleDefinitionId === DEMO_ROLES.globalReader && r.directoryScopeId === "/")).toBe(
      true,
    );
  });
});

describe("restart on the Azure plane", () => {
  it("announces an Azure activation made while it was not running exactly once", async () => {
    const a = await harness();
    const reader = await devReader(a);
    await a.service.start();
    await a.service.stop();
    harnesses.splice(harnesses.indexOf(a), 1);
    // While the service is stopped, the Azure role is activated elsewhere (here: the engine directly).
    const o = await a.engine.activation.activate({ target: reader, justification: "x", durationMs: 60 * MIN });
    expect(o.status).toBe("active");
    const b = await harness({ persistence: a.persistence }, a.dir);
    await b.service.start();
    expect(said(b)).toEqual(["provisioned Reader on Contoso Development"]);
    const target = b.events[0] && "target" in b.events[0] ? (b.events[0].target as NamedRef) : null;
    expect(target).toMatchObject({ kind: "azure", roleName: "Reader", scopeName: "Contoso Development" });
    await b.service.stop();
    harnesses.splice(harnesses.indexOf(b), 1);
    const c = await harness({ persistence: a.persistence }, a.dir);
    await c.service.start();
    await c.service.refresh();
    expect(said(c)).toEqual([]);
    expect(c.service.picture.active.map((x) => ("roleName" in x ? x.roleName : x.groupName))).toEqual(["Reader"]);
  });
});

describe("approval and auto-activation on the Azure and role planes", () => {
  it("announces an Azure role waiting for approval, then approved and provisioned, polling ARM only", async () => {
    const h = await harness();
    const all = await h.engine.planes.for("azure").eligibilities();
    const owner = all.find(
      (x) => x.roleName === "Owner" && x.scope.toLowerCase() === ARM_SCOPES.production.toLowerCase(),
    );
    if (!owner) throw new Error("the demo tenant lost Adele's Owner on Contoso Production");
    const p = await addProfile(h, {
      name: "Prod",
      targets: [{ kind: "azure", roleDefinitionId: owner.roleDefinitionId, scope: owner.scope }],
    });
    await h.service.start();
    await h.service.activateProfile(p);
    expect(said(h)).toEqual(["submitted Owner on Contoso Production", "pending-approval Owner on Contoso Production"]);
    expect(h.service.picture.pending.map((r) => r.label)).toEqual(["Owner on Contoso Production"]);
    await emu.control.clearRequests();
    await h.clock.advance(5 * MIN);
    // The light polls ask ARM for its requests; groups' requests are not asked meanwhile.
    const polls = await emu.control.requests();
    expect(polls.filter((e) => e.path.endsWith("/roleAssignmentScheduleRequests")).length).toBeGreaterThanOrEqual(9);
    expect(polls.filter((e) => e.path.includes("/group/assignmentScheduleRequests"))).toEqual([]);
    const pending = h.service.picture.pending[0];
    await emu.control.decideArm(pending?.id.split("/").pop() ?? "", "approve");
    await h.clock.advance(31_000);
    expect(said(h).slice(2)).toEqual([
      "approved Owner on Contoso Production",
      "provisioned Owner on Contoso Production",
    ]);
    expect(h.service.picture.pending).toEqual([]);
  });

  it("activates a profile holding a role at start, once signed in", async () => {
    const h = await harness({ signIn: null });
    await addProfile(h, { name: "Morning", targets: [globalReader], duration: "PT1H", autoActivate: true });
    await h.service.start();
    await h.service.autoActivate();
    expect(new Set(said(h))).toEqual(new Set(["needs-sign-in"]));
    await h.signIn("adele");
    await h.service.signedIn();
    expect(said(h)).toContain("provisioned Global Reader");
    expect((await emu.control.roleRequests()).filter((r) => r.action === "selfActivate")).toHaveLength(1);
  });
});

describe("the cost of the role and Azure planes", () => {
  it("a plane turned off in settings is never asked: no ARM request in an hour with an activation ending", async () => {
    const h = await harness();
    await h.engine.settings.update((s) => {
      s.planes.azure = false;
    });
    const p = await addProfile(h, { name: "Quick", targets: [{ groupId: G.financeAdmins, accessId: "member" }] });
    await emu.control.clearRequests();
    await h.service.start();
    await h.service.activateProfile({ ...p, duration: "PT30M" });
    await h.clock.advance(60 * MIN);
    expect(said(h)).toContain("expired Finance Admins (member)");
    const log = await emu.control.requests();
    expect(log.filter((e) => ARM(e.path))).toEqual([]);
    expect(log.filter((e) => ROLES(e.path)).length).toBeGreaterThan(0); // the role plane is still on
  });

  it("idle, an active role and Azure role cost one request each per reconcile; quiet planes far less", async () => {
    const h = await harness();
    const reader = await devReader(h);
    await h.engine.activation.activate({ target: globalReader, justification: "x", durationMs: 120 * MIN });
    await h.engine.activation.activate({ target: reader, justification: "x", durationMs: 120 * MIN });
    await h.service.start();
    await emu.control.clearRequests();
    await h.clock.advance(59 * MIN);
    const log = await emu.control.requests();
    // Five timed reconciles in 59 minutes: one active-instances read per plane each.
    expect(log.filter((e) => ROLES(e.path)).length).toBeLessThanOrEqual(5);
    expect(log.filter((e) => ARM(e.path)).length).toBeLessThanOrEqual(5);
    expect(log.filter((e) => ROLES(e.path) && e.path.includes("Requests")).length).toBe(0);
  });

  it("an unreachable ARM is tried again about once an hour, and the other planes carry on", async () => {
    const h = await harness();
    await emu.control.addFaults([{ kind: "status", status: 503, path: "/arm/" }]);
    await emu.control.clearRequests();
    await h.service.start();
    expect((await emu.control.requests()).filter((e) => ARM(e.path) && e.status === 503).length).toBeGreaterThan(0);
    expect(h.service.picture.online).toBe(true);
    await emu.control.clearRequests();
    await h.clock.advance(59 * MIN);
    // Within the hour: not one ARM request, while groups and roles are read as usual.
    const hour = await emu.control.requests();
    expect(hour.filter((e) => ARM(e.path))).toEqual([]);
    expect(hour.filter((e) => e.path.includes("/group/assignmentScheduleInstances")).length).toBe(5);
    // ARM answers again: the next reconcile past the hour tries it, and it is read as before.
    await emu.control.clearFaults();
    await h.clock.advance(11 * MIN);
    const after = (await emu.control.requests()).filter((e) => ARM(e.path));
    expect(after.length).toBeGreaterThan(0);
    // (A 401 first is the hour-old ARM token, refreshed silently and sent again.)
    expect(after.at(-1)?.status).toBe(200);
  });
});
