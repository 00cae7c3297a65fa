import { signInAndRemember, rememberJustification, signOutAndForget, switchAndRemember } from "./account.js";
import { ActivationService } from "./activation/activation-service.js";
import { AuthService, type AccountSummary, type SignInMethod, type SignInUi } from "./auth/auth-service.js";
import type { TokenCachePersistence } from "./auth/token-cache.js";
import type { ResolvedConnection } from "./config.js";
import { eligibleWithPolicies, type EligibleWithPolicy } from "./eligible.js";
import { ApprovalsService } from "./approvals/approvals-service.js";
import { AzureApprovals } from "./approvals/azure-approvals.js";
import { GroupApprovals } from "./approvals/group-approvals.js";
import { RoleApprovals } from "./approvals/role-approvals.js";
import { AuthError } from "./errors.js";
import { GraphClient, type TokenSource } from "./graph/graph-client.js";
import { PimClient } from "./graph/pim-client.js";
import type { HistoryLog } from "./history/history-log.js";
import { HttpClient, type FetchLike, type HttpClientOptions, type RetryEvent } from "./http/http-client.js";
import type { Logger } from "./logger.js";
import { ProfileService, type SettingsRepository } from "./profiles/settings-store.js";
import { ArmClient } from "./planes/azure/arm-client.js";
import { AzurePlane } from "./planes/azure/azure-client.js";
import { GroupPlane } from "./planes/group-plane.js";
import { Planes } from "./planes/planes.js";
import { RolePlane } from "./planes/role/role-client.js";
import type { PlaneKind } from "./planes/targets.js";

