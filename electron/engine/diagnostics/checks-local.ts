import type { Check, FrontEnd } from "./types.js";

// The checks about this computer and this person: token cache, account and consent, policy, notifications,
// start at login, versions, updates. Each takes what a probe found; none reads anything itself.

export interface TokenCacheInfo {
  /** encrypted: the OS key store (the app); memory: nothing on disk; plain: a file protected by its permissions (the CLI). */
  kind: "encrypted" | "memory" | "plain";
  /** The file, when there is one. */
  location: string | null;
  present: boolean;
  readable: boolean;
  /** For a plain file: whether only its owner may read it (null where permissions cannot be told, Windows). */
  ownerOnly: boolean | null;
}

export function tokenCacheCheck(c: TokenCacheInfo, fe: FrontEnd): Check {
  const id = "token-cache";
  const title = "Token cache";
  const data = { ...c };
  const where = c.location ? ` (${c.location})` : "";
  if (c.kind === "memory")
    return {
      id,
      title,
      status: "ok",
      detail: "Tokens are kept in memory only, never on disk: you sign in again after each restart.",
      fix: null,
      data,
    };
  const signIn = fe === "cli" ? "run pimtray login" : "sign in from the tray";
  if (!c.present)
    return {
      id,
      title,
      status: "warn",
      detail: `No token cache yet${where}: not signed in on this computer.`,
      fix: `Sign in: ${signIn}.`,
      data,
    };
  if (!c.readable)
    return {
      id,
      title,
      status: "fail",
      detail: `The token cache${where} exists but cannot be read${c.kind === "encrypted" ? " (the OS key store could not decrypt it)" : ""}.`,
      fix:
        c.kind === "encrypted"
          ? `Sign out and ${signIn} again; if it recurs, check that your OS key store (Keychain, Credential Manager, GNOME Keyring or KWallet) is unlocked.`
          : `Check the file's owner and permissions, or delete it and ${signIn} again.`,
      data,
    };
  if (c.kind === "encrypted")
    return {
      id,
      title,
      status: "ok",
      detail: `Encrypted with the operating system's key store${where}.`,
      fix: null,
      data,
    };
  if (c.ownerOnly === false)
    return {
      id,
      title,
      status: "fail",
      detail: `The token cache${where} is not encrypted and other users of this computer may read it.`,
      fix: `Make it readable only by you (chmod 600 "${c.location ?? "msal-cache.json"}"), or sign out (pimtray logout) and sign in again, which writes it owner-only.`,
      data,
    };
  return {
    id,
    title,
    status: "ok",
    detail: `Not encrypted; a file readable only by you${where}.`,
    fix: null,
    data,
  };
}

export type PlaneName = "group" | "role" | "azure";
const PLANE_TITLE: Record<PlaneName, string> = { group: "groups", role: "Entra ID roles", azure: "Azure roles" };

export interface AccountProbe {
  username: string;
  tenantId: string;
  /** Every scope of the account's cached access tokens (no token text), e.g. https://graph.microsoft.com/RoleEligibilitySchedule.Read.Directory. */
  grantedScopes: string[];
}

/** A scope's permission name, without its resource: "https://graph.microsoft.com/X.Read" → "x.read". */
function permission(scope: string): string {
  const i = scope.lastIndexOf("/");
  return (i >= 0 ? scope.slice(i + 1) : scope).toLowerCase();
}

function resourceOf(scope: string): string | null {
  const m = /^(https?:\/\/[^/]+)\//i.exec(scope);
  return m?.[1]?.toLowerCase() ?? null;
}

/**
 * Whether the granted scopes cover a plane. Groups and roles: each permission the plane asks for. Azure
 * roles ask for ARM's `.default`: any permission granted on ARM's resource counts.
 */
export function planeConsented(plane: PlaneName, wanted: string[], granted: string[]): boolean {
  if (plane === "azure") {
    const resources = new Set(wanted.map(resourceOf).filter((r): r is string => r !== null));
    return granted.some((g) => {
      const r = resourceOf(g);
      return r !== null ? resources.has(r) : permission(g) === "user_impersonation";
    });
  }
  const have = new Set(granted.map(permission));
  return wanted.every((w) => have.has(permission(w)));
}

