import { describe, expect, it } from "vitest";
import type { GroupRef, TargetRef } from "../../electron/engine/planes/targets.js";
import { eligibleWithPolicies, mapLimit, POLICY_CONCURRENCY } from "../../electron/engine/eligible.js";
import type { Eligibility, PolicySummary } from "../../electron/engine/graph/pim-client.js";

const tick = () => new Promise((r) => setTimeout(r, 1));

describe("eligibleWithPolicies", () => {
  it("warms every policy together first, then pairs each eligibility with its policy, in order, with at most POLICY_CONCURRENCY reads in flight", async () => {
    const list = Array.from(
      { length: 20 },
      (_, i) => ({ groupId: `g${i}`, groupName: `Group ${i}`, accessId: i % 2 ? "owner" : "member" }) as Eligibility,
    );
    let inFlight = 0;
    let most = 0;
    const calls: string[] = [];
    const pim = {
      eligibilities: async () => list,
      warmPolicies: async (targets: readonly TargetRef[]) => {
        calls.push(`warm ${targets.length}`);
      },
      policy: async (t: TargetRef) => {
        calls.push("policy");
        const { groupId, accessId } = t as GroupRef;
        most = Math.max(most, ++inFlight);
        // Later groups answer sooner: order must still follow the list.
        await new Promise((r) => setTimeout(r, 20 - Number(groupId.slice(1))));
        inFlight -= 1;
        return { known: true, maxDuration: `${groupId}:${accessId}` } as unknown as PolicySummary;
      },
    };
    const rows = await eligibleWithPolicies(pim);
    expect(rows.map((r) => [(r.eligibility as GroupRef).groupId, r.policy.maxDuration])).toEqual(
      list.map((e) => [e.groupId, `${e.groupId}:${e.accessId}`]),
    );
    expect(most).toBe(POLICY_CONCURRENCY);
    expect(calls[0]).toBe("warm 20");
    expect(calls.filter((c) => c.startsWith("warm"))).toHaveLength(1);
  });

  it("mapLimit handles an empty list and a limit above the count", async () => {
    expect(await mapLimit([], 6, async () => 1)).toEqual([]);
    expect(
      await mapLimit([1, 2, 3], 10, async (n) => {
        await tick();
        return n * 2;
      }),
    ).toEqual([2, 4, 6]);
  });
});
