import { Agent, fetch as undiciFetch } from "undici";
import { AuthService } from "../../../../electron/engine/auth/auth-service.js";
import { MemoryPersistence } from "../../../../electron/engine/auth/token-cache.js";
import { DEFAULT_CLIENT_ID, resolveConnection, type ResolvedConnection } from "../../../../electron/engine/config.js";
import type { TokenSource } from "../../../../electron/engine/graph/graph-client.js";
import { HttpClient, type FetchLike, type HttpClientOptions } from "../../../../electron/engine/http/http-client.js";
import type { Logger } from "../../../../electron/engine/logger.js";
import { ArmClient, type ArmClientOptions } from "../../../../electron/engine/planes/azure/arm-client.js";
import { AzurePlane } from "../../../../electron/engine/planes/azure/azure-client.js";
import type { RunningEmulator } from "../../../../emulator/index.js";

// The Azure plane wired as the engine wires it: the real AuthService (MSAL, device code against the
// emulator), a token source scoped to ARM's `.default`, and ARM's own HttpClient. Sleeps advance the
// emulator's clock instead of waiting, and are recorded.

export interface Recorded {
  lines: string[];
  sleeps: number[];
  /** ARM calls by method and path (no query). */
  calls: string[];
}

export function recordingLogger(into: string[]): Logger {
  const at = (level: string) => (m: string) => void into.push(`${level} ${m}`);
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

export function connectionFor(emu: RunningEmulator): ResolvedConnection {
  return resolveConnection({
    cloud: "global",
    tenant: emu.tenantId,
    clientId: DEFAULT_CLIENT_ID,
    authorityHost: emu.origin,
    graphEndpoint: emu.origin,
    armEndpoint: emu.armBaseUrl,
  });
}

export function fetchFor(emu: RunningEmulator, calls?: string[]): { fetch: FetchLike; close(): Promise<void> } {
  const dispatcher = new Agent({ connect: { ca: emu.caPem } });
  return {
    fetch: (url, init) => {
      if (calls && url.includes("/arm/")) calls.push(`${init.method} ${new URL(url).pathname.replace(/^\/arm/, "")}`);
      return undiciFetch(url, { ...init, dispatcher });
    },
    close: () => dispatcher.close(),
  };
}

/** Signs `user` in through the device-code flow (auto-approved by the emulator). */
export async function signedIn(emu: RunningEmulator, fetch: FetchLike, user = "adele"): Promise<AuthService> {
  const auth = new AuthService({
    connection: connectionFor(emu),
    http: new HttpClient(fetch),
    persistence: new MemoryPersistence(),
    ui: { showDeviceCode: () => undefined },
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    method: "device-code",
  });
  await emu.control.configure({ deviceCodeAutoApprove: user, deviceCodeIntervalSeconds: 0 });
  await auth.signIn({ method: "device-code" });
  return auth;
}

/** What the lead's engine hands the plane: the auth service's tokens, for the Azure plane's scopes. */
export function armTokens(auth: AuthService, connection: ResolvedConnection): TokenSource {
  return {
    getAccessToken: (r = {}) => auth.getAccessToken({ ...r, scopes: connection.planeScopes.azure }),
  };
}

export function armPlane(
  emu: RunningEmulator,
  fetch: FetchLike,
  tokens: TokenSource,
  rec: Recorded,
  options: { http?: HttpClientOptions; arm?: ArmClientOptions } = {},
): { arm: ArmClient; plane: AzurePlane } {
  const sleep = async (ms: number) => {
    rec.sleeps.push(ms);
    await emu.control.advanceClock(ms);
  };
  const logger = recordingLogger(rec.lines);
  const http = new HttpClient(fetch, { sleep, random: () => 0.5, ...options.http });
  const arm = new ArmClient(http, emu.armBaseUrl, tokens, logger, { sleep, ...options.arm });
  return { arm, plane: new AzurePlane(arm, logger) };
}
