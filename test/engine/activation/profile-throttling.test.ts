// A profile's submissions against the emulator over HTTPS with the real MSAL: they start eight at
// once, in Graph $batch requests (graph/post-batcher.ts); a 429 halves that and holds new POSTs for its
// Retry-After, no request is ever created twice, and every request is followed by shared list reads rather
// than one read per request.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../electron/engine/engine.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { engineAgainst } from "../../helpers/engine.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let engine: Engine;
let dir: string;
const PLAIN = 12;

beforeAll(async () => {
  emu = await startTestEmulator({ seed: { kind: "large", groups: 60 } });
  dir = mkdtempSync(join(tmpdir(), "pimtray-throttle-"));
  engine = await engineAgainst(emu, dir);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await emu.stop();
});

/** Generated groups whose policy lets them provision at once (no approval, MFA or ticket). */
function plainGroups(): Array<{ groupId: string; groupName: string }> {
  const t = emu.emulator.pim.tenant;
  return t.groups
    .filter((g) => g.description === "Generated")
    .filter((g) => {
      const p = t.policies.get(`${g.id}:member`);
      return (
        p &&
        !p.approvalRequired &&
        !p.enabledRules.includes("MultiFactorAuthentication") &&
        !p.enabledRules.includes("Ticketing")
      );
    })
    .slice(0, PLAIN)
    .map((g) => ({ groupId: g.id, groupName: g.displayName }));
}

describe("a profile's submissions", () => {
  it("halve on a 429, honour its Retry-After, never repeat a POST, and are tracked with shared reads", async () => {
    const groups = plainGroups();
    expect(groups).toHaveLength(PLAIN);
    await emu.control.configure({ provisioningDelayMs: 1500, provisioningDelayMaxMs: 1500 });
    // Two refusals, given to POSTs inside the first batch: each halves the gate as a 429 the HTTP layer met would.
    await emu.control.addFaults([
      { kind: "status", status: 429, retryAfter: 1, method: "POST", path: "/assignmentScheduleRequests", count: 2 },
    ]);
    await emu.control.clearRequests();
    const told: string[] = [];
    const limits: number[][] = [];
    const outcomes = await engine.activation.activateMany(
      groups.map((g) => ({
        target: { ...g, accessId: "member" as const },
        justification: "profile",
        durationMs: 3600_000,
      })),
      {
        waitFor: "provisioned",
        timeoutMs: 60_000,
        onOutcome: (o) => {
          told.push(o.status);
          limits.push(...engine.activation.gates.map((g) => [...g.limits]));
        },
      },
    );
    expect(outcomes.map((o) => o.status)).toEqual(groups.map(() => "active"));
    expect(told).toHaveLength(PLAIN);
    // Two 429s: 8 → 4 → 2.

    expect(limits[0]).toEqual([8, 4, 2]);
    const log = await emu.control.requests();
    // The POSTs went in batches; only the two refused inside one were sent again on their own (after the
    // Retry-After), plus any item left alone in its window.
    const batches = log.filter((e) => e.method === "POST" && e.path === "/v1.0/$batch");
    const inner = batches.flatMap((e) => (e.body as { requests: Array<{ method: string }> }).requests);
    const alone = log.filter((e) => e.method === "POST" && e.path.endsWith("/assignmentScheduleRequests"));
    expect(inner.filter((r) => r.method === "POST").length).toBeGreaterThanOrEqual(PLAIN - 2);
    expect(alone.length).toBeGreaterThanOrEqual(2);
    expect(alone.length).toBeLessThan(PLAIN / 2);
    expect(alone.every((e) => e.status === 201)).toBe(true);
    // Every group has exactly one request: a 429 is a refusal, so sending it again is never a duplicate.
    const mine = new Set(groups.map((g) => g.groupId));
    const created = (await emu.control.pimRequests()).filter((r) => mine.has(r.groupId) && r.action === "selfActivate");
    expect(created).toHaveLength(PLAIN);
    expect(new Set(created.map((r) => r.groupId)).size).toBe(PLAIN);
    // Tracking: list reads of my requests, far fewer than one per request per second.
    const reads = log.filter((e) => e.method === "GET" && /assignmentScheduleRequests/.test(e.path));
    const single = reads.filter((e) => !/filterByCurrentUser/.test(e.path));
    expect(single).toEqual([]);
    expect(reads.length).toBeLessThan(PLAIN);
    await emu.control.clearFaults();
  });
});
