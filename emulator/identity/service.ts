// Entra ID's endpoints under /{tenant}/ and /devicelogin, each flow in its own module; this class
// holds their shared state and routes to them.
import { type Ctx, sendEntraError, sendGraphError, sendJson } from "../http.js";
import type { EmulatedUser } from "../model.js";
import { authorize, authorizeSubmit } from "./authorize.js";
import { decideDeviceCode, issueDeviceCode, pendingDeviceCodes } from "./device-code.js";
import { deviceLoginPage, deviceLoginSubmit } from "./device-login.js";
import { jwks, openIdConfiguration } from "./discovery.js";
import { type IdentityDeps, IdentityState } from "./state.js";
import { token } from "./token.js";

export class IdentityService {
  readonly #state: IdentityState;

  constructor(private readonly deps: IdentityDeps) {
    this.#state = new IdentityState(deps);
  }

  /** Forgets every session, code and grant. */
  reset(): void {
    this.#state.reset();
  }

  tenantMatches(segment: string): boolean {
    const s = segment.toLowerCase();
    return s === this.deps.tenantId || s === this.deps.domain || s === "organizations" || s === "common";
  }

  findUser(idOrName: string): EmulatedUser | undefined {
    return this.#state.findUser(idOrName);
  }

  pendingDeviceCodes(): Array<{ userCode: string; clientId: string; scope: string }> {
    return pendingDeviceCodes(this.#state);
  }

  /** Approves or denies a pending device code; returns false when no such pending code exists. */
  decideDeviceCode(userCode: string, userIdOrName: string | null, approve: boolean): boolean {
    return decideDeviceCode(this.#state, userCode, userIdOrName, approve);
  }

  /** Serves `path` (the whole URL path, decoded) when it is not Graph's or the control API's. */
  async handle(ctx: Ctx, path: string): Promise<void> {
    const state = this.#state;
    if (path === "/devicelogin") {
      if (ctx.method === "POST") deviceLoginSubmit(state, ctx);
      else deviceLoginPage(state, ctx);
      return;
    }
    const m = /^\/([^/]+)\/(.*)$/.exec(path);
    if (!m) {
      sendGraphError(
        ctx,
        404,
        "NotFound",
        `Nothing is served at '${path}'. Identity lives under /{tenant}/, Graph under /v1.0 and /beta, control under /_emulator.`,
      );
      return;
    }
    const [, tenant = "", rest = ""] = m;
    if (!this.tenantMatches(tenant)) {
      sendEntraError(
        ctx,
        400,
        "invalid_tenant",
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
      return;
    }
    const route = `${ctx.method} ${rest.replace(/\/+$/, "")}`;
    switch (route) {
      case "GET v2.0/.well-known/openid-configuration":
        sendJson(ctx, 200, openIdConfiguration(ctx, this.deps));
        return;
      case "GET discovery/v2.0/keys":
        sendJson(ctx, 200, jwks(this.deps));
        return;
      case "GET oauth2/v2.0/authorize":
        authorize(state, ctx);
        return;
      case "POST oauth2/v2.0/authorize":
        authorizeSubmit(state, ctx);
        return;
      case "POST oauth2/v2.0/token":
        await token(state, ctx);
        return;
      case "POST oauth2/v2.0/devicecode":
        issueDeviceCode(state, ctx);
        return;
      case "GET oauth2/v2.0/logout":
        ctx.res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        ctx.res.end("<!doctype html><title>Signed out</title><p>You have signed out of the PIM Tray emulator.</p>");
        return;
      default:
        sendEntraError(
          ctx,
          404,
          "invalid_request",
          900561,
          `The endpoint '${ctx.method} /${tenant}/${rest}' does not exist.`,
        );
    }
  }
}
