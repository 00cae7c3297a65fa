import { app, dialog, Notification, session } from "electron";
import { constants as fsConstants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { arch, release, type } from "node:os";
import { join } from "node:path";
import * as tls from "node:tls";
import type { AppTokenCache } from "../adapters/safe-storage-persistence.js";
import { autostartPath } from "../adapters/login-item.js";
import { accountProbe } from "../engine/diagnostics/cached-scopes.js";
import type {
  AutostartInfo,
  NotificationInfo,
  TokenCacheInfo,
  UpdateInfo,
} from "../engine/diagnostics/checks-local.js";
import { runDoctor } from "../engine/diagnostics/doctor.js";
import { policyReportOf } from "../engine/diagnostics/policy-probe.js";
import { proxyFromSystem, type ProxySetting } from "../engine/diagnostics/proxy-env.js";
import { reach } from "../engine/diagnostics/reach.js";
import { tlsPeer } from "../engine/diagnostics/tls-peer.js";
import type { DoctorReport } from "../engine/diagnostics/types.js";
import type { Engine } from "../engine/engine.js";
import type { FetchLike } from "../engine/http/http-client.js";
import type { Logger } from "../engine/logger.js";
import { FILES } from "../engine/paths.js";
import type { ManagedPolicy } from "../engine/policy/policy-resolver.js";
import type { Settings } from "../engine/profiles/settings-schema.js";
import { describeUpdateState, type UpdateState } from "../engine/update/update-state.js";
import { logFiles } from "../node/file-logger.js";

// "Troubleshoot…" and "Export diagnostics…" in the tray app: the doctor's checks (electron/engine/diagnostics)
// over the app's own capabilities, as electron/cli/commands/doctor.ts runs them over the CLI's: Chromium's
// network stack (net.fetch, the system proxy from session.resolveProxy, the OS trust store), the token cache
// under safeStorage, Electron's notifications with a test notification, the login item, the update state.

/** The test notification's title; whether its `show` event arrives within TEST_NOTIFICATION_MS is the check. */
export const TEST_NOTIFICATION_TITLE = "PIM Tray test notification";
const TEST_NOTIFICATION_MS = 5000;

export interface AppDiagnosticsDeps {
  engine: Pick<Engine, "connection" | "auth">;
  /** Settings with policy applied, and the policy the app runs with. */
  settings: { load(): Promise<Settings>; readonly policy: ManagedPolicy };
  cache: Pick<AppTokenCache, "encrypted" | "load">;
  configDir: string;
  /** The token cache's file (encrypted with safeStorage), when tokens are kept on disk. */
  tokenCachePath: string;
  /** The engine's fetch: net.fetch, or demo mode's with the emulator's CA. */
  fetch: FetchLike;
  /** Demo mode: the emulator's CA, trusted for the certificate check too. */
  extraCaPem: string | null;
  /** The update service's state; null before it exists. */
  updateState: () => UpdateState | null;
  logger: Logger;
  platform?: NodeJS.Platform;
  now?: () => Date;
}

export interface AppDiagnostics {
  doctor(): Promise<DoctorReport>;
  exportDiagnostics(): Promise<string | null>;
}

/** "pimtray-diagnostics-20261206-1742.zip": local time, to the minute. */
export function diagnosticsFileName(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `pimtray-diagnostics-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}.zip`;
}

/**
 * The CAs Chromium trusts, for reading an endpoint's certificate as the app sees it: Node's roots and, where this
 * Node offers it (Electron's Node 22+), the OS store. A certificate read this way is only described (its issuer);
 * whether an endpoint is reached is net.fetch's verdict.
 */
function appTrust(extraCaPem: string | null): string[] | undefined {
  const get = (tls as { getCACertificates?: (kind: "default" | "system") => string[] }).getCACertificates;
  const system = get ? get("system") : [];
  const cas = [...tls.rootCertificates, ...system, ...(extraCaPem ? [extraCaPem] : [])];
  return system.length || extraCaPem ? cas : undefined;
}

/** What the update service shows, in the doctor's words. */
export function updateInfo(state: UpdateState | null, version: string): UpdateInfo | null {
  if (!state) return null;
  const detail = describeUpdateState(state, version);
  switch (state.kind) {
    case "disabled":
      return { state: state.by === "policy" ? "turned off by your organisation" : "not available", detail };
    case "idle":
      return { state: state.checkedAt === null ? "not checked yet" : "up to date", detail };
    case "checking":
      return { state: "checking", detail };
    case "downloading":
      return { state: `downloading (${state.percent}%)`, availableVersion: state.version, detail };
    case "ready":
      return { state: "ready to install", availableVersion: state.version, detail };
    case "error":
      // The check says "<state>: <error>."; the message's own full stop would double it.
      return { state: "the last update attempt failed", error: state.message.replace(/\.$/, "") };
  }
}

export function appDiagnostics(d: AppDiagnosticsDeps): AppDiagnostics {
  const platform = d.platform ?? process.platform;
  const connection = d.engine.connection;
  const tokenCachePath = d.tokenCachePath;

  // The system proxy Chromium resolves for each endpoint (PAC scripts and bypass lists included): once per origin.
  const proxies = new Map<string, Promise<ProxySetting>>();
  const proxyFor = (url: string): Promise<ProxySetting> => {
    const origin = new URL(url).origin;
    let p = proxies.get(origin);
    if (!p) {
      p = session.defaultSession.resolveProxy(origin).then(proxyFromSystem);
      proxies.set(origin, p);
    }
    return p;
  };
  const endpoints = {
    signin: new URL(connection.authority).origin,
    graph: new URL(connection.graphBaseUrl).origin,
    arm: connection.armBaseUrl ? new URL(connection.armBaseUrl).origin : null,
  };

  const tokenCache = async (): Promise<TokenCacheInfo> => {
    if (!d.cache.encrypted) return { kind: "memory", location: null, present: false, readable: false, ownerOnly: null };
    const info: TokenCacheInfo = {
      kind: "encrypted",
      location: tokenCachePath,
      present: false,
      readable: false,
      ownerOnly: null,
    };
    try {
      const s = await stat(tokenCachePath);
      info.present = true;
      info.ownerOnly = platform === "win32" ? null : (s.mode & 0o077) === 0;
      await access(tokenCachePath, fsConstants.R_OK);
      // Readable means the OS key store decrypts it, as the sign-in will need.
      await d.cache.load();
      info.readable = true;
    } catch {
      // absent, unreadable or not decryptable: told by the fields as they stand
    }
    return info;
  };

  const notifications = async (test: boolean): Promise<NotificationInfo> => {
    const buttons =
      platform === "linux" ? " Notifications with buttons go through notify-send where it offers them." : "";
    if (!Notification.isSupported())
      return {
        backend: "node-notifier",
        available: true,
        detail: `Electron's notifications are not supported here.${buttons}`,
        testShown: null,
      };
    if (!test) return { backend: "Electron Notification", available: true, testShown: null, detail: buttons.trim() };
    const shown = await new Promise<boolean>((resolve) => {
      const n = new Notification({
        title: TEST_NOTIFICATION_TITLE,
        body: "Troubleshoot… sent this to check that notifications show. Expiry warnings and requests to approve show the same way.",
      });
      const timer = setTimeout(() => resolve(false), TEST_NOTIFICATION_MS);
      const settle = (ok: boolean) => {
        clearTimeout(timer);
        resolve(ok);
      };
      n.on("show", () => settle(true));
      n.on("failed", (_e, error) => {
        d.logger.warn(`the test notification failed: ${error}`);
        settle(false);
      });
      n.show();
    });
    return {
      backend: "Electron Notification",
      available: true,
      testShown: shown,
      detail:
        `${shown ? "" : `It was not shown within ${TEST_NOTIFICATION_MS / 1000} s.`}${buttons}`.trim() || undefined,
    };
  };

  const autostart = async (): Promise<AutostartInfo> => {
    if (platform === "linux") {
      const path = autostartPath();
      const enabled = await access(path).then(
        () => true,
        () => false,
      );
      return { supported: true, enabled, detail: `XDG autostart entry ${path}${enabled ? "" : " (absent)"}.` };
    }
    if (platform === "darwin" && !app.isPackaged)
      return { supported: false, enabled: false, detail: "A development build cannot register a macOS login item." };
    return { supported: true, enabled: app.getLoginItemSettings().openAtLogin };
  };

  const policyReport = () => policyReportOf(d.settings.policy);

  const run = (testNotification: boolean): Promise<DoctorReport> =>
    runDoctor({
      frontEnd: "app",
      endpoints,
      customEndpoints: connection.custom,
      reach: async (url) => {
        const proxy = (await proxyFor(url)).url;
        // The certificate is read in a handshake of its own, directly or through an HTTP proxy's tunnel; a SOCKS
        // or HTTPS proxy is not tunnelled by tlsPeer, so there it is not read.
        const tunnel = proxy === null || proxy.startsWith("http://");
        return reach(url, {
          fetch: d.fetch,
          proxy,
          ...(tunnel ? { peer: (u: string) => tlsPeer(u, { ca: appTrust(d.extraCaPem), proxyUrl: proxy }) } : {}),
        });
      },
      // The first endpoint that goes through a proxy says which; otherwise the sign-in host's (direct).
      proxy: async () => {
        const all = await Promise.all(
          [endpoints.signin, endpoints.graph, endpoints.arm].flatMap((u) => (u ? [proxyFor(u)] : [])),
        );
        return all.find((p) => p.url) ?? all[0] ?? { source: "system", url: null, noProxy: null };
      },
      tokenCache,
      // The account and its cached tokens' scopes, as the CLI's doctor reads them (through the app's cache).
      account: () => accountProbe(d.engine.auth, () => d.cache.load()),
      planeScopes: connection.planeScopes,
      planesEnabled: async () => (await d.settings.load()).planes,
      policy: async () => policyReport(),
      notifications: () => notifications(testNotification),
      autostart,
      update: async () => updateInfo(d.updateState(), app.getVersion()) ?? { state: "not started yet" },
      versions: async () => ({
        app: app.getVersion(),
        electron: process.versions.electron ?? null,
        node: process.versions.node,
        os: `${type()} ${release()} ${arch()}`,
      }),
    });

  return {
    doctor: () => run(true),

    async exportDiagnostics() {
      const now = (d.now ?? (() => new Date()))();
      const chosen = await dialog.showSaveDialog({
        title: "Export diagnostics",
        defaultPath: join(app.getPath("downloads"), diagnosticsFileName(now)),
        buttonLabel: "Export",
        filters: [{ name: "Zip archive", extensions: ["zip"] }],
      });
      if (chosen.canceled || !chosen.filePath) return null;
      // No test notification here: the export is about what was wrong before, not a new popup on the screen.
      const report = await run(false);
      // Loaded when exporting only (yazl with it), as the CLI's doctor does.
      const { exportDiagnostics } = await import("../engine/diagnostics/export.js");
      let entries: string[];
      try {
        entries = await exportDiagnostics({
          path: chosen.filePath,
          report,
          logFiles: logFiles(join(d.configDir, FILES.log)),
          settings: await d.settings.load(),
          policy: policyReport(),
        });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new Error(
          `The diagnostics could not be written to ${chosen.filePath}${code ? ` (${code})` : ""}: ${e instanceof Error ? e.message : String(e)}.`,
          { cause: e },
        );
      }
      d.logger.info(`diagnostics exported to ${chosen.filePath} (${entries.length} files)`);
      return chosen.filePath;
    },
  };
}
