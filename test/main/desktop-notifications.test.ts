// The tray app's notifications (electron/main/desktop-notifications.ts) on the fake electron module:
// a request to approve shows Approve… and Deny… where Electron shows buttons (Windows, macOS), and
// each, like a click, opens the popup on that request; on Linux there are no buttons, and a click does it.
import { afterEach, describe, expect, it, vi } from "vitest";
import { adeleAsks } from "../helpers/approvals.js";
import type { Focus } from "../../electron/app/app-controller.js";
import type { LifecycleEvent } from "../../electron/engine/lifecycle/events.js";
import { silentLogger } from "../../electron/engine/logger.js";
import { routeDesktopNotifications, showsNotificationActions } from "../../electron/main/desktop-notifications.js";
import { FakeNotification, setFakePlatform } from "./electron-fake.js";

vi.mock("electron", () => import("./electron-fake.js"));

const asks = adeleAsks();
const REQ = asks.requestId;

/** Routes one approval-requested event on `platform` and returns the notification Electron was given. */
async function notifiedOn(platform: NodeJS.Platform) {
  setFakePlatform(platform);
  const listeners = new Set<(e: LifecycleEvent) => void>();
  const focused: Focus[] = [];
  const route = routeDesktopNotifications({
    lifecycle: {
      on: (l) => (listeners.add(l), () => listeners.delete(l)),
      renewWhenExpired: () => expect.fail("nothing to renew"),
    },
    focus: (f) => focused.push(f),
    logger: silentLogger,
    platform,
    // No notify-send here: the Linux case below is the one without libnotify 0.8's buttons.
    env: { PATH: "/nonexistent" },
  });
  const before = FakeNotification.instances.length;
  for (const l of listeners) l({ type: "approval-requested", approval: asks });
  await route.settled();
  await new Promise((r) => setImmediate(r));
  route.close();
  const n = FakeNotification.instances[before];
  if (!n?.shown) throw new Error("no notification shown");
  return { n, focused };
}

const focusOn = (decision: "Approve" | "Deny" | null): Focus => ({
  groupId: null,
  approval: { kind: "group", requestId: REQ, decision },
});

afterEach(() => setFakePlatform(process.platform));

describe("a request to approve as a desktop notification", () => {
  it("offers buttons only where Electron shows them", () => {
    expect(["win32", "darwin", "linux"].map((p) => showsNotificationActions(p as NodeJS.Platform))).toEqual([
      true,
      true,
      false,
    ]);
  });

  for (const platform of ["darwin", "win32"] as const) {
    it(`${platform}: Approve… and Deny… open the popup on the request with that decision; a click with none`, async () => {
      const { n, focused } = await notifiedOn(platform);
      expect(n.options.title).toBe("Adele Vance asks for Tenant Admins (member)");
      expect(n.buttons).toEqual(["Approve…", "Deny…"]);
      n.userAct(0);
      n.userAct(1);
      n.userClick();
      expect(focused).toEqual([focusOn("Approve"), focusOn("Deny"), focusOn(null)]);
    });
  }

  it("linux without notify-send 0.8: no buttons are asked for; a click opens the popup on the request", async () => {
    const { n, focused } = await notifiedOn("linux");
    expect(n.options.actions).toBeUndefined();
    expect(n.buttons).toEqual([]);
    n.userClick();
    expect(focused).toEqual([focusOn(null)]);
  });
});
