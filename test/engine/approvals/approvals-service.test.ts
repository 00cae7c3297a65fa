// The approver's inbox through the engine, over HTTPS against the emulator with the real MSAL: Megan
// approves and denies Adele's requests on each plane; what someone else decided first, her own request
// and a non-approver are refused in plain words, and nothing is sent twice.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Engine } from "../../../electron/engine/engine.js";
import { PimTrayError } from "../../../electron/engine/errors.js";
import type { PlaneKind } from "../../../electron/engine/planes/targets.js";
import { DEMO_USERS as U } from "../../../emulator/index.js";
import { APPROVAL_LABELS, decideElsewhere, requestAsAdele, requestDemoApproval } from "../../helpers/approvals.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { engineAgainst } from "../../helpers/engine.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let dir: string;
const engines: Record<string, Engine> = {};

async function as(user: "megan" | "alex" | "adele"): Promise<Engine> {
  engines[user] ??= await engineAgainst(emu, join(dir, user), { user });
  return engines[user];
}

async function errorOf(p: Promise<unknown>): Promise<PimTrayError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(PimTrayError);
  return e as PimTrayError;
}

beforeAll(async () => {
  emu = await startTestEmulator();
  dir = await mkdtemp(join(tmpdir(), "pimtray-approvals-"));
});
afterAll(async () => {
  await emu.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await emu.control.reset();
  await emu.control.configure({ provisioningDelayMs: 0 });
  for (const k of Object.keys(engines)) delete engines[k];
});

const PLANES: PlaneKind[] = ["group", "role", "azure"];

describe.each(PLANES)("approvals on the %s plane", (plane) => {
  it("lists the request with its requester, target, justification, ticket, duration and stage time-out", async () => {
    const created = await requestAsAdele(emu, plane, { duration: "PT2H", ticketNumber: "CHG-77" });
    const megan = await as("megan");
    const items = await megan.approvals.list();
    expect(items).toHaveLength(1);
    const [item] = items;
    expect(item).toMatchObject({
      kind: plane,
      requestId: created.id,
      label: APPROVAL_LABELS[plane],
      requester: { id: U.adele, displayName: "Adele Vance" },
      justification: "Quarter close",
      ticket: { number: "CHG-77" },
      duration: "PT2H",
      stage: { index: 1, count: 1 },
      justificationRequired: true,
    });
    const left = Date.parse(item?.expiresAt ?? "") - Date.parse(item?.createdDateTime ?? "");
    expect(left).toBe(24 * 3_600_000);
    // Nobody else's inbox holds it.
    expect(await (await as("alex")).approvals.list()).toEqual([]);
    expect(await (await as("adele")).approvals.list()).toEqual([]);
  });

  it("approves: the requester's request is provisioned, and a second decision is refused without a request", async () => {
    const created = await requestAsAdele(emu, plane);
    const megan = await as("megan");
    const result = await megan.approvals.decide(created.id, "Approve", "Checked the change ticket");
    expect(result.decision).toBe("Approve");
    if (plane !== "azure") expect(result.requestStatus).toBe("Provisioned");
    const adele = await as("adele");
    const mine = await adele.planes.request(
      plane === "azure" ? await azureRequestId(adele, created.id) : created.id,
      plane,
    );
    expect(mine.status).toBe("Provisioned");
    expect(await megan.approvals.list()).toEqual([]);
    const before = (await emu.control.requests()).length;
    const again = await errorOf(megan.approvals.decide(created.id, "Deny", "Changed my mind"));
    expect(again.kind).toBe("conflict");
    expect(again.message).toMatch(/already approved .*Nothing was sent/);
    expect((await emu.control.requests()).length).toBe(before);
  });

  it("denies: the request is Denied", async () => {
    const created = await requestAsAdele(emu, plane);
    const megan = await as("megan");
    await megan.approvals.list();
    await megan.approvals.decide(created.id, "Deny", "No change ticket");
    const adele = await as("adele");
    const mine = await adele.planes.request(
      plane === "azure" ? await azureRequestId(adele, created.id) : created.id,
      plane,
    );
    expect(mine.status).toMatch(/Denied/);
  });

  it("a request another approver decided first is reported as stale, in plain words", async () => {
    const created = await requestAsAdele(emu, plane);
    const megan = await as("megan");
    expect(await megan.approvals.list()).toHaveLength(1);
    // Another session of an approver decides it (the emulator's control API decides as PIM would).
    await decideElsewhere(emu, plane, created.id);
    const e = await errorOf(megan.approvals.decide(created.id, "Approve", "Fine by me"));
    expect(e.kind).toBe("conflict");
    expect(e.message).toContain(APPROVAL_LABELS[plane]);
    expect(e.message).toMatch(/Nothing was sent/);
  });

  it("a justification is required where the policy asks approvers for one", async () => {
    const created = await requestAsAdele(emu, plane);
    const megan = await as("megan");
    const e = await errorOf(megan.approvals.decide(created.id, "Approve", "   "));
    expect(e.kind).toBe("usage");
    expect(e.message).toMatch(/justification is required/);
  });

  it("a non-approver and the requester herself find nothing to decide", async () => {
    const created = await requestAsAdele(emu, plane);
    // Alex cannot even see it.
    const alex = await errorOf((await as("alex")).approvals.decide(created.id, "Approve", "Looks fine"));
    expect([alex.kind, alex.message]).toEqual([
      "not-found",
      expect.stringMatching(/No request .* waits for your approval/),
    ]);
    // Adele sees her own request pending, and is told it is not hers to decide (ARM cannot look it up by name).
    const self = await errorOf((await as("adele")).approvals.decide(created.id, "Approve", "Looks fine"));
    expect(self.kind).toBe("not-found");
    expect(self.message).toMatch(
      plane === "azure" ? /No request .* waits for your approval/ : /not from you.*your own request/,
    );
  });
});

