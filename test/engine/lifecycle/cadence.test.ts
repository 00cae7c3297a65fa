// The poll cadence as a pure function: what docs/lifecycle.md promises, without an emulator.
import { describe, expect, it } from "vitest";
import {
  clockJumped,
  next,
  offlineRetry,
  signInCheck,
  type CadenceOptions,
} from "../../../electron/engine/lifecycle/cadence.js";
import type { ScheduleRequest } from "../../../electron/engine/graph/pim-client.js";

const MIN = 60_000;
const T0 = Date.parse("2026-03-02T09:00:00Z");
const o: CadenceOptions = {
  idleIntervalMs: 10 * MIN,
  approvalPollMs: 30_000,
  approvalSlowPollMs: 60_000,
  approvalSlowAfterMs: 10 * MIN,
  provisioningPollMs: 5000,
  offlineBackoffMs: [15_000, 30_000, 60_000, 120_000, 300_000],
  signInCheckMs: 15_000,
};

function request(status: string, extra: Partial<ScheduleRequest> = {}): ScheduleRequest {
  return {
    id: `r-${status}`,
    action: "selfActivate",
    status,
    groupId: "g1",
    accessId: "member",
    justification: null,
    createdDateTime: new Date(T0).toISOString(),
    startDateTime: null,
    duration: "PT1H",
    approvalId: null,
    ...extra,
  };
}

describe("poll cadence", () => {
  it("idle: the next full reconcile falls 10 minutes after the last one", () => {
    expect(next({ pending: [], lastFullAt: T0 }, T0, o)).toEqual({ delay: 10 * MIN, scope: "full" });
    expect(next({ pending: [], lastFullAt: T0 }, T0 + 4 * MIN, o)).toEqual({ delay: 6 * MIN, scope: "full" });
    expect(next({ pending: [], lastFullAt: T0 }, T0 + 11 * MIN, o)).toEqual({ delay: 0, scope: "full" });
  });

  it("provisioning: a full reconcile every 5 s, whatever else is pending", () => {
    const pending = [request("PendingProvisioning"), request("PendingApproval")];
    expect(next({ pending, lastFullAt: T0 }, T0, o)).toEqual({ delay: 5000, scope: "full" });
  });

  it("approval: light polls every 30 s for 10 minutes, then every 60 s", () => {
    const pending = [request("PendingApproval")];
    expect(next({ pending, lastFullAt: T0 }, T0 + MIN, o)).toEqual({ delay: 30_000, scope: "requests" });
    expect(next({ pending, lastFullAt: T0 + 10 * MIN }, T0 + 11 * MIN, o)).toEqual({
      delay: 60_000,
      scope: "requests",
    });
  });

  it("approval: when the full reconcile falls due first, that one runs instead of a light poll", () => {
    const pending = [request("PendingApproval")];
    expect(next({ pending, lastFullAt: T0 }, T0 + 9.8 * MIN, o)).toEqual({ delay: 12_000, scope: "full" });
  });

  it("approval: the oldest pending request decides between fast and slow", () => {
    const old = request("PendingApproval", { id: "old", createdDateTime: new Date(T0 - 20 * MIN).toISOString() });
    const fresh = request("PendingApproval", { id: "fresh", createdDateTime: new Date(T0).toISOString() });
    expect(next({ pending: [fresh, old], lastFullAt: T0 }, T0 + MIN, o).delay).toBe(60_000);
  });

  it("a scheduled start: a full reconcile 1 s after it, unless the idle one comes first", () => {
    const soon = request("Granted", { startDateTime: new Date(T0 + 3 * MIN).toISOString() });
    expect(next({ pending: [soon], lastFullAt: T0 }, T0, o)).toEqual({ delay: 3 * MIN + 1000, scope: "full" });
    const later = request("Granted", { startDateTime: new Date(T0 + 60 * MIN).toISOString() });
    expect(next({ pending: [later], lastFullAt: T0 }, T0, o)).toEqual({ delay: 10 * MIN, scope: "full" });
  });

  it("a Granted request starting within 5 s is provisioning, not scheduled", () => {
    const now = request("Granted", { startDateTime: new Date(T0 + 4000).toISOString() });
    expect(next({ pending: [now], lastFullAt: T0 }, T0, o)).toEqual({ delay: 5000, scope: "full" });
  });

  it("offline: retries after 15 s, 30 s, 1, 2, then every 5 minutes", () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => offlineRetry(n, o).delay)).toEqual([
      15_000, 30_000, 60_000, 120_000, 300_000, 300_000, 300_000,
    ]);
    expect(offlineRetry(0, o).scope).toBe("full");
    expect(offlineRetry(0, { offlineBackoffMs: [] }).delay).toBe(300_000);
  });

  it("signed out: a light look every 15 s; refused by Graph: a full one every minute", () => {
    expect(signInCheck("no-account", o)).toEqual({ delay: 15_000, scope: "requests" });
    expect(signInCheck("refused", o)).toEqual({ delay: 60_000, scope: "full" });
  });

  it("the heartbeat sees a jump when wall and monotonic time part by more than the threshold", () => {
    const last = { wall: T0, mono: 1000 };
    expect(clockJumped(last, { wall: T0 + 30_000, mono: 31_000 }, 60_000)).toBeNull();
    expect(clockJumped(last, { wall: T0 + 30_000 + 59_000, mono: 31_000 }, 60_000)).toBeNull();
    expect(clockJumped(last, { wall: T0 + 2 * 3600_000, mono: 31_000 }, 60_000)).toBe(2 * 3600_000 - 30_000);
    expect(clockJumped(last, { wall: T0 - 5 * MIN, mono: 31_000 }, 60_000)).toBe(-5 * MIN - 30_000);
  });
});
