// What the tray shows about updates, and every text it says. Pure: the tray model, the popup and
// `pimtray doctor` all word it from here.
import { scrub } from "../logger.js";

export type UpdateState =
  /** No checks: turned off by policy, or this copy cannot update itself (a development run, a deb install). */
  | { readonly kind: "disabled"; readonly by: "policy" | "build"; readonly message: string }
  /** Up to date as of `checkedAt` (epoch ms; null: not checked yet this run). */
  | { readonly kind: "idle"; readonly checkedAt: number | null; readonly latest: string | null }
  | { readonly kind: "checking" }
  /** `percent`: 0–100, whole numbers. */
  | { readonly kind: "downloading"; readonly version: string; readonly percent: number }
  /** Downloaded and verified; `restartWhenIdle`: the user asked to restart while an activation was in flight. */
  | { readonly kind: "ready"; readonly version: string; readonly restartWhenIdle: boolean }
  | { readonly kind: "error"; readonly message: string };

/** What "Restart to update" did. Nothing restarts while an activation request is in flight. */
export type RestartOutcome =
  | { readonly restarting: true; readonly version: string }
  | { readonly restarting: false; readonly whenIdle: boolean; readonly reason: string };

/** The tray menu's update item, or null to show none. */
export interface UpdateMenuItem {
  readonly id: "update";
  readonly label: string;
  readonly enabled: boolean;
  /** What a click asks of the service: checkNow(), restart() or cancelRestart(). */
  readonly action: "check" | "restart" | "cancel-restart" | null;
}

export function updateMenuItem(state: UpdateState): UpdateMenuItem | null {
  const item = (label: string, action: UpdateMenuItem["action"]): UpdateMenuItem => ({
    id: "update",
    label,
    enabled: action !== null,
    action,
  });
  switch (state.kind) {
    case "disabled":
      return state.by === "policy" ? item("Updates are managed by your organisation", null) : null;
    case "idle":
      return item("Check for updates", "check");
    case "checking":
      return item("Checking for updates…", null);
    case "downloading":
      return item(`Downloading update ${state.version}… ${state.percent}%`, null);
    case "ready":
      return state.restartWhenIdle
        ? item(
            `Restarting to update to ${state.version} once the activation finishes (click to cancel)`,
            "cancel-restart",
          )
        : item(`Restart to update to ${state.version}`, "restart");
    case "error":
      return item("Check for updates again (the last attempt failed)", "check");
  }
}

/** One line for a tooltip, the popup or `pimtray doctor`. */
export function describeUpdateState(state: UpdateState, currentVersion: string): string {
  switch (state.kind) {
    case "disabled":
      return state.message;
    case "idle":
      return state.checkedAt === null
        ? `PIM Tray ${currentVersion}; not checked for updates yet.`
        : `PIM Tray ${currentVersion} is up to date (checked ${new Date(state.checkedAt).toISOString()}).`;
    case "checking":
      return "Checking for updates…";
    case "downloading":
      return `Downloading PIM Tray ${state.version} in the background (${state.percent}%).`;
    case "ready":
      return state.restartWhenIdle
        ? `PIM Tray ${state.version} is ready: PIM Tray restarts to install it once the activation in flight has finished.`
        : `PIM Tray ${state.version} is ready: choose "Restart to update" in the tray menu, or it installs when PIM Tray quits.`;
    case "error":
      return state.message;
  }
}

export const POLICY_OFF_MESSAGE =
  "Updates are turned off by your organisation: it installs new versions of PIM Tray itself. Ask your IT team if you need a newer version.";

export const RESTART_NOTHING_READY = "No update is ready to install yet.";

export function restartWaitsReason(version: string): string {
  return `An activation request is still in flight, so PIM Tray does not restart now: it restarts to update to ${version} as soon as the request has finished.`;
}

/** An error code electron-updater, builder-util-runtime, Node or Chromium put on an error. */
function codeOf(e: unknown): string | null {
  if (typeof e !== "object" || e === null) return null;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string") return code;
  const net = /\bnet::(ERR_[A-Z_]+)/.exec(String((e as { message?: unknown }).message ?? ""));
  return net?.[1] ?? null;
}

const NETWORK = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ERR_INTERNET_DISCONNECTED",
  "ERR_NAME_NOT_RESOLVED",
  "ERR_CONNECTION_REFUSED",
  "ERR_CONNECTION_RESET",
  "ERR_CONNECTION_TIMED_OUT",
  "ERR_TIMED_OUT",
  "ERR_NETWORK_CHANGED",
  "ERR_ADDRESS_UNREACHABLE",
  "ERR_PROXY_CONNECTION_FAILED",
]);

const CERTIFICATE =
  /^(CERT_|ERR_CERT_|UNABLE_TO_(GET|VERIFY)|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED|ERR_TLS_CERT|ERR_SSL_|HOSTNAME_MISMATCH)/;

/** The first line of a message, without anything token-shaped, at most 300 characters. */
function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = scrub(text.split("\n")[0] ?? "").trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/**
 * An updater error in plain words: what happened and what to do. Never a stack, never a token; the full
 * error goes to the log.
 */
export function describeUpdateError(e: unknown): string {
  const code = codeOf(e);
  const status = typeof e === "object" && e !== null ? (e as { statusCode?: unknown }).statusCode : undefined;
  if (code === "ERR_CHECKSUM_MISMATCH")
    return "The downloaded update did not match the checksum its feed published, so it was deleted and nothing was installed. PIM Tray tries again at the next check; if this keeps happening, tell your IT team: the update feed may be damaged or tampered with.";
  if (code === "ERR_UPDATER_INVALID_SIGNATURE")
    return "The downloaded update is not signed by PIM Tray's publisher, so it was not installed. Tell your IT team.";
  if (code === "ERR_UPDATER_CHANNEL_FILE_NOT_FOUND")
    return "The update feed has no update information for this system (its latest*.yml file is missing). Tell your IT team: the feed is incomplete.";
  if (code === "ERR_UPDATER_INVALID_VERSION" || code === "ERR_UPDATER_INVALID_UPDATE_INFO")
    return "The update feed publishes update information PIM Tray cannot read (a damaged latest*.yml, or a version that is not x.y.z). Tell your IT team.";
  if (code === "ERR_UPDATER_LATEST_VERSION_NOT_FOUND" || code === "ERR_UPDATER_NO_PUBLISHED_VERSIONS")
    return "The update feed has no published release yet. PIM Tray tries again later.";
  if (code === "ENOENT" && /app-update\.yml/.test(e instanceof Error ? e.message : ""))
    return "This build of PIM Tray has no update feed (its app-update.yml is missing), so it cannot update itself. Install a release build.";
  if (typeof status === "number")
    return `The update feed answered HTTP ${status}. PIM Tray tries again at the next check; if this keeps happening, tell your IT team (the feed may have moved, or need access PIM Tray does not have).`;
  if (code && CERTIFICATE.test(code))
    return `The update feed's certificate is not trusted (${code}). If your organisation inspects TLS traffic, its root certificate must be in this computer's trust store; otherwise tell your IT team.`;
  if (code && NETWORK.has(code))
    return `PIM Tray could not reach the update feed (${code}). Check your network connection or proxy; PIM Tray tries again at the next check.`;
  return `The update failed: ${firstLine(e) || "no reason was given"}. PIM Tray tries again at the next check.`;
}
