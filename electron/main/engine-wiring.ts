import { net, safeStorage, shell } from "electron";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { ElectronStoreSettings } from "../adapters/electron-settings.js";
import { AppTokenCache } from "../adapters/safe-storage-persistence.js";
import { DEFAULT_CLIENT_ID, resolveConnection } from "../engine/config.js";
import { ConfigError } from "../engine/errors.js";
import { createEngine } from "../engine/engine.js";
import { HistoryLog } from "../engine/history/history-log.js";
import type { FetchLike } from "../engine/http/http-client.js";
import type { Logger } from "../engine/logger.js";
import { FILES } from "../engine/paths.js";
import { PolicedSettings } from "../engine/policy/policed-settings.js";
import { platformPolicySources } from "../engine/policy/platform-sources.js";
import { lockedBecause, readManagedPolicy, type EffectiveSettings } from "../engine/policy/policy-resolver.js";
import type { AppDemoEmulator } from "./demo-emulator.js";

// The engine on Electron's capabilities: settings.json through electron-store, the token cache under
// safeStorage, HTTP through net.fetch, sign-in in the system browser (or the demo emulator's). Managed policy
// applies over settings.json (policy > settings.json > defaults, docs/deployment.md): the engine, the lifecycle
// and the popup see the effective settings, and a change to a locked one is refused (PolicedSettings).

/**
 * How long the popup's lists wait for a slow plane once another answered: one connection timeout, so
 * an unreachable Azure Resource Manager never holds up groups for longer.
 */
const SLOW_PLANE_MS = 10_000;

export interface EngineWiring {
  configDir: string;
  /** Demo mode: the emulator replaces the tenant, the endpoints and the sign-in browser. */
  demoEmu: AppDemoEmulator | null;
  logger: Logger;
}

async function demoFetch(caPem: string): Promise<FetchLike> {
  const { Agent, fetch } = await import("undici");
  const dispatcher = new Agent({ connect: { ca: [...rootCertificates, caPem] } });
  return (url, init) => fetch(url, { ...init, dispatcher });
}

/** Why custom endpoints are refused: the organisation turned them off, or settings.json does not allow them. */
function customEndpointsRefusal(policy: EffectiveSettings, customEndpoints: string[]): string {
  const byPolicy = policy.locked.includes("allowCustomEndpoints");
  return byPolicy
    ? `settings.json names custom endpoints (${customEndpoints.join(", ")}), and custom endpoints are turned off: this is ${lockedBecause(policy, "AllowCustomEndpoints")} Remove them from connection in settings.json, or choose Reset connection settings.`
    : `settings.json names custom endpoints (${customEndpoints.join(", ")}). PIM Tray would send your tokens there, so it uses them only when "allowCustomEndpoints": true is set as well. If you did not add them, choose Reset connection settings.`;
}

export async function wireEngine({ configDir, demoEmu, logger }: EngineWiring) {
  const settings = new PolicedSettings(
    new ElectronStoreSettings(configDir),
    await readManagedPolicy(platformPolicySources()),
  );
  const policy = await settings.effective();
  for (const p of policy.problems) logger.warn(`managed policy: ${p}`);
  const s = policy.settings;
  const customEndpoints = [
    s.connection.authorityHost && `sign-in at ${s.connection.authorityHost}`,
    s.connection.graphEndpoint && `Graph at ${s.connection.graphEndpoint}`,
    s.connection.armEndpoint && `Azure Resource Manager at ${s.connection.armEndpoint}`,
  ].filter(Boolean);
  if (!demoEmu && customEndpoints.length && !s.allowCustomEndpoints) {
    // Tokens minted silently from the protected refresh token would go to these hosts: one edited
    // line in a file must not be enough for that.
    throw new ConfigError(
      customEndpointsRefusal(
        policy,
        customEndpoints.filter((e): e is string => Boolean(e)),
      ),
    );
  }
  const cache = await AppTokenCache.create({
    safeStorage,
    platform: process.platform,
    preference: s.tokenStorage,
    path: join(configDir, "msal-cache.bin"),
  });
  // net.fetch uses the system proxy and the OS trust store; demo mode trusts the emulator's own CA.
  // undici and the demo sign-in are imported in demo mode only: the app otherwise never loads them.
  const fetch: FetchLike = demoEmu ? await demoFetch(demoEmu.caPem) : (url, init) => net.fetch(url, init);
  const connection = resolveConnection({
    cloud: s.connection.cloud,
    tenant: demoEmu ? demoEmu.tenantId : s.connection.tenant,
    clientId: s.connection.clientId ?? DEFAULT_CLIENT_ID,
    authorityHost: demoEmu ? new URL(demoEmu.authority).origin : s.connection.authorityHost,
    graphEndpoint: demoEmu ? new URL(demoEmu.graphBaseUrl).origin : s.connection.graphEndpoint,
    // The demo emulator serves ARM under /arm on its own origin, as the CLI's demo mode has it.
    armEndpoint: demoEmu ? `${new URL(demoEmu.graphBaseUrl).origin}/arm` : s.connection.armEndpoint,
  });
  const history = new HistoryLog(join(configDir, FILES.history));
  const engine = createEngine({
    connection,
    fetch,
    persistence: cache,
    ui: {
      openBrowser: demoEmu
        ? async (url) => (await import("../node/demo-sign-in.js")).followSignInPage(url, demoEmu.caPem)
        : (url) => shell.openExternal(url),
    },
    settings,
    history,
    logger,
    account: s.account,
    // Read on every call, so turning a plane off in Settings applies at once.
    planesEnabled: async () => (await settings.load()).planes,
    slowPlaneMs: SLOW_PLANE_MS,
  });
  return { engine, settings, cache, policy };
}
