import { constants as fsConstants } from "node:fs";
import { access, readFile, stat } from "node:fs/promises";
import { arch, release, type } from "node:os";
import { delimiter, join } from "node:path";
import { rootCertificates } from "node:tls";
import { accountProbe } from "../../engine/diagnostics/cached-scopes.js";
import type { NotificationInfo, TokenCacheInfo } from "../../engine/diagnostics/checks-local.js";
import { runDoctor, SkipCheck, type DoctorProbes } from "../../engine/diagnostics/doctor.js";
import { formatReport } from "../../engine/diagnostics/format.js";
import { readPolicyForDoctor } from "../../engine/diagnostics/policy-probe.js";
import { EXIT } from "../exit-codes.js";
import { bypassesProxy, proxyFromEnv, type ProxySetting } from "../../engine/diagnostics/proxy-env.js";
import { reach } from "../../engine/diagnostics/reach.js";
import { tlsPeer } from "../../engine/diagnostics/tls-peer.js";
import type { Check, DoctorReport } from "../../engine/diagnostics/types.js";
import { PimTrayError } from "../../engine/errors.js";
import type { FetchLike } from "../../engine/http/http-client.js";
import { defaultConfigDir, FILES } from "../../engine/paths.js";
import { logFiles } from "../../node/file-logger.js";
import type { CliContext, GlobalOptions } from "../context.js";
import { httpsFetch } from "../https-fetch.js";
import { createOut, type Out } from "../output.js";
import { systemCaRequested, systemStoreSize, useSystemCa, withSystemTrust } from "../system-ca.js";

// `pimtray doctor [--json] [--export FILE.zip]`: the checks of electron/engine/diagnostics over the CLI's own
// capabilities (the fetch every command uses, HTTPS_PROXY, the token file). It runs even when the settings
// cannot be loaded, which is then its first failed check: "it doesn't work" often starts there.

/** Exit code when any check fails (docs/cli.md, "doctor"); warnings alone exit 0. */
export const EXIT_DOCTOR_FAILED = EXIT.doctorFailed;

export interface DoctorOptions extends GlobalOptions {
  useSystemCa?: boolean;
  export?: string;
}

/** The fetch the engine gets in context.ts: node:https, or undici through HTTPS_PROXY. */
async function cliFetch(extraCa: string | null, proxied: boolean): Promise<FetchLike> {
  if (!proxied) return httpsFetch(extraCa ? { ca: [...rootCertificates, extraCa] } : {});
  return (await import("../proxy-fetch.js")).proxyFetch(extraCa);
}

async function tokenCacheInfo(path: string): Promise<TokenCacheInfo> {
  const info: TokenCacheInfo = { kind: "plain", location: path, present: false, readable: false, ownerOnly: null };
  try {
    const s = await stat(path);
    info.present = true;
    // Windows has no owner-only mode bits; the file sits in the user's profile, which only they can read.
    info.ownerOnly = process.platform === "win32" ? null : (s.mode & 0o077) === 0;
    await access(path, fsConstants.R_OK);
    info.readable = true;
  } catch {
    // absent or unreadable: told by the fields as they stand
  }
  return info;
}

