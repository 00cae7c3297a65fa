import { app, Notification } from "electron";
import type { Focus } from "../app/app-controller.js";
import { actOnNotification, ElectronNotifier, type NotificationCtor } from "../adapters/electron-notifier.js";
import type { LifecycleService } from "../engine/lifecycle/lifecycle-service.js";
import type { Logger } from "../engine/logger.js";
import { NodeNotifier } from "../engine/notify/node-notifier.js";
import type { Notifier } from "../engine/notify/notifier.js";
import { CLICK_ACTION, NotifySendNotifier } from "../engine/notify/notify-send.js";
import { routeNotifications, type NotificationRoute } from "../engine/notify/route.js";

// Lifecycle events as desktop notifications: Electron's where the OS shows them, node-notifier where
// it refuses, and on Linux libnotify's notify-send for those with buttons. Clicking one opens the
// popup on its item; "Renew" renews when the access expires; "Approve…" and "Deny…" open the popup on
// that request with the decision chosen, for the reason.

export interface DesktopNotificationDeps {
  lifecycle: Pick<LifecycleService, "on" | "renewWhenExpired">;
  /** Opens the popup on a card or on a request to approve. */
  focus: (f: Focus) => void;
  logger: Logger;
  platform: NodeJS.Platform;
  /** notify-send's environment on Linux (PATH, the session bus); this process's by default. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Whether Electron's notifications here show buttons: on Windows and macOS only. On Linux Electron goes
 * through libnotify without them, so a notification with buttons goes through notify-send instead
 * (notify-send.ts), where it offers actions (libnotify 0.8 and later); elsewhere it shows without
 * buttons, and a click on it opens the popup on its item.
 */
export function showsNotificationActions(platform: NodeJS.Platform): boolean {
  return platform === "win32" || platform === "darwin";
}

export function routeDesktopNotifications({
  lifecycle,
  focus,
  logger,
  platform,
  env,
}: DesktopNotificationDeps): NotificationRoute {
  const renew = lifecycle.renewWhenExpired.bind(lifecycle);
  const electron = new ElectronNotifier({
    Notification: Notification as unknown as NotificationCtor,
    fallback: new NodeNotifier(logger),
    focus,
    renew,
    onFailed: (why) =>
      logger.warn(`a desktop notification could not be shown (${why}); showing it through the fallback`),
  });
  const withButtons =
    platform === "linux"
      ? new NotifySendNotifier({
          logger,
          // Without actions (no notify-send 0.8, or it failed): Electron's, which reports a click.
          fallback: electron,
          env,
          // The same path as a click or a button on Electron's notification.
          onAction: (n, action) => actOnNotification(n, action === CLICK_ACTION ? null : action, { focus, renew }),
        })
      : null;
  if (withButtons) app.on("will-quit", () => withButtons.close());
  const notifier: Notifier = withButtons
    ? { notify: (n) => (n.actions?.length ? withButtons : electron).notify(n) }
    : electron;
  const route = routeNotifications(lifecycle, notifier, {
    logger,
    // As before on every platform: Electron drops a button it cannot show, and the warning's text points to the popup.
    offerRenew: true,
    // On Linux, notify-send shows them where it can, and its fallback drops them where it cannot.
    offerApprovalActions: withButtons !== null || showsNotificationActions(platform),
  });
  return {
    settled: route.settled,
    close: () => {
      route.close();
      withButtons?.close();
    },
  };
}
