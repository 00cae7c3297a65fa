// Following a request, without an emulator: PIM's status words, the polling until the awaited
// state, and the confirmation that a Provisioned request left an assignment behind.
import { describe, expect, it } from "vitest";
import type { ActivationContext } from "../../../electron/engine/activation/activation-types.js";
import { RequestTracker } from "../../../electron/engine/activation/request-tracker.js";
import { fromRequest, trackRequest } from "../../../electron/engine/activation/tracking.js";
import type { ScheduleRequest } from "../../../electron/engine/graph/pim-client.js";
import type { Planes } from "../../../electron/engine/planes/planes.js";
import { silentLogger } from "../../../electron/engine/logger.js";

const T0 = Date.parse("2026-03-02T09:00:00Z");
const base = { groupId: "g1", groupName: "Finance Admins", accessId: "member" as const, durationMs: 3600_000 };

function req(status: string, startDateTime: string | null = null): ScheduleRequest {
  return {
    id: "r1",
    action: "selfActivate",
    status,
    groupId: "g1",
    accessId: "member",
    justification: null,
    createdDateTime: new Date(T0).toISOString(),
    startDateTime,
    duration: "PT1H",
    approvalId: null,
  };
}

/** A context whose PIM answers from scripts and whose sleep moves a fake clock; tracking goes through the real tracker. */
function context(statuses: string[]) {
  let now = T0;
  const slept: number[] = [];
  const reads = { request: 0, list: 0, active: 0 };
  const next = () => req(statuses[Math.min(reads.request + reads.list, statuses.length - 1)] ?? "Failed");
  const pim = {
    request: async () => {
      const r = next();
      reads.request++;
      return r;
    },
    for: () => ({
      myRequests: async () => {
        const r = next();
        reads.list++;
        return [r];
      },
    }),
    activeAssignments: async () => {
      reads.active++;
      return [];
    },
  } as unknown as Planes;
  const sleep = async (ms: number) => {
    slept.push(ms);
    now += ms;
  };
  const ctx: ActivationContext = {
    planes: pim,
    principal: async () => ({ objectId: "me", username: "me@example.com" }),
    logger: silentLogger,
    now: () => now,
    sleep,
    record: async () => undefined,
    tracker: new RequestTracker({ planes: pim, logger: silentLogger, now: () => now, sleep }),
  };
  return { ctx, slept, reads };
}

describe("request tracking", () => {
  it("reads PIM's status words, in any case", () => {
    const s = (status: string, start: string | null = null) => fromRequest(req(status, start), base, T0).status;
    expect(s("Provisioned")).toBe("active");
    expect(s("pendingapproval")).toBe("pending-approval");
    expect(s("PendingAdminDecision")).toBe("pending-approval");
    expect(s("Granted", new Date(T0 + 60_000).toISOString())).toBe("scheduled");
    expect(s("Granted", new Date(T0 + 4000).toISOString())).toBe("provisioning");
    expect(s("Granted")).toBe("provisioning");
    expect(s("Denied")).toBe("denied");
    expect(s("Canceled")).toBe("canceled");
    expect(s("Failed")).toBe("failed");
    expect(s("Revoked")).toBe("failed");
    expect(s("PendingProvisioning")).toBe("provisioning");
    expect(fromRequest(req("Provisioned"), base, T0)).toMatchObject({
      ...base,
      requestId: "r1",
      requestStatus: "Provisioned",
      endDateTime: null,
      error: null,
    });
  });

  it("polls provisioning every 600 ms, with one list read each, and reports the end time from the request", async () => {
    const { ctx, slept, reads } = context([
      "PendingProvisioning",
      "PendingProvisioning",
      "PendingProvisioning",
      "Provisioned",
    ]);
    const o = await trackRequest(ctx, "r1", base);
    expect(slept).toEqual([600, 600, 600]);
    // The first look is the request itself; every later one is a list read shared by the plane.
    expect(reads).toEqual({ request: 1, list: 3, active: 0 });
    expect(o).toMatchObject({
      status: "active",
      // PIM left the start out: it is taken as when Provisioned was seen, and the end an hour later.
      startDateTime: new Date(T0 + 1800).toISOString(),
      endDateTime: new Date(T0 + 1800 + 3600_000).toISOString(),
    });
  });

  it("waiting for provisioning returns at pending approval; waiting for the final state polls it slowly", async () => {
    const early = context(["PendingApproval"]);
    expect((await trackRequest(early.ctx, "r1", base)).status).toBe("pending-approval");
    expect(early.slept).toEqual([]);
    const final = context(["PendingApproval", "PendingApproval", "PendingApproval", "Denied"]);
    expect((await trackRequest(final.ctx, "r1", base, { waitFor: "final", timeoutMs: 3600_000 })).status).toBe(
      "denied",
    );
    expect(final.slept).toEqual([5000, 10_000, 15_000]);
  });

  it("stops at the deadline with the state it saw last", async () => {
    const { ctx, slept } = context(["PendingProvisioning"]);
    const o = await trackRequest(ctx, "r1", base, { timeoutMs: 2000 });
    expect(o.status).toBe("provisioning");
    // The last look waits out the deadline, or the 250 ms the tracker keeps between two reads of a plane.
    const waited = slept.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(2000);
    expect(waited).toBeLessThanOrEqual(2050);
  });

  it("waitFor none returns what the first look says, without polling", async () => {
    const { ctx, reads } = context(["PendingProvisioning"]);
    expect((await trackRequest(ctx, "r1", base, { waitFor: "none" }, req("PendingProvisioning"))).status).toBe(
      "provisioning",
    );
    expect(reads.request).toBe(0);
  });

  it("a Provisioned request is reported at once, with its end time from its own start, without a second read", async () => {
    const { ctx, slept, reads } = context(["Provisioned"]);
    const started = new Date(T0 - 1000).toISOString();
    const o = await trackRequest(ctx, "r1", base, {}, { ...req("Provisioned"), startDateTime: started });
    expect(o).toMatchObject({
      status: "active",
      startDateTime: started,
      endDateTime: new Date(T0 - 1000 + 3600_000).toISOString(),
    });
    expect(reads).toEqual({ request: 0, list: 0, active: 0 });
    expect(slept).toEqual([]);
  });
});
