// A profile's submissions against the emulator over HTTPS with the real MSAL: they start eight at
// once, a 429 halves that and holds new POSTs for its Retry-After, no POST is ever sent twice, and
// every request is followed by shared list reads rather than one read per request.
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
    const posts = log.filter((e) => e.method === "POST" && e.path.endsWith("/assignmentScheduleRequests"));
    // Twelve accepted POSTs, plus the two the emulator refused (429 is a refusal: the retry is not a duplicate).
    expect(posts.filter((e) => e.status === 201)).toHaveLength(PLAIN);
    expect(posts.filter((e) => e.status === 429)).toHaveLength(2);
    const bodies = posts.filter((e) => e.status === 201).map((e) => (e.body as { groupId: string }).groupId);
    expect(new Set(bodies).size).toBe(PLAIN);
    // Tracking: list reads of my requests, far fewer than one per request per second.
    const reads = log.filter((e) => e.method === "GET" && /assignmentScheduleRequests/.test(e.path));
    const single = reads.filter((e) => !/filterByCurrentUser/.test(e.path));
    expect(single).toEqual([]);
    expect(reads.length).toBeLessThan(PLAIN);
    await emu.control.clearFaults();
  });
});
