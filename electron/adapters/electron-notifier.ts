import { notificationFocus, type Focus } from "../app/app-controller.js";
import type { EventTarget } from "../engine/lifecycle/events.js";
import type { DesktopNotification, Notifier } from "../engine/notify/notifier.js";

// Electron's Notification, with node-notifier as the fallback where Electron reports no support.
// A click opens the popup on the item. Where actions are shown (Windows, macOS), an expiry warning
// offers Renew, and a request to approve offers Approve… and Deny…, which open the popup on that
// request with the decision chosen (the reason is given there).

export interface NotificationLike {
  on(event: "click" | "close", listener: () => void): void;
  on(event: "action", listener: (event: unknown, index: number) => void): void;
  /** Windows: the OS refused to show it (e.g. notifications are turned off for the app). */
  on(event: "failed", listener: (event: unknown, error: string) => void): void;
  show(): void;
}

export interface NotificationCtor {
  new (options: {
    title: string;
    body: string;
    urgency?: "low" | "normal" | "critical";
    actions?: Array<{ type: "button"; text: string }>;
    silent?: boolean;
  }): NotificationLike;
  isSupported(): boolean;
}

export interface RoutingDeps {
  Notification: NotificationCtor;
  fallback: Notifier;
  /** Opens the popup on a card (a group's id, a role's target key) or on a request to approve. */
  focus: (f: Focus) => void;
  renew: (target: EventTarget) => void;
  /** Told why Electron could not show a notification (for the log); the fallback shows it instead. */
  onFailed?: (error: string) => void;
}

/**
 * What a click on a notification (`actionId` null) or one of its buttons does, wherever it was shown
 * (Electron's notifications, notify-send's on Linux): Renew renews the item when it expires; anything
 * else opens the popup on the item or the request to approve.
 */
export function actOnNotification(
  n: DesktopNotification,
  actionId: string | null,
  d: Pick<RoutingDeps, "focus" | "renew">,
): void {
  if (actionId === "renew") {
    if (n.target) d.renew(n.target);
    return;
  }
  const f = notificationFocus(n, actionId);
  if (f) d.focus(f);
}

export class ElectronNotifier implements Notifier {
  /** Shown notifications, held until closed: one that is garbage-collected no longer reports clicks. */
  readonly #live = new Set<NotificationLike>();

  constructor(private readonly d: RoutingDeps) {}

  async notify(n: DesktopNotification): Promise<void> {
    if (!this.d.Notification.isSupported()) return this.d.fallback.notify(n);
    const notification = new this.d.Notification({
      title: n.title,
      body: n.body,
      urgency: n.urgency,
      ...(n.actions?.length ? { actions: n.actions.map((a) => ({ type: "button" as const, text: a.label })) } : {}),
    });
    notification.on("click", () => actOnNotification(n, null, this.d));
    notification.on("action", (_e, index) => {
      const action = n.actions?.[index];
      if (action) actOnNotification(n, action.id, this.d);
    });
    notification.on("close", () => this.#live.delete(notification));
    notification.on("failed", (_e, error) => {
      this.#live.delete(notification);
      this.d.onFailed?.(error);
      // An expiry warning must reach the user even when the OS refuses Electron's notification.
      void this.d.fallback
        .notify(n)
        .catch((e: unknown) =>
          this.d.onFailed?.(`the fallback failed too: ${e instanceof Error ? e.message : String(e)}`),
        );
    });
    this.#live.add(notification);
    notification.show();
  }
}
