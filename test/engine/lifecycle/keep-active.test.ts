// Keep-active chains' decisions as pure functions: which chain renews, for how long, and when it stops.
import { describe, expect, it } from "vitest";
import type { ActivationOutcome } from "../../../electron/engine/activation/activation-service.js";
import { PimTrayError } from "../../../electron/engine/errors.js";
import type { ActiveAssignment, ScheduleRequest } from "../../../electron/engine/graph/pim-client.js";
import {
  afterRenewal,
  dayOf,
  inputFor,
  planRenewal,
  renewsAfterExpiry,
  retryDelay,
  runningChainsFor,
  startChain,
  stopsChain,
  type Chain,
} from "../../../electron/engine/lifecycle/keep-active.js";
import type { Profile } from "../../../electron/engine/profiles/settings-schema.js";

const MIN = 60_000;
// Local time: a chain's day and its time of day are the user's.
const FIVE_PM = new Date(2026, 2, 2, 17, 0, 0).getTime();
const names = new Map([["g1", "Finance Admins"]]);

function profile(extra: Partial<Profile> = {}): Profile {
  return {
    id: "p1",
    name: "Morning",
    targets: [{ groupId: "g1", accessId: "member" }],
    autoActivate: false,
    keepActive: { enabled: true, maxRenewals: 3 },
    ...extra,
  };
}
const ended: ActiveAssignment = {
  groupId: "g1",
  groupName: "Finance Admins",
  accessId: "member",
  startDateTime: new Date(FIVE_PM - 60 * MIN).toISOString(),
  endDateTime: new Date(FIVE_PM).toISOString(),
  assignmentType: "activated",
  groupDescription: null,
  groupMailNickname: null,
};
const chain = (extra: Partial<Chain> = {}): Chain => ({ ...startChain(FIVE_PM), ...extra });

