import { describe, expect, it, vi } from "vitest";
import type { LifecycleEvent, TargetRef } from "../../../electron/engine/lifecycle/events.js";
import { silentLogger, type Logger } from "../../../electron/engine/logger.js";
import type { DesktopNotification, Notifier } from "../../../electron/engine/notify/notifier.js";
import { routeNotifications } from "../../../electron/engine/notify/route.js";

const finance: TargetRef = { groupId: "g-fin", groupName: "Finance Admins", accessId: "member" };
const ops: TargetRef = { groupId: "g-ops", groupName: "Platform Ops", accessId: "owner" };
const now = Date.parse("2026-11-27T13:30:00Z");
const end = "2026-11-27T13:40:00Z";

/** A lifecycle service's event side, driven by the test. */
function events() {
  const listeners = new Set<(e: LifecycleEvent) => void>();
  return {
    on(l: (e: LifecycleEvent) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    emit(e: LifecycleEvent) {
      for (const l of listeners) l(e);
    },
  };
}

/** Records what it is asked to show; `hold` keeps each delivery pending until released. */
function recorder(hold = false) {
  const shown: DesktopNotification[] = [];
  const pending: Array<() => void> = [];
  const notifier: Notifier = {
    notify: (n) => {
      shown.push(n);
      return hold ? new Promise<void>((resolve) => pending.push(resolve)) : Promise.resolve();
    },
  };
  return { notifier, shown, release: () => pending.splice(0).forEach((r) => r()) };
}

describe("routeNotifications", () => {
  it("turns events into notifications with ids that are stable per event and item", () => {
    const source = events();
    const { notifier, shown } = recorder();
    routeNotifications(source, notifier, { logger: silentLogger, now: () => now, locale: "en-GB" });

    source.emit({ type: "provisioned", target: finance, requestId: "r1", endDateTime: end });
    source.emit({ type: "provisioned", target: ops, requestId: "r2", endDateTime: end });
    source.emit({ type: "provisioned", target: finance, requestId: "r3", endDateTime: end });
    source.emit({ type: "expiring-soon", target: finance, endDateTime: end, minutesLeft: 10, leadMinutes: 10 });
    source.emit({ type: "keep-active-stopped", profile: "Morning", reason: "The profile's end time has passed." });
    source.emit({ type: "needs-sign-in", reason: "Your sign-in has expired." });

    expect(shown.map((n) => n.id)).toEqual([
      "provisioned:g-fin:member",
      "provisioned:g-ops:owner",
      "provisioned:g-fin:member",
      "expiring-soon:g-fin:member",
      "keep-active-stopped:Morning",
      "needs-sign-in",
    ]);
    expect(shown[0]).toMatchObject({
      title: expect.stringMatching(/^Finance Admins \(member\) is active until /),
      body: "10 min from now.",
      urgency: "normal",
      target: finance,
    });
    expect(shown[3]).toMatchObject({ title: "Finance Admins expires in 10 min", urgency: "critical", target: finance });
    // Only the tray app can act on Renew; elsewhere it is not offered.
    expect(shown[3]?.actions).toBeUndefined();
    expect(shown[5]).not.toHaveProperty("target");
  });

  it("sends nothing for events that only update the tray", () => {
    const source = events();
    const { notifier, shown } = recorder();
    routeNotifications(source, notifier, { logger: silentLogger, now: () => now });
    source.emit({ type: "submitted", target: finance, requestId: "r1", profile: null });
    source.emit({ type: "error", kind: "server", message: "boom" });
    expect(shown).toEqual([]);
  });

  it("offers Renew on expiry warnings, and only there, when asked", () => {
    const source = events();
    const { notifier, shown } = recorder();
    routeNotifications(source, notifier, { logger: silentLogger, now: () => now, offerRenew: true });
    source.emit({ type: "expiring-soon", target: ops, endDateTime: end, minutesLeft: 10, leadMinutes: 10 });
    source.emit({ type: "expired", target: ops, endDateTime: end });
    expect(shown.map((n) => [n.id, n.actions])).toEqual([
      ["expiring-soon:g-ops:owner", [{ id: "renew", label: "Renew" }]],
      ["expired:g-ops:owner", undefined],
    ]);
  });

  it("settles once every notification handed over is delivered, and stops routing when closed", async () => {
    const source = events();
    const { notifier, shown, release } = recorder(true);
    const route = routeNotifications(source, notifier, { logger: silentLogger, now: () => now });
    source.emit({ type: "denied", target: finance, requestId: "r1" });
    let settled = false;
    const done = route.settled().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    release();
    await done;
    expect(settled).toBe(true);

    route.close();
    source.emit({ type: "denied", target: ops, requestId: "r2" });
    expect(shown.map((n) => n.id)).toEqual(["denied:g-fin:member"]);
  });

  it("logs a notifier that fails, and keeps routing", async () => {
    const source = events();
    const warn = vi.fn();
    const logger: Logger = { ...silentLogger, warn };
    const seen: string[] = [];
    const failing: Notifier = {
      notify: async (n) => {
        seen.push(n.id);
        throw new Error("no notification daemon");
      },
    };
    const route = routeNotifications(source, failing, { logger, now: () => now });
    source.emit({ type: "failed", target: finance, requestId: null, reason: "PIM refused it." });
    source.emit({ type: "canceled", target: ops, requestId: "r2" });
    await route.settled();
    expect(seen).toEqual(["failed:g-fin:member", "canceled:g-ops:owner"]);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[0]?.[0])).toContain("Finance Admins could not be activated");
  });
});
