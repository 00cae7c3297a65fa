// The lifecycle service against the emulator, on a clock shared with the emulator: hours pass in
// milliseconds, and every Graph call is real HTTPS.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_GROUPS as G } from "../../../emulator/index.js";
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

async function harness(
  options: Parameters<LifecycleHarness["build"]>[0] = {},
  dir?: string,
): Promise<LifecycleHarness> {
  const h = await new LifecycleHarness(emu, dir).build(options);
  harnesses.push(h);
  return h;
}

const finance = { groupId: G.financeAdmins, accessId: "member" as const, groupName: "Finance Admins" };

describe("expiry", () => {
  it("warns 10 and 2 minutes before the end, then reports expired, each exactly once", async () => {
    const h = await harness();
    const p = await h.engine.profiles.add({ name: "Quick", targets: [finance], duration: "PT30M", justification: "x" });
    await h.service.start();
    await h.service.activateProfile(p);
    expect(h.summary()).toEqual(["submitted Finance Admins", "provisioned Finance Admins"]);
    await h.clock.advance(19 * MIN + 59_000);
    expect(h.summary()).not.toContain("expiring-soon Finance Admins");
    await h.clock.advance(2000);
    const warn = h.events.find((e) => e.type === "expiring-soon");
    expect(warn).toMatchObject({ leadMinutes: 10, minutesLeft: 10 });
    await h.clock.advance(8 * MIN);
    expect(
      h.events.filter((e) => e.type === "expiring-soon").map((e) => (e as { leadMinutes: number }).leadMinutes),
    ).toEqual([10, 2]);
    await h.clock.advance(2 * MIN + 5000);
    expect(h.summary().slice(-1)).toEqual(["expired Finance Admins"]);
    await h.service.refresh();
    await h.clock.advance(30 * MIN);
    expect(h.summary()).toEqual([
      "submitted Finance Admins",
      "provisioned Finance Admins",
      "expiring-soon Finance Admins",
      "expiring-soon Finance Admins",
      "expired Finance Admins",
    ]);
  });

  it("uses a profile's own lead times", async () => {
    const h = await harness();
    const p = await h.engine.profiles.add({
      name: "Lead",
      targets: [finance],
      duration: "PT30M",
      justification: "x",
      notifyLeadMinutes: [15],
    });
    await h.service.start();
    await h.service.activateProfile(p);
    await h.clock.advance(15 * MIN + 1000);
    expect(
      h.events.filter((e) => e.type === "expiring-soon").map((e) => (e as { leadMinutes: number }).leadMinutes),
    ).toEqual([15]);
  });
});

describe("approval", () => {
  it("announces pending, then approved and provisioned after the approver decides", async () => {
    const h = await harness();
    const p = await h.engine.profiles.add({
      name: "Admins",
      targets: [{ groupId: G.tenantAdmins, accessId: "member" }],
      justification: "x",
    });
    await h.service.start();
    await h.service.activateProfile(p);
    expect(h.summary()).toEqual(["submitted Tenant Admins", "pending-approval Tenant Admins"]);
    expect(h.service.picture.pending.map((r) => r.groupName)).toEqual(["Tenant Admins"]);
    await h.clock.advance(5 * MIN);
    const [req] = await emu.control.pimRequests();
    await emu.control.approve(req?.id ?? "");
    await h.clock.advance(31_000);
    expect(h.summary().slice(2)).toEqual(["approved Tenant Admins", "provisioned Tenant Admins"]);
    expect(h.service.picture.pending).toEqual([]);
  });

  it("announces a denial", async () => {
    const h = await harness();
    const p = await h.engine.profiles.add({
      name: "Admins",
      targets: [{ groupId: G.tenantAdmins, accessId: "member" }],
      justification: "x",
    });
    await h.service.start();
    await h.service.activateProfile(p);
    const [req] = await emu.control.pimRequests();
    await emu.control.deny(req?.id ?? "");
    await h.clock.advance(31_000);
    expect(h.summary().slice(-1)).toEqual(["denied Tenant Admins"]);
  });
});