describe("keep-active chains", () => {
  it("a chain starts with no renewals, for today", () => {
    expect(startChain(FIVE_PM)).toEqual({ renewals: 0, stopped: false, day: "2026-3-2" });
    expect(dayOf(new Date(2026, 2, 2, 23, 59).getTime())).toBe("2026-3-2");
    expect(dayOf(new Date(2026, 2, 3, 0, 1).getTime())).toBe("2026-3-3");
  });

  it("only a kept-active profile holding the target, with a running chain of today, renews it", () => {
    expect(renewsAfterExpiry(profile(), chain(), ended, FIVE_PM)).toBe("renew");
    expect(renewsAfterExpiry(profile({ keepActive: { enabled: false } }), chain(), ended, FIVE_PM)).toBe("skip");
    expect(
      renewsAfterExpiry(profile({ targets: [{ groupId: "g2", accessId: "member" }] }), chain(), ended, FIVE_PM),
    ).toBe("skip");
    expect(
      renewsAfterExpiry(profile({ targets: [{ groupId: "g1", accessId: "owner" }] }), chain(), ended, FIVE_PM),
    ).toBe("skip");
    expect(renewsAfterExpiry(profile(), undefined, ended, FIVE_PM)).toBe("skip");
    expect(renewsAfterExpiry(profile(), chain({ stopped: true }), ended, FIVE_PM)).toBe("skip");
    expect(renewsAfterExpiry(profile(), chain({ day: "2026-3-1" }), ended, FIVE_PM)).toBe("day-over");
  });

  it("a denial stops the running chains that hold the target, and only those", () => {
    const other = profile({ id: "p2", targets: [{ groupId: "g2", accessId: "member" }] });
    const stopped = profile({ id: "p3" });
    const noChain = profile({ id: "p4" });
    const chains = { p1: chain(), p2: chain(), p3: chain({ stopped: true }) };
    expect(
      runningChainsFor([profile(), other, stopped, noChain], chains, { groupId: "g1", accessId: "member" }).map(
        (p) => p.id,
      ),
    ).toEqual(["p1"]);
  });

  it("stops at its renewal limit", () => {
    expect(planRenewal(profile(), chain({ renewals: 2 }), ended, [], FIVE_PM)).toEqual({
      kind: "renew",
      capMs: undefined,
    });
    expect(planRenewal(profile(), chain({ renewals: 3 }), ended, [], FIVE_PM)).toEqual({
      kind: "stop",
      reason: "It renewed 3 times, the most it is set to.",
    });
    expect(
      planRenewal(
        profile({ keepActive: { enabled: true, maxRenewals: 1 } }),
        chain({ renewals: 1 }),
        ended,
        [],
        FIVE_PM,
      ),
    ).toEqual({ kind: "stop", reason: "It renewed 1 time, the most it is set to." });
  });

  it("caps a renewal at its time of day, and stops when less than 5 minutes are left", () => {
    const until = (u: string) => profile({ keepActive: { enabled: true, until: u } });
    expect(planRenewal(until("18:30"), chain(), ended, [], FIVE_PM)).toEqual({ kind: "renew", capMs: 90 * MIN });
    expect(planRenewal(until("17:05"), chain(), ended, [], FIVE_PM)).toEqual({ kind: "renew", capMs: 5 * MIN });
    expect(planRenewal(until("17:04"), chain(), ended, [], FIVE_PM)).toEqual({
      kind: "stop",
      reason: "It is set to stop at 17:04.",
    });
    expect(planRenewal(until("09:00"), chain(), ended, [], FIVE_PM)).toEqual({
      kind: "stop",
      reason: "It is set to stop at 09:00.",
    });
  });

  it("never submits while a request for the target is pending", () => {
    const pending: ScheduleRequest = {
      id: "r",
      action: "selfActivate",
      status: "PendingApproval",
      groupId: "g1",
      accessId: "member",
      justification: null,
      createdDateTime: new Date(FIVE_PM).toISOString(),
      startDateTime: null,
      duration: null,
      approvalId: null,
    };
    expect(planRenewal(profile(), chain(), ended, [pending], FIVE_PM)).toEqual({ kind: "already-pending" });
    expect(planRenewal(profile(), chain(), ended, [{ ...pending, accessId: "owner" }], FIVE_PM).kind).toBe("renew");
  });

  it("reads a renewal's outcome: retry while the old one runs, stop on denial or failure", () => {
    const o: ActivationOutcome = {
      groupId: "g1",
      groupName: "Finance Admins",
      accessId: "member",
      status: "active",
      requestId: "r",
      requestStatus: "Provisioned",
      startDateTime: null,
      endDateTime: null,
      durationMs: null,
      error: null,
    };
    expect(afterRenewal(o)).toEqual({ kind: "renewed" });
    expect(afterRenewal({ ...o, status: "pending-approval" })).toEqual({ kind: "renewed" });
    expect(afterRenewal({ ...o, status: "already-active" })).toEqual({ kind: "retry" });
    expect(afterRenewal({ ...o, status: "denied" })).toEqual({
      kind: "stop",
      reason: "The approver denied the renewal.",
    });
    expect(afterRenewal({ ...o, status: "failed" })).toEqual({
      kind: "stop",
      reason: "PIM could not complete the renewal.",
    });
    expect(afterRenewal({ ...o, status: "failed", error: new PimTrayError("server", "boom") })).toEqual({
      kind: "stop",
      reason: "boom",
    });
    expect([0, 1, 5].map(retryDelay)).toEqual([2000, 4000, 12_000]);
  });

  it("refusals that trying again cannot fix stop the chain; others wait for the next reconcile", () => {
    expect(stopsChain(new PimTrayError("policy", "x"))).toBe(true);
    expect(stopsChain(new PimTrayError("auth", "x"))).toBe(true);
    expect(stopsChain(new PimTrayError("usage", "x"))).toBe(true);
    expect(stopsChain(new PimTrayError("network", "x"))).toBe(false);
    expect(stopsChain(new Error("x"))).toBe(false);
  });

  it("asks for the profile's duration, capped by the chain, with its justification and ticket", () => {
    const p = profile({ duration: "PT2H", ticket: { system: "ServiceNow", number: "INC1" } });
    expect(inputFor(p, { groupId: "g1", accessId: "member" }, names, undefined)).toEqual({
      target: { groupId: "g1", accessId: "member", groupName: "Finance Admins" },
      durationMs: 120 * MIN,
      justification: "Kept active by PIM Tray (profile Morning)",
      ticket: { system: "ServiceNow", number: "INC1" },
    });
    expect(inputFor(p, { groupId: "g1", accessId: "member" }, names, 30 * MIN).durationMs).toBe(30 * MIN);
    expect(
      inputFor(
        profile({ justification: "Daily checks" }),
        { groupId: "g2", accessId: "member", groupName: "Helpdesk" },
        names,
        30 * MIN,
      ),
    ).toEqual({
      target: { groupId: "g2", accessId: "member", groupName: "Helpdesk" },
      durationMs: 30 * MIN,
      justification: "Daily checks",
    });
    expect(inputFor(profile(), { groupId: "g3", accessId: "owner" }, names, undefined)).not.toHaveProperty(
      "durationMs",
    );
  });
});