export function accountCheck(
  a: AccountProbe | null,
  planeScopes: Record<PlaneName, string[]>,
  enabled: Record<PlaneName, boolean>,
  fe: FrontEnd,
): Check {
  const id = "account";
  const title = "Account and consent";
  if (!a)
    return {
      id,
      title,
      status: "warn",
      detail: "Not signed in.",
      fix: fe === "cli" ? "Run pimtray login (or pimtray login --device-code)." : "Sign in from the tray.",
    };
  const planes = (Object.keys(PLANE_TITLE) as PlaneName[]).map((p) => ({
    plane: p,
    enabled: enabled[p],
    consented: planeConsented(p, planeScopes[p], a.grantedScopes),
  }));
  const missing = planes.filter((p) => p.enabled && !p.consented);
  const parts = planes.map(
    (p) =>
      `${PLANE_TITLE[p.plane]}: ${!p.enabled ? "off" : p.consented ? "consented" : "no token with its permissions yet"}`,
  );
  const data = {
    username: a.username,
    tenantId: a.tenantId,
    planes,
    // Permission names only: what an administrator compares with the app registration.
    grantedPermissions: [...new Set(a.grantedScopes.map(permission))].sort(),
  };
  const detail = `Signed in as ${a.username} (tenant ${a.tenantId}). ${parts.join("; ")}.`;
  if (!missing.length) return { id, title, status: "ok", detail, fix: null, data };
  const names = missing.map((p) => PLANE_TITLE[p.plane]).join(" and ");
  const login = missing.map((p) => (p.plane === "group" ? "pimtray login" : `pimtray login --plane ${p.plane}`));
  return {
    id,
    title,
    status: "warn",
    detail,
    fix:
      fe === "cli"
        ? `${names}: run ${login.join(", then ")} to consent (where your organisation lets users consent), or ask an administrator to grant consent for the app registration; pimtray eligible shows each plane's state.`
        : `${names}: use "Turn on" for that plane in the popup to consent, or ask an administrator to grant consent for the app registration.`,
    data,
  };
}

/** What the policy probe gives (electron/engine/policy's resolver): sources read, values, problems. */
export interface PolicyProbeResult {
  sources: unknown[];
  values?: unknown[] | Record<string, unknown>;
  locked?: unknown[];
  problems: unknown[];
}

function describe(item: unknown): string {
  if (typeof item === "string") return item;
  if (item && typeof item === "object") {
    const o = item as Record<string, unknown>;
    // A source as the policy resolver tells it: its name and how it fared.
    if (typeof o.name === "string" && typeof o.state === "string") return `${o.name} (${o.state})`;
    const text = o.message ?? o.detail ?? o.description ?? o.name ?? o.path ?? o.source ?? o.kind;
    const where = o.path && o.message ? `${String(o.path)}: ` : "";
    if (text !== undefined) return `${where}${String(text)}`;
  }
  return JSON.stringify(item);
}

/** A source that holds no policy ("absent"): looked at, but not worth a line unless nothing else is there. */
function absent(item: unknown): boolean {
  return Boolean(item && typeof item === "object" && (item as Record<string, unknown>).state === "absent");
}

export function policyCheck(p: PolicyProbeResult | null, fe: FrontEnd): Check {
  const id = "policy";
  const title = "Managed policy";
  if (!p)
    return {
      id,
      title,
      status: "skip",
      detail: "Not checked: this version does not read managed policy yet.",
      fix: null,
    };
  const data = { sources: p.sources, values: p.values ?? null, locked: p.locked ?? [], problems: p.problems };
  const present = p.sources.filter((s) => !absent(s));
  const from = present.length
    ? `Sources: ${present.map(describe).join("; ")}.`
    : `No managed policy is set on this computer${p.sources.length ? ` (looked in: ${p.sources.map((s) => describe(s).replace(/ \(absent\)$/, "")).join("; ")})` : ""}.`;
  if (p.problems.length)
    return {
      id,
      title,
      status: "warn",
      detail: `${from} ${p.problems.length} problem${p.problems.length === 1 ? "" : "s"}: ${p.problems.map(describe).join("; ")}. The valid values still apply.`,
      fix: `Ask your IT department to correct the policy (${fe === "cli" ? "pimtray policy" : "the policy report"} shows each value and where it comes from).`,
      data,
    };
  const locked = p.locked?.length
    ? ` ${p.locked.length} setting${p.locked.length === 1 ? " is" : "s are"} locked.`
    : "";
  return { id, title, status: "ok", detail: `${from}${locked}`, fix: null, data };
}

