import type { LifecycleEvent } from "../lifecycle/events.js";
import type { Logger } from "../logger.js";
import { targetKey } from "../planes/targets.js";
import type { DesktopNotification, Notifier } from "./notifier.js";
import { notificationFor } from "./texts.js";

// Lifecycle events → desktop notifications, once for the tray app, `pimtray watch` and the preview.
// They differ only in the notifier they hand in and in whether it can offer Renew.

export interface LifecycleEvents {
  on(listener: (e: LifecycleEvent) => void): () => void;
}

export interface RouteOptions {
  /** Told when a notification could not be shown; the event itself is not lost (it is logged and printed elsewhere). */
  logger: Logger;
  /** Offer Renew on an expiry warning: only where the notifier acts on it (the tray app). */
  offerRenew?: boolean;
  /** Offer Approve and Deny on a request to approve: only where the notifier acts on them (the tray app). */
  offerApprovalActions?: boolean;
  now?: () => number;
  locale?: string;
}

export interface NotificationRoute {
  /** Resolves once every notification handed to the notifier so far is shown or has failed. */
  settled(): Promise<void>;
  /** Stops routing events. */
  close(): void;
}

/**
 * Stable per event and item: the same event about the same target always has the same id. A
 * group's is `type:groupId:accessId` as before; a role's and an Azure role's use their target key.
 */
export function notificationId(e: LifecycleEvent): string {
  if ("target" in e) return `${e.type}:${targetKey(e.target)}`;
  if (e.type === "keep-active-stopped") return `${e.type}:${e.profile}`;
  if (e.type === "approval-requested") return `${e.type}:${e.approval.kind}:${e.approval.requestId.toLowerCase()}`;
  return e.type;
}

/** The desktop notification for an event, or null for events that only update the tray. */
export function desktopNotification(
  e: LifecycleEvent,
  now: number,
  o: Omit<RouteOptions, "logger" | "now"> = {},
): DesktopNotification | null {
  const text = notificationFor(e, now, o.locale);
  if (!text) return null;
  return {
    id: notificationId(e),
    ...text,
    ...("target" in e ? { target: e.target } : {}),
    ...(o.offerRenew && e.type === "expiring-soon" ? { actions: [{ id: "renew", label: "Renew" }] } : {}),
    ...(e.type === "approval-requested"
      ? {
          approval: { kind: e.approval.kind, requestId: e.approval.requestId },
          ...(o.offerApprovalActions
            ? {
                actions: [
                  { id: "approve", label: "Approve…" },
                  { id: "deny", label: "Deny…" },
                ],
              }
            : {}),
        }
      : {}),
  };
}

export function routeNotifications(lifecycle: LifecycleEvents, notifier: Notifier, o: RouteOptions): NotificationRoute {
  const sending = new Set<Promise<void>>();
  const close = lifecycle.on((e) => {
    const n = desktopNotification(e, (o.now ?? Date.now)(), o);
    if (!n) return;
    const p = notifier
      .notify(n)
      .catch((err: unknown) => o.logger.warn(`the notification "${n.title}" could not be shown`, err));
    sending.add(p);
    void p.finally(() => sending.delete(p));
  });
  return {
    settled: async () => {
      await Promise.allSettled([...sending]);
    },
    close,
  };
}