export interface EngineOptions {
  connection: ResolvedConnection;
  fetch: FetchLike;
  persistence: TokenCachePersistence;
  ui: SignInUi;
  settings: SettingsRepository;
  history: HistoryLog;
  logger: Logger;
  account?: { homeAccountId: string; method: SignInMethod } | null | undefined;
  allowInteraction?: boolean;
  http?: HttpClientOptions;
  /** Azure Resource Manager's own retry budget (its throttling is its own); `http` when not given. */
  armHttp?: HttpClientOptions;
  /** Which planes are on; all of them when not given. */
  planesEnabled?: () => Promise<Record<PlaneKind, boolean>>;
  /** How long a read of every plane waits for a slow plane once another answered. */
  slowPlaneMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Engine {
  connection: ResolvedConnection;
  http: HttpClient;
  auth: AuthService;
  graph: GraphClient;
  /** The groups plane's client, as it always was. */
  pim: PimClient;
  /** All three planes: groups, Entra ID roles, Azure roles. */
  planes: Planes;
  activation: ActivationService;
  /** The approver's inbox on every plane (read only when asked: the lifecycle asks once approvals are on). */
  approvals: ApprovalsService;
  profiles: ProfileService;
  settings: SettingsRepository;
  history: HistoryLog;
  logger: Logger;
  /** Signs in and remembers the account (and the tenant, once known) in settings.json. */
  signIn(o?: { method?: SignInMethod; selectAccount?: boolean }): Promise<AccountSummary>;
  /** Switches to an account already signed in on this computer, and remembers it. */
  switchAccount(idOrUsername: string): Promise<AccountSummary>;
  /** Signs out (this account, or all) and forgets the account in settings.json. */
  signOut(all?: boolean): Promise<AccountSummary[]>;
  /** Keeps a justification as the default for the next activation (blank ones are ignored). */
  rememberJustification(justification: string | undefined): Promise<void>;
  /** The eligibility list, each with its policy, read a few at a time. */
  eligibleWithPolicies(): Promise<EligibleWithPolicy[]>;
}

/** Wires the engine. Front ends supply the capabilities (fetch, persistence, sign-in UI, storage). */
export function createEngine(o: EngineOptions): Engine {
  // A 429 from Graph or ARM slows every profile's submissions down (activation/submission-gate.ts).
  let throttled: (retryAfterMs: number) => void = () => undefined;
  const onRetry = (http: HttpClientOptions | undefined) => ({
    onRetry: (e: RetryEvent) => {
      http?.onRetry?.(e);
      if (e.reason.startsWith("HTTP 429")) throttled(e.delayMs);
    },
  });
  const http = new HttpClient(o.fetch, {
    ...o.http,
    ...onRetry(o.http),
    ...(o.now ? { now: o.now } : {}),
    ...(o.sleep ? { sleep: o.sleep } : {}),
  });
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
  const timing = o.now ? { now: o.now } : {};
  const armHttp = new HttpClient(o.fetch, {
    ...(o.armHttp ?? o.http),
    ...onRetry(o.armHttp ?? o.http),
    ...(o.now ? { now: o.now } : {}),
    ...(o.sleep ? { sleep: o.sleep } : {}),
  });
  const roleTokens = planeTokens(auth, o.connection.planeScopes.role);
  const roleGraph = new GraphClient(http, o.connection.graphBaseUrl, roleTokens, o.logger);
  const arm = new ArmClient(
    armHttp,
    // Never called without an endpoint: the plane is unavailable then (below).
    o.connection.armBaseUrl ?? "https://arm.invalid",
    planeTokens(auth, o.connection.planeScopes.azure),
    o.logger,
  );
  const unavailable =
    o.connection.armBaseUrl === null
      ? {
          azure:
            "Azure roles: off: this connection uses a custom sign-in or Graph endpoint and names no Azure Resource Manager endpoint (give --arm-endpoint, or armEndpoint in settings).",
        }
      : undefined;
  const planesEnabled = o.planesEnabled ?? Planes.allOn;
  const planes = new Planes(
    {
      group: new GroupPlane(pim),
      role: new RolePlane(roleGraph, o.logger, timing),
      azure: new AzurePlane(arm, o.logger, timing),
    },
    {
      enabled: planesEnabled,
      logger: o.logger,
      ...(o.slowPlaneMs !== undefined ? { slowPlaneMs: o.slowPlaneMs } : {}),
      ...(unavailable ? { unavailable } : {}),
    },
  );
  const approvals = new ApprovalsService({
    planes: {
      group: new GroupApprovals(graph),
      role: new RoleApprovals(
        roleGraph,
        // Directory-role approvals exist only in Graph beta: same origin and tokens as v1.0.
        new GraphClient(http, o.connection.graphBaseUrl.replace(/\/v1\.0$/, "/beta"), roleTokens, o.logger),
      ),
      azure: new AzureApprovals(arm),
    },
    enabled: planesEnabled,
    policy: (t) => planes.policy(t),
    logger: o.logger,
    ...(o.now ? { now: o.now } : {}),
    ...(unavailable ? { unavailable } : {}),
  });
  const activation = new ActivationService({
    planes,
    principal: async () => {
      const a = await auth.currentAccount();
      if (!a)
        throw new AuthError("You are not signed in. Run `pimtray login` (or Sign in from the tray).", {
          details: { needsSignIn: true },
        });
      return { objectId: a.objectId, username: a.username };
    },
    history: o.history,
    logger: o.logger,
    ...(o.now ? { now: o.now } : {}),
    ...(o.sleep ? { sleep: o.sleep } : {}),
  });
  throttled = (ms) => activation.throttled(ms);
  const account = { auth, settings: o.settings };
  return {
    connection: o.connection,
    http,
    auth,
    graph,
    pim,
    planes,
    activation,
    approvals,
    profiles: new ProfileService(o.settings),
    settings: o.settings,
    history: o.history,
    logger: o.logger,
    signIn: (options) => signInAndRemember(account, options),
    switchAccount: (idOrUsername) => switchAndRemember(account, idOrUsername),
    signOut: (all) => signOutAndForget(account, all),
    rememberJustification: (justification) => rememberJustification(o.settings, justification),
    eligibleWithPolicies: () => eligibleWithPolicies(planes),
  };
}

/**
 * A plane's tokens: its own scopes (one resource per token), and reads never prompt: the role and
 * Azure planes are tried silently. A step-up (claims) may prompt, as it does for groups.
 */
function planeTokens(auth: AuthService, scopes: string[]): TokenSource {
  return {
    getAccessToken: (r = {}) => auth.getAccessToken({ ...r, scopes, silent: !r.claims }),
  };
}
