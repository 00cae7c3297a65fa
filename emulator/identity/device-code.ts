// The device-code flow: issue a code, let a person (or the control API) decide it, and redeem it
// with grant_type=device_code.
import { randomBytes, randomUUID } from "node:crypto";
import { type Ctx, sendEntraError, sendJson } from "../http.js";
import { stepUpRequested } from "./claims.js";
import { clientAndClaims } from "./client-form.js";
import { mixesResources, multipleResourcesDescription } from "../arm/audience.js";
import { consentDescription } from "./consent.js";
import { issueTokens } from "./issue.js";
import type { DeviceCodeEntry, IdentityState, Session } from "./state.js";

/** POST /devicecode */
export function issueDeviceCode(state: IdentityState, ctx: Ctx): void {
  const { deps } = state;
  const form = new URLSearchParams(ctx.bodyText);
  const checked = clientAndClaims(ctx, form);
  if (!checked) return;
  const { clientId, claims } = checked;
  const scope = form.get("scope") ?? "";
  if (mixesResources(scope)) {
    sendEntraError(ctx, 400, "invalid_scope", 28000, multipleResourcesDescription(scope));
    return;
  }
  const userCode = Array.from(randomBytes(8), (b) => "BCDFGHJKLMNPQRSTVWXZ"[b % 20]).join("");
  const entry: DeviceCodeEntry = {
    deviceCode: randomBytes(32).toString("base64url"),
    userCode,
    clientId,
    scope: form.get("scope") ?? "",
    claims,
    expiresAt: deps.now() + 900_000,
    state: "pending",
    userId: null,
  };
  const auto = deps.settings.deviceCodeAutoApprove;
  if (auto) {
    const user = state.findUser(auto);
    if (user) {
      entry.state = "approved";
      entry.userId = user.id;
    }
  }
  state.deviceCodes.set(entry.deviceCode, entry);
  const verificationUri = `${ctx.origin}/devicelogin`;
  sendJson(ctx, 200, {
    user_code: userCode,
    device_code: entry.deviceCode,
    verification_uri: verificationUri,
    expires_in: 900,
    interval: deps.settings.deviceCodeIntervalSeconds,
    message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
  });
}

/** Codes as a person types them: upper case, letters only. */
export function normalizeUserCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z]/g, "");
}

export function pendingDeviceCodes(state: IdentityState): Array<{ userCode: string; clientId: string; scope: string }> {
  const now = state.deps.now();
  return [...state.deviceCodes.values()]
    .filter((d) => d.state === "pending" && d.expiresAt > now)
    .map((d) => ({ userCode: d.userCode, clientId: d.clientId, scope: d.scope }));
}

/** Approves or denies a pending device code; returns false when no such pending code exists. */
export function decideDeviceCode(
  state: IdentityState,
  userCode: string,
  userIdOrName: string | null,
  approve: boolean,
): boolean {
  const entry = [...state.deviceCodes.values()].find(
    (d) => d.userCode === normalizeUserCode(userCode) && d.state === "pending",
  );
  if (!entry || entry.expiresAt <= state.deps.now()) return false;
  if (!approve) {
    entry.state = "denied";
    return true;
  }
  const user = userIdOrName ? state.findUser(userIdOrName) : undefined;
  if (!user) return false;
  entry.state = "approved";
  entry.userId = user.id;
  return true;
}

/** grant_type=device_code: pending, declined, expired or redeemed once. */
export async function redeemDeviceCode(
  state: IdentityState,
  ctx: Ctx,
  form: URLSearchParams,
  clientId: string,
): Promise<void> {
  const entry = state.deviceCodes.get(form.get("device_code") ?? "");
  if (!entry || entry.clientId !== clientId) {
    sendEntraError(ctx, 400, "invalid_grant", 70000, "The provided value for the 'device_code' is not valid.");
    return;
  }
  if (entry.expiresAt <= state.deps.now() || entry.state === "redeemed") {
    sendEntraError(
      ctx,
      400,
      "expired_token",
      70020,
      "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
    );
    return;
  }
  if (entry.state === "denied") {
    sendEntraError(ctx, 400, "authorization_declined", 70019, "The user declined the sign-in request.");
    return;
  }
  if (entry.state === "pending") {
    sendEntraError(
      ctx,
      400,
      "authorization_pending",
      70016,
      "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
    );
    return;
  }
  const user = state.deps.users().find((u) => u.id === entry.userId);
  if (!user) {
    sendEntraError(ctx, 400, "invalid_grant", 50034, "The user account does not exist in this directory.");
    return;
  }
  entry.state = "redeemed";
  if (state.consentMissing(clientId, entry.scope)) {
    sendEntraError(ctx, 400, "invalid_grant", 65001, consentDescription(clientId), { suberror: "consent_required" });
    return;
  }
  const session: Session = {
    id: randomUUID(),
    userId: user.id,
    mfa: user.sessionHasMfa || stepUpRequested(entry.claims),
  };
  state.sessions.set(session.id, session);
  sendJson(ctx, 200, await issueTokens(state, ctx, user, session, clientId, entry.scope, entry.claims, null));
}
