// grant_type=refresh_token: revoked sessions, missing consent, and the MFA step-up challenge.
import { type Ctx, sendEntraError, sendJson } from "../http.js";
import { type ClaimsRequest, stepUpRequested } from "./claims.js";
import { consentDescription } from "./consent.js";
import { issueTokens } from "./issue.js";
import type { IdentityState } from "./state.js";

export async function redeemRefresh(
  state: IdentityState,
  ctx: Ctx,
  form: URLSearchParams,
  clientId: string,
  claims: ClaimsRequest,
): Promise<void> {
  const grant = state.refresh.get(form.get("refresh_token") ?? "");
  const session = grant ? state.sessions.get(grant.sessionId) : undefined;
  const user = session ? state.deps.users().find((u) => u.id === session.userId) : undefined;
  if (!grant || !session || !user || grant.clientId !== clientId) {
    sendEntraError(
      ctx,
      400,
      "invalid_grant",
      700082,
      "The refresh token has expired due to inactivity or was revoked. Sign in again.",
      { suberror: "bad_token" },
    );
    return;
  }
  if (state.consentMissing(clientId, form.get("scope") ?? "")) {
    sendEntraError(ctx, 400, "invalid_grant", 65001, consentDescription(clientId), { suberror: "consent_required" });
    return;
  }
  if (stepUpRequested(claims) && !session.mfa && !user.sessionHasMfa) {
    const challenge = form.get("claims") ?? "";
    sendEntraError(
      ctx,
      400,
      "interaction_required",
      50076,
      `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.`,
      { suberror: "basic_action", claims: challenge },
    );
    return;
  }
  sendJson(ctx, 200, await issueTokens(state, ctx, user, session, clientId, form.get("scope") ?? "", claims, null));
}