export interface NotificationInfo {
  /** e.g. "Electron Notification", "notify-send 0.8", "node-notifier (terminal-notifier)". */
  backend: string;
  available: boolean;
  detail?: string;
  /** The app's test notification: shown (true), failed (false), not tried (null). */
  testShown?: boolean | null;
}

export function notificationsCheck(n: NotificationInfo | null, fe: FrontEnd): Check {
  const id = "notifications";
  const title = "Notifications";
  if (!n) return { id, title, status: "skip", detail: "Not checked.", fix: null };
  const data = { ...n };
  const more = n.detail ? ` ${n.detail}` : "";
  const allow =
    process.platform === "darwin"
      ? "Allow notifications for PIM Tray in System Settings → Notifications."
      : process.platform === "win32"
        ? "Turn notifications on for PIM Tray in Settings → System → Notifications, and check Focus assist."
        : 'Check that a notification daemon runs in your desktop session (notify-send "test" should show one).';
  if (!n.available)
    return {
      id,
      title,
      status: "warn",
      detail: `No notification backend works here (${n.backend}).${more} Expiry warnings and approval requests will not show.`,
      fix: fe === "cli" ? `${allow} pimtray watch --no-notify prints events instead.` : allow,
      data,
    };
  if (n.testShown === false)
    return {
      id,
      title,
      status: "warn",
      detail: `${n.backend}: the test notification did not show.${more}`,
      fix: allow,
      data,
    };
  return {
    id,
    title,
    status: "ok",
    detail: `${n.backend}${n.testShown ? ": the test notification showed" : ""}.${more}`,
    fix: null,
    data,
  };
}

export interface AutostartInfo {
  supported: boolean;
  enabled: boolean;
  detail?: string;
}

export function autostartCheck(a: AutostartInfo | null): Check {
  const id = "autostart";
  const title = "Start at login";
  if (!a) return { id, title, status: "skip", detail: "Not checked (the tray app's setting).", fix: null };
  if (!a.supported)
    return {
      id,
      title,
      status: "skip",
      detail: `Not available here.${a.detail ? ` ${a.detail}` : ""}`,
      fix: null,
      data: { ...a },
    };
  return {
    id,
    title,
    status: "ok",
    detail: `${a.enabled ? "On" : "Off"}.${a.detail ? ` ${a.detail}` : ""}`,
    fix: null,
    data: { ...a },
  };
}

export interface Versions {
  app: string;
  electron: string | null;
  node: string;
  /** e.g. "Linux 6.1.0 x64". */
  os: string;
}

export function versionsCheck(v: Versions): Check {
  const parts = [`PIM Tray ${v.app}`, v.electron ? `Electron ${v.electron}` : null, `Node ${v.node}`, v.os].filter(
    Boolean,
  );
  return { id: "versions", title: "Versions", status: "ok", detail: `${parts.join(", ")}.`, fix: null, data: { ...v } };
}

export interface UpdateInfo {
  /** e.g. "disabled by policy", "up to date", "downloading", "ready to install", "error". */
  state: string;
  /** An update problem worth telling (a failed check or download). */
  error?: string | null;
  availableVersion?: string | null;
  detail?: string;
}

export function updateCheck(u: UpdateInfo | null, fe: FrontEnd): Check {
  const id = "update";
  const title = "Updates";
  if (!u)
    return {
      id,
      title,
      status: "skip",
      detail:
        fe === "cli" ? "The command line is updated with the app or from its checkout, not by itself." : "Not checked.",
      fix: null,
    };
  const data = { ...u };
  const version = u.availableVersion ? ` (${u.availableVersion})` : "";
  if (u.error)
    return {
      id,
      title,
      status: "warn",
      detail: `${u.state}${version}: ${u.error}.`,
      fix: "Check that this computer reaches the update feed (the proxy and TLS checks above apply to it too), or ask your IT department whether updates are delivered another way.",
      data,
    };
  return { id, title, status: "ok", detail: `${u.state}${version}.${u.detail ? ` ${u.detail}` : ""}`, fix: null, data };
}
