import { kindOf, labelOf, PLANE_KINDS, targetKey, type PlaneKind } from "../engine/planes/targets.js";
import type { UpdateMenuItem } from "../engine/update/update-state.js";
import {
  deactivateRequestOf,
  type ActiveView,
  type AppState,
  type ApprovalView,
  type PendingViewDto,
  type ProfileView,
  type RequestOf,
} from "../shared/ipc-contract.js";

// The tray, as data: which icon, which tooltip, which menu. Rebuilt from the app state whenever it
// changes; the Electron adapter only turns this into a Tray and a Menu (Signal's model).

/**
 * What the tray shows: the app state, and what only main knows, the update (engine/update's updateMenuItem:
 * "Restart to update to 1.2.3"; absent or null, no update item).
 */
export type TrayState = AppState & { update?: UpdateMenuItem | null };

export type TrayIconState = "idle" | "active" | "pending" | "expiring" | "signin";

export const TRAY_ICON_STATES: TrayIconState[] = ["idle", "active", "pending", "expiring", "signin"];

/** Sign-in beats everything; then expiring soon, then pending approval, then active. */
export function trayIconState(s: AppState, now: number): TrayIconState {
  if (s.needsSignIn) return "signin";
  const lead = Math.max(...s.settings.leadMinutes, 0) * 60_000;
  if (s.active.some((a) => a.endDateTime && Date.parse(a.endDateTime) - now <= lead)) return "expiring";
  if (s.pending.length) return "pending";
  return s.active.length ? "active" : "idle";
}

export type MenuAction =
  | { kind: "sign-in" }
  | { kind: "open" }
  /** Opens the popup on a request that waits for my approval (the Approvals view, that request first). */
  | { kind: "open-approval"; approval: { kind: PlaneKind; requestId: string } }
  | { kind: "activate-profile"; profileId: string }
  /** Deactivate one item on any plane, with the request's fields: a group's groupId and accessId, a role's target. */
  | ({ kind: "deactivate" } & RequestOf<"pim:deactivate">)
  | { kind: "cancel"; requestId: string }
  | { kind: "toggle-start-at-login" }
  | { kind: "open-settings" }
  | { kind: "reset-connection" }
  /** The update item: check now, restart to install, or cancel a restart waiting for an activation. */
  | { kind: "update"; action: NonNullable<UpdateMenuItem["action"]> }
  /** Opens the popup on its Troubleshoot view, which runs the doctor's checks. */
  | { kind: "troubleshoot" }
  /** Asks where to save the diagnostics zip, writes it, and says where it went. */
  | { kind: "export-diagnostics" }
  | { kind: "quit" };

export type MenuItemModel =
  | { type: "separator" }
  | { type: "label"; label: string }
  | { type: "action"; id: string; label: string; action: MenuAction; enabled?: boolean }
  | { type: "checkbox"; id: string; label: string; checked: boolean; action: MenuAction };

function left(iso: string | null, now: number): string {
  if (!iso) return "no end";
  const min = Math.max(0, Math.round((Date.parse(iso) - now) / 60_000));
  const h = Math.floor(min / 60);
  const m = min % 60;
  return h ? `${h} h${m ? ` ${m} min` : ""} left` : `${m} min left`;
}

/** Windows cuts tray tooltips at 127 characters; cut them ourselves, visibly. */
export const TOOLTIP_MAX = 127;

function clip(text: string, max = TOOLTIP_MAX): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Where tokens go when settings.json names its own endpoints: always in view, never a quiet default. */
export function customEndpointsWarning(s: AppState): string | null {
  const c = s.settings.customEndpoints;
  return c ? `⚠ Custom endpoints: sign-in ${host(c.authorityHost)}, Graph ${host(c.graphEndpoint)}` : null;
}

/** How many requests wait for my decision: none while signed out (the inbox cannot be read then). */
export function approvalsWaiting(s: AppState): number {
  return s.needsSignIn ? 0 : s.approvals.items.length;
}

/** "1 request to approve", "2 requests to approve". */
export function approvalsText(n: number): string {
  return `${n} ${n === 1 ? "request" : "requests"} to approve`;
}

/**
 * The count beside the icon where the platform draws text there (macOS's menu bar title): "2", or
 * "" for none. Windows and Linux trays show no text beside the icon, so there the tooltip and the
 * menu carry the count.
 */
export function trayBadge(s: AppState): string {
  const n = approvalsWaiting(s);
  return n ? String(n) : "";
}

/** The menu lists at most this many requests by name; the popup shows them all. */
export const MENU_APPROVALS_MAX = 5;

