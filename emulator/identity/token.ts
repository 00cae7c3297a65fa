// POST /token: the checks every grant shares, then the grant's own redemption.
import { mixesResources, multipleResourcesDescription } from "../arm/audience.js";
import { type Ctx, sendEntraError } from "../http.js";
import { clientAndClaims } from "./client-form.js";
import { redeemDeviceCode } from "./device-code.js";
import { redeemCode } from "./grant-code.js";
import { redeemRefresh } from "./grant-refresh.js";
import type { IdentityState } from "./state.js";

export async function token(state: IdentityState, ctx: Ctx): Promise<void> {
  const ct = (ctx.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (ct !== "application/x-www-form-urlencoded") {
    sendEntraError(ctx, 400, "invalid_request", 900144, "The request body must be application/x-www-form-urlencoded.");
    return;
  }
  const form = new URLSearchParams(ctx.bodyText);
  const grant = form.get("grant_type") ?? "";
  const checked = clientAndClaims(ctx, form);
  if (!checked) return;
  const { clientId, claims } = checked;
  const scope = form.get("scope") ?? "";
  if (mixesResources(scope)) {
    // One resource per access token: Graph and ARM scopes in one request are refused.
    sendEntraError(ctx, 400, "invalid_scope", 28000, multipleResourcesDescription(scope));
    return;
  }
  if (grant === "authorization_code") return redeemCode(state, ctx, form, clientId, claims);
  if (grant === "refresh_token") return redeemRefresh(state, ctx, form, clientId, claims);
  if (grant === "device_code" || grant === "urn:ietf:params:oauth:grant-type:device_code") {
    return redeemDeviceCode(state, ctx, form, clientId);
  }
  sendEntraError(ctx, 400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grant}'.`);
}
