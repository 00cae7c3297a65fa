import { Notification } from "electron";
import type { Focus } from "../app/app-controller.js";
import { ElectronNotifier, type NotificationCtor } from "../adapters/electron-notifier.js";
import type { LifecycleService } from "../engine/lifecycle/lifecycle-service.js";
import type { Logger } from "../engine/logger.js";
import { NodeNotifier } from "../engine/notify/node-notifier.js";
import { routeNotifications, type NotificationRoute } from "../engine/notify/route.js";

// Lifecycle events as desktop notifications: Electron's where the OS shows them, node-notifier where
// it refuses. Clicking one opens the popup on its item; "Renew" renews when the access expires;
// "Approve…" and "Deny…" open the popup on that request with the decision chosen, for the reason.

export interface DesktopNotificationDeps {
  lifecycle: Pick<LifecycleService, "on" | "renewWhenExpired">;
  /** Opens the popup on a card or on a request to approve. */
  focus: (f: Focus) => void;
  logger: Logger;
  platform: NodeJS.Platform;
}

/**
 * Whether notifications here show buttons. Electron's Notification has actions on Windows and macOS
 * only; on Linux it goes through libnotify without them, and node-notifier's notify-send backend
 * passes no actions either (and does not wait, so it reports no click). Linux offers no buttons that
 * would not appear: a click on Electron's notification opens the popup on the request instead.
 */
export function showsNotificationActions(platform: NodeJS.Platform): boolean {
  return platform === "win32" || platform === "darwin";
}

export function routeDesktopNotifications({
  lifecycle,
  focus,
  logger,
  platform,
}: DesktopNotificationDeps): NotificationRoute {
  const notifier = new ElectronNotifier({
    Notification: Notification as unknown as NotificationCtor,
    fallback: new NodeNotifier(logger),
    focus,
    renew: (t) => lifecycle.renewWhenExpired(t),
    onFailed: (why) =>
      logger.warn(`a desktop notification could not be shown (${why}); showing it through the fallback`),
  });
  return routeNotifications(lifecycle, notifier, {
    logger,
    // As before on every platform: Electron drops a button it cannot show, and the warning's text points to the popup.
    offerRenew: true,
    offerApprovalActions: showsNotificationActions(platform),
  });
}
