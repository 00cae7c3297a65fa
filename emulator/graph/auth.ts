// Bearer-token checks in front of every Graph route, including the CAE claims challenge.
import { type Ctx, sendGraphError } from "../http.js";
import type { CallerClaims } from "../model.js";
import { verifyAccessToken } from "../tokens.js";
import type { GraphDeps } from "./common.js";

/** Authenticates the bearer token; on failure it has already answered 401. */
export async function authenticate(ctx: Ctx, deps: GraphDeps): Promise<CallerClaims | null> {
  const auth = ctx.headers.authorization ?? "";
  const m = /^Bearer\s+(.*)$/i.exec(auth);
  const wwwAuth = `Bearer realm="", authorization_uri="${ctx.origin}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`;
  if (!m?.[1]) {
    sendGraphError(ctx, 401, "InvalidAuthenticationToken", "Access token is empty.", { "www-authenticate": wwwAuth });
    return null;
  }
  const nowS = Math.floor(deps.now() / 1000);
  const result = await verifyAccessToken(deps.keys, m[1], nowS);
  if (!result.ok) {
    const message =
      result.reason === "expired"
        ? "Lifetime validation failed, the token is expired."
        : "Access token validation failure. Invalid audience.";
    sendGraphError(ctx, 401, "InvalidAuthenticationToken", message, { "www-authenticate": wwwAuth });
    return null;
  }
  const c = result.claims;
  const revokedAt = deps.caeRevokedAt.get(c.oid);
  if (revokedAt !== undefined && c.iat < revokedAt) {
    if ((c.xms_cc ?? []).includes("cp1")) {
      // CAE: only clients that declared cp1 get a claims challenge; the claims are base64 here.
      const claims = Buffer.from(
        JSON.stringify({ access_token: { nbf: { essential: true, value: String(revokedAt) } } }),
      ).toString("base64");
      sendGraphError(
        ctx,
        401,
        "InvalidAuthenticationToken",
        "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp",
        {
          "www-authenticate": `Bearer realm="", authorization_uri="${ctx.origin}/common/oauth2/authorize", error="insufficient_claims", claims="${claims}"`,
        },
      );
    } else {
      sendGraphError(ctx, 401, "InvalidAuthenticationToken", "Access token has been revoked.", {
        "www-authenticate": wwwAuth,
      });
    }
    return null;
  }
  return {
    oid: c.oid.toLowerCase(),
    scp: (c.scp ?? "").split(" ").filter(Boolean),
    amr: c.amr ?? [],
    acrs: c.acrs ?? [],
    xmsCc: c.xms_cc ?? [],
  };
}
