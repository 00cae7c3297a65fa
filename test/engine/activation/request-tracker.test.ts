// One tracker for every request of a process: each look at a plane is one list read shared by every
// request tracked there; a request the list does not show is read by its id after two misses.
import { describe, expect, it } from "vitest";
import { RequestTracker } from "../../../electron/engine/activation/request-tracker.js";
import { silentLogger } from "../../../electron/engine/logger.js";
import type { Planes } from "../../../electron/engine/planes/planes.js";
import type { ScheduleRequest } from "../../../electron/engine/planes/targets.js";

const T0 = Date.parse("2026-12-06T09:00:00Z");

function req(id: string, status: string): ScheduleRequest {
  return {
    id,
    action: "selfActivate",
    status,
    groupId: "g",
    accessId: "member",
    justification: null,
    createdDateTime: new Date(T0).toISOString(),
    startDateTime: null,
    duration: "PT1H",
    approvalId: null,
  };
}

/** A plane whose list shows `status(id, now)` for the ids it knows; time moves only when someone sleeps. */
function world(status: (id: string, now: number) => string | null) {
  let now = T0;
  const ids = new Set<string>();
  const calls = { list: 0, one: [] as string[] };
  const planes = {
    for: () => ({
      myRequests: async () => {
        calls.list++;
        return [...ids].flatMap((id) => {
          const s = status(id, now);
          return s ? [req(id, s)] : [];
        });
      },
    }),
    request: async (id: string) => {
      calls.one.push(id);
      return req(id, status(id, now) ?? "Provisioned");
    },
  } as unknown as Planes;
  const sleeps: Array<{ until: number; wake: () => void }> = [];
  const tracker = new RequestTracker({
    planes,
    logger: silentLogger,
    now: () => now,
    sleep: (ms) => new Promise<void>((r) => sleeps.push({ until: now + ms, wake: r })),
  });
  /** Moves the clock to each sleeper's time in turn, for `ms`. */
  const advance = async (ms: number) => {
    const end = now + ms;
    for (;;) {
      await new Promise((r) => setImmediate(r));
      sleeps.sort((a, b) => a.until - b.until);
      const first = sleeps[0];
      if (!first || first.until > end) break;
      sleeps.shift();
      now = Math.max(now, first.until);
      first.wake();
    }
    now = end;
    await new Promise((r) => setImmediate(r));
  };
  return { tracker, ids, calls, advance, now: () => now };
}

describe("the request tracker", () => {
  it("follows twenty requests on one plane with one list read per look, not twenty", async () => {
    // Each request provisions 3 s after the start.
    const w = world((_id, now) => (now >= T0 + 3000 ? "Provisioned" : "PendingProvisioning"));
    const done: string[] = [];
    const follow = async (id: string) => {
      let last = "PendingProvisioning";
      for (;;) {
        const r = await w.tracker.next("group", id, 1000, last);
        last = r.status;
        if (r.status === "Provisioned") return void done.push(id);
      }
    };
    const ids = Array.from({ length: 20 }, (_, i) => `r${i}`);
    for (const id of ids) w.ids.add(id);
    const all = Promise.all(ids.map(follow));
    await w.advance(5000);
    await all;
    expect(done.sort()).toEqual([...ids].sort());
    // Looks at 1 s, 2 s and 3 s: three reads for twenty requests.
    expect(w.calls.list).toBe(3);
    expect(w.calls.one).toEqual([]);
  });

  it("a read made for one request answers another due within the slack, and a status change at once", async () => {
    const w = world((id, now) => (id === "b" && now >= T0 + 900 ? "Denied" : "PendingApproval"));
    w.ids.add("a");
    w.ids.add("b");
    const a = w.tracker.next("group", "a", 1000, "PendingApproval");
    // b's schedule says 30 s, but a's read at 1 s shows it Denied: b hears it then.
    const b = w.tracker.next("group", "b", 30_000, "PendingApproval");
    await w.advance(1000);
    expect((await a).status).toBe("PendingApproval");
    expect((await b).status).toBe("Denied");
    expect(w.calls.list).toBe(1);
  });

  it("reads a request by its id when the list has not shown it twice", async () => {
    const w = world(() => "PendingProvisioning");
    const r = w.tracker.next("role", "fresh", 500, "PendingProvisioning");
    await w.advance(2000);
    expect((await r).id).toBe("fresh");
    expect(w.calls.list).toBe(2);
    expect(w.calls.one).toEqual(["fresh"]);
  });

  it("a failed read fails everyone waiting on it, and the next request starts a new look", async () => {
    let fail = true;
    const planes = {
      for: () => ({
        myRequests: async () => {
          if (fail) throw new Error("offline");
          return [req("x", "Provisioned")];
        },
      }),
    } as unknown as Planes;
    const tracker = new RequestTracker({ planes, logger: silentLogger, now: () => T0, sleep: async () => undefined });
    await expect(tracker.next("azure", "x", 10, "Granted")).rejects.toThrow("offline");
    fail = false;
    expect((await tracker.next("azure", "x", 10, "Granted")).status).toBe("Provisioned");
  });
});
