import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import type { SignInUi } from "../engine/auth/auth-service.js";
import { AUTHORITY_METADATA_FILE, AuthorityMetadataFile } from "../engine/auth/authority-metadata.js";
import { OwnerOnlyFilePersistence } from "../engine/auth/file-persistence.js";
import { DEFAULT_CLIENT_ID, resolveConnection, type CloudName } from "../engine/config.js";
import { createEngine, type Engine } from "../engine/engine.js";
import { HistoryLog } from "../engine/history/history-log.js";
import type { FetchLike } from "../engine/http/http-client.js";
import type { Logger } from "../engine/logger.js";
import { defaultConfigDir, FILES } from "../engine/paths.js";
import { FileSettingsStore } from "../engine/profiles/settings-store.js";
import type { Settings } from "../engine/profiles/settings-schema.js";
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
  settings: Settings;
  store: FileSettingsStore;
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
  const settings = await store.load();
  const history = new HistoryLog(join(configDir, FILES.history));

  const cloud = (envOr(o.cloud, "PIMTRAY_CLOUD") ?? settings.connection.cloud) as CloudName;
  const connection = resolveConnection({
    cloud,
    tenant: demo ? demo.tenantId : (envOr(o.tenant, "PIMTRAY_TENANT") ?? settings.connection.tenant),
    clientId: envOr(o.clientId, "PIMTRAY_CLIENT_ID") ?? settings.connection.clientId ?? DEFAULT_CLIENT_ID,
    authorityHost: demo
      ? new URL(demo.authority).origin
      : (envOr(o.authorityHost, "PIMTRAY_AUTHORITY_HOST") ?? settings.connection.authorityHost),
    graphEndpoint: demo
      ? new URL(demo.graphBaseUrl).origin
      : (envOr(o.graphEndpoint, "PIMTRAY_GRAPH_ENDPOINT") ?? settings.connection.graphEndpoint),
    armEndpoint: demo
      ? demoArmEndpoint(demo)
      : (envOr(o.armEndpoint, "PIMTRAY_ARM_ENDPOINT") ?? settings.connection.armEndpoint),
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
    persistence: new OwnerOnlyFilePersistence(join(configDir, FILES.tokenCache), {
      authorityMetadata: new AuthorityMetadataFile(join(configDir, AUTHORITY_METADATA_FILE)),
    }),
    ui,
    settings: store,
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
  return { engine, configDir, settings, store, history, out, logger, demo };
}
