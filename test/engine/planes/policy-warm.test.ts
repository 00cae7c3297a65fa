// Policies read together: a profile or a long list costs one Graph $batch per 20 group or directory-role
// policies, and one ARM list per Azure scope, instead of one read per target. Against the emulator over HTTPS,
// with the real MSAL; what was sent is read from the emulator's request log.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Engine } from "../../../electron/engine/engine.js";
import { targetKey, refOf, type Eligibility, type TargetRef } from "../../../electron/engine/planes/targets.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { engineAgainst } from "../../helpers/engine.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let engine: Engine;
let dir: string;
let list: Eligibility[];

beforeAll(async () => {
  emu = await startTestEmulator({ seed: { kind: "large", groups: 30, roles: 24, azure: 30 } });
  dir = mkdtempSync(join(tmpdir(), "pimtray-warm-"));
  engine = await engineAgainst(emu, dir);
  list = await engine.planes.eligibilities();
});
afterAll(async () => {
  await emu.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  engine.planes.invalidatePolicies();
  emu.emulator.faults.clear();
});

const ofKind = (k: TargetRef["kind"]) => list.filter((e) => (e.kind ?? "group") === k).map(refOf);
const sentSince = (seq: number) => emu.emulator.log.since(seq).map((r) => `${r.method} ${r.path}`);
const policyReads = (sent: string[]) => sent.filter((s) => /roleManagementPolicyAssignments/i.test(s));
/** The targets activated together, as a profile is, without waiting for PIM. */
const activateAll = (targets: readonly TargetRef[]) =>
  engine.activation.activateMany(
    targets.map((target) => ({
      target,
      durationMs: 3600_000,
      justification: "Warm batch test",
      ticket: { system: "ServiceNow", number: "CHG0042" },
    })),
    { waitFor: "none" },
  );

/** Each target's policy, read on its own by a second engine (no cache shared): what a batch must agree with. */
async function readEachAlone(targets: readonly TargetRef[]) {
  const other = await engineAgainst(emu, mkdtempSync(join(tmpdir(), "pimtray-warm-alone-")));
  return Promise.all(targets.map(async (t) => [targetKey(t), await other.planes.policy(t)] as const));
}

