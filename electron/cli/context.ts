import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import type { SignInUi } from "../engine/auth/auth-service.js";
import { AUTHORITY_METADATA_FILE, AuthorityMetadataFile } from "../engine/auth/authority-metadata.js";
import { OwnerOnlyFilePersistence } from "../engine/auth/file-persistence.js";
import { MemoryPersistence, type TokenCachePersistence } from "../engine/auth/token-cache.js";
import { DEFAULT_CLIENT_ID, resolveConnection, type CloudName } from "../engine/config.js";
import { createEngine, type Engine } from "../engine/engine.js";
import { HistoryLog } from "../engine/history/history-log.js";
import type { FetchLike } from "../engine/http/http-client.js";
import { UsageError } from "../engine/errors.js";
import type { Logger } from "../engine/logger.js";
import { defaultConfigDir, FILES } from "../engine/paths.js";
import { FileSettingsStore } from "../engine/profiles/settings-store.js";
import type { Settings } from "../engine/profiles/settings-schema.js";
import { PolicedSettings } from "../engine/policy/policed-settings.js";
import { platformPolicySources } from "../engine/policy/platform-sources.js";
import { lockedBecause, readManagedPolicy, type EffectiveSettings } from "../engine/policy/policy-resolver.js";
import type { PolicyKey } from "../engine/policy/policy-schema.js";
import type { DemoEmulator } from "../node/demo-emulator.js";
import { fileLogger } from "../node/file-logger.js";
import { httpsFetch } from "./https-fetch.js";
import type { Out } from "./output.js";

export interface GlobalOptions {
  json?: boolean;
  tenant?: string;
  clientId?: string;
  cloud?: string;
  authorityHost?: string;
  graphEndpoint?: string;
  armEndpoint?: string;
  configDir?: string;
  demo?: boolean;
  verbose?: boolean;
}

export interface CliContext {
  engine: Engine;
  configDir: string;
  /** The effective settings: managed policy applied (policy > settings.json > defaults). */
  settings: Settings;
  /** The user's own settings.json, without policy (the engine's `settings` applies policy). */
  store: FileSettingsStore;
  /** Managed policy: where each value came from, what is locked, problems (`pimtray policy` prints it). */
  policy: EffectiveSettings;
  history: HistoryLog;
  out: Out;
  logger: Logger;
  demo: DemoEmulator | null;
}

/** Whether a proxy is configured: the variables undici's EnvHttpProxyAgent reads, in either case. */
export function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"].some((k) => Boolean(env[k]));
}

/**
 * HTTP for the engine. Without a proxy, node:https (https-fetch.ts); with one, undici's proxy agent, imported
 * on the first request so that only runs through a proxy load it.
 */
function cliFetch(extraCa: string | null): FetchLike {
  if (!proxyConfigured()) return httpsFetch(extraCa ? { ca: [...rootCertificates, extraCa] } : {});
  let client: Promise<FetchLike> | null = null;
  return async (url, init) => {
    client ??= import("./proxy-fetch.js").then((m) => m.proxyFetch(extraCa));
    return (await client)(url, init);
  };
}

function systemBrowser(out: Out): (url: string) => Promise<void> {
  return async (url) => {
    const [cmd, args] =
      process.platform === "darwin"
        ? ["open", [url]]
        : process.platform === "win32"
          ? ["cmd", ["/c", "start", '""', url.replace(/&/g, "^&")]]
          : ["xdg-open", [url]];
    out.error("Opening your browser to sign in. If it does not open, run `pimtray login --device-code`.");
    // Imported here: only an interactive sign-in opens a browser, and every other command starts without it.
    const { spawn } = await import("node:child_process");
    await new Promise<void>((resolve, reject) => {
      const child = spawn(cmd as string, args as string[], { stdio: "ignore", detached: true });
      child.once("error", (e) => reject(new Error(`could not open a browser (${e.message}); use --device-code`)));
      child.once("spawn", () => {
        child.unref();
        resolve();
      });
    });
  };
}

