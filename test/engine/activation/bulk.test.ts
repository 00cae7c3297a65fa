// Several activations at once: a few at a time, in the order asked, and one failure stops none.
import { describe, expect, it } from "vitest";
import type { ActivateInput, ActivationOutcome } from "../../../electron/engine/activation/activation-service.js";
import { activateMany } from "../../../electron/engine/activation/bulk.js";
import { SubmissionGate } from "../../../electron/engine/activation/submission-gate.js";
import { PolicyError } from "../../../electron/engine/errors.js";

/** These inputs are all groups' (the planes' union is exercised by the plane tests). */
const group = (i: ActivateInput) => i.target as { groupId: string; groupName?: string; accessId: "member" | "owner" };
const input = (groupId: string): ActivateInput => ({
  target: { groupId, accessId: "member", groupName: `Group ${groupId}` },
  durationMs: 3600_000,
});
const done = (i: ActivateInput): ActivationOutcome => ({
  groupId: group(i).groupId,
  groupName: group(i).groupName ?? "",
  accessId: group(i).accessId,
  status: "active",
  requestId: `r-${group(i).groupId}`,
  requestStatus: "Provisioned",
  startDateTime: null,
  endDateTime: null,
  durationMs: i.durationMs ?? null,
  error: null,
});

describe("bulk activation", () => {
  it("starts every item at once, tells each outcome as it completes, and returns them in the order asked", async () => {
    let running = 0;
    let most = 0;
    const told: string[] = [];
    const inputs = ["a", "b", "c", "d", "e", "f", "g"].map(input);
    const outcomes = await activateMany(
      async (i) => {
        running += 1;
        most = Math.max(most, running);
        // Later inputs finish first, so order comes from the index, not from completion.
        await new Promise((r) => setTimeout(r, 10 * (8 - inputs.indexOf(i))));
        running -= 1;
        return done(i);
      },
      inputs,
      { onOutcome: (o) => told.push("groupId" in o ? (o.groupId ?? "") : "") },
    );
    // No slot is held while waiting for PIM: the gate limits only the POSTs (below).
    expect(most).toBe(7);
    expect(told).toEqual(["g", "f", "e", "d", "c", "b", "a"]);
    expect(outcomes.map((o) => ("groupId" in o ? o.groupId : null))).toEqual(["a", "b", "c", "d", "e", "f", "g"]);
  });

  it("passes the gate on to each activation", async () => {
    const gate = new SubmissionGate(Date.now, async () => undefined, 1);
    const seen: unknown[] = [];
    await activateMany(
      async (i, o) => {
        seen.push(o.gate);
        return done(i);
      },
      ["a", "b"].map(input),
      { gate },
    );
    expect(seen).toEqual([gate, gate]);
  });

  it("a failure becomes a failed outcome carrying its error; the others go on", async () => {
    const outcomes = await activateMany(async (i) => {
      if (group(i).groupId === "b") throw new PolicyError("PIM refused Group b", ["JustificationRule"]);
      if (group(i).groupId === "c") throw new Error("socket hang up");
      return done(i);
    }, ["a", "b", "c", "d"].map(input));
    expect(outcomes.map((o) => o.status)).toEqual(["active", "failed", "failed", "active"]);
    expect(outcomes[1]).toMatchObject({ groupName: "Group b", requestId: null, durationMs: 3600_000 });
    expect(outcomes[1]?.error).toBeInstanceOf(PolicyError);
    expect(outcomes[2]?.error).toMatchObject({ kind: "server", message: "socket hang up" });
  });

  it("nothing asked, nothing done", async () => {
    expect(await activateMany(async () => Promise.reject(new Error("not called")), [])).toEqual([]);
  });
});

describe("the submission gate", () => {
  it("starts at eight at once, halves on each 429 down to one, and holds new submissions for the Retry-After", async () => {
    let now = 0;
    const slept: number[] = [];
    const gate = new SubmissionGate(
      () => now,
      async (ms) => {
        slept.push(ms);
        now += ms;
      },
    );
    let running = 0;
    let most = 0;
    const post = () =>
      gate.run(async () => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running -= 1;
      });
    await Promise.all(Array.from({ length: 20 }, post));
    expect(most).toBe(8);
    gate.throttled(3000);
    gate.throttled(3000);
    gate.throttled(3000);
    gate.throttled(3000);
    expect(gate.limits).toEqual([8, 4, 2, 1]);
    most = 0;
    await Promise.all(Array.from({ length: 5 }, post));
    expect(most).toBe(1);
    // Only the first waited out the pause; the clock had moved past it for the rest.
    expect(slept).toEqual([3000]);
  });
});
