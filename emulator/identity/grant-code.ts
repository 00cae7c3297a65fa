// grant_type=authorization_code: single-use codes, PKCE, and the redirect URI they were issued for.
import { createHash } from "node:crypto";
import { type Ctx, sendEntraError, sendJson } from "../http.js";
import type { ClaimsRequest } from "./claims.js";
import { issueTokens } from "./issue.js";
import type { IdentityState } from "./state.js";

export async function redeemCode(
  state: IdentityState,
  ctx: Ctx,
  form: URLSearchParams,
  clientId: string,
  claims: ClaimsRequest,
): Promise<void> {
  const code = form.get("code") ?? "";
  const entry = state.codes.get(code);
  state.codes.delete(code); // single use, even when redemption fails
  if (!entry || entry.expiresAt <= state.deps.now()) {
    sendEntraError(
      ctx,
      400,
      "invalid_grant",
      70008,
      "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
    );
    return;
  }
  if (entry.clientId !== clientId) {
    sendEntraError(ctx, 400, "invalid_grant", 70002, "The authorization code was issued to a different client.");
    return;
  }
  if ((form.get("redirect_uri") ?? "") !== entry.redirectUri) {
    sendEntraError(
      ctx,
      400,
      "invalid_grant",
      50148,
      "The redirect_uri does not match the one used in the authorization request.",
    );
    return;
  }
  if (entry.codeChallenge) {
    const verifier = form.get("code_verifier") ?? "";
    const computed = createHash("sha256").update(verifier).digest("base64url");
    if (computed !== entry.codeChallenge) {
      sendEntraError(
        ctx,
        400,
        "invalid_grant",
        501481,
        "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
      );
      return;
    }
  }
  const session = state.sessions.get(entry.sessionId);
  const user = state.deps.users().find((u) => u.id === entry.userId);
  if (!session || !user) {
    sendEntraError(ctx, 400, "invalid_grant", 50173, "The session has been revoked.");
    return;
  }
  const merged: ClaimsRequest = {
    acrs: [...new Set([...entry.claims.acrs, ...claims.acrs])],
    mfa: entry.claims.mfa || claims.mfa,
    xmsCc: [...new Set([...entry.claims.xmsCc, ...claims.xmsCc])],
  };
  sendJson(
    ctx,
    200,
    await issueTokens(state, ctx, user, session, clientId, form.get("scope") || entry.scope, merged, entry.nonce),
  );
}
