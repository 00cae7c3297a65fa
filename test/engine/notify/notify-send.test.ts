// NotifySendNotifier (electron/engine/notify/notify-send.ts) against a stand-in notify-send on PATH
// (notify-send-fake.ts): the argv it is given, the choice it reports, a dismissal, a failure, the
// fallback where notify-send has no actions, the cap on waiting notifications, and no shell anywhere.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Logger } from "../../../electron/engine/logger.js";
import type { DesktopNotification, Notifier } from "../../../electron/engine/notify/notifier.js";
import {
  notifySendArgs,
  notifySendSupportsActions,
  NotifySendNotifier,
} from "../../../electron/engine/notify/notify-send.js";
import { FakeNotifySend, until } from "./notify-send-fake.js";

const approval: DesktopNotification = {
  id: "approval-requested:group:8b0b3c8e-1c59-4f0e-a0a8-7d1d51bbf6a4",
  title: "Adele Vance asks for Tenant Admins (member)",
  body: "For 2 h: 'Quarter close'",
  urgency: "normal",
  approval: { kind: "group", requestId: "8b0b3c8e-1c59-4f0e-a0a8-7d1d51bbf6a4" },
  actions: [
    { id: "approve", label: "Approve…" },
    { id: "deny", label: "Deny…" },
  ],
};

const expiring: DesktopNotification = {
  id: "expiring-soon:g-fin:member",
  title: "Finance Admins expires in 9 min",
  body: "Renew it, or it ends at 14:40.",
  urgency: "critical",
  target: { groupId: "g-fin", groupName: "Finance Admins", accessId: "member" },
  actions: [{ id: "renew", label: "Renew" }],
};

const numbered = (i: number): DesktopNotification => ({
  ...approval,
  id: `approval-requested:group:${i}`,
  title: `#${i}`,
});

let fakes: FakeNotifySend[] = [];
let notifiers: NotifySendNotifier[] = [];
afterEach(async () => {
  for (const n of notifiers) n.close();
  await Promise.all(fakes.map((f) => f.cleanup()));
  fakes = [];
  notifiers = [];
});

/** A notifier over a fresh stand-in, with everything it reports recorded. */
function setUp(version: "0.8" | "0.7" | "fail" = "0.8", maxWaiting?: number) {
  const fake = new FakeNotifySend(version);
  fakes.push(fake);
  const actions: Array<[string, string]> = [];
  const dismissed: string[] = [];
  const fellBack: DesktopNotification[] = [];
  const warnings: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn: (m) => void warnings.push(m), error() {} };
  const fallback: Notifier = { notify: async (n) => void fellBack.push(n) };
  const notifier = new NotifySendNotifier({
    logger,
    fallback,
    env: fake.env(),
    onAction: (n, a) => actions.push([n.id, a]),
    onDismissed: (n) => dismissed.push(n.id),
    ...(maxWaiting ? { maxWaiting } : {}),
  });
  notifiers.push(notifier);
  return { fake, notifier, actions, dismissed, fellBack, warnings };
}

