// The authorization-code flow's front half: /authorize validates the request, shows the sign-in
// page (or signs in on its own), and posts a code back to the loopback redirect URI.
import { randomBytes, randomUUID } from "node:crypto";
import { type Ctx, escapeHtml, sendHtml } from "../http.js";
import type { EmulatedUser } from "../model.js";
import { type ClaimsRequest, parseClaims, stepUpRequested } from "./claims.js";
import { needAdminApproval } from "./consent.js";
import { clientInfo } from "./issue.js";
import { formPost, page } from "./pages.js";
import type { IdentityState, Session } from "./state.js";

function isLoopbackRedirect(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === "http:" && (u.hostname === "localhost" || u.hostname === "127.0.0.1");
  } catch {
    return false;
  }
}

/** GET /authorize: validates the request, then shows the sign-in page (or signs in automatically). */
export function authorize(state: IdentityState, ctx: Ctx): void {
  const { settings } = state.deps;
  const q = ctx.query;
  const check = validateAuthorize(q);
  if (typeof check === "string") {
    sendHtml(ctx, 400, page("Sign-in request rejected", `<p role="alert">${escapeHtml(check)}</p>`));
    return;
  }
  const outcome = settings.authorizeOutcome;
  if (outcome) {
    settings.authorizeOutcome = null;
    formPost(ctx, check.redirectUri, {
      error: outcome.error,
      error_description: outcome.error_description ?? `AADSTS65004: The user declined the sign-in (${outcome.error}).`,
      state: q.get("state") ?? "",
    });
    return;
  }
  const auto = settings.autoSignIn ? state.findUser(settings.autoSignIn) : undefined;
  if (auto) {
    completeSignIn(state, ctx, auto, q);
    return;
  }
  sendHtml(ctx, 200, signInPage(state, q, check.claims));
}

/** POST /authorize: the sign-in page's form. */
export function authorizeSubmit(state: IdentityState, ctx: Ctx): void {
  const form = new URLSearchParams(ctx.bodyText);
  const q = new URLSearchParams(form.get("request") ?? "");
  const check = validateAuthorize(q);
  if (typeof check === "string") {
    sendHtml(ctx, 400, page("Sign-in request rejected", `<p role="alert">${escapeHtml(check)}</p>`));
    return;
  }
  if (form.get("action") === "cancel") {
    formPost(ctx, check.redirectUri, {
      error: "access_denied",
      error_description: "AADSTS65004: User declined to consent to access the app.",
      state: q.get("state") ?? "",
    });
    return;
  }
  const user = state.findUser(form.get("user") ?? "");
  if (!user) {
    sendHtml(ctx, 400, signInPage(state, q, check.claims, "Choose an account to sign in with."));
    return;
  }
  completeSignIn(state, ctx, user, q);
}

function validateAuthorize(q: URLSearchParams): { redirectUri: string; claims: ClaimsRequest } | string {
  if (!q.get("client_id")) return "AADSTS900144: The request body must contain the following parameter: 'client_id'.";
  const redirectUri = q.get("redirect_uri") ?? "";
  if (!isLoopbackRedirect(redirectUri)) {
    return `AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application. Public clients use http://localhost.`;
  }
  if (q.get("response_type") !== "code") return "AADSTS70005: response_type must be 'code'.";
  const method = q.get("code_challenge_method");
  if (q.get("code_challenge") && method && method !== "S256") {
    return "AADSTS501491: Only the S256 code_challenge_method is supported.";
  }
  const claims = parseClaims(q.get("claims"));
  if (claims === "invalid") return "AADSTS90015: The claims parameter is not a valid JSON object.";
  return { redirectUri, claims };
}

function signInPage(state: IdentityState, q: URLSearchParams, claims: ClaimsRequest, problem?: string): string {
  const hint = (q.get("login_hint") ?? "").toLowerCase();
  const users = state.deps.users();
  const items = users
    .map((u, i) => {
      const checked = hint ? u.userPrincipalName.toLowerCase() === hint : i === 0;
      return `<li><label><input type="radio" name="user" value="${escapeHtml(u.id)}"${checked ? " checked" : ""}> ${escapeHtml(u.displayName)} <small>${escapeHtml(u.userPrincipalName)}</small></label></li>`;
    })
    .join("");
  const stepUp = stepUpRequested(claims)
    ? `<p class="stepup" data-testid="stepup">Additional verification required${claims.acrs.length ? ` (authentication context ${escapeHtml(claims.acrs.join(", "))})` : ""}: signing in here completes multi-factor authentication.</p>`
    : "";
  return page(
    "Sign in",
    `${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ""}${stepUp}
      <form method="post">
        <input type="hidden" name="request" value="${escapeHtml(q.toString())}">
        <fieldset><legend>Pick an account</legend><ul>${items}</ul></fieldset>
        <button type="submit" name="action" value="signin" id="signin">Sign in</button>
        <button type="submit" name="action" value="cancel" id="cancel">Cancel</button>
      </form>`,
  );
}

function completeSignIn(state: IdentityState, ctx: Ctx, user: EmulatedUser, q: URLSearchParams): void {
  const clientId = q.get("client_id") ?? "";
  if (state.consentMissing(clientId, q.get("scope") ?? "")) {
    needAdminApproval(ctx, user, q, clientId);
    return;
  }
  const claims = parseClaims(q.get("claims"));
  const c = claims === "invalid" ? { acrs: [], mfa: false, xmsCc: [] } : claims;
  // Interactive sign-in is where MFA happens: asking for it here satisfies it.
  const session: Session = { id: randomUUID(), userId: user.id, mfa: user.sessionHasMfa || stepUpRequested(c) };
  state.sessions.set(session.id, session);
  const code = randomBytes(32).toString("base64url");
  const redirectUri = q.get("redirect_uri") ?? "";
  state.codes.set(code, {
    userId: user.id,
    sessionId: session.id,
    clientId: q.get("client_id") ?? "",
    redirectUri,
    codeChallenge: q.get("code_challenge"),
    scope: q.get("scope") ?? "",
    nonce: q.get("nonce"),
    claims: c,
    expiresAt: state.deps.now() + 10 * 60_000,
  });
  formPost(ctx, redirectUri, {
    code,
    state: q.get("state") ?? "",
    client_info: clientInfo(user, state.deps.tenantId),
    session_state: session.id,
  });
}