describe("keep active", () => {
  it("renews the moment an activation ends, until the renewal limit, then stops with a notice", async () => {
    const h = await harness();
    const p = await h.engine.profiles.add({
      name: "Desk",
      targets: [{ groupId: G.helpdesk, accessId: "member" }],
      duration: "PT30M",
      justification: "On call",
      keepActive: { enabled: true, maxRenewals: 2 },
    });
    await h.service.start();
    await h.service.activateProfile(p);
    const ends: string[] = [];
    const starts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [inst] = await emu.control.pimInstances();
      if (inst) {
        starts.push(inst.startDateTime);
        ends.push(inst.endDateTime);
      }
      await h.clock.advance(31 * MIN);
    }
    expect(h.summary().filter((s) => !s.startsWith("expiring-soon"))).toEqual([
      "submitted Helpdesk Operators",
      "provisioned Helpdesk Operators",
      "expired Helpdesk Operators",
      "submitted Helpdesk Operators",
      "provisioned Helpdesk Operators",
      "expired Helpdesk Operators",
      "submitted Helpdesk Operators",
      "provisioned Helpdesk Operators",
      "expired Helpdesk Operators",
      "keep-active-stopped Desk",
    ]);
    // Each renewal starts within about a second of the previous end (the confirm delay).
    for (let i = 1; i < starts.length; i++) {
      const gap = Date.parse(starts[i] ?? "") - Date.parse(ends[i - 1] ?? "");
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThanOrEqual(2000);
    }
    expect(starts).toHaveLength(3);
    const stopped = h.events.find((e) => e.type === "keep-active-stopped");
    expect(stopped).toMatchObject({ profile: "Desk", reason: "It renewed 2 times, the most it is set to." });
  });

  it("stops on a denied renewal, and never submits while a request is pending", async () => {
    const h = await harness();
    const p = await h.engine.profiles.add({
      name: "Adm",
      targets: [{ groupId: G.tenantAdmins, accessId: "member" }],
      duration: "PT30M",
      justification: "x",
      keepActive: { enabled: true, maxRenewals: 5 },
    });
    await h.service.start();
    await h.service.activateProfile(p);
    const [first] = await emu.control.pimRequests();
    await emu.control.approve(first?.id ?? "");
    await h.clock.advance(31_000);
    await h.clock.advance(31 * MIN); // expires; the renewal needs approval and stays pending
    const pending = (await emu.control.pimRequests()).filter((r) => r.status === "PendingApproval");
    expect(pending).toHaveLength(1);
    await h.clock.advance(5 * MIN);
    expect((await emu.control.pimRequests()).filter((r) => r.status === "PendingApproval")).toHaveLength(1); // no second submission
    await emu.control.deny(pending[0]?.id ?? "");
    await h.clock.advance(61_000);
    expect(h.summary().slice(-2)).toEqual(["denied Tenant Admins", "keep-active-stopped Adm"]);
  });
});

describe("restart", () => {
  it("reports what happened while it was not running exactly once, and re-arms warnings", async () => {
    const a = await harness();
    const quick = await a.engine.profiles.add({
      name: "Quick",
      targets: [finance],
      duration: "PT30M",
      justification: "x",
    });
    const adm = await a.engine.profiles.add({
      name: "Adm",
      targets: [{ groupId: G.tenantAdmins, accessId: "member" }],
      justification: "x",
    });
    const exch = await a.engine.profiles.add({
      name: "Desk",
      targets: [{ groupId: G.helpdesk, accessId: "member" }],
      duration: "PT1H",
      justification: "x",
    });
    await a.service.start();
    await a.service.activateProfile(quick);
    await a.service.activateProfile(adm);
    await a.service.activateProfile(exch);
    await a.service.stop();
    harnesses.splice(harnesses.indexOf(a), 1);
    // While it is stopped: the approver approves, and Finance Admins expires.
    const pending = (await emu.control.pimRequests()).find((r) => r.status === "PendingApproval");
    await emu.control.approve(pending?.id ?? "");
    emu.emulator.clock.advance(55 * MIN);
    const b = await harness({ persistence: a.persistence }, a.dir);
    await b.service.start();
    expect(b.summary().sort()).toEqual(
      [
        "approved Tenant Admins",
        "expired Finance Admins",
        "expiring-soon Helpdesk Operators",
        "provisioned Tenant Admins",
      ].sort(),
    );
    // Helpdesk has 5 minutes left: the missed 10-minute warning becomes one "5 minutes" warning.
    expect(b.events.find((e) => e.type === "expiring-soon")).toMatchObject({ minutesLeft: 5, leadMinutes: 10 });
    await b.service.stop();
    harnesses.splice(harnesses.indexOf(b), 1);
    const c = await harness({ persistence: a.persistence }, a.dir);
    await c.service.start();
    expect(c.summary()).toEqual([]);
    await c.clock.advance(3 * MIN + 1000);
    expect(c.summary()).toEqual(["expiring-soon Helpdesk Operators"]); // the 2-minute one, still armed
  });

  it("backs up a corrupt state file and rebuilds from Graph without announcing old news", async () => {
    const a = await harness();
    writeFileSync(join(a.dir, "lifecycle-state.json"), "{ broken");
    await a.engine.activation.activate({ target: finance, justification: "x", durationMs: 30 * MIN });
    await a.service.start();
    expect(readdirSync(a.dir).some((f) => f.startsWith("lifecycle-state.json.corrupt-"))).toBe(true);
    expect(a.summary()).toEqual([]);
    expect(a.service.picture.active.map((x) => x.groupName)).toEqual(["Finance Admins"]);
    await a.clock.advance(31 * MIN);
    expect(a.summary()).toContain("expired Finance Admins");
  });

  it("repairs a damaged history file from its valid lines and Graph", async () => {
    const a = await harness();
    const r = await a.engine.activation.activate({ target: finance, justification: "x", durationMs: 30 * MIN });
    const path = join(a.dir, "history.jsonl");
    writeFileSync(path, `${readFileSync(path, "utf8")}{ not json\n`);
    await a.service.start();
    expect(readdirSync(a.dir).some((f) => f.startsWith("history.jsonl.corrupt-"))).toBe(true);
    const lines = readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { requestId: string | null });
    expect(lines.some((l) => l.requestId === r.requestId)).toBe(true);
  });
});