describe("NotifySendNotifier", () => {
  it("passes the app name, urgency, each action and the click as argv, title and body after --", async () => {
    const { fake, notifier } = await setUpShown(approval);
    expect(fake.calls().map((c) => c.argv)).toEqual([
      [
        "--app-name=PIM Tray",
        "--urgency=normal",
        "--action=approve=Approve…",
        "--action=deny=Deny…",
        "--action=default=Open",
        "--",
        "Adele Vance asks for Tenant Admins (member)",
        "For 2 h: 'Quarter close'",
      ],
    ]);
    expect(notifier.waiting).toBe(1);
    expect(notifySendArgs(expiring)).toEqual([
      "--app-name=PIM Tray",
      "--urgency=critical",
      "--action=renew=Renew",
      "--action=default=Open",
      "--",
      "Finance Admins expires in 9 min",
      "Renew it, or it ends at 14:40.",
    ]);
  });

  it("resolves while the notification waits, and reports the action the person chose", async () => {
    const { fake, notifier, actions, dismissed } = await setUpShown(approval);
    // notify() has resolved, and nothing has been chosen: the wait runs in the background.
    expect(actions).toEqual([]);
    expect(notifier.waiting).toBe(1);
    fake.answer(onlyPid(fake), "approve");
    await until("the choice", () => actions.length === 1);
    expect(actions).toEqual([[approval.id, "approve"]]);
    expect(dismissed).toEqual([]);
    expect(notifier.waiting).toBe(0);
  });

  it('reports a click on the notification as "default", and Deny… and Renew by their ids', async () => {
    const t = setUp();
    for (const n of [approval, { ...approval, id: "other", title: "Other" }, expiring]) await t.notifier.notify(n);
    await until("three shown", () => t.fake.calls().length === 3);
    t.fake.answer(t.fake.pidFor(approval.title), "default");
    t.fake.answer(t.fake.pidFor("Other"), "deny");
    t.fake.answer(t.fake.pidFor(expiring.title), "renew");
    await until("three choices", () => t.actions.length === 3);
    expect(t.actions.sort()).toEqual(
      [
        [approval.id, "default"],
        ["other", "deny"],
        [expiring.id, "renew"],
      ].sort(),
    );
  });

  it("a notification closed without a choice is dismissed; output that is no offered action is too", async () => {
    const t = setUp();
    await t.notifier.notify(approval);
    await t.notifier.notify(expiring);
    await until("two shown", () => t.fake.calls().length === 2);
    t.fake.answer(t.fake.pidFor(approval.title), "dismiss");
    // Approve was not offered on the expiry warning: printing it must not act on anything.
    t.fake.answer(t.fake.pidFor(expiring.title), "approve");
    await until("both ended", () => t.dismissed.length === 2);
    expect(t.actions).toEqual([]);
    expect(t.dismissed.sort()).toEqual([approval.id, expiring.id].sort());
  });

  it("where notify-send fails (no session bus, no daemon), the fallback shows it without buttons", async () => {
    const t = setUp("fail");
    await t.notifier.notify(approval);
    await until("the fallback", () => t.fellBack.length === 1);
    expect(t.fake.calls()).toHaveLength(1);
    expect(t.fellBack[0]).toEqual(withoutActions(approval));
    expect(t.fellBack[0]).not.toHaveProperty("actions");
    expect(t.warnings.join("\n")).toMatch(/notify-send failed \(exit 1: Cannot autolaunch D-Bus/);
    expect(t.actions).toEqual([]);

    // The same when the person's daemon fails after it was shown.
    const u = setUp();
    await u.notifier.notify(expiring);
    await until("shown", () => u.fake.calls().length === 1);
    u.fake.answer(onlyPid(u.fake), "fail");
    await until("the fallback", () => u.fellBack.length === 1);
    expect(u.fellBack[0]).toEqual(withoutActions(expiring));
  });

  it("falls back, without actions, where notify-send offers no --action (libnotify 0.7), asking once", async () => {
    const t = setUp("0.7");
    expect(await notifySendSupportsActions(t.fake.env())).toBe(false);
    await t.notifier.notify(approval);
    await t.notifier.notify(expiring);
    expect(t.fellBack).toEqual([withoutActions(approval), withoutActions(expiring)]);
    expect(t.fake.calls()).toEqual([]);
    // One probe by the test above, one by the notifier for both notifications.
    expect(t.fake.helpCalls()).toBe(2);
  });

  it("asks notify-send --help once, however many it shows; none on PATH is no support", async () => {
    const t = setUp();
    for (let i = 0; i < 3; i++) await t.notifier.notify(numbered(i));
    expect(t.fake.helpCalls()).toBe(1);
    expect(await t.notifier.supportsActions()).toBe(true);
    expect(await notifySendSupportsActions({ PATH: join(t.fake.dir, "state") })).toBe(false);

    const none = new NotifySendNotifier({
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      fallback: { notify: async (n) => void t.fellBack.push(n) },
      env: { PATH: join(t.fake.dir, "state") },
      onAction: () => expect.fail("nothing was shown"),
    });
    await none.notify(approval);
    expect(t.fellBack).toEqual([withoutActions(approval)]);
  });

  it("passes a title with quotes and $(…) through as one argument: nothing is run", async () => {
    const marker = join(fakesDir(), "ran");
    const title = `Eve "O'Brien" $(touch ${marker}) \`touch ${marker}\`; touch ${marker} --urgency=low`;
    const hostile: DesktopNotification = {
      ...approval,
      title: `-A evil=Evil ${title}`,
      body: `<a href="https://evil.example/approve">Approve here</a> & $(touch ${marker})`,
    };
    const t = setUp();
    await t.notifier.notify(hostile);
    await until("shown", () => t.fake.calls().length === 1);
    const argv = t.fake.calls()[0]?.argv ?? [];
    expect(argv.slice(-3)).toEqual([
      "--",
      `-A evil=Evil ${title}`,
      `&lt;a href="https://evil.example/approve"&gt;Approve here&lt;/a&gt; &amp; $(touch ${marker})`,
    ]);
    // Exactly the offered actions: nothing in the title became an option.
    expect(argv.filter((a) => a.startsWith("--action="))).toEqual([
      "--action=approve=Approve…",
      "--action=deny=Deny…",
      "--action=default=Open",
    ]);
    t.fake.answer(onlyPid(t.fake), "approve");
    await until("the choice", () => t.actions.length === 1);
    expect(existsSync(marker)).toBe(false);
  });

  it("keeps at most maxWaiting waiting: a new one past that closes the oldest, unreported", async () => {
    const t = setUp("0.8", 2);
    for (let i = 0; i < 3; i++) {
      await t.notifier.notify(numbered(i));
      await until(`#${i} shown`, () => t.fake.calls().length === i + 1);
    }
    const [first, second, third] = ["#0", "#1", "#2"].map((title) => t.fake.pidFor(title));
    await until("the oldest closed", () => t.fake.closedBySignal(first ?? ""));
    expect(t.notifier.waiting).toBe(2);
    expect([second, third].map((p) => t.fake.closedBySignal(p ?? ""))).toEqual([false, false]);
    t.fake.answer(third ?? "", "deny");
    await until("the choice", () => t.actions.length === 1);
    expect(t.actions).toEqual([["approval-requested:group:2", "deny"]]);
    // The one closed to make room is neither a choice nor a dismissal.
    expect(t.dismissed).toEqual([]);
  });

  it("the same event again replaces the one still waiting", async () => {
    const t = setUp();
    await t.notifier.notify(approval);
    await until("shown", () => t.fake.calls().length === 1);
    const first = onlyPid(t.fake);
    await t.notifier.notify({ ...approval, body: "again" });
    await until("the first closed", () => t.fake.closedBySignal(first));
    expect(t.notifier.waiting).toBe(1);
    expect(t.dismissed).toEqual([]);
  });

  it("close() closes every waiting notification (the app quits) and later ones go to the fallback", async () => {
    const t = setUp();
    for (let i = 0; i < 3; i++) await t.notifier.notify(numbered(i));
    await until("three shown", () => t.fake.calls().length === 3);
    t.notifier.close();
    expect(t.notifier.waiting).toBe(0);
    await until("all closed", () => t.fake.calls().every((c) => t.fake.closedBySignal(c.pid)));
    await t.notifier.notify(expiring);
    expect(t.fellBack).toEqual([withoutActions(expiring)]);
    await new Promise((r) => setTimeout(r, 100));
    expect(t.actions).toEqual([]);
    expect(t.dismissed).toEqual([]);
  });
});

function withoutActions(n: DesktopNotification): DesktopNotification {
  const { actions: _dropped, ...rest } = n;
  return rest;
}

function onlyPid(fake: FakeNotifySend): string {
  const calls = fake.calls();
  if (calls.length !== 1) throw new Error(`expected one notify-send, saw ${calls.length}`);
  return calls[0]?.pid ?? "";
}

function fakesDir(): string {
  const f = new FakeNotifySend();
  fakes.push(f);
  return f.dir;
}

async function setUpShown(n: DesktopNotification) {
  const t = setUp();
  await t.notifier.notify(n);
  await until("shown", () => t.fake.calls().length === 1);
  return t;
}
