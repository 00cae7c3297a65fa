import type { EventTarget } from "../lifecycle/events.js";

export interface DesktopNotification {
  /** Stable per event, so a platform can replace rather than stack. */
  id: string;
  title: string;
  body: string;
  urgency: "low" | "normal" | "critical";
  /** What the notification is about; clicking it opens the popup there. */
  target?: EventTarget;
  /** Offered where the platform shows actions (e.g. Renew on an expiry warning). */
  actions?: Array<{ id: string; label: string }>;
}

export interface Notifier {
  notify(n: DesktopNotification): Promise<void>;
}

/** The Windows app user model id and macOS bundle id; equal to appId in electron-builder.yml. */
export const APP_ID = "dev.pimtray.app";
