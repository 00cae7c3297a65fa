// Submissions sent together on a Graph plane share one $batch (graph/post-batcher.ts): a profile's groups in one,
// its directory roles in another (each plane has its own token). Each inner answer is the POST's own. Against the
// emulator over HTTPS, with the real MSAL; what was sent is read from the emulator's request log.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ActivateInput } from "../../../electron/engine/activation/activation-service.js";
import type { Engine } from "../../../electron/engine/engine.js";
import type { PolicySummary } from "../../../electron/engine/graph/policy-summary.js";
import { kindOf, type Eligibility, type PlaneKind } from "../../../electron/engine/planes/targets.js";
import type { LoggedRequest } from "../../../emulator/request-log.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { engineAgainst } from "../../helpers/engine.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let engine: Engine;
let dir: string;
let rows: Array<{ eligibility: Eligibility; policy: PolicySummary }>;

beforeAll(async () => {
  emu = await startTestEmulator({ seed: { kind: "large", groups: 30, roles: 24 } });
  dir = mkdtempSync(join(tmpdir(), "pimtray-post-batch-"));
  engine = await engineAgainst(emu, dir);
  rows = await engine.eligibleWithPolicies();
});
afterAll(async () => {
  await emu.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  emu.emulator.faults.clear();
});

const used = new Set<Eligibility>();
/** Targets of a plane not used by an earlier test, whose policy asks for nothing but a justification (or `mfa`). */
function take(kind: PlaneKind, n: number, mfa = false): Eligibility[] {
  const out = rows
    .filter(({ eligibility: e }) => kindOf(e) === kind && !used.has(e))
    .filter(({ policy: p }) => !p.approvalRequired && !p.ticketRequired && !p.authContext && p.mfaRequired === mfa)
    .slice(0, n)
    .map((r) => r.eligibility);
  expect(out).toHaveLength(n);
  for (const e of out) used.add(e);
  return out;
}
const input = (target: Eligibility): ActivateInput => ({ target, durationMs: 3600_000, justification: "batch test" });
const innerOf = (r: LoggedRequest) => (r.body as { requests: Array<{ method: string; url: string }> }).requests;
const isGroupPost = (url: string) => /privilegedAccess\/group\/assignmentScheduleRequests$/.test(url);
const isRolePost = (url: string) => /directory\/roleAssignmentScheduleRequests$/.test(url);

describe("a profile's Graph submissions", () => {
  it("go in one batch per plane, each created once and answered with its own request", async () => {
    const groups = take("group", 4);
    const roles = take("role", 3);
    await engine.planes.warmPolicies([...groups, ...roles]);
    const seq = emu.emulator.log.lastSeq;
    const outcomes = await engine.activation.activateMany([...groups, ...roles].map(input), { waitFor: "none" });
    expect(outcomes.map((o) => o.error?.message ?? null)).toEqual(outcomes.map(() => null));
    const sent = emu.emulator.log.since(seq).filter((r) => r.method === "POST" && r.path.startsWith("/v1.0/"));
    // Two batches, one per plane (one token each), and no POST on its own.
    expect(sent.map((r) => r.path)).toEqual(["/v1.0/$batch", "/v1.0/$batch"]);
    const inner = sent.map(innerOf);
    expect(inner.map((b) => b.length).sort()).toEqual([3, 4]);
    expect(inner.every((b) => b.every((x) => isGroupPost(x.url)) || b.every((x) => isRolePost(x.url)))).toBe(true);
    // Each outcome carries its own request, for its own target.
    const ids = outcomes.map((o) => o.requestId);
    expect(new Set(ids).size).toBe(7);
    const created = await emu.control.pimRequests();
    for (const g of groups) {
      if (g.kind === "role" || g.kind === "azure") continue;
      const mine = created.filter((r) => r.groupId === g.groupId && r.action === "selfActivate");
      expect(mine).toHaveLength(1);
      expect(outcomes.find((o) => o.kind !== "role" && o.kind !== "azure" && o.groupId === g.groupId)?.requestId).toBe(
        mine[0]?.id,
      );
    }
  });

  it("a refusal inside the batch is that item's alone: an MFA step-up is sent again on its own, the others stand", async () => {
    const plain = take("group", 2);
    const [mfa] = take("group", 1, true);
    if (!mfa) throw new Error("no MFA group in the tenant");
    await engine.planes.warmPolicies([...plain, mfa]);
    const phases: string[] = [];
    const seq = emu.emulator.log.lastSeq;
    const outcomes = await engine.activation.activateMany([...plain, mfa].map(input), {
      waitFor: "none",
      onProgress: (p) => phases.push(p.phase),
    });
    expect(outcomes.map((o) => o.error?.message ?? null)).toEqual([null, null, null]);
    expect(outcomes.every((o) => o.requestId)).toBe(true);
    expect(phases).toContain("stepping-up");
    // Graph's share (the step-up's sign-in requests go to the identity endpoints).
    const posts = emu.emulator.log.since(seq).filter((r) => r.method === "POST" && r.path.startsWith("/v1.0/"));
    // The batch of three, then the MFA one again on its own with its stepped-up token.
    expect(posts.map((r) => r.path)).toEqual([
      "/v1.0/$batch",
      "/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests",
    ]);
    expect(posts[1]?.status).toBe(201);
  });

  it("an inner server error is looked for before anything is sent again, and the request is created once", async () => {
    const groups = take("group", 3);
    await engine.planes.warmPolicies(groups);
    // Graph fails one POST inside the batch: it may or may not have been created.
    emu.emulator.faults.add([
      { kind: "status", status: 500, method: "POST", path: "/assignmentScheduleRequests", count: 1 },
    ]);
    const seq = emu.emulator.log.lastSeq;
    const outcomes = await engine.activation.activateMany(groups.map(input), { waitFor: "none" });
    expect(outcomes.map((o) => o.error?.message ?? null)).toEqual([null, null, null]);
    const log = emu.emulator.log.since(seq);
    // Reconciled: one read of that group's requests, then the POST on its own.
    const looked = log.filter((r) => r.method === "GET" && /assignmentScheduleRequests/.test(r.path));
    expect(looked).toHaveLength(1);
    expect(looked[0]?.query.$filter).toMatch(/groupId eq/);
    expect(log.filter((r) => r.method === "POST" && r.path.startsWith("/v1.0/")).map((r) => r.path)).toEqual([
      "/v1.0/$batch",
      "/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests",
    ]);
    const created = await emu.control.pimRequests();
    for (const g of groups) {
      if (g.kind === "role" || g.kind === "azure") continue;
      expect(created.filter((r) => r.groupId === g.groupId && r.action === "selfActivate")).toHaveLength(1);
    }
  });

  it("an item already active is told so, and the rest of its batch is activated", async () => {
    const [first, second] = take("group", 2);
    if (!first || !second) throw new Error("two groups expected");
    await engine.activation.activate(input(first), { waitFor: "provisioned", timeoutMs: 30_000 });
    const outcomes = await engine.activation.activateMany([first, second].map(input), { waitFor: "none" });
    expect(outcomes.map((o) => o.status)).toEqual(["already-active", expect.stringMatching(/provisioning|active/)]);
  });
});
