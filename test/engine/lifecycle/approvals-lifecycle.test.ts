// The approver's side of the lifecycle, against the emulator over HTTPS with the real MSAL, on a clock
// shared with the emulator: nothing is read until "I approve requests" is on; then each new request is
// announced once (also across a restart), in the words, and the inbox is read every 5 minutes.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LifecycleEvent } from "../../../electron/engine/lifecycle/events.js";
import { notificationFor } from "../../../electron/engine/notify/texts.js";
import { requestAsAdele } from "../../helpers/approvals.js";
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

async function megan(dir?: string): Promise<LifecycleHarness> {
  const h = await new LifecycleHarness(emu, dir).build({ signIn: "megan" });
  harnesses.push(h);
  return h;
}

const APPROVAL_PATHS = /filterByCurrentUser\(on='approver'\)|assignmentApprovals|roleAssignmentApprovals|asApprover/i;
const approvalReads = async () =>
  (await emu.control.requests()).filter((e) => APPROVAL_PATHS.test(`${e.path} ${JSON.stringify(e.query)}`));
const asked = (events: LifecycleEvent[]) =>
  events.flatMap((e) => (e.type === "approval-requested" ? [`${e.approval.kind} ${e.approval.label}`] : []));

describe("approvals in the lifecycle", () => {
  it("reads no approvals at all while 'I approve requests' is off", async () => {
    const h = await megan();
    await requestAsAdele(emu, "group");
    await emu.control.clearRequests();
    await h.service.start();
    await h.clock.advance(60 * MIN);
    expect(await approvalReads()).toEqual([]);
    expect(h.service.picture.approvals).toMatchObject({ on: false, items: [] });
    expect(asked(h.events)).toEqual([]);
  });

  it("announces each plane's new request once, in plain words, and again to nobody after a restart", async () => {
    const h = await megan();
    await h.engine.settings.update((s) => {
      s.approvals.enabled = true;
    });
    await requestAsAdele(emu, "group", { duration: "PT2H" });
    await h.service.start();
    expect(asked(h.events)).toEqual(["group Tenant Admins (member)"]);
    const first = h.events.find((e) => e.type === "approval-requested");
    const text = first ? notificationFor(first, h.clock.now()) : null;
    expect(text?.title).toBe("Adele Vance asks for Tenant Admins (member)");
    expect(text?.body).toMatch(
      /^Adele Vance asks for Tenant Admins \(member\) for 2 h: 'Quarter close'\. Times out in (1 d|2[34] h)/,
    );
    expect(h.service.picture.approvals.items.map((a) => a.label)).toEqual(["Tenant Admins (member)"]);

    // Two more arrive; the next read (5 min) announces them, and the first is not said again.
    await requestAsAdele(emu, "role");
    await requestAsAdele(emu, "azure");
    await h.clock.advance(5 * MIN);
    expect(asked(h.events)).toEqual([
      "group Tenant Admins (member)",
      "role Privileged Role Administrator",
      "azure Owner on Contoso Production",
    ]);
    expect(h.service.picture.approvals.items).toHaveLength(3);

    // A restart reads the same inbox and says nothing new.
    await h.service.stop();
    const again = await megan(h.dir);
    await again.service.start();
    expect(asked(again.events)).toEqual([]);
    expect(again.service.picture.approvals.items).toHaveLength(3);
  });

  it("reads each plane's inbox once per 5 minutes: 36 approval reads an hour with three planes on", async () => {
    const h = await megan();
    await h.engine.settings.update((s) => {
      s.approvals.enabled = true;
    });
    await h.service.start();
    await emu.control.clearRequests();
    await h.clock.advance(60 * MIN);
    const reads = await approvalReads();
    expect(reads.length).toBe(36);
  });

  it("reads the inbox as soon as the approver signs in, not at the next interval", async () => {
    const h = await new LifecycleHarness(emu).build({ signIn: null });
    harnesses.push(h);
    await h.engine.settings.update((s) => {
      s.approvals.enabled = true;
    });
    await requestAsAdele(emu, "group");
    await h.service.start();
    expect(h.service.picture.approvals.items).toEqual([]);
    await h.signIn("megan");
    await h.service.signedIn();
    expect(h.service.picture.approvals.items.map((a) => a.label)).toEqual(["Tenant Admins (member)"]);
    expect(asked(h.events)).toEqual(["group Tenant Admins (member)"]);
  });

  it("a decision from the tray leaves the inbox at once and remembers the reason", async () => {
    const h = await megan();
    await h.engine.settings.update((s) => {
      s.approvals.enabled = true;
    });
    const created = await requestAsAdele(emu, "role");
    await h.service.start();
    expect(h.service.picture.approvals.items).toHaveLength(1);
    await h.service.decideApproval(created.id, "Approve", "On call this week");
    expect(h.service.picture.approvals.items).toEqual([]);
    expect((await h.engine.settings.load()).approvals.lastJustification).toBe("On call this week");
    expect((await emu.control.roleRequests()).find((r) => r.id === created.id)?.status).toBe("Provisioned");
  });
});
