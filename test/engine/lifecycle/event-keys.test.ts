// Announced keys are remembered for a week, then forgotten.
import { describe, expect, it } from "vitest";
import { forgetOld, keys, REMEMBER_MS } from "../../../electron/engine/lifecycle/event-keys.js";

describe("event keys", () => {
  it("forgets keys announced more than a week ago, and keeps the rest", () => {
    const now = Date.parse("2026-03-09T09:00:00Z");
    const announced = { old: now - REMEMBER_MS - 1, edge: now - REMEMBER_MS, recent: now - 60_000 };
    forgetOld(announced, now);
    expect(Object.keys(announced).sort()).toEqual(["edge", "recent"]);
  });

  it("a chain's stop is a new key after each renewal and each day", () => {
    const a = keys.keepActiveStopped("p1", { day: "2026-3-2", renewals: 1 });
    expect(keys.keepActiveStopped("p1", { day: "2026-3-2", renewals: 1 })).toBe(a);
    expect(keys.keepActiveStopped("p1", { day: "2026-3-2", renewals: 2 })).not.toBe(a);
    expect(keys.keepActiveStopped("p1", { day: "2026-3-3", renewals: 1 })).not.toBe(a);
  });
});
