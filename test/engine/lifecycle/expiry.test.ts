// Expiry planning as a pure function: which warnings are armed for when, and what a restart that
// missed some of them says.
import { describe, expect, it } from "vitest";
import type { ActiveAssignment } from "../../../electron/engine/graph/pim-client.js";
import { expiringSoon, leadsFor, planExpiry } from "../../../electron/engine/lifecycle/expiry.js";
import type { Profile } from "../../../electron/engine/profiles/settings-schema.js";

const MIN = 60_000;
const T0 = Date.parse("2026-03-02T09:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();
const names = new Map([["g1", "Finance Admins"]]);

function assignment(end: number | null, groupId = "g1"): ActiveAssignment {
  return {
    groupId,
    groupName: groupId,
    accessId: "member",
    startDateTime: iso(T0 - 30 * MIN),
    endDateTime: end === null ? null : iso(end),
    assignmentType: "activated",
    groupDescription: null,
    groupMailNickname: null,
  };
}
function profile(notifyLeadMinutes: number[] | undefined, groupId = "g1"): Profile {
  return {
    id: "p1",
    name: "Morning",
    targets: [{ groupId, accessId: "member" }],
    autoActivate: false,
    keepActive: { enabled: false },
    ...(notifyLeadMinutes ? { notifyLeadMinutes } : {}),
  };
}
const global = { globalLeads: [10, 2], profiles: [] };

describe("expiry planning", () => {
  it("arms one warning per lead time and a reconcile 1 s after the end", () => {
    const end = T0 + 60 * MIN;
    const [plan] = planExpiry([assignment(end)], T0, global, {}, names, 1000);
    expect(plan?.missed).toBeNull();
    expect(plan?.passed).toEqual([]);
    expect(plan?.warnings.map((w) => [w.delay, w.leadMinutes, w.key])).toEqual([
      [50 * MIN, 10, `soon:g1:member:${iso(end)}:10`],
      [58 * MIN, 2, `soon:g1:member:${iso(end)}:2`],
    ]);
    expect(plan?.warnings[0]?.target).toEqual({ groupId: "g1", accessId: "member", groupName: "Finance Admins" });
    expect(plan?.confirmDelay).toBe(60 * MIN + 1000);
  });

  it("leads already passed collapse into one warning now, for the most recent; all are remembered", () => {
    const end = T0 + 5 * MIN;
    const [plan] = planExpiry([assignment(end)], T0, { globalLeads: [30, 10, 2], profiles: [] }, {}, names, 1000);
    expect(plan?.missed?.key).toBe(`soon:g1:member:${iso(end)}:10`);
    expect(plan?.missed?.event).toMatchObject({ type: "expiring-soon", minutesLeft: 5, leadMinutes: 10 });
    expect(plan?.passed).toEqual([`soon:g1:member:${iso(end)}:30`, `soon:g1:member:${iso(end)}:10`]);
    expect(plan?.warnings.map((w) => w.leadMinutes)).toEqual([2]);
  });

  it("a missed lead already said is not said again (after a restart)", () => {
    const end = T0 + 5 * MIN;
    const [plan] = planExpiry(
      [assignment(end)],
      T0,
      global,
      { [`soon:g1:member:${iso(end)}:10`]: T0 - MIN },
      names,
      1000,
    );
    expect(plan?.missed).toBeNull();
    expect(plan?.passed).toEqual([`soon:g1:member:${iso(end)}:10`]);
  });

  it("nothing for an assignment without an end or already past it", () => {
    expect(planExpiry([assignment(null), assignment(T0 - 1000), assignment(T0)], T0, global, {}, names, 1000)).toEqual(
      [],
    );
  });

  it("a profile's own lead times win for the groups it holds", () => {
    const profiles = [profile([15, 5, 5])];
    expect(leadsFor(assignment(T0), profiles, [10, 2])).toEqual([15, 5]);
    expect(leadsFor(assignment(T0, "g2"), profiles, [10, 2])).toEqual([10, 2]);
    expect(leadsFor(assignment(T0), [profile(undefined)], [2, 10, 2])).toEqual([10, 2]);
  });

  it("minutes left are counted when the warning is said, never less than 1", () => {
    const target = { groupId: "g1", accessId: "member" as const, groupName: "Finance Admins" };
    const end = iso(T0 + 10 * MIN);
    expect(expiringSoon(target, end, 10, T0)).toMatchObject({ minutesLeft: 10, leadMinutes: 10, endDateTime: end });
    expect(expiringSoon(target, end, 10, T0 + 9 * MIN + 50_000)).toMatchObject({ minutesLeft: 1 });
    expect(expiringSoon(target, end, 10, T0 + 7.4 * MIN)).toMatchObject({ minutesLeft: 3 });
  });
});
