import type { Logger } from "../logger.js";
import { APP_ID, type DesktopNotification, type Notifier } from "./notifier.js";

/**
 * node-notifier: notify-send on Linux, Notification Center on macOS, toasts on Windows (with our app
 * id). Used by `pimtray watch`, and by the tray app where Electron reports no notification support.
 *
 * It shows no buttons (Renew, Approve…, Deny…) and reports no click: node-notifier 10's notify-send
 * backend passes only urgency, expire-time, icon, category, hint and app-name to notify-send (not
 * libnotify's --action) and never waits for the notification. The tray app on Linux therefore shows
 * notifications with buttons through notify-send itself (notify-send.ts). What a notification offers is
 * always also in the tray menu and the popup.
 */
export class NodeNotifier implements Notifier {
  constructor(private readonly logger: Logger) {}

  async notify(n: DesktopNotification): Promise<void> {
    // Imported on the first notification: the tray app keeps it as a fallback it rarely needs, and
    // neither the app nor `pimtray` should pay for loading it at start.
    let notifier: typeof import("node-notifier");
    try {
      notifier = (await import("node-notifier")).default;
    } catch (e) {
      this.logger.warn(`desktop notification failed: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    return new Promise((resolve) => {
      notifier.notify(
        {
          title: n.title,
          message: n.body,
          appID: APP_ID,
          // notify-send options (ignored elsewhere): the app name shown by the daemon, and urgency.
          ...({ "app-name": "PIM Tray", urgency: n.urgency } as Record<string, string>),
          wait: false,
        },
        (err) => {
          // A missing daemon must not stop the agent; the event is still printed and logged.
          if (err) this.logger.warn(`desktop notification failed: ${err.message}`);
          resolve();
        },
      );
    });
  }
}
