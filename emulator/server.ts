import { createServer, type Server } from "node:https";
import { ServerResponse, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { ensureTls, type TlsMaterial } from "./certs.js";
import { EmulatorClock } from "./clock.js";
import { handleControl } from "./control.js";
import { FaultInjector } from "./faults.js";
import type { GraphSettings } from "./graph/common.js";
import { GraphService } from "./graph/service.js";
import {
  BodyTooLarge,
  type Ctx,
  entraErrorBody,
  graphErrorBody,
  newRequestId,
  readBody,
  sendGraphError,
  sendJson,
} from "./http.js";
import { IdentityService } from "./identity/service.js";
import type { IdentitySettings } from "./identity/state.js";
import { PimState, type PimSettings } from "./pim.js";
import { redactFields, redactHeaders, RequestLog } from "./request-log.js";
import { demoTenant, largeTenant, type TenantSeed } from "./seed.js";
import { loadSigningKeys, type SigningKeys } from "./tokens.js";

export type SeedSpec = { kind: "demo" } | { kind: "large"; groups: number; seed?: number };

export interface EmulatorSettings extends PimSettings, IdentitySettings, GraphSettings {}

export const DEFAULT_SETTINGS: EmulatorSettings = {
  provisioningDelayMs: 1000,
  provisioningDelayMaxMs: null,
  policyMessageFormat: "text",
  acrsRequiresCp1: false,
  accessTokenLifetimeSeconds: 3600,
  deviceCodeIntervalSeconds: 5,
  deviceCodeAutoApprove: null,
  autoSignIn: null,
  authorizeOutcome: null,
  consentNotGrantedFor: [],
  pageSize: 100,
  emptyGroupExpansion: false,
  denyPolicyRead: false,
};

export interface EmulatorOptions {
  /** 0 (the default) picks a free port, so suites can run in parallel. */
  port?: number;
  /** Where the CA, server certificate and signing key are kept. */
  dataDir?: string;
  seed?: SeedSpec;
  settings?: Partial<EmulatorSettings>;
}

export interface EmulatorUserInfo {
  id: string;
  displayName: string;
  userPrincipalName: string;
}

export interface EmulatorInfo {
  origin: string;
  authority: string;
  tenantId: string;
  domain: string;
  graphBaseUrl: string;
  caCertPath: string;
  controlUrl: string;
  users: EmulatorUserInfo[];
}

export function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME || join(homedir(), ".local", "share");
  return join(base, "pimtray-emulator");
}

function buildTenant(seed: SeedSpec, now: number): TenantSeed {
  return seed.kind === "large" ? largeTenant(now, seed.groups, seed.seed) : demoTenant(now);
}

export class Emulator {
  readonly clock = new EmulatorClock();
  readonly faults = new FaultInjector();
  readonly log = new RequestLog();
  readonly settings: EmulatorSettings;
  readonly caeRevokedAt = new Map<string, number>();
  readonly identity: IdentityService;
  readonly graph: GraphService;
  #pim: PimState;
  #seed: SeedSpec;
  #server: Server;
  #sockets = new Set<Socket>();
  #origin = "";

