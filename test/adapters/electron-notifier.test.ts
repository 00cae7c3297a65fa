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
    const focus = vi.fn();
    const renew = vi.fn();
    const fallback = { notify: vi.fn(async () => undefined) };
    await new ElectronNotifier({
      Notification: Notification as unknown as NotificationCtor,
      fallback,
      focus,
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
    expect(focus).toHaveBeenCalledWith({ groupId: G1 });
    expect(focus).toHaveBeenCalledOnce();
    expect(renew).toHaveBeenCalledWith(target);
    expect(fallback.notify).not.toHaveBeenCalled();
  });

  it("falls back to node-notifier where Electron reports no support", async () => {
    const { Notification, made } = notificationDouble({ supported: false });
    const fallback = { notify: vi.fn(async () => undefined) };
    await new ElectronNotifier({
      Notification: Notification as unknown as NotificationCtor,
      fallback,
      focus: vi.fn(),
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
      focus: vi.fn(),
      renew: vi.fn(),
      onFailed: (why) => warned.push(why),
    }).notify(n);
    await settle();
    expect(made).toHaveLength(1);
    expect(fallback.notify).toHaveBeenCalledWith(n);
    expect(warned).toEqual(["Windows notification system is unavailable"]);
  });
});

describe("a request to approve", () => {
  const REQ = "0f9d6a52-5b1e-4c43-9d1f-3a4c1a0b7e21";
  const approval = {
    id: `approval-requested:group:${REQ}`,
    title: "Adele Vance asks for Tenant Admins (member)",
    body: "for 1 h: 'Quarter close'",
    urgency: "normal" as const,
    approval: { kind: "group" as const, requestId: REQ },
    actions: [
      { id: "approve", label: "Approve…" },
      { id: "deny", label: "Deny…" },
    ],
  };

  async function shown(platform: NodeJS.Platform = "darwin") {
    const { Notification, made } = notificationDouble({ platform });
    const focus = vi.fn();
    const renew = vi.fn();
    await new ElectronNotifier({
      Notification: Notification as unknown as NotificationCtor,
      fallback: { notify: vi.fn(async () => undefined) },
      focus,
      renew,
    }).notify(approval);
    await settle();
    const n = made[0];
    if (!n) throw new Error("no notification");
    return { n, focus, renew };
  }

  it("shows Approve… and Deny…; each opens the popup on that request with its decision, never deciding by itself", async () => {
    const { n, focus, renew } = await shown("win32");
    expect(n.buttons).toEqual(["Approve…", "Deny…"]);
    n.userActs(0);
    expect(focus).toHaveBeenLastCalledWith({
      groupId: null,
      approval: { kind: "group", requestId: REQ, decision: "Approve" },
    });
    n.userActs(1);
    expect(focus).toHaveBeenLastCalledWith({
      groupId: null,
      approval: { kind: "group", requestId: REQ, decision: "Deny" },
    });
    expect(renew).not.toHaveBeenCalled();
  });

  it("a click on the notification itself opens the popup on the request, with no decision chosen", async () => {
    const { n, focus } = await shown("darwin");
    n.userClicks();
    expect(focus).toHaveBeenCalledExactlyOnceWith({
      groupId: null,
      approval: { kind: "group", requestId: REQ, decision: null },
    });
  });

  it("on Linux, where Electron shows no buttons, a click still opens the popup on the request", async () => {
    const { n, focus } = await shown("linux");
    expect(n.buttons).toEqual([]);
    expect(() => n.userActs(0)).toThrow("no button 0");
    n.userClicks();
    expect(focus).toHaveBeenCalledExactlyOnceWith({
      groupId: null,
      approval: { kind: "group", requestId: REQ, decision: null },
    });
  });

  it("a role's notification opens the popup on its card, by its target key", async () => {
    const { Notification, made } = notificationDouble();
    const focus = vi.fn();
    await new ElectronNotifier({
      Notification: Notification as unknown as NotificationCtor,
      fallback: { notify: vi.fn(async () => undefined) },
      focus,
      renew: vi.fn(),
    }).notify({
      id: "provisioned:role",
      title: "Global Reader is active",
      body: "b",
      urgency: "normal",
      target: {
        kind: "role",
        roleDefinitionId: "F2EF992C-3AFB-46B9-B7CF-A126EE74C451",
        directoryScopeId: "/",
        roleName: "Global Reader",
        scopeName: "Directory",
      },
    });
    await settle();
    made[0]?.userClicks();
    expect(focus).toHaveBeenCalledExactlyOnceWith({ groupId: "role:f2ef992c-3afb-46b9-b7cf-a126ee74c451@/" });
  });
});