async function onPath(command: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    try {
      await access(join(dir, command), fsConstants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** `pimtray watch` notifies through node-notifier (notify-send on Linux, with buttons through notify-send 0.8+). */
async function notificationInfo(): Promise<NotificationInfo> {
  if (process.platform === "darwin") return { backend: "node-notifier (terminal-notifier)", available: true };
  if (process.platform === "win32") return { backend: "node-notifier (SnoreToast)", available: true };
  const notifySend = await onPath("notify-send");
  const session = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS || process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  return {
    backend: "notify-send (libnotify)",
    available: notifySend && session,
    detail: !notifySend
      ? "notify-send is not installed (Debian/Ubuntu: apt install libnotify-bin)."
      : session
        ? undefined
        : "No desktop session here (no D-Bus session bus or display).",
  };
}

function settingsCheck(e: unknown): Check {
  const message = e instanceof Error ? e.message : String(e);
  return {
    id: "settings",
    title: "Settings",
    status: "fail",
    detail: `The configuration could not be loaded: ${message}`,
    fix:
      e instanceof PimTrayError && e.kind === "config"
        ? "Fix or remove the settings file named above (a backup copy was made), then run pimtray doctor again."
        : "Correct the option, environment variable or setting named above, then run pimtray doctor again.",
  };
}

function trustStoreCheck(error: unknown): Check {
  const size = systemStoreSize();
  return error || size === null
    ? {
        id: "trust-store",
        title: "OS trust store",
        status: "fail",
        detail: error instanceof Error ? error.message : "The operating system's certificate store was not read.",
        fix: "Set NODE_EXTRA_CA_CERTS to a PEM file with your organisation's root CA instead of --use-system-ca.",
      }
    : {
        id: "trust-store",
        title: "OS trust store",
        status: "ok",
        detail: `--use-system-ca: ${size} certificates from the operating system's store are trusted, besides Node's own roots.`,
        fix: null,
        data: { certificates: size },
      };
}

function paintFor(out: Out): (status: Check["status"], text: string) => string {
  const codes: Record<Check["status"], string> = { ok: "32", warn: "33", fail: "31", skip: "2" };
  return (status, text) => (out.color ? `\x1b[${codes[status]}m${text}\x1b[0m` : text);
}

export async function cmdDoctor(o: DoctorOptions, appVersion: string): Promise<number> {
  const out = createOut(Boolean(o.json));
  const extraChecks: Check[] = [];
  if (systemCaRequested(o.useSystemCa)) {
    let error: unknown = null;
    try {
      await useSystemCa();
    } catch (e) {
      error = e;
    }
    extraChecks.push(trustStoreCheck(error));
  }
  let ctx: CliContext | null = null;
  try {
    const { createContext } = await import("../context.js");
    // Never prompts: the doctor looks, it does not sign in.
    ctx = await createContext(o, out, false);
  } catch (e) {
    extraChecks.push(settingsCheck(e));
  }
  // Read once: the check reports it, the export carries it.
  const policy = readPolicyForDoctor();
  policy.catch(() => {});
  const report = await runDoctor({ ...probes(ctx, extraChecks, appVersion), policy: () => policy });
  let exported: { path: string; entries: string[] } | null = null;
  if (o.export) {
    const { exportDiagnostics } = await import("../../engine/diagnostics/export.js");
    const configDir = ctx?.configDir ?? o.configDir ?? defaultConfigDir();
    const entries = await exportDiagnostics({
      path: o.export,
      report,
      logFiles: logFiles(join(configDir, FILES.log)),
      settings: ctx?.settings ?? null,
      policy: await policy.catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) })),
    });
    exported = { path: o.export, entries };
  }
  if (out.json) out.write(JSON.stringify(exported ? { ...report, export: exported } : report));
  else {
    out.write(formatReport(report, paintFor(out)));
    if (exported)
      out.write(
        `\nDiagnostics written to ${exported.path} (${exported.entries.length} files). Tokens and secrets are scrubbed from every file; the token cache is not included.`,
      );
  }
  return report.status === "fail" ? EXIT_DOCTOR_FAILED : 0;
}

function probes(ctx: CliContext | null, extraChecks: Check[], appVersion: string): DoctorProbes {
  const versions = async () => ({
    app: appVersion,
    electron: null,
    node: process.versions.node,
    os: `${type()} ${release()} ${arch()}`,
  });
  const setting: ProxySetting = proxyFromEnv();
  const none = { group: [], role: [], azure: [] };
  if (!ctx) {
    const skipped = async (): Promise<never> => {
      throw new SkipCheck("it needs a configuration that loads (see Settings)");
    };
    return {
      frontEnd: "cli",
      endpoints: { signin: "https://signin.invalid", graph: "https://graph.invalid", arm: "https://arm.invalid" },
      customEndpoints: true,
      reach: skipped,
      proxy: async () => setting,
      tokenCache: skipped,
      account: skipped,
      planeScopes: none,
      planesEnabled: skipped,
      notifications: notificationInfo,
      versions,
      extraChecks,
    };
  }
  const c = ctx;
  const connection = c.engine.connection;
  const extraCa = c.demo?.caPem ?? null;
  const proxyFor = (url: string) => (setting.url && !bypassesProxy(url, setting.noProxy) ? setting.url : null);
  // Raw, as the engine's requests go (proxy included); the proxy's credentials are used, never reported.
  const rawProxy =
    process.env.HTTPS_PROXY || process.env.https_proxy || process.env.HTTP_PROXY || process.env.http_proxy;
  const fetching = cliFetch(extraCa, Boolean(rawProxy));
  const cachePath = join(c.configDir, FILES.tokenCache);
  return {
    frontEnd: "cli",
    endpoints: {
      signin: new URL(connection.authority).origin,
      graph: new URL(connection.graphBaseUrl).origin,
      arm: connection.armBaseUrl ? new URL(connection.armBaseUrl).origin : null,
    },
    customEndpoints: connection.custom,
    reach: async (url) =>
      reach(url, {
        fetch: await fetching,
        proxy: proxyFor(url),
        peer: (u) =>
          tlsPeer(u, {
            ca: withSystemTrust(extraCa ? [...rootCertificates, extraCa] : undefined),
            proxyUrl: proxyFor(u) ? rawProxy : null,
          }),
      }),
    proxy: async () => setting,
    tokenCache: () => tokenCacheInfo(cachePath),
    account: () => accountProbe(c.engine.auth, () => readFile(cachePath, "utf8")),
    planeScopes: connection.planeScopes,
    planesEnabled: async () => c.settings.planes,
    notifications: notificationInfo,
    versions,
    extraChecks,
  };
}

export type { DoctorReport };
