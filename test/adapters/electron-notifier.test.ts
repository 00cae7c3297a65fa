// Desktop notifications through Electron's Notification, with node-notifier as the fallback.
import { describe, expect, it, vi } from "vitest";
import { ElectronNotifier, type NotificationCtor, type NotificationLike } from "../../electron/adapters/electron-notifier.js";

const G1 = "6c03b013-0950-5d62-8881-e9fee6d96c8a";

describe("notification routing", () => {
  function fakeCtor(supported: boolean) {
    const shown: Array<{ options: unknown; handlers: Record<string, (...a: unknown[]) => void> }> = [];
    class N implements NotificationLike {
      handlers: Record<string, (...a: unknown[]) => void> = {};
      constructor(readonly options: unknown) {
        shown.push({ options, handlers: this.handlers });
      }
      on(event: string, l: (...a: never[]) => void) {
        this.handlers[event] = l as (...a: unknown[]) => void;
      }
      show() {}
      static isSupported() {
        return supported;
      }
    }
    return { Ctor: N as unknown as NotificationCtor, shown };
  }
  const target = { groupId: G1, accessId: "member" as const, groupName: "Finance Admins" };

  it("uses Electron's notification; a click opens the popup on the item; Renew renews", async () => {
    const { Ctor, shown } = fakeCtor(true);
    const open = vi.fn();
    const renew = vi.fn();
    const fallback = { notify: vi.fn(async () => undefined) };
    await new ElectronNotifier({ Notification: Ctor, fallback, open, renew }).notify({ id: "x", title: "Finance Admins expires in 10 min", body: "b", urgency: "critical", target, actions: [{ id: "renew", label: "Renew" }] });
    expect(shown[0]?.options).toMatchObject({ title: "Finance Admins expires in 10 min", actions: [{ type: "button", text: "Renew" }] });
    shown[0]?.handlers.click?.();
    shown[0]?.handlers.action?.({}, 0);
    expect(open).toHaveBeenCalledWith(G1);
    expect(renew).toHaveBeenCalledWith(target);
    expect(fallback.notify).not.toHaveBeenCalled();
  });

  it("falls back to node-notifier where Electron reports no support", async () => {
    const { Ctor, shown } = fakeCtor(false);
    const fallback = { notify: vi.fn(async () => undefined) };
    await new ElectronNotifier({ Notification: Ctor, fallback, open: vi.fn(), renew: vi.fn() }).notify({ id: "x", title: "t", body: "b", urgency: "normal" });
    expect(shown).toHaveLength(0);
    expect(fallback.notify).toHaveBeenCalledOnce();
  });
});
