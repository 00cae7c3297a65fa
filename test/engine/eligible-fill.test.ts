// PolicyFill: a long list's policies read in the background, in batches, the rows asked for first, each
// target once. The planes' policy reads are scripted here (what each answers and when); the fill is real.
import { describe, expect, it } from "vitest";
import { PolicyFill, type FilledPolicy } from "../../electron/engine/eligible.js";
import { ServiceError } from "../../electron/engine/errors.js";
import type { PolicySummary } from "../../electron/engine/graph/pim-client.js";
import { silentLogger } from "../../electron/engine/logger.js";
import { PolicyCache } from "../../electron/engine/planes/policy-cache.js";
import { targetKey, type Eligibility, type TargetRef } from "../../electron/engine/planes/targets.js";

const group = (i: number): Eligibility =>
  ({ groupId: `g${i}`, groupName: `Group ${i}`, accessId: "member", endDateTime: null }) as unknown as Eligibility;
const azure = (i: number): Eligibility =>
  ({
    kind: "azure",
    roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/r${i}`,
    scope: `/subscriptions/s/resourceGroups/rg${i}`,
    roleName: `Role ${i}`,
    scopeName: `rg${i}`,
  }) as unknown as Eligibility;
const policyFor = (t: TargetRef) => ({ known: true, maxDuration: targetKey(t) }) as unknown as PolicySummary;

/** Policy reads that answer when released (or at once), recording the order and how many were in flight. */
function planes(o: { hold?: boolean; fail?: (key: string) => boolean } = {}) {
  const started: string[] = [];
  const release: Array<() => void> = [];
  const inFlight = { group: 0, azure: 0, most: { group: 0, azure: 0 } };
  const pim = {
    policy: async (t: TargetRef) => {
      const key = targetKey(t);
      const lane = t.kind === "azure" ? "azure" : "group";
      started.push(key);
      inFlight[lane] += 1;
      inFlight.most[lane] = Math.max(inFlight.most[lane], inFlight[lane]);
      if (o.hold) await new Promise<void>((r) => release.push(r));
      else await new Promise((r) => setTimeout(r, 2));
      inFlight[lane] -= 1;
      if (o.fail?.(key))
        throw new ServiceError("graph", 503, "ServiceNotAvailable", "", null, "server", "Graph had a problem.");
      return policyFor(t);
    },
  };
  /** Lets the oldest held read answer. */
  const next = async () => {
    release.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { pim, started, inFlight, next, held: () => release.length };
}

function collect() {
  const batches: Array<{ results: FilledPolicy[]; remaining: number }> = [];
  return { batches, onBatch: (results: FilledPolicy[], remaining: number) => batches.push({ results, remaining }) };
}

describe("PolicyFill", () => {
  it("reads every policy of the list once, a few at a time on each service, and reports them in batches", async () => {
    const list = [...Array.from({ length: 30 }, (_, i) => group(i)), ...Array.from({ length: 10 }, (_, i) => azure(i))];
    const p = planes();
    const c = collect();
    const fill = new PolicyFill(p.pim, [...list, group(3)], { limit: 4, batchMs: 20, onBatch: c.onBatch });
    expect(fill.remaining).toBe(40);
    await fill.done;
    expect(fill.remaining).toBe(0);
    expect(p.started.sort()).toEqual(list.map(targetKey).sort());
    // Graph and ARM each had their own four reads in flight, at once.
    expect(p.inFlight.most).toEqual({ group: 4, azure: 4 });
    const reported = c.batches.flatMap((b) => b.results);
    expect(reported.map((r) => r.key).sort()).toEqual(list.map(targetKey).sort());
    expect(
      reported.every((r) => r.policy && (r.policy as unknown as { maxDuration: string }).maxDuration === r.key),
    ).toBe(true);
    // Fewer updates than policies, the last saying nothing is left.
    expect(c.batches.length).toBeLessThan(40);
    expect(c.batches.at(-1)?.remaining).toBe(0);
    expect(c.batches.map((b) => b.remaining)).toEqual([...c.batches.map((b) => b.remaining)].sort((a, b) => b - a));
  });

  it("reads the rows asked for first ahead of the rest, in the order asked", async () => {
    const list = Array.from({ length: 20 }, (_, i) => group(i));
    const p = planes({ hold: true });
    const fill = new PolicyFill(p.pim, list, { limit: 2, onBatch: () => undefined });
    expect(p.started).toEqual(["g0:member", "g1:member"]);
    fill.first(["g17:member", "g12:member", "unknown:member"]);
    await p.next();
    await p.next();
    expect(p.started.slice(2)).toEqual(["g17:member", "g12:member"]);
    while (p.held()) await p.next();
    await fill.done;
    expect(p.started).toHaveLength(20);
  });

  it("answers `now` for a queued row with the next read, and joins a read in flight instead of reading twice", async () => {
    const list = Array.from({ length: 10 }, (_, i) => group(i));
    const p = planes({ hold: true });
    const fill = new PolicyFill(p.pim, list, { limit: 1, onBatch: () => undefined });
    const eighth = fill.now(group(8));
    const first = fill.now(group(0)); // in flight
    await p.next();
    expect(p.started).toEqual(["g0:member", "g8:member"]);
    await p.next();
    expect(((await eighth) as unknown as { maxDuration: string }).maxDuration).toBe("g8:member");
    expect(((await first) as unknown as { maxDuration: string }).maxDuration).toBe("g0:member");
    expect(((await fill.now(group(8))) as unknown as { maxDuration: string }).maxDuration).toBe("g8:member");
    expect(p.started.filter((k) => k === "g8:member")).toHaveLength(1);
    fill.stop();
  });

  it("reports a failed read with its reason; `now` tries it again and reports the answer", async () => {
    let down = true;
    const p = planes({ fail: (k) => down && k === "g1:member" });
    const c = collect();
    const fill = new PolicyFill(p.pim, [group(0), group(1), group(2)], { batchMs: 5, onBatch: c.onBatch });
    await fill.done;
    const failed = c.batches.flatMap((b) => b.results).find((r) => r.key === "g1:member");
    expect(failed).toMatchObject({ policy: null, error: "Graph had a problem." });
    down = false;
    await fill.now(group(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(c.batches.at(-1)?.results).toEqual([
      expect.objectContaining({ key: "g1:member", policy: expect.anything() }),
    ]);
    expect(p.started.filter((k) => k === "g1:member")).toHaveLength(2);
  });

  it("once stopped, reports nothing more and starts no read, but answers whoever waits", async () => {
    const list = Array.from({ length: 10 }, (_, i) => group(i));
    const p = planes({ hold: true });
    const c = collect();
    const fill = new PolicyFill(p.pim, list, { limit: 1, batchMs: 1, onBatch: c.onBatch });
    const waiting = fill.now(group(5));
    fill.stop();
    await fill.done;
    while (p.held()) await p.next();
    expect(((await waiting) as unknown as { maxDuration: string }).maxDuration).toBe("g5:member");
    await new Promise((r) => setTimeout(r, 10));
    expect(c.batches).toEqual([]);
    expect(p.started).toEqual(["g0:member", "g5:member"]);
  });
});

describe("PolicyCache", () => {
  const rules = [
    {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
      id: "Expiration_EndUser_Assignment",
      maximumDuration: "PT2H",
    },
  ];

  it("reads a policy once when it is asked for again while the first read is in flight (the fill and Activate)", async () => {
    const cache = new PolicyCache(silentLogger, 60_000, Date.now);
    let reads = 0;
    let release: () => void = () => undefined;
    const read = async () => {
      reads += 1;
      await new Promise<void>((r) => (release = r));
      return rules;
    };
    const [a, b] = [cache.get("g1:member", read), cache.get("g1:member", read)];
    release();
    expect((await a).maxDurationMs).toBe(2 * 3600_000);
    expect(await b).toEqual(await a);
    expect(reads).toBe(1);
    // Kept: a later ask reads nothing.
    await cache.get("g1:member", read);
    expect(reads).toBe(1);
  });

  it("does not keep a read that began before clear(): the next ask reads again", async () => {
    const cache = new PolicyCache(silentLogger, 60_000, Date.now);
    let reads = 0;
    let release: () => void = () => undefined;
    const read = async () => {
      reads += 1;
      await new Promise<void>((r) => (release = r));
      return rules;
    };
    const first = cache.get("g1:member", read);
    cache.clear();
    release();
    await first;
    const again = cache.get("g1:member", read);
    release();
    await again;
    expect(reads).toBe(2);
  });
});
