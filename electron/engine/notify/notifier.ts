import type { EventTarget } from "../lifecycle/events.js";
import type { PlaneKind } from "../planes/targets.js";

export interface DesktopNotification {
  /** Stable per event, so a platform can replace rather than stack. */
  id: string;
  title: string;
  body: string;
  urgency: "low" | "normal" | "critical";
  /** What the notification is about; clicking it opens the popup there. */
  target?: EventTarget;
  /** A request that waits for my approval; clicking (or Approve / Deny) opens the popup on it. */
  approval?: { kind: PlaneKind; requestId: string };
  /** Offered where the platform shows actions (Renew on an expiry warning; Approve and Deny on a request to approve). */
  actions?: Array<{ id: string; label: string }>;
}

export interface Notifier {
  notify(n: DesktopNotification): Promise<void>;
}

/** The Windows app user model id and macOS bundle id; equal to appId in electron-builder.yml. */
export const APP_ID = "dev.pimtray.app";