  private constructor(
    readonly tls: TlsMaterial,
    readonly keys: SigningKeys,
    private readonly options: EmulatorOptions,
  ) {
    this.settings = { ...DEFAULT_SETTINGS, ...options.settings };
    this.#seed = options.seed ?? { kind: "demo" };
    this.#pim = new PimState(buildTenant(this.#seed, this.clock.now()), this.settings);
    this.identity = new IdentityService({
      tenantId: this.#pim.tenant.tenantId,
      domain: this.#pim.tenant.domain,
      users: () => this.#pim.tenant.users,
      settings: this.settings,
      keys,
      now: () => this.clock.now(),
    });
    this.graph = new GraphService({
      pim: () => this.#pim,
      keys,
      now: () => this.clock.now(),
      settings: this.settings,
      caeRevokedAt: this.caeRevokedAt,
    });
    this.#server = createServer({ key: tls.serverKeyPem, cert: tls.serverCertPem }, (req, res) => {
      void this.#handle(req, res);
    });
    this.#server.keepAliveTimeout = 5000;
    this.#server.on("connection", (s: Socket) => {
      this.#sockets.add(s);
      s.on("close", () => this.#sockets.delete(s));
    });
    // A client that drops its TLS handshake must not take the emulator down.
    this.#server.on("tlsClientError", () => undefined);
  }

  static async start(options: EmulatorOptions = {}): Promise<Emulator> {
    const dataDir = options.dataDir ?? defaultDataDir();
    const tls = ensureTls(dataDir);
    const keys = await loadSigningKeys(dataDir);
    const emu = new Emulator(tls, keys, options);
    await new Promise<void>((resolve, reject) => {
      emu.#server.once("error", reject);
      emu.#server.listen(options.port ?? 0, "127.0.0.1", () => {
        emu.#server.off("error", reject);
        resolve();
      });
    });
    const { port } = emu.#server.address() as AddressInfo;
    emu.#origin = `https://127.0.0.1:${port}`;
    return emu;
  }

  get pim(): PimState {
    return this.#pim;
  }

  get info(): EmulatorInfo {
    const t = this.#pim.tenant;
    return {
      origin: this.#origin,
      authority: `${this.#origin}/${t.tenantId}`,
      tenantId: t.tenantId,
      domain: t.domain,
      graphBaseUrl: `${this.#origin}/v1.0`,
      caCertPath: this.tls.caCertPath,
      controlUrl: `${this.#origin}/_emulator`,
      users: t.users.map((u) => ({ id: u.id, displayName: u.displayName, userPrincipalName: u.userPrincipalName })),
    };
  }

  /** Back to a fresh tenant: state, clock, faults, settings, sessions and log. */
  reset(seed?: SeedSpec): void {
    if (seed) this.#seed = seed;
    this.clock.reset();
    this.faults.clear();
    this.log.clear();
    this.caeRevokedAt.clear();
    Object.assign(this.settings, DEFAULT_SETTINGS, this.options.settings);
    this.identity.reset();
    this.#pim = new PimState(buildTenant(this.#seed, this.clock.now()), this.settings);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      for (const s of this.#sockets) s.destroy();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(req.url ?? "/", this.#origin);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }
    const headerCrid = req.headers["client-request-id"];
    const ctx: Ctx = {
      method: (req.method ?? "GET").toUpperCase(),
      path,
      query: url.searchParams,
      headers: req.headers,
      bodyText: "",
      requestId: newRequestId(),
      clientRequestId: (Array.isArray(headerCrid) ? headerCrid[0] : headerCrid) ?? url.searchParams.get("client-request-id") ?? newRequestId(),
      res,
      origin: this.#origin,
    };
    const isControl = path === "/_emulator" || path.startsWith("/_emulator/");
    const isGraph = /^\/(v1\.0|beta)(\/|$)/i.test(path);
    let fault: "status" | "drop" | null = null;
    try {
      ctx.bodyText = await readBody(req);
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        sendGraphError(ctx, 413, "RequestEntityTooLarge", "The request body is too large.");
        return;
      }
      res.destroy();
      return;
    }

    try {
      if (isControl) {
        await handleControl(ctx, this, path.slice("/_emulator".length));
        return;
      }
      const decision = this.faults.decide(ctx.method, path);
      if (decision.delayMs > 0) await new Promise((r) => setTimeout(r, decision.delayMs));
      if (decision.drop === "before") {
        fault = "drop";
        req.socket.destroy();
        return;
      }
      if (decision.drop === "after") {
        fault = "drop";
        const real = ctx.res;
        ctx.res = new ServerResponse(req);
        await this.#route(ctx, path, isGraph);
        real.destroy();
        req.socket.destroy();
        return;
      }
      if (decision.status) {
        fault = "status";
        const { status, retryAfter } = decision.status;
        const headers: Record<string, string> = retryAfter !== undefined ? { "retry-after": String(retryAfter) } : {};
        if (isGraph) {
          const code = status === 429 ? "TooManyRequests" : status === 503 ? "ServiceNotAvailable" : status === 504 ? "GatewayTimeout" : "InternalServerError";
          const message = status === 429 ? "Too many requests, retry after some time." : "The service is temporarily unavailable. Retry the request later.";
          sendJson(ctx, status, graphErrorBody(ctx, code, message), headers);
        } else {
          const body = entraErrorBody(ctx, "temporarily_unavailable", status === 429 ? 90055 : 90033, status === 429 ? "The request has been throttled. Retry after the given time." : "A transient error has occurred. Please try again.");
          sendJson(ctx, status, body, headers);
        }
        return;
      }
      await this.#route(ctx, path, isGraph);
    } catch (e) {
      process.stderr.write(`emulator: internal error on ${ctx.method} ${path}: ${e instanceof Error ? e.stack : String(e)}\n`);
      if (!res.headersSent) sendGraphError(ctx, 500, "InternalServerError", "The emulator hit an internal error; see its standard error.");
      else res.destroy();
    } finally {
      if (!isControl) this.#record(ctx, req, started, fault);
    }
  }

  #record(ctx: Ctx, req: IncomingMessage, started: number, fault: "status" | "drop" | null): void {
    let body: unknown = null;
    if (ctx.bodyText) {
      const ct = String(req.headers["content-type"] ?? "");
      if (ct.includes("application/x-www-form-urlencoded")) body = redactFields(Object.fromEntries(new URLSearchParams(ctx.bodyText)));
      else {
        try {
          body = JSON.parse(ctx.bodyText);
        } catch {
          body = ctx.bodyText.slice(0, 2000);
        }
      }
    }
    const query = redactFields(Object.fromEntries(ctx.query));
    this.log.add({
      time: started,
      method: ctx.method,
      path: ctx.path,
      query,
      headers: redactHeaders(req.headers),
      body,
      status: fault === "drop" ? 0 : ctx.res.statusCode,
      durationMs: Date.now() - started,
      fault,
    });
  }

  async #route(ctx: Ctx, path: string, isGraph: boolean): Promise<void> {
    if (isGraph) {
      const rest = path.replace(/^\/(v1\.0|beta)\/?/i, "");
      await this.graph.handle(ctx, rest);
      return;
    }
    await this.identity.handle(ctx, path);
  }
}
