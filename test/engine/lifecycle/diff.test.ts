// The picture diff as a pure function: which events a change announces, under which keys, and
// what work it calls for.
import { describe, expect, it } from "vitest";
import type { ActivationOutcome } from "../../../electron/engine/activation/activation-service.js";
import { PimTrayError } from "../../../electron/engine/errors.js";
import type { ActiveAssignment, ScheduleRequest } from "../../../electron/engine/graph/pim-client.js";
import {
  diff,
  outcomeAnnouncements,
  pendingSelfActivations,
  requestMoved,
  type Effect,
} from "../../../electron/engine/lifecycle/diff.js";

const MIN = 60_000;
const T0 = Date.parse("2026-03-02T09:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();
const names = new Map([["g1", "Finance Admins"]]);

function req(id: string, status: string, extra: Partial<ScheduleRequest> = {}): ScheduleRequest {
  return {
    id,
    action: "selfActivate",
    status,
    groupId: "g1",
    accessId: "member",
    justification: null,
    createdDateTime: iso(T0),
    startDateTime: null,
    duration: "PT1H",
    approvalId: null,
    ...extra,
  };
}
function assignment(start: number, end: number | null, groupId = "g1"): ActiveAssignment {
  return {
    groupId,
    groupName: groupId === "g1" ? "Finance Admins" : groupId,
    accessId: "member",
    startDateTime: iso(start),
    endDateTime: end === null ? null : iso(end),
    assignmentType: "activated",
    groupDescription: null,
    groupMailNickname: null,
  };
}
const announced = (effects: Effect[]) => effects.flatMap((e) => (e.kind === "announce" ? [[e.key, e.event.type]] : []));

describe("picture diff", () => {
  it("pending means my self-activations still in flight", () => {
    const all = [
      req("a", "PendingApproval"),
      req("b", "Provisioned"),
      req("c", "PendingApproval", { action: "selfDeactivate" }),
      req("d", "Granted"),
    ];
    expect(pendingSelfActivations(all).map((r) => r.id)).toEqual(["a", "d"]);
  });

  it("a light poll moves on to a full look only when a known request changed status", () => {
    const prev = [req("a", "PendingApproval")];
    expect(requestMoved(prev, [req("a", "pendingapproval"), req("new", "PendingApproval")])).toBe(false);
    expect(requestMoved(prev, [req("a", "Granted")])).toBe(true);
  });

  it("a request approved, denied, canceled or failed is announced once per request id", () => {
    const prev = {
      active: [],
      pending: [
        req("a", "PendingApproval"),
        req("b", "PendingApproval"),
        req("c", "PendingApproval"),
        req("d", "PendingProvisioning"),
      ],
    };
    const now = [req("a", "Provisioned"), req("b", "Denied"), req("c", "Canceled"), req("d", "Failed")];
    const effects = diff(prev, now, null, T0, names);
    expect(announced(effects)).toEqual([
      ["appr:a", "approved"],
      ["deny:b", "denied"],
      ["cancel:c", "canceled"],
      ["fail:d", "failed"],
    ]);
    const first = effects[0];
    expect(first?.kind === "announce" && "target" in first.event ? first.event.target : null).toEqual({
      groupId: "g1",
      accessId: "member",
      groupName: "Finance Admins",
    });
  });

  it("a denied or failed request stops the keep-active chains holding its target, in order with its event", () => {
    const prev = { active: [], pending: [req("b", "PendingApproval"), req("d", "PendingProvisioning")] };
    const effects = diff(prev, [req("b", "Denied"), req("d", "Failed")], null, T0, names);
    expect(effects.map((e) => e.kind)).toEqual(["announce", "stop-chains", "announce", "stop-chains"]);
    expect(effects.filter((e) => e.kind === "stop-chains").map((e) => e.kind === "stop-chains" && e.reason)).toEqual([
      "The approver denied the renewal.",
      "PIM could not complete the renewal.",
    ]);
  });

  it("only a request leaving PendingApproval for a granted state is 'approved'", () => {
    const prev = { active: [], pending: [req("a", "PendingProvisioning")] };
    expect(announced(diff(prev, [req("a", "Provisioned")], null, T0, names))).toEqual([]);
  });

  it("a new request waiting for approval is announced; one seen before is not", () => {
    const prev = { active: [], pending: [req("old", "PendingApproval")] };
    const effects = diff(
      prev,
      [req("old", "PendingApproval"), req("new", "PendingApproval"), req("prov", "PendingProvisioning")],
      null,
      T0,
      names,
    );
    expect(announced(effects)).toEqual([["pend:new", "pending-approval"]]);
  });

  it("an unknown group shows its id until its name is known", () => {
    const effects = diff(
      { active: [], pending: [] },
      [req("x", "PendingApproval", { groupId: "g9" })],
      null,
      T0,
      names,
    );
    const e = effects[0];
    expect(e?.kind === "announce" && "target" in e.event ? e.event.target.groupName : null).toBe("g9");
  });

  it("a new assignment is provisioned; one gone near its end expired and may renew; one gone early was deactivated", () => {
    const kept = assignment(T0 - 30 * MIN, T0 + 30 * MIN, "g2");
    const ended = assignment(T0 - 60 * MIN, T0 + 30_000);
    const early = assignment(T0 - 10 * MIN, T0 + 50 * MIN, "g3");
    const fresh = assignment(T0, T0 + 60 * MIN, "g4");
    const effects = diff({ active: [kept, ended, early], pending: [] }, [], [kept, fresh], T0, names);
    expect(effects.map((e) => (e.kind === "announce" ? `${e.event.type} ${e.key}` : e.kind))).toEqual([
      `provisioned prov:g4:member:${iso(T0)}`,
      `expired expired:g1:member:${iso(T0 + 30_000)}`,
      "renew-after-expiry",
      `deactivated deact:g3:member:${iso(T0 - 10 * MIN)}`,
    ]);
    const renew = effects[2];
    expect(renew?.kind === "renew-after-expiry" ? renew.assignment : null).toBe(ended);
  });

  it("an assignment without an end that disappears was deactivated", () => {
    const standing = assignment(T0 - 60 * MIN, null);
    expect(announced(diff({ active: [standing], pending: [] }, [], [], T0, names))).toEqual([
      [`deact:g1:member:${iso(T0 - 60 * MIN)}`, "deactivated"],
    ]);
  });

  it("a light poll (no assignments) says nothing about assignments", () => {
    const a = assignment(T0 - 60 * MIN, T0 - MIN);
    expect(diff({ active: [a], pending: [] }, [], null, T0, names)).toEqual([]);
  });
});

describe("outcome announcements", () => {
  const base: ActivationOutcome = {
    groupId: "g1",
    groupName: "Finance Admins",
    accessId: "member",
    status: "active",
    requestId: "r1",
    requestStatus: "Provisioned",
    startDateTime: iso(T0),
    endDateTime: iso(T0 + 60 * MIN),
    durationMs: 60 * MIN,
    error: null,
  };
  const said = (o: ActivationOutcome) => outcomeAnnouncements(o, "Morning").map((a) => [a.key, a.event.type]);

  it("provisioned shares its key with the reconcile that sees the assignment", () => {
    expect(said(base)).toEqual([
      ["sub:r1", "submitted"],
      [`prov:g1:member:${iso(T0)}`, "provisioned"],
    ]);
    const fromDiff = diff({ active: [], pending: [] }, [], [assignment(T0, T0 + 60 * MIN)], T0, names)[0];
    expect(fromDiff?.kind === "announce" ? fromDiff.key : null).toBe(`prov:g1:member:${iso(T0)}`);
  });

  it("pending approval, denied and failed each under their request's key", () => {
    expect(said({ ...base, status: "pending-approval" })).toEqual([
      ["sub:r1", "submitted"],
      ["pend:r1", "pending-approval"],
    ]);
    expect(said({ ...base, status: "denied" })).toEqual([
      ["sub:r1", "submitted"],
      ["deny:r1", "denied"],
    ]);
    expect(said({ ...base, status: "failed", requestStatus: "Failed" })).toEqual([
      ["sub:r1", "submitted"],
      ["fail:r1", "failed"],
    ]);
  });

  it("an error is said every time (no key); already active announces nothing; provisioning only its submission", () => {
    const err = new PimTrayError("policy", "PIM refused it");
    expect(said({ ...base, status: "failed", requestId: null, error: err })).toEqual([[null, "failed"]]);
    expect(said({ ...base, status: "already-active", requestId: null })).toEqual([]);
    expect(said({ ...base, status: "provisioning" })).toEqual([["sub:r1", "submitted"]]);
  });

  it("the profile that asked is named on submitted", () => {
    const [submitted] = outcomeAnnouncements(base, "Morning");
    expect(submitted?.event).toMatchObject({ type: "submitted", profile: "Morning", requestId: "r1" });
  });
});
