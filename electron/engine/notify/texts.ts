import { requesterName as requesterOf } from "../approvals/approval-facts.js";
import type { PendingApproval } from "../approvals/approval-types.js";
import { formatDuration, parseIsoDuration } from "../duration.js";
import type { EventTarget, LifecycleEvent } from "../lifecycle/events.js";
import { labelOf } from "../planes/targets.js";

// Every notification text lives here, so the tray app, `pimtray watch` and the docs say the same
// thing. Titles are readable at a glance; bodies say what to do next. Targets read as labelOf says
// ("Finance Admins (member)", "Global Reader", "Contributor on rg-web"); short titles name a group
// by its name alone, as they always did, and a role with its scope (two scopes, two notifications).

export interface NotificationText {
  title: string;
  body: string;
  urgency: "low" | "normal" | "critical";
}

/** "15:42" in the user's locale (24-hour where the locale uses it). */
export function clockTime(iso: string, locale?: string): string {
  return new Date(iso).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
}

/** "Finance Admins (member)", "Global Reader", "Helpdesk Administrator on Sales", "Contributor on rg-web". */
const label = (t: EventTarget): string => labelOf(t);

/** A title's short name: a group's name (as before there were planes), a role's label. */
const short = (t: EventTarget): string => (t.kind === "role" || t.kind === "azure" ? labelOf(t) : t.groupName);

/** The notification for an event, or null for events that only update the tray. */
export function notificationFor(e: LifecycleEvent, now: number, locale?: string): NotificationText | null {
  switch (e.type) {
    case "provisioned":
      return e.endDateTime
        ? {
            title: `${label(e.target)} is active until ${clockTime(e.endDateTime, locale)}`,
            body: `${formatDuration(Date.parse(e.endDateTime) - now)} from now.`,
            urgency: "normal",
          }
        : { title: `${label(e.target)} is active`, body: "It has no end time.", urgency: "normal" };
    case "expiring-soon":
      return {
        title: `${short(e.target)} expires in ${formatDuration(Math.max(60_000, Date.parse(e.endDateTime) - now))}`,
        body: `${label(e.target)} ends at ${clockTime(e.endDateTime, locale)}. Renew it from PIM Tray if you still need it.`,
        urgency: "critical",
      };
    case "expired":
      return {
        title: `${label(e.target)} has expired`,
        body: `It ended at ${clockTime(e.endDateTime, locale)}. Activate it again if you still need it.`,
        urgency: "normal",
      };
    case "pending-approval":
      return {
        title: `${short(e.target)} is waiting for approval`,
        body: `${label(e.target)} becomes active once an approver agrees. You will be told.`,
        urgency: "low",
      };
    case "approved":
      return {
        title: `${short(e.target)} was approved`,
        body: `${label(e.target)} is being activated.`,
        urgency: "normal",
      };
    case "denied":
      return {
        title: `${short(e.target)} was denied`,
        body: `The approver denied ${label(e.target)}.`,
        urgency: "critical",
      };
    case "failed":
      return { title: `${short(e.target)} could not be activated`, body: e.reason, urgency: "critical" };
    case "canceled":
      return {
        title: `${short(e.target)}: request canceled`,
        body: `The request for ${label(e.target)} was canceled.`,
        urgency: "low",
      };
    case "deactivated":
      return {
        title: `${label(e.target)} is no longer active`,
        body: "It ended before its end time.",
        urgency: "normal",
      };
    case "keep-active-stopped":
      return { title: `Keep-active stopped for ${e.profile}`, body: e.reason, urgency: "critical" };
    case "needs-sign-in":
      return { title: "PIM Tray needs you to sign in", body: e.reason, urgency: "critical" };
    case "error":
      return e.kind === "network"
        ? { title: "PIM Tray cannot reach Microsoft", body: `${e.message} It will keep trying.`, urgency: "normal" }
        : null;
    case "approval-requested":
      return {
        title: `${requesterOf(e.approval)} asks for ${e.approval.label}`,
        body: approvalSentence(e.approval, now, locale),
        urgency: "normal",
      };
    case "submitted":
      return null;
  }
}

/**
 * "Adele Vance asks for Tenant Admins (member) for 2 h: 'Quarter close'" with the ticket, and when the
 * approval times out: the line for `pimtray watch`, the notification body and the popup's summary.
 */
export function approvalSentence(a: PendingApproval, now: number, locale?: string): string {
  const ms = a.duration ? parseIsoDuration(a.duration) : null;
  const what = `${requesterOf(a)} asks for ${a.label}${ms ? ` for ${formatDuration(ms)}` : ""}`;
  const why = a.justification ? `: '${a.justification}'` : " (no justification given)";
  const ticket = a.ticket ? ` Ticket ${a.ticket.number}${a.ticket.system ? ` (${a.ticket.system})` : ""}.` : "";
  const left = Date.parse(a.expiresAt) - now;
  const expires =
    left > 0 ? ` Times out in ${formatDuration(left)} (${clockTime(a.expiresAt, locale)}).` : " Timed out.";
  return `${what}${why}.${ticket}${expires}`;
}

/** One line for `pimtray watch` and logs. */
export function lineFor(e: LifecycleEvent, now: number, locale?: string): string {
  if (e.type === "approval-requested")
    return `Approval needed (${e.approval.requestId}): ${approvalSentence(e.approval, now, locale)}`;
  if (e.type === "submitted")
    return `${label(e.target)}: activation submitted${e.profile ? ` (profile ${e.profile})` : ""}, request ${e.requestId}`;
  const n = notificationFor(e, now, locale);
  return n ? `${n.title}. ${n.body}` : e.type === "error" ? e.message : e.type;
}
