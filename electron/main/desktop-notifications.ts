import { Notification } from "electron";
import { ElectronNotifier, type NotificationCtor } from "../adapters/electron-notifier.js";
import type { LifecycleService } from "../engine/lifecycle/lifecycle-service.js";
import type { Logger } from "../engine/logger.js";
import { NodeNotifier } from "../engine/notify/node-notifier.js";
import { routeNotifications } from "../engine/notify/route.js";

// Lifecycle events as desktop notifications: Electron's where the OS shows them, node-notifier where
// it refuses. Clicking one opens the popup on its group; "Renew" renews when the access expires.

export interface DesktopNotificationDeps {
  lifecycle: LifecycleService;
  /** Opens the popup on a group's card. */
  openGroup: (groupId: string | null) => void;
  logger: Logger;
}

export function routeDesktopNotifications({ lifecycle, openGroup, logger }: DesktopNotificationDeps): void {
  const notifier = new ElectronNotifier({
    Notification: Notification as unknown as NotificationCtor,
    fallback: new NodeNotifier(logger),
    open: openGroup,
    renew: (t) => lifecycle.renewWhenExpired(t),
    onFailed: (why) =>
      logger.warn(`a desktop notification could not be shown (${why}); showing it through the fallback`),
  });
  routeNotifications(lifecycle, notifier, { logger, offerRenew: true });
}