describe("network and clock", () => {
  it("survives an outage, says so once, and catches up afterwards", async () => {
    const h = await harness();
    const p = await h.engine.profiles.add({ name: "Quick", targets: [finance], duration: "PT15M", justification: "x" });
    await h.service.start();
    await h.service.activateProfile(p);
    await emu.control.addFaults([{ kind: "drop", path: "/v1.0/" }]);
    await h.clock.advance(16 * MIN); // the end passes while Graph is unreachable
    expect(h.summary().filter((s) => s === "error")).toHaveLength(1);
    expect(h.service.picture.online).toBe(false);
    expect(h.summary()).not.toContain("expired Finance Admins");
    await emu.control.clearFaults();
    await h.clock.advance(5 * MIN);
    expect(h.service.picture.online).toBe(true);
    expect(h.summary()).toContain("expired Finance Admins");
    expect(h.summary().filter((s) => s === "error")).toHaveLength(1);
  });

  it("notices a wall-clock jump (sleep) through the heartbeat and reconciles", async () => {
    const h = await harness();
    const p = await h.engine.profiles.add({ name: "Quick", targets: [finance], duration: "PT30M", justification: "x" });
    await h.service.start();
    await h.service.activateProfile(p);
    h.clock.jump(45 * MIN); // the laptop slept: wall time moved, timers did not fire
    await h.clock.advance(31_000); // one heartbeat later
    expect(h.summary()).toContain("expired Finance Admins");
  });

  it("reconciles when the app signals resume", async () => {
    const h = await harness();
    await h.service.start();
    await h.engine.activation.activate({ target: finance, justification: "x", durationMs: 30 * MIN });
    await h.service.notifyResume();
    expect(h.summary()).toEqual(["provisioned Finance Admins"]);
  });
});

describe("auto-activate at start", () => {
  it("asks for sign-in first, then activates once signed in", async () => {
    const h = await harness({ signIn: null });
    await h.engine.profiles.add({
      name: "Morning",
      targets: [finance],
      duration: "PT1H",
      justification: "Daily",
      autoActivate: true,
    });
    await h.service.start();
    await h.service.autoActivate();
    expect(h.summary()[0]).toBe("needs-sign-in");
    expect(h.service.picture.needsSignIn).toBe(true);
    await h.signIn("adele");
    await h.service.signedIn();
    expect(h.summary()).toContain("provisioned Finance Admins");
    expect(h.service.picture.needsSignIn).toBe(false);
  });

  it("skips profiles that are already active", async () => {
    const h = await harness();
    await h.engine.profiles.add({
      name: "Morning",
      targets: [finance],
      duration: "PT1H",
      justification: "Daily",
      autoActivate: true,
    });
    await h.engine.activation.activate({ target: finance, justification: "x", durationMs: 30 * MIN });
    await h.service.start();
    await h.service.autoActivate();
    expect((await emu.control.pimRequests()).filter((r) => r.action === "selfActivate")).toHaveLength(1);
  });
});

describe("cost of staying informed", () => {
  it("idle with 5 active activations: a full reconcile every 10 minutes (12 Graph requests an hour)", async () => {
    const h = await harness();
    const targets = [G.financeAdmins, G.helpdesk, G.sharePointAdmins, G.platformOpsEu, G.platformOpsUs];
    for (const g of targets)
      await h.engine.activation.activate({
        target: { groupId: g, accessId: "member" },
        justification: "x",
        durationMs: 60 * MIN,
      });
    await h.service.start();
    await emu.control.clearRequests();
    await h.clock.advance(59 * MIN);
    const graph = (await emu.control.requests()).filter((e) => e.path.startsWith("/v1.0/"));
    expect(graph.length).toBeLessThanOrEqual(12);
    expect(graph.length).toBeGreaterThanOrEqual(10);
  });

  it("one pending approval: light polls every 30 s, then 60 s (about 80 requests in the first hour)", async () => {
    const h = await harness();
    await h.engine.activation.activate(
      { target: { groupId: G.tenantAdmins, accessId: "member" }, justification: "x" },
      { waitFor: "none" },
    );
    await h.service.start();
    await emu.control.clearRequests();
    await h.clock.advance(10 * MIN);
    const first = (await emu.control.requests()).filter((e) => e.path.startsWith("/v1.0/"));
    // 20 polls at 30 s, and one full reconcile (2 requests) at the 10-minute mark.
    expect(first.length).toBeGreaterThanOrEqual(20);
    expect(first.length).toBeLessThanOrEqual(23);
    await emu.control.clearRequests();
    await h.clock.advance(50 * MIN);
    const rest = (await emu.control.requests()).filter((e) => e.path.startsWith("/v1.0/"));
    expect(rest.length).toBeGreaterThanOrEqual(50);
    expect(rest.length).toBeLessThanOrEqual(62);
  });
});
