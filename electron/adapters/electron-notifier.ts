import type { DesktopNotification, Notifier } from "../engine/notify/notifier.js";

// Electron's Notification, with node-notifier as the fallback where Electron reports no support.
// A click opens the popup on the item; an expiry warning offers Renew where actions are shown.

export interface NotificationLike {
  on(event: "click", listener: () => void): void;
  on(event: "action", listener: (event: unknown, index: number) => void): void;
  show(): void;
}

export interface NotificationCtor {
  new (options: { title: string; body: string; urgency?: "low" | "normal" | "critical"; actions?: Array<{ type: "button"; text: string }>; silent?: boolean }): NotificationLike;
  isSupported(): boolean;
}

export interface RoutingDeps {
  Notification: NotificationCtor;
  fallback: Notifier;
  /** Opens the popup, focused on the group (or the main view). */
  open: (groupId: string | null) => void;
  renew: (target: { groupId: string; accessId: "member" | "owner"; groupName: string }) => void;
}

export class ElectronNotifier implements Notifier {
  constructor(private readonly d: RoutingDeps) {}

  async notify(n: DesktopNotification): Promise<void> {
    if (!this.d.Notification.isSupported()) return this.d.fallback.notify(n);
    const notification = new this.d.Notification({
      title: n.title,
      body: n.body,
      urgency: n.urgency,
      ...(n.actions?.length ? { actions: n.actions.map((a) => ({ type: "button" as const, text: a.label })) } : {}),
    });
    notification.on("click", () => this.d.open(n.target?.groupId ?? null));
    notification.on("action", (_e, index) => {
      const action = n.actions?.[index];
      if (action?.id === "renew" && n.target) this.d.renew(n.target);
    });
    notification.show();
  }
}
