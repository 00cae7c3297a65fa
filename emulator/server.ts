import { createServer, type Server } from "node:https";
import { ServerResponse, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Directory } from "./approvers.js";
import { ArmService } from "./arm/service.js";
import { sendArmInjected } from "./arm/http.js";
import { type ArmSeed, demoArm, largeArm } from "./arm/seed.js";
import { ArmState } from "./arm/state.js";
import { ensureTls, type TlsMaterial } from "./certs.js";
import { EmulatorClock } from "./clock.js";
import { handleControl } from "./control.js";
import { FaultInjector, sendInjectedStatus } from "./faults.js";
import { GraphService } from "./graph/service.js";
import { BodyTooLarge, type Ctx, newRequestId, readBody, sendGraphError } from "./http.js";
import { IdentityService } from "./identity/service.js";
import { PimState } from "./pim.js";
import type { RolesSeed } from "./roles/model.js";
import { demoRoles, largeRoles } from "./roles/seed.js";
import { RoleState } from "./roles/state.js";
import { loggedBody, redactFields, redactHeaders, RequestLog } from "./request-log.js";
import { demoTenant, largeTenant, type TenantSeed } from "./seed.js";
import {
  DEFAULT_SETTINGS,
  defaultDataDir,
  type EmulatorInfo,
  largeCounts,
  type EmulatorOptions,
  type EmulatorSettings,
  type SeedSpec,
} from "./settings.js";
import { loadSigningKeys, type SigningKeys } from "./tokens.js";

function buildTenant(seed: SeedSpec, now: number): TenantSeed {
  return seed.kind === "large" ? largeTenant(now, seed.groups, seed.seed) : demoTenant(now);
}

function buildRoles(seed: SeedSpec, now: number): RolesSeed {
  return seed.kind === "large" ? largeRoles(now, largeCounts(seed).roles, seed.seed) : demoRoles(now);
}

function buildArm(seed: SeedSpec, now: number): ArmSeed {
  return seed.kind === "large" ? largeArm(now, largeCounts(seed).azure, seed.seed) : demoArm(now);
}

export class Emulator {
  readonly clock = new EmulatorClock();
  readonly faults = new FaultInjector();
  readonly log = new RequestLog();
  readonly settings: EmulatorSettings;
  readonly caeRevokedAt = new Map<string, number>();
  readonly identity: IdentityService;
  readonly graph: GraphService;
  readonly arm: ArmService;
  #armState: ArmState;
  #pim: PimState;
  #roles: RoleState;
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
    this.#roles = new RoleState(buildRoles(this.#seed, this.clock.now()), this.settings);
    this.#armState = this.#newArmState();
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
      roles: () => this.#roles,
      keys,
      now: () => this.clock.now(),
      settings: this.settings,
      caeRevokedAt: this.caeRevokedAt,
      innerFault: (method, path, outer) => this.faults.decideInner(method, path, outer),
    });
    this.arm = new ArmService({
      arm: () => this.#armState,
      users: () => this.#pim.tenant.users,
      tenantId: () => this.#pim.tenant.tenantId,
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

  /** The directory-roles plane's state (emulator/roles/). */
  get roles(): RoleState {
    return this.#roles;
  }

  /** The Azure resource-roles plane's state (emulator/arm/). */
  get armState(): ArmState {
    return this.#armState;
  }

  #newArmState(): ArmState {
    // The directory is the groups plane's tenant, whichever PimState is current (a reset replaces it).
    const directory: Directory = {
      userName: (id) => this.#pim.userName(id),
      groupName: (id) => this.#pim.groupName(id),
      membersOf: (id) => this.#pim.membersOf(id),
    };
    return new ArmState(buildArm(this.#seed, this.clock.now()), this.settings, directory);
  }

  get info(): EmulatorInfo {
    const t = this.#pim.tenant;
    return {
      origin: this.#origin,
      authority: `${this.#origin}/${t.tenantId}`,
      tenantId: t.tenantId,
      domain: t.domain,
      graphBaseUrl: `${this.#origin}/v1.0`,
      armBaseUrl: `${this.#origin}/arm`,
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
    this.arm.throttle.clear();
    this.#pim = new PimState(buildTenant(this.#seed, this.clock.now()), this.settings);
    this.#armState = this.#newArmState();
    this.#roles = new RoleState(buildRoles(this.#seed, this.clock.now()), this.settings);
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
      clientRequestId:
        (Array.isArray(headerCrid) ? headerCrid[0] : headerCrid) ??
        url.searchParams.get("client-request-id") ??
        newRequestId(),
      res,
      origin: this.#origin,
    };
    const isControl = path === "/_emulator" || path.startsWith("/_emulator/");
    const isGraph = /^\/(v1\.0|beta)(\/|$)/i.test(path);
    const isArm = /^\/arm(\/|$)/i.test(path);
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
        if (isArm) sendArmInjected(ctx, decision.status.status, decision.status.retryAfter);
        else sendInjectedStatus(ctx, decision.status, isGraph);
        return;
      }
      await this.#route(ctx, path, isGraph);
    } catch (e) {
      process.stderr.write(
        `emulator: internal error on ${ctx.method} ${path}: ${e instanceof Error ? e.stack : String(e)}\n`,
      );
      if (!res.headersSent)
        sendGraphError(ctx, 500, "InternalServerError", "The emulator hit an internal error; see its standard error.");
      else res.destroy();
    } finally {
      if (!isControl) this.#record(ctx, req, started, fault);
    }
  }

  #record(ctx: Ctx, req: IncomingMessage, started: number, fault: "status" | "drop" | null): void {
    const body = loggedBody(ctx.bodyText, String(req.headers["content-type"] ?? ""));
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
    if (/^\/arm(\/|$)/i.test(path)) {
      await this.arm.handle(ctx, path.slice("/arm".length));
      return;
    }
    if (isGraph) {
      const rest = path.replace(/^\/(v1\.0|beta)\/?/i, "");
      await this.graph.handle(ctx, rest);
      return;
    }
    await this.identity.handle(ctx, path);
  }
}