describe("warming policies", () => {
  it("reads 30 group policies in two Graph batches, and each policy() then answers without a request", async () => {
    const groups = ofKind("group");
    expect(groups.length).toBeGreaterThanOrEqual(21);
    const seq = emu.emulator.log.lastSeq;
    await engine.planes.warmPolicies(groups);
    const sent = sentSince(seq);
    expect(sent).toEqual(Array(Math.ceil(groups.length / 20)).fill("POST /v1.0/$batch"));
    const after = emu.emulator.log.lastSeq;
    const mine = await Promise.all(groups.map(async (t) => [targetKey(t), await engine.planes.policy(t)] as const));
    expect(sentSince(after)).toEqual([]);
    // The same summaries as reading each on its own: maximum durations, approval, MFA, justification.
    expect(mine).toEqual(await readEachAlone(groups));
  });

  it("reads directory roles' policies in batches too, and Azure roles' with one list per scope", async () => {
    const roles = ofKind("role");
    const azure = ofKind("azure");
    const scopes = new Set(azure.map((t) => (t.kind === "azure" ? t.scope.toLowerCase() : "")));
    const seq = emu.emulator.log.lastSeq;
    await engine.planes.warmPolicies([...roles, ...azure]);
    const sent = sentSince(seq);
    // A role's policy is the tenant's (one per role), so roles eligible at several scopes share one read.
    const roleIds = new Set(roles.map((t) => (t.kind === "role" ? t.roleDefinitionId : "")));
    expect(sent.filter((s) => s === "POST /v1.0/$batch")).toHaveLength(Math.ceil(roleIds.size / 20));
    // Azure: one unfiltered list per distinct scope (a target whose scope holds no policy of its own would be
    // read again up its eligibility's scopes; the generated tenant assigns one at every eligible scope).
    expect(policyReads(sent).filter((s) => s.startsWith("GET /arm"))).toHaveLength(scopes.size);
    expect(scopes.size).toBeLessThan(azure.length);
    const after = emu.emulator.log.lastSeq;
    const mine = await Promise.all(
      [...roles, ...azure].map(async (t) => [targetKey(t), await engine.planes.policy(t)] as const),
    );
    expect(sentSince(after)).toEqual([]);
    expect(mine).toEqual(await readEachAlone([...roles, ...azure]));
  });

  it("a policy() asked while the batch is in flight joins it instead of reading again", async () => {
    const groups = ofKind("group").slice(0, 5);
    const seq = emu.emulator.log.lastSeq;
    const warming = engine.planes.warmPolicies(groups);
    const asked = await Promise.all(groups.map((t) => engine.planes.policy(t)));
    await warming;
    expect(sentSince(seq)).toEqual(["POST /v1.0/$batch"]);
    expect(asked.every((p) => p.known)).toBe(true);
  });

  it("a request Graph throttled inside the batch is read again on its own; the rest come from the batch", async () => {
    const groups = ofKind("group").slice(0, 6);
    emu.emulator.faults.add([
      { kind: "status", status: 429, retryAfter: 0, path: "roleManagementPolicyAssignments", count: 1 },
    ]);
    const seq = emu.emulator.log.lastSeq;
    await engine.planes.warmPolicies(groups);
    const sent = sentSince(seq);
    expect(sent[0]).toBe("POST /v1.0/$batch");
    expect(policyReads(sent)).toEqual(["GET /v1.0/policies/roleManagementPolicyAssignments"]);
    const mine = await Promise.all(groups.map(async (t) => [targetKey(t), await engine.planes.policy(t)] as const));
    expect(mine).toEqual(await readEachAlone(groups));
  });

  it("a refused read (no permission to read policies) is cached as unknown, and PIM decides at submission", async () => {
    await emu.control.configure({ denyPolicyRead: true });
    try {
      const groups = ofKind("group").slice(0, 3);
      const seq = emu.emulator.log.lastSeq;
      await engine.planes.warmPolicies(groups);
      const policies = await Promise.all(groups.map((t) => engine.planes.policy(t)));
      expect(sentSince(seq)).toEqual(["POST /v1.0/$batch"]);
      expect(policies.every((p) => !p.known)).toBe(true);
    } finally {
      await emu.control.configure({ denyPolicyRead: false });
    }
  });

  it("a profile of 20 groups sends one batch for its policies and no policy read per item", async () => {
    const groups = ofKind("group").slice(0, 20);
    const seq = emu.emulator.log.lastSeq;
    const outcomes = await activateAll(groups);
    expect(outcomes.filter((o) => o.status === "failed").map((o) => o.error?.message)).toEqual([]);
    const sent = sentSince(seq);
    // One batch of policy reads; the POSTs go in batches of their own (graph/post-batcher.ts).
    const batches = emu.emulator.log.since(seq).filter((r) => r.path === "/v1.0/$batch");
    const urls = (r: (typeof batches)[number]) => (r.body as { requests: Array<{ url: string }> }).requests;
    expect(batches.filter((b) => urls(b).some((x) => /roleManagementPolicyAssignments/.test(x.url)))).toHaveLength(1);
    expect(policyReads(sent)).toEqual([]);
    expect(outcomes.every((o) => o.requestId)).toBe(true);
  });

  it("a profile's Azure roles saved without their eligibility read the eligibility list once, not once each", async () => {
    // Plain targets only, so that every PUT is answered at once (no approval, MFA or authentication context).
    const other = await engineAgainst(emu, mkdtempSync(join(tmpdir(), "pimtray-warm-plain-")));
    const plain: TargetRef[] = [];
    for (const t of ofKind("azure")) {
      const p = await other.planes.policy(t);
      if (!p.approvalRequired && !p.mfaRequired && !p.authContext && plain.length < 4) plain.push(t);
    }
    expect(plain).toHaveLength(4);
    const seq = emu.emulator.log.lastSeq;
    const outcomes = await activateAll(plain);
    expect(outcomes.filter((o) => o.status === "failed").map((o) => o.error?.message)).toEqual([]);
    const listReads = (sent: string[]) => sent.filter((s) => /^GET .*\/roleEligibilityScheduleInstances$/i.test(s));
    const sent = sentSince(seq);
    // Every PUT names the eligibility it activates, found in the one list read.
    const puts = emu.emulator.log.since(seq).filter((r) => r.method === "PUT");
    expect(puts).toHaveLength(4);
    for (const put of puts) {
      const body = put.body as { properties?: { linkedRoleEligibilityScheduleId?: string } };
      expect(body.properties?.linkedRoleEligibilityScheduleId).toMatch(/roleEligibilitySchedules\//i);
    }
    // As many list reads as one read of the list has pages.
    const before = emu.emulator.log.lastSeq;
    await engine.planes.for("azure").eligibilities();
    expect(listReads(sent)).toHaveLength(listReads(sentSince(before)).length);
  });
});
