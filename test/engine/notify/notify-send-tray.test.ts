// The tray app's notifications on Linux (electron/main/desktop-notifications.ts, on the fake electron
// module of test/main): those with buttons go through notify-send where it offers actions (a stand-in
// on PATH, notify-send-fake.ts), and what the person picks there takes the path a click or a button on
// Electron's notification takes; without notify-send 0.8 they are Electron's, without buttons.
import { mkdtempSync, rmSync } from "node:fs";
import { adeleAsks } from "../../helpers/approvals.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Focus } from "../../../electron/app/app-controller.js";
import type { EventTarget, LifecycleEvent } from "../../../electron/engine/lifecycle/events.js";
import { silentLogger } from "../../../electron/engine/logger.js";
import { routeDesktopNotifications } from "../../../electron/main/desktop-notifications.js";
import { app, FakeNotification, setFakePlatform } from "../../main/electron-fake.js";
import { FakeNotifySend, until } from "./notify-send-fake.js";

vi.mock("electron", () => import("../../main/electron-fake.js"));

const finance: EventTarget = { groupId: "g-fin", groupName: "Finance Admins", accessId: "member" };
const asks = adeleAsks();
const REQ = asks.requestId;
const ASKS_TITLE = "Adele Vance asks for Tenant Admins (member)";
const inNine = () => new Date(Date.now() + 9 * 60_000).toISOString();

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  // Last in, first out: the route closes its notify-send runs before their stand-in goes.
  for (const c of cleanups.splice(0).reverse()) await c();
  setFakePlatform(process.platform);
});

/** The tray's routing on Linux with `env` for notify-send, and what it asked of the app. */
function trayOnLinux(env: NodeJS.ProcessEnv) {
  setFakePlatform("linux");
  const listeners = new Set<(e: LifecycleEvent) => void>();
  const focused: Focus[] = [];
  const renewed: unknown[] = [];
  const route = routeDesktopNotifications({
    lifecycle: {
      on: (l) => (listeners.add(l), () => listeners.delete(l)),
      renewWhenExpired: (t) => void renewed.push(t),
    },
    focus: (f) => focused.push(f),
    logger: silentLogger,
    platform: "linux",
    env,
  });
  cleanups.push(() => route.close());
  const emit = async (e: LifecycleEvent) => {
    for (const l of listeners) l(e);
    await route.settled();
    await new Promise((r) => setImmediate(r));
  };
  return { emit, focused, renewed, route };
}

function fake(version: "0.8" | "0.7" = "0.8"): FakeNotifySend {
  const f = new FakeNotifySend(version);
  cleanups.push(() => f.cleanup());
  return f;
}

const focusOn = (decision: "Approve" | "Deny" | null): Focus => ({
  groupId: null,
  approval: { kind: "group", requestId: REQ, decision },
});

describe("Linux: notifications with buttons through notify-send", () => {
  it("a request to approve offers Approve… and Deny…; each, and a click, opens the popup on it", async () => {
    const ns = fake();
    const t = trayOnLinux(ns.env());
    const electronBefore = FakeNotification.instances.length;
    await t.emit({ type: "approval-requested", approval: { ...asks } });
    await until("shown", () => ns.calls().length === 1);
    expect(ns.calls()[0]?.argv).toEqual([
      "--app-name=PIM Tray",
      "--urgency=normal",
      "--action=approve=Approve…",
      "--action=deny=Deny…",
      "--action=default=Open",
      "--",
      ASKS_TITLE,
      expect.stringContaining("Quarter close"),
    ]);
    expect(FakeNotification.instances.length).toBe(electronBefore);
    // Approve…, then Deny…, then a click on the notification, each on the request shown anew.
    for (const [i, answer] of ["approve", "deny", "default"].entries()) {
      if (i > 0) {
        await t.emit({ type: "approval-requested", approval: { ...asks } });
        await until("shown again", () => ns.calls().length === i + 1);
      }
      ns.answer(ns.calls()[i]?.pid ?? "", answer);
      await until(answer, () => t.focused.length === i + 1);
    }
    expect(t.focused).toEqual([focusOn("Approve"), focusOn("Deny"), focusOn(null)]);
  });

  it("an expiry warning offers Renew, which renews; a click opens the popup on its card", async () => {
    const ns = fake();
    const t = trayOnLinux(ns.env());
    const warning: LifecycleEvent = {
      type: "expiring-soon",
      target: finance,
      endDateTime: inNine(),
      minutesLeft: 9,
      leadMinutes: 10,
    };
    await t.emit(warning);
    await until("shown", () => ns.calls().length === 1);
    expect(ns.calls()[0]?.argv.filter((a) => a.startsWith("--action="))).toEqual([
      "--action=renew=Renew",
      "--action=default=Open",
    ]);
    ns.answer(ns.calls()[0]?.pid ?? "", "renew");
    await until("renewed", () => t.renewed.length === 1);
    expect(t.renewed).toEqual([finance]);
    expect(t.focused).toEqual([]);

    await t.emit(warning);
    await until("shown again", () => ns.calls().length === 2);
    ns.answer(ns.calls()[1]?.pid ?? "", "default");
    await until("the click", () => t.focused.length === 1);
    expect(t.focused).toEqual([{ groupId: "g-fin" }]);
    expect(t.renewed).toHaveLength(1);
  });

  it("a notification without buttons stays Electron's", async () => {
    const ns = fake();
    const t = trayOnLinux(ns.env());
    const before = FakeNotification.instances.length;
    await t.emit({ type: "provisioned", target: finance, requestId: "r1", endDateTime: inNine() });
    const n = FakeNotification.instances[before];
    expect(n?.shown).toBe(true);
    expect(n?.options.title).toMatch(/^Finance Admins \(member\) is active until/);
    expect(ns.calls()).toEqual([]);
  });

  it("quitting closes the notifications still waiting", async () => {
    const ns = fake();
    const t = trayOnLinux(ns.env());
    await t.emit({ type: "approval-requested", approval: { ...asks } });
    await until("shown", () => ns.calls().length === 1);
    app.emit("will-quit");
    await until("closed", () => ns.closedBySignal(ns.calls()[0]?.pid ?? ""));
    expect(t.focused).toEqual([]);
  });

  for (const why of ["0.7", "none"] as const) {
    it(`without notify-send ${why === "0.7" ? "0.8 (0.7 has no actions)" : "on PATH"}: Electron's, no buttons; a click opens the popup on the request`, async () => {
      let env: NodeJS.ProcessEnv;
      if (why === "0.7") env = fake("0.7").env();
      else {
        const empty = mkdtempSync(join(tmpdir(), "pimtray-no-notify-send-"));
        cleanups.push(() => rmSync(empty, { recursive: true, force: true }));
        env = { PATH: empty };
      }
      const t = trayOnLinux(env);
      const before = FakeNotification.instances.length;
      await t.emit({ type: "approval-requested", approval: { ...asks } });
      const n = FakeNotification.instances[before];
      if (!n?.shown) throw new Error("no notification shown");
      expect(n.options.title).toBe(ASKS_TITLE);
      expect(n.options.actions).toBeUndefined();
      n.userClick();
      expect(t.focused).toEqual([focusOn(null)]);
    });
  }
});