/** The requester knows her Azure request by its full ARM id; the inbox shows its name. */
async function azureRequestId(adele: Engine, name: string): Promise<string> {
  const mine = await adele.planes.myRequests();
  const found = mine.find((r) => r.id.toLowerCase().endsWith(`/${name.toLowerCase()}`));
  expect(found).toBeDefined();
  return found?.id ?? "";
}

describe("serial approval and approver groups", () => {
  it("groups: Megan approves stage 1 and the request waits for stage 2, which a Security Reviewer decides", async () => {
    // Tenant Admins (owner): Megan, then any member of Security Reviewers (Adele, Alex); Alex asks.
    const created = await requestDemoApproval(emu, "groupSerial", { justification: "Rotate the break-glass owner" });
    const megan = await as("megan");
    const [first] = await megan.approvals.list();
    expect(first).toMatchObject({ requestId: created.id, stage: { index: 1, count: 2 } });
    const step1 = await megan.approvals.decide(created.id, "Approve", "Stage one ok");
    expect(step1.requestStatus).toBe("PendingApproval");
    // Alex asked, so stage 2 waits for the other reviewer: Adele.
    expect(await (await as("alex")).approvals.list()).toEqual([]);
    const adele = await as("adele");
    const [second] = await adele.approvals.list();
    expect(second).toMatchObject({ requestId: created.id, stage: { index: 2, count: 2 } });
    // The second stage's day starts at the first decision, not at the request.
    expect(Date.parse(second?.expiresAt ?? "")).toBeGreaterThan(Date.parse(first?.expiresAt ?? ""));
    const step2 = await adele.approvals.decide(created.id, "Approve", "Second look ok");
    expect(step2.requestStatus).toBe("Provisioned");
  });

  it("Azure: Owner on the key vault needs Megan, then a Security Reviewer; a deny at stage 2 settles it", async () => {
    const created = await requestDemoApproval(emu, "azureSerial", { justification: "Vault key rotation" });
    expect(created.status).toBe("PendingApproval");
    const megan = await as("megan");
    expect((await megan.approvals.list()).map((a) => a.stage)).toEqual([{ index: 1, count: 2 }]);
    await megan.approvals.decide(created.id, "Approve", "Stage one ok");
    const alex = await as("alex");
    const [second] = await alex.approvals.list();
    expect(second).toMatchObject({ requestId: created.id, stage: { index: 2, count: 2 } });
    await alex.approvals.decide(created.id, "Deny", "Use the break-glass process");
    const adele = await as("adele");
    const mine = await adele.planes.request(await azureRequestId(adele, created.id), "azure");
    expect(mine.status).toMatch(/Denied/);
  });

  it("Entra ID roles: Groups Administrator is approved by any member of PIM Approvers", async () => {
    const created = await requestDemoApproval(emu, "roleByGroup", { justification: "Clean up stale groups" });
    const megan = await as("megan");
    expect((await megan.approvals.list()).map((a) => a.label)).toEqual(["Groups Administrator"]);
    const r = await megan.approvals.decide(created.id, "Approve", "Member of PIM Approvers");
    expect(r.requestStatus).toBe("Provisioned");
  });
});

describe("two decisions at the same moment", () => {
  it("sends one: the second (say, the popup and a notification at once) is refused without a request", async () => {
    const created = await requestAsAdele(emu, "group");
    const megan = await as("megan");
    await megan.approvals.list();
    await emu.control.clearRequests();
    const [a, b] = await Promise.allSettled([
      megan.approvals.decide(created.id, "Approve", "From the popup"),
      megan.approvals.decide(created.id, "Deny", "From the notification"),
    ]);
    expect(a.status).toBe("fulfilled");
    expect(b.status === "rejected" && b.reason instanceof PimTrayError && b.reason.kind).toBe("conflict");
    const patches = (await emu.control.requests()).filter((e) => e.method === "PATCH");
    expect(patches).toHaveLength(1);
  });

  it("a plane whose inbox cannot be read is named with the API that failed; the others still list", async () => {
    await requestAsAdele(emu, "group");
    await emu.control.addFaults([{ kind: "status", status: 503, path: "/v1.0/roleManagement/" }]);
    const megan = await as("megan");
    const items = await megan.approvals.list();
    expect(items.map((a) => a.kind)).toEqual(["group"]);
    const role = megan.approvals.status().find((s) => s.kind === "role");
    expect(role?.state).toBe("error");
    expect(role?.note).toMatch(/^Entra ID roles: approvals unavailable \(Graph v1\.0 roleAssignmentScheduleRequests\)/);
    await emu.control.clearFaults();
  });
});
