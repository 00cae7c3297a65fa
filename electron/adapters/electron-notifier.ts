import type { EventTarget } from "../engine/lifecycle/events.js";
import type { DesktopNotification, Notifier } from "../engine/notify/notifier.js";
import { targetKey } from "../engine/planes/targets.js";

// Electron's Notification, with node-notifier as the fallback where Electron reports no support.
// A click opens the popup on the item; an expiry warning offers Renew where actions are shown.

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
  /** Opens the popup, focused on the group (or the main view). */
  /** Opens the popup on the card of a group (its id) or a role (its target key). */
  open: (cardKey: string | null) => void;
  renew: (target: EventTarget) => void;
  /** Told why Electron could not show a notification (for the log); the fallback shows it instead. */
  onFailed?: (error: string) => void;
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
    notification.on("click", () => this.d.open(n.target ? cardKey(n.target) : null));
    notification.on("action", (_e, index) => {
      const action = n.actions?.[index];
      if (action?.id === "renew" && n.target) this.d.renew(n.target);
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

/** Which card the popup opens on: a group's id (as before there were planes), a role's target key. */
function cardKey(t: EventTarget): string {
  return t.kind === "role" || t.kind === "azure" ? targetKey(t) : t.groupId;
}