export function trayTooltip(s: AppState, now: number): string {
  const warning = customEndpointsWarning(s);
  const withWarning = (t: string) => clip(warning ? `${t}\n${warning}` : t);
  if (s.needsSignIn) return withWarning("PIM Tray: sign in needed");
  const parts = [`PIM Tray: ${s.active.length} active`];
  if (s.pending.length) parts.push(`${s.pending.length} pending`);
  // Before the countdown: someone else's work waits on it, and a long group name must not push it out of the cut.
  const waiting = approvalsWaiting(s);
  if (waiting) parts.push(approvalsText(waiting));
  const soonest = s.active
    .filter((a) => a.endDateTime)
    .sort((a, b) => Date.parse(a.endDateTime ?? "") - Date.parse(b.endDateTime ?? ""))[0];
  if (soonest) parts.push(`${soonest.groupName ?? soonest.roleName} ${left(soonest.endDateTime, now)}`);
  return withWarning(parts.join(" · "));
}

/** Menus do not wrap: a longer message is split into lines of at most this many characters. */
export const MENU_LINE_WIDTH = 70;

/** Splits a message into menu-sized lines at word boundaries. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The tray after a failed start: what went wrong, and the ways out that work without the engine. */
export function startFailureTooltip(message: string): string {
  return clip(`PIM Tray could not start: ${message}`);
}

export function startFailureMenu(message: string): MenuItemModel[] {
  return [
    { type: "label", label: "PIM Tray could not start" },
    ...wrap(message, MENU_LINE_WIDTH).map((line): MenuItemModel => ({ type: "label", label: line })),
    { type: "separator" },
    { type: "action", id: "open-settings", label: "Open settings", action: { kind: "open-settings" } },
    {
      type: "action",
      id: "reset-connection",
      label: "Reset connection settings",
      action: { kind: "reset-connection" },
    },
    { type: "separator" },
    { type: "action", id: "quit", label: "Quit", action: { kind: "quit" } },
  ];
}

/** Plane words for a profile's summary: "2 groups", "1 role", "3 Azure roles". */
const PLANE_COUNT: Record<PlaneKind, [string, string]> = {
  group: ["group", "groups"],
  role: ["role", "roles"],
  azure: ["Azure role", "Azure roles"],
};

/**
 * What a profile holds, by plane: " (2 groups, 1 role, 1 Azure role)". Empty for a profile of
 * groups only, whose entry reads as it always did.
 */
export function profilePlanes(p: ProfileView): string {
  const counts = PLANE_KINDS.map((k) => [k, p.targets.filter((t) => kindOf(t) === k).length] as const);
  if (counts.every(([k, n]) => k === "group" || n === 0)) return "";
  const parts = counts.filter(([, n]) => n > 0).map(([k, n]) => `${n} ${PLANE_COUNT[k][n === 1 ? 0 : 1]}`);
  return ` (${parts.join(", ")})`;
}

/** "Finance Admins [hint] (member)", "Global Reader", "Contributor on rg-web". */
function itemLabel(a: ActiveView | PendingViewDto): string {
  const hint = a.kind !== "role" && a.kind !== "azure" && "groupHint" in a ? a.groupHint : null;
  return labelOf(a, hint ? (n) => `${n} [${hint}]` : undefined);
}

/**
 * "2 requests to approve…" (opens the popup on the first), then each request by name, each opening
 * the popup on itself. Nothing while none waits.
 */
function approvalItems(s: AppState): MenuItemModel[] {
  const all = s.approvals.items;
  const first = all[0];
  if (!first) return [];
  // A group's row carries no kind (as rows always did); kindOf reads it as a group.
  const open = (a: ApprovalView): MenuAction => ({
    kind: "open-approval",
    approval: { kind: kindOf(a), requestId: a.requestId },
  });
  const items: MenuItemModel[] = [
    { type: "separator" },
    { type: "action", id: "approvals", label: `${approvalsText(all.length)}…`, action: open(first) },
    ...all.slice(0, MENU_APPROVALS_MAX).map((a): MenuItemModel => ({
      type: "action",
      id: `approval:${kindOf(a)}:${a.requestId}`,
      label: `${a.requester.name}: ${a.label}…`,
      action: open(a),
    })),
  ];
  const more = all.length - MENU_APPROVALS_MAX;
  if (more > 0) items.push({ type: "label", label: `and ${more} more in PIM Tray` });
  return items;
}

/** The policy's problem is told in about this many menu lines of at most MENU_LINE_WIDTH characters. */
const POLICY_LINES = 4;

/**
 * The organisation's policy has problems (a bad value, an unknown key, a source that was refused): what the first
 * one is and where to look, as menu lines (menus do not wrap); none when all is well. The valid values still
 * apply, so the app runs on.
 */
