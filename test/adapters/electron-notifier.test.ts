// Desktop notifications through Electron's Notification, with node-notifier as the fallback. The
// double answers show() later with `show` or `failed`, as the OS does, and clicks come from the user.
import { describe, expect, it, vi } from "vitest";
import { ElectronNotifier, type NotificationCtor } from "../../electron/adapters/electron-notifier.js";
import { notificationDouble } from "./electron-doubles.js";

const G1 = "6c03b013-0950-5d62-8881-e9fee6d96c8a";
const target = { groupId: G1, accessId: "member" as const, groupName: "Finance Admins" };
const settle = () => new Promise((r) => setImmediate(r));

describe("notification routing", () => {
  it("uses Electron's notification; a click opens the popup on the item; Renew renews", async () => {
    const { Notification, made } = notificationDouble();
    const open = vi.fn();
    const renew = vi.fn();
    const fallback = { notify: vi.fn(async () => undefined) };
    await new ElectronNotifier({
      Notification: Notification as unknown as NotificationCtor,
      fallback,
      open,
      renew,
    }).notify({
      id: "x",
      title: "Finance Admins expires in 10 min",
      body: "b",
      urgency: "critical",
      target,
      actions: [{ id: "renew", label: "Renew" }],
    });
    await settle();
    const n = made[0];
    expect(n?.options).toMatchObject({
      title: "Finance Admins expires in 10 min",
      actions: [{ type: "button", text: "Renew" }],
    });
    n?.userClicks();
    n?.userActs(0);
    expect(open).toHaveBeenCalledWith(G1);
    expect(renew).toHaveBeenCalledWith(target);
    expect(fallback.notify).not.toHaveBeenCalled();
  });

  it("falls back to node-notifier where Electron reports no support", async () => {
    const { Notification, made } = notificationDouble({ supported: false });
    const fallback = { notify: vi.fn(async () => undefined) };
    await new ElectronNotifier({
      Notification: Notification as unknown as NotificationCtor,
      fallback,
      open: vi.fn(),
      renew: vi.fn(),
    }).notify({ id: "x", title: "t", body: "b", urgency: "normal" });
    expect(made).toHaveLength(0);
    expect(fallback.notify).toHaveBeenCalledOnce();
  });

  it("still tells the user when the OS refuses Electron's notification (`failed`): node-notifier shows it", async () => {
    const { Notification, made } = notificationDouble({ fails: "Windows notification system is unavailable" });
    const fallback = { notify: vi.fn(async () => undefined) };
    const warned: string[] = [];
    const n = { id: "x", title: "Finance Admins expires in 10 min", body: "b", urgency: "critical" as const, target };
    await new ElectronNotifier({
      Notification: Notification as unknown as NotificationCtor,
      fallback,
      open: vi.fn(),
      renew: vi.fn(),
      onFailed: (why) => warned.push(why),
    }).notify(n);
    await settle();
    expect(made).toHaveLength(1);
    expect(fallback.notify).toHaveBeenCalledWith(n);
    expect(warned).toEqual(["Windows notification system is unavailable"]);
  });
});