/** undici's connect timeout: how long a listing waits for a plane that has not answered. */
const SLOW_PLANE_MS = 10_000;

/** The demo emulator serves Azure Resource Manager under /arm on its own origin. */
function demoArmEndpoint(demo: DemoEmulator): string {
  return `${new URL(demo.graphBaseUrl).origin}/arm`;
}

function envOr(value: string | undefined, env: string): string | undefined {
  return value ?? (process.env[env] || undefined);
}

export async function createContext(o: GlobalOptions, out: Out, allowInteraction = true): Promise<CliContext> {
  let configDir = envOr(o.configDir, "PIMTRAY_CONFIG_DIR") ?? defaultConfigDir();
  let demo: DemoEmulator | null = null;
  if (o.demo) {
    configDir = join(configDir, "demo");
    const { ensureDemoEmulator } = await import("../node/demo-emulator.js");
    demo = await ensureDemoEmulator(configDir);
  }
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const logger = fileLogger(join(configDir, FILES.log), Boolean(o.verbose), (line) => out.error(line));
  const store = new FileSettingsStore(join(configDir, FILES.settings));
  // Policy > settings.json > defaults (docs/deployment.md). The file keeps the user's values; the engine and every
  // command see the effective ones, and a change to a locked setting is refused (PolicedSettings).
  const policed = new PolicedSettings(store, await readManagedPolicy(platformPolicySources()));
  const policy = await policed.effective();
  const settings = policy.settings;
  if (policy.problems.length)
    out.error(
      `pimtray: your organisation's policy has ${policy.problems.length === 1 ? "a problem" : `${policy.problems.length} problems`}; run \`pimtray policy\` for details.`,
    );
  const history = new HistoryLog(join(configDir, FILES.history));

  const cloud = policyWins(
    policy,
    "Cloud",
    "--cloud",
    "PIMTRAY_CLOUD",
    envOr(o.cloud, "PIMTRAY_CLOUD"),
    (a, b) => a === b,
  );
  const tenant = policyWins(
    policy,
    "TenantId",
    "--tenant",
    "PIMTRAY_TENANT",
    envOr(o.tenant, "PIMTRAY_TENANT"),
    sameText,
  );
  const clientId = policyWins(
    policy,
    "ClientId",
    "--client-id",
    "PIMTRAY_CLIENT_ID",
    envOr(o.clientId, "PIMTRAY_CLIENT_ID"),
    sameText,
  );
  const endpoints = {
    authorityHost: envOr(o.authorityHost, "PIMTRAY_AUTHORITY_HOST") ?? settings.connection.authorityHost,
    graphEndpoint: envOr(o.graphEndpoint, "PIMTRAY_GRAPH_ENDPOINT") ?? settings.connection.graphEndpoint,
    armEndpoint: envOr(o.armEndpoint, "PIMTRAY_ARM_ENDPOINT") ?? settings.connection.armEndpoint,
  };
  // The demo tenant is local and its tokens are its own: policy on endpoints and the tenant does not apply to it.
  if (!demo) refuseCustomEndpoints(policy, endpoints);
  const connection = resolveConnection({
    cloud: (cloud ?? settings.connection.cloud) as CloudName,
    tenant: demo ? demo.tenantId : (tenant ?? settings.connection.tenant),
    clientId: clientId ?? settings.connection.clientId ?? DEFAULT_CLIENT_ID,
    authorityHost: demo ? new URL(demo.authority).origin : endpoints.authorityHost,
    graphEndpoint: demo ? new URL(demo.graphBaseUrl).origin : endpoints.graphEndpoint,
    armEndpoint: demo ? demoArmEndpoint(demo) : endpoints.armEndpoint,
  });

  const ui: SignInUi = {
    openBrowser: demo
      ? async (url) => (await import("../node/demo-sign-in.js")).followSignInPage(url, demo.caPem)
      : systemBrowser(out),
    showDeviceCode: (info) => out.error(info.message),
  };
  const engine = createEngine({
    connection,
    fetch: cliFetch(demo?.caPem ?? null),
    // The sign-in host's metadata is kept beside the tokens: a warm run then starts with its first Graph request,
    // not with a read of the host's OpenID configuration.
    persistence: tokenPersistence(configDir, policy, logger),
    ui,
    settings: policed,
    history,
    logger,
    account: settings.account,
    allowInteraction,
    // The planes the person turned on in settings; --kind filters what is shown and never turns a plane off.
    planesEnabled: () => Promise.resolve(settings.planes),
    // A slow optional plane holds up a listing by at most one connection timeout.
    slowPlaneMs: SLOW_PLANE_MS,
    http: {
      onRetry: (e) => {
        logger.info(`retry ${e.attempt} of ${e.method} ${e.url} in ${e.delayMs} ms: ${e.reason}`);
        out.progress(`${e.reason}; retrying in ${Math.ceil(e.delayMs / 1000)} s`);
      },
    },
  });
  return { engine, configDir, settings, store, policy, history, out, logger, demo };
}

