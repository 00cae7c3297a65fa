import { ActivationService, type HistorySink } from "./activation/activation-service.js";
import { AuthService, type SignInMethod, type SignInUi } from "./auth/auth-service.js";
import type { TokenCachePersistence } from "./auth/token-cache.js";
import type { ResolvedConnection } from "./config.js";
import { AuthError } from "./errors.js";
import { GraphClient } from "./graph/graph-client.js";
import { PimClient } from "./graph/pim-client.js";
import { HttpClient, type FetchLike, type HttpClientOptions } from "./http/http-client.js";
import type { Logger } from "./logger.js";
import { ProfileService, type SettingsRepository } from "./profiles/settings-store.js";

export interface EngineOptions {
  connection: ResolvedConnection;
  fetch: FetchLike;
  persistence: TokenCachePersistence;
  ui: SignInUi;
  settings: SettingsRepository;
  history: HistorySink;
  logger: Logger;
  account?: { homeAccountId: string; method: SignInMethod } | null | undefined;
  allowInteraction?: boolean;
  http?: HttpClientOptions;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Engine {
  connection: ResolvedConnection;
  http: HttpClient;
  auth: AuthService;
  graph: GraphClient;
  pim: PimClient;
  activation: ActivationService;
  profiles: ProfileService;
  settings: SettingsRepository;
  history: HistorySink;
  logger: Logger;
}

/** Wires the engine. Front ends supply the capabilities (fetch, persistence, sign-in UI, storage). */
export function createEngine(o: EngineOptions): Engine {
  const http = new HttpClient(o.fetch, { ...o.http, ...(o.now ? { now: o.now } : {}), ...(o.sleep ? { sleep: o.sleep } : {}) });
  const auth = new AuthService({
    connection: o.connection,
    http,
    persistence: o.persistence,
    ui: o.ui,
    logger: o.logger,
    preferredAccountId: o.account?.homeAccountId,
    method: o.account?.method ?? "browser",
    allowInteraction: o.allowInteraction ?? true,
  });
  const graph = new GraphClient(http, o.connection.graphBaseUrl, auth, o.logger);
  const pim = new PimClient(graph, o.logger, o.now ? { now: o.now } : {});
  const activation = new ActivationService({
    pim,
    tokens: auth,
    principal: async () => {
      const a = await auth.currentAccount();
      if (!a) throw new AuthError("You are not signed in. Run `pimtray login` (or Sign in from the tray).", { details: { needsSignIn: true } });
      return { objectId: a.objectId, username: a.username };
    },
    history: o.history,
    logger: o.logger,
    ...(o.now ? { now: o.now } : {}),
    ...(o.sleep ? { sleep: o.sleep } : {}),
  });
  return { connection: o.connection, http, auth, graph, pim, activation, profiles: new ProfileService(o.settings), settings: o.settings, history: o.history, logger: o.logger };
}