export function policyProblemLines(s: AppState): string[] {
  const [first, ...rest] = s.organisation.problems;
  if (first === undefined) return [];
  const head = `⚠ Your organisation's policy has ${rest.length ? `${rest.length + 1} problems` : "a problem"}: `;
  const more = rest.length ? ` (and ${rest.length} more)` : "";
  const look = "see Troubleshoot…";
  // Without the sentence's own full stop: the line goes on after it. Cut so that wrapping leaves room for words.
  const problem = first.replace(/\s+/g, " ").replace(/[.;:]\s*$/, "");
  const room = POLICY_LINES * (MENU_LINE_WIDTH - 8) - head.length - more.length - look.length - 2;
  const lines = wrap(`${head}${clip(problem, room)}${more};`, MENU_LINE_WIDTH);
  // Where to look stays in one piece: on the last line if it fits there, else on a line of its own.
  const last = lines.length - 1;
  if ((lines[last] ?? "").length + 1 + look.length <= MENU_LINE_WIDTH) lines[last] = `${lines[last] ?? ""} ${look}`;
  else lines.push(look);
  return lines.slice(0, POLICY_LINES + 1);
}

/** The update item: a click when there is something to do, a plain line otherwise ("Checking for updates…"). */
function updateItem(u: UpdateMenuItem): MenuItemModel {
  return u.action === null
    ? { type: "label", label: u.label }
    : { type: "action", id: u.id, label: u.label, action: { kind: "update", action: u.action }, enabled: u.enabled };
}

export function trayMenu(s: TrayState, now: number): MenuItemModel[] {
  const items: MenuItemModel[] = [];
  const warning = customEndpointsWarning(s);
  const policy = policyProblemLines(s);
  if (warning) items.push({ type: "label", label: warning });
  items.push(...policy.map((label): MenuItemModel => ({ type: "label", label })));
  if (warning || policy.length) items.push({ type: "separator" });
  items.push(
    s.account && !s.needsSignIn
      ? { type: "label", label: s.account.username }
      : { type: "action", id: "sign-in", label: "Sign in…", action: { kind: "sign-in" } },
  );
  if (!s.needsSignIn) {
    items.push(...approvalItems(s));
    if (s.profiles.length) {
      items.push({ type: "separator" }, { type: "label", label: "Profiles" });
      for (const p of s.profiles) {
        const keys = p.targets.map(targetKey);
        const active = s.active.filter((a) => keys.includes(targetKey(a)));
        const pending = s.pending.filter((r) => keys.includes(targetKey(r)));
        const soonest =
          active
            .map((a) => a.endDateTime)
            .filter((x): x is string => Boolean(x))
            .sort()[0] ?? null;
        const state =
          active.length === keys.length && keys.length
            ? ` — active, ${left(soonest, now)}`
            : pending.some((r) => r.status === "PendingApproval")
              ? " — waiting for approval"
              : active.length
                ? ` — ${active.length} of ${keys.length} active`
                : "";
        items.push({
          type: "action",
          id: `profile:${p.id}`,
          label: `Activate ${p.name}${profilePlanes(p)}${state}`,
          action: { kind: "activate-profile", profileId: p.id },
          enabled: active.length < keys.length && !pending.length,
        });
      }
    }
    if (s.active.length) {
      items.push({ type: "separator" }, { type: "label", label: "Active" });
      for (const a of s.active) {
        const canAt = Date.parse(a.deactivatableAt);
        items.push({
          type: "action",
          id: `deactivate:${targetKey(a)}`,
          label: `Deactivate ${itemLabel(a)} — ${left(a.endDateTime, now)}`,
          action: { kind: "deactivate", ...deactivateRequestOf(a) },
          enabled: now >= canAt,
        });
      }
    }
    if (s.pending.length) {
      items.push({ type: "separator" }, { type: "label", label: "Pending" });
      for (const r of s.pending) {
        items.push({
          type: "action",
          id: `cancel:${r.requestId}`,
          label: `Cancel ${itemLabel(r)} — ${r.status === "PendingApproval" ? "waiting for approval" : "scheduled"}`,
          action: { kind: "cancel", requestId: r.requestId },
        });
      }
    }
  }
  items.push(
    { type: "separator" },
    // Linux trays may not report clicks, so the popup is always reachable from the menu.
    { type: "action", id: "open", label: "Open PIM Tray…", action: { kind: "open" } },
    {
      type: "checkbox",
      id: "start-at-login",
      label: "Start at login",
      checked: s.settings.startAtLogin,
      action: { kind: "toggle-start-at-login" },
    },
    { type: "separator" },
    ...(s.update ? [updateItem(s.update)] : []),
    { type: "action", id: "troubleshoot", label: "Troubleshoot…", action: { kind: "troubleshoot" } },
    {
      type: "action",
      id: "export-diagnostics",
      label: "Export diagnostics…",
      action: { kind: "export-diagnostics" },
    },
    { type: "separator" },
    { type: "action", id: "quit", label: "Quit", action: { kind: "quit" } },
  );
  return items;
}