const sameText = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * A flag or variable for a setting the organisation locked: the same value is fine, another is refused, naming
 * the policy (an administrator who pins the tenant expects `--tenant` not to get round it). Returns the value to
 * use from the flag, or undefined for the effective setting.
 */
function policyWins(
  policy: EffectiveSettings,
  key: PolicyKey,
  flag: string,
  variable: string,
  given: string | undefined,
  equal: (a: string, b: string) => boolean,
): string | undefined {
  const field = policy.fields.find((f) => f.key === key);
  if (given === undefined || !field?.locked) return given;
  if (equal(given, String(field.value))) return undefined;
  throw new UsageError(
    `${flag} (or ${variable}) '${given}' is refused: this setting is ${lockedBecause(policy, key)} Leave out ${flag} and unset ${variable}.`,
  );
}

/** AllowCustomEndpoints off: no token goes to an endpoint other than the cloud's own, from a flag or settings.json. */
function refuseCustomEndpoints(
  policy: EffectiveSettings,
  endpoints: {
    authorityHost?: string | undefined;
    graphEndpoint?: string | undefined;
    armEndpoint?: string | undefined;
  },
): void {
  const field = policy.fields.find((f) => f.key === "AllowCustomEndpoints");
  if (!field?.locked || field.value !== false) return;
  const given = Object.entries(endpoints)
    .filter(([, v]) => v)
    .map(([k]) => k);
  if (!given.length) return;
  const flags = given.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(", ");
  throw new UsageError(
    `Custom endpoints (${given.join(", ")}) are turned off: this is ${lockedBecause(policy, "AllowCustomEndpoints")} Leave out ${flags}, unset PIMTRAY_AUTHORITY_HOST, PIMTRAY_GRAPH_ENDPOINT and PIMTRAY_ARM_ENDPOINT, and remove them from connection in settings.json.`,
  );
}

/**
 * The CLI keeps tokens in a file only you can read. Where policy says memory, nothing is kept between commands
 * (each one signs in), and a file kept before is removed: it holds tokens the organisation does not allow on disk.
 */
function tokenPersistence(configDir: string, policy: EffectiveSettings, logger: Logger): TokenCachePersistence {
  const memoryByPolicy = policy.fields.some((f) => f.key === "TokenCache" && f.locked && f.value === "memory");
  if (!memoryByPolicy)
    return new OwnerOnlyFilePersistence(join(configDir, FILES.tokenCache), {
      authorityMetadata: new AuthorityMetadataFile(join(configDir, AUTHORITY_METADATA_FILE)),
    });
  const file = join(configDir, FILES.tokenCache);
  try {
    rmSync(file, { force: true });
  } catch (e) {
    logger.warn(`policy TokenCache is memory, but ${file} could not be removed`, e);
  }
  return new MemoryPersistence();
}
