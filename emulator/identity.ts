import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { EmulatedUser } from "./model.js";
import { type Ctx, escapeHtml, sendEntraError, sendHtml, sendJson } from "./http.js";
import { GRAPH_AUDIENCE, signJwt, type SigningKeys } from "./tokens.js";

/** Everything about one request's `claims` parameter that the emulator acts on. */
export interface ClaimsRequest {
  acrs: string[];
  mfa: boolean;
  xmsCc: string[];
}

export function parseClaims(raw: string | null): ClaimsRequest | "invalid" {
  const out: ClaimsRequest = { acrs: [], mfa: false, xmsCc: [] };
  if (!raw) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return "invalid";
  }
  if (typeof parsed !== "object" || parsed === null) return "invalid";
  const at = (parsed as Record<string, unknown>).access_token;
  if (typeof at !== "object" || at === null) return out;
  const values = (c: unknown): string[] => {
    if (typeof c !== "object" || c === null) return [];
    const o = c as { value?: unknown; values?: unknown };
    const list = Array.isArray(o.values) ? o.values : o.value !== undefined ? [o.value] : [];
    return list.filter((v): v is string => typeof v === "string");
  };
  const a = at as Record<string, unknown>;
  out.acrs = values(a.acrs);
  out.mfa = values(a.amr).some((v) => v === "mfa" || v === "ngcmfa");
  out.xmsCc = values(a.xms_cc);
  return out;
}

function stepUpRequested(c: ClaimsRequest): boolean {
  return c.mfa || c.acrs.length > 0;
}

interface Session {
  id: string;
  userId: string;
  mfa: boolean;
}

interface AuthCode {
  userId: string;
  sessionId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  scope: string;
  nonce: string | null;
  claims: ClaimsRequest;
  expiresAt: number;
}

interface RefreshGrant {
  sessionId: string;
  clientId: string;
}

export interface DeviceCodeEntry {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scope: string;
  claims: ClaimsRequest;
  expiresAt: number;
  state: "pending" | "approved" | "denied" | "redeemed";
  userId: string | null;
}

export interface IdentitySettings {
  accessTokenLifetimeSeconds: number;
  deviceCodeIntervalSeconds: number;
  /** A user id: device codes are approved for this user as soon as they are issued. */
  deviceCodeAutoApprove: string | null;
  /** A user id: the authorize endpoint signs this user in without showing the page. */
  autoSignIn: string | null;
  /** One-shot: the next authorize request ends with this OAuth error. */
  authorizeOutcome: { error: string; error_description?: string } | null;
  /**
   * Client ids the tenant has not consented to ("*": every client). Users may not consent for
   * themselves, as in many organisations: sign-in ends on "Need admin approval" (AADSTS65001).
   */
  consentNotGrantedFor: string[];
}

export interface IdentityDeps {
  tenantId: string;
  domain: string;
  users: () => EmulatedUser[];
  settings: IdentitySettings;
  keys: SigningKeys;
  /** Emulator time in ms. */
  now: () => number;
}

const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);
const GRAPH_PREFIXES = ["https://graph.microsoft.com/", "https://graph.microsoft.us/", "https://dod-graph.microsoft.us/", "https://microsoftgraph.chinacloudapi.cn/", "00000003-0000-0000-c000-000000000000/"];

/** All delegated Graph scopes the emulated tenant has consented to, granted for `.default`. */
export const CONSENTED_SCOPES = [
  "PrivilegedEligibilitySchedule.Read.AzureADGroup",
  "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
  "PrivilegedAssignmentSchedule.Read.AzureADGroup",
  "RoleManagementPolicy.Read.AzureADGroup",
  "User.Read",
];

function resourceScopes(scope: string): string[] {
  const out: string[] = [];
  for (const s of scope.split(/\s+/).filter(Boolean)) {
    if (OIDC_SCOPES.has(s.toLowerCase())) continue;
    const prefix = GRAPH_PREFIXES.find((p) => s.toLowerCase().startsWith(p.toLowerCase()));
    const short = prefix ? s.slice(prefix.length) : s;
    if (short === ".default") out.push(...CONSENTED_SCOPES);
    else out.push(short);
  }
  return [...new Set(out)];
}

/** Names Entra puts in AADSTS65001 for well-known public clients. */
const CLIENT_NAMES: Record<string, string> = {
  "14d82eec-204b-4c2f-b7e8-296a70dab67e": "Microsoft Graph Command Line Tools",
  "04b07795-8ddb-461a-bbee-02f9e1bf7b46": "Microsoft Azure CLI",
  "1950a258-227b-4e31-a9cf-717495945fc2": "Microsoft Azure PowerShell",
};

/** Entra's AADSTS65001 text, without the code prefix. */
function consentDescription(clientId: string): string {
  return `The user or administrator has not consented to use the application with ID '${clientId}' named '${CLIENT_NAMES[clientId.toLowerCase()] ?? "PIM Tray"}'. Send an interactive authorization request for this user and resource.`;
}

function b64url(s: string): string {
  return Buffer.from(s, "utf8").toString("base64url");
}

function isLoopbackRedirect(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === "http:" && (u.hostname === "localhost" || u.hostname === "127.0.0.1");
  } catch {
    return false;
  }
}

export class IdentityService {
  #sessions = new Map<string, Session>();
  #codes = new Map<string, AuthCode>();
  #refresh = new Map<string, RefreshGrant>();
  #deviceCodes = new Map<string, DeviceCodeEntry>();

  constructor(private readonly deps: IdentityDeps) {}

  reset(): void {
    this.#sessions.clear();
    this.#codes.clear();
    this.#refresh.clear();
    this.#deviceCodes.clear();
  }

  tenantMatches(segment: string): boolean {
    const s = segment.toLowerCase();
    return s === this.deps.tenantId || s === this.deps.domain || s === "organizations" || s === "common";
  }

  consentMissing(clientId: string): boolean {
    const id = clientId.toLowerCase();
    return this.deps.settings.consentNotGrantedFor.some((c) => c === "*" || c.toLowerCase() === id);
  }

  findUser(idOrName: string): EmulatedUser | undefined {
    const k = idOrName.toLowerCase();
    return this.deps.users().find(
      (u) =>
        u.id === k ||
        u.userPrincipalName.toLowerCase() === k ||
        u.userPrincipalName.toLowerCase().split("@")[0] === k,
    );
  }

  openIdConfiguration(ctx: Ctx, tenantSegment: string) {
    const base = `${ctx.origin}/${this.deps.tenantId}`;
    void tenantSegment;
    return {
      issuer: `${base}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      claims_supported: ["sub", "iss", "aud", "exp", "iat", "nonce", "name", "oid", "tid", "preferred_username", "login_hint"],
      request_uri_parameter_supported: false,
      tenant_region_scope: "EU",
      cloud_instance_name: "emulator.local",
      cloud_graph_host_name: "graph.emulator.local",
      msgraph_host: new URL(ctx.origin).host,
      rbac_url: ctx.origin,
    };
  }

  jwks() {
    return { keys: [this.deps.keys.publicJwk] };
  }

  // ---- authorize -------------------------------------------------------------------------

  /** GET /authorize: validates the request, then shows the sign-in page (or signs in automatically). */
  authorize(ctx: Ctx): void {
    const q = ctx.query;
    const check = this.validateAuthorize(q);
    if (typeof check === "string") {
      sendHtml(ctx, 400, page("Sign-in request rejected", `<p role="alert">${escapeHtml(check)}</p>`));
      return;
    }
    const outcome = this.deps.settings.authorizeOutcome;
    if (outcome) {
      this.deps.settings.authorizeOutcome = null;
      this.formPost(ctx, check.redirectUri, {
        error: outcome.error,
        error_description: outcome.error_description ?? `AADSTS65004: The user declined the sign-in (${outcome.error}).`,
        state: q.get("state") ?? "",
      });
      return;
    }
    const auto = this.deps.settings.autoSignIn ? this.findUser(this.deps.settings.autoSignIn) : undefined;
    if (auto) {
      this.completeSignIn(ctx, auto, q);
      return;
    }
    sendHtml(ctx, 200, this.signInPage(q, check.claims));
  }

  /** POST /authorize: the sign-in page's form. */
  authorizeSubmit(ctx: Ctx): void {
    const form = new URLSearchParams(ctx.bodyText);
    const q = new URLSearchParams(form.get("request") ?? "");
    const check = this.validateAuthorize(q);
    if (typeof check === "string") {
      sendHtml(ctx, 400, page("Sign-in request rejected", `<p role="alert">${escapeHtml(check)}</p>`));
      return;
    }
    if (form.get("action") === "cancel") {
      this.formPost(ctx, check.redirectUri, {
        error: "access_denied",
        error_description: "AADSTS65004: User declined to consent to access the app.",
        state: q.get("state") ?? "",
      });
      return;
    }
    const user = this.findUser(form.get("user") ?? "");
    if (!user) {
      sendHtml(ctx, 400, this.signInPage(q, check.claims, "Choose an account to sign in with."));
      return;
    }
    this.completeSignIn(ctx, user, q);
  }

  private validateAuthorize(q: URLSearchParams): { redirectUri: string; claims: ClaimsRequest } | string {
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

  private signInPage(q: URLSearchParams, claims: ClaimsRequest, problem?: string): string {
    const hint = (q.get("login_hint") ?? "").toLowerCase();
    const users = this.deps.users();
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

  private completeSignIn(ctx: Ctx, user: EmulatedUser, q: URLSearchParams): void {
    const clientId = q.get("client_id") ?? "";
    if (this.consentMissing(clientId)) {
      this.needAdminApproval(ctx, user, q, clientId);
      return;
    }
    const claims = parseClaims(q.get("claims"));
    const c = claims === "invalid" ? { acrs: [], mfa: false, xmsCc: [] } : claims;
    // Interactive sign-in is where MFA happens: asking for it here satisfies it.
    const session: Session = { id: randomUUID(), userId: user.id, mfa: user.sessionHasMfa || stepUpRequested(c) };
    this.#sessions.set(session.id, session);
    const code = randomBytes(32).toString("base64url");
    const redirectUri = q.get("redirect_uri") ?? "";
    this.#codes.set(code, {
      userId: user.id,
      sessionId: session.id,
      clientId: q.get("client_id") ?? "",
      redirectUri,
      codeChallenge: q.get("code_challenge"),
      scope: q.get("scope") ?? "",
      nonce: q.get("nonce"),
      claims: c,
      expiresAt: this.deps.now() + 10 * 60_000,
    });
    this.formPost(ctx, redirectUri, {
      code,
      state: q.get("state") ?? "",
      client_info: this.clientInfo(user),
      session_state: session.id,
    });
  }

  /**
   * Entra's "Need admin approval" page. Its one way back to the app, "Return to the application
   * without granting consent", posts consent_required with AADSTS65001 to the redirect URI.
   */
  private needAdminApproval(ctx: Ctx, user: EmulatedUser, q: URLSearchParams, clientId: string): void {
    const fields = {
      error: "consent_required",
      error_description: `AADSTS65001: ${consentDescription(clientId)}`,
      state: q.get("state") ?? "",
    };
    const inputs = Object.entries(fields)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join("");
    const name = CLIENT_NAMES[clientId.toLowerCase()] ?? "This app";
    sendHtml(
      ctx,
      200,
      page(
        "Need admin approval",
        `<p>${escapeHtml(user.userPrincipalName)}</p>
        <p role="alert">${escapeHtml(name)} needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.</p>
        <form method="post" action="${escapeHtml(q.get("redirect_uri") ?? "")}">${inputs}<button type="submit" id="return">Return to the application without granting consent</button></form>`,
      ),
    );
  }

  private formPost(ctx: Ctx, redirectUri: string, fields: Record<string, string>): void {
    const inputs = Object.entries(fields)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join("");
    sendHtml(
      ctx,
      200,
      `<!doctype html><html><head><title>Working...</title></head><body><form method="post" action="${escapeHtml(redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form><script>document.forms[0].submit()</script></body></html>`,
    );
  }

  private clientInfo(user: EmulatedUser): string {
    return b64url(JSON.stringify({ uid: user.id, utid: this.deps.tenantId }));
  }

  // ---- device code -----------------------------------------------------------------------

  deviceCode(ctx: Ctx): void {
    const form = new URLSearchParams(ctx.bodyText);
    const clientId = form.get("client_id");
    if (!clientId) {
      sendEntraError(ctx, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
      return;
    }
    const claims = parseClaims(form.get("claims"));
    if (claims === "invalid") {
      sendEntraError(ctx, 400, "invalid_request", 90015, "The claims parameter is not a valid JSON object.");
      return;
    }
    const userCode = Array.from(randomBytes(8), (b) => "BCDFGHJKLMNPQRSTVWXZ"[b % 20]).join("");
    const entry: DeviceCodeEntry = {
      deviceCode: randomBytes(32).toString("base64url"),
      userCode,
      clientId,
      scope: form.get("scope") ?? "",
      claims,
      expiresAt: this.deps.now() + 900_000,
      state: "pending",
      userId: null,
    };
    const auto = this.deps.settings.deviceCodeAutoApprove;
    if (auto) {
      const user = this.findUser(auto);
      if (user) {
        entry.state = "approved";
        entry.userId = user.id;
      }
    }
    this.#deviceCodes.set(entry.deviceCode, entry);
    const verificationUri = `${ctx.origin}/devicelogin`;
    sendJson(ctx, 200, {
      user_code: userCode,
      device_code: entry.deviceCode,
      verification_uri: verificationUri,
      expires_in: 900,
      interval: this.deps.settings.deviceCodeIntervalSeconds,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
    });
  }

  pendingDeviceCodes(): Array<{ userCode: string; clientId: string; scope: string }> {
    const now = this.deps.now();
    return [...this.#deviceCodes.values()]
      .filter((d) => d.state === "pending" && d.expiresAt > now)
      .map((d) => ({ userCode: d.userCode, clientId: d.clientId, scope: d.scope }));
  }

  /** Approves or denies a pending device code; returns false when no such pending code exists. */
  decideDeviceCode(userCode: string, userIdOrName: string | null, approve: boolean): boolean {
    const entry = [...this.#deviceCodes.values()].find(
      (d) => d.userCode === userCode.toUpperCase().replace(/[^A-Z]/g, "") && d.state === "pending",
    );
    if (!entry || entry.expiresAt <= this.deps.now()) return false;
    if (!approve) {
      entry.state = "denied";
      return true;
    }
    const user = userIdOrName ? this.findUser(userIdOrName) : undefined;
    if (!user) return false;
    entry.state = "approved";
    entry.userId = user.id;
    return true;
  }

  deviceLoginPage(ctx: Ctx, message = ""): void {
    const users = this.deps.users()
      .map((u) => `<option value="${escapeHtml(u.id)}">${escapeHtml(u.displayName)} (${escapeHtml(u.userPrincipalName)})</option>`)
      .join("");
    sendHtml(
      ctx,
      200,
      page(
        "Enter code",
        `${message ? `<p role="status">${escapeHtml(message)}</p>` : ""}
        <form method="post">
          <label>Code <input name="code" autocomplete="off" autofocus></label>
          <label>Account <select name="user">${users}</select></label>
          <button type="submit" name="action" value="approve">Sign in</button>
          <button type="submit" name="action" value="deny">Cancel</button>
        </form>`,
      ),
    );
  }

  deviceLoginSubmit(ctx: Ctx): void {
    const form = new URLSearchParams(ctx.bodyText);
    const approve = form.get("action") !== "deny";
    const code = form.get("code") ?? "";
    const clientId = [...this.#deviceCodes.values()].find((d) => d.userCode === code.toUpperCase().replace(/[^A-Z]/g, ""))?.clientId;
    const ok = this.decideDeviceCode(code, form.get("user"), approve);
    this.deviceLoginPage(
      ctx,
      ok
        ? approve && clientId && this.consentMissing(clientId)
          ? "Need admin approval: this app needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it."
          : approve
          ? "You have signed in. You may now close this window and return to the application."
          : "Sign-in canceled."
        : "That code was not recognised or has expired. Check the code and try again.",
    );
  }

  // ---- token endpoint ---------------------------------------------------------------------

  async token(ctx: Ctx): Promise<void> {
    const ct = (ctx.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (ct !== "application/x-www-form-urlencoded") {
      sendEntraError(ctx, 400, "invalid_request", 900144, "The request body must be application/x-www-form-urlencoded.");
      return;
    }
    const form = new URLSearchParams(ctx.bodyText);
    const grant = form.get("grant_type") ?? "";
    const clientId = form.get("client_id");
    if (!clientId) {
      sendEntraError(ctx, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
      return;
    }
    const claims = parseClaims(form.get("claims"));
    if (claims === "invalid") {
      sendEntraError(ctx, 400, "invalid_request", 90015, "The claims parameter is not a valid JSON object.");
      return;
    }
    if (grant === "authorization_code") return this.redeemCode(ctx, form, clientId, claims);
    if (grant === "refresh_token") return this.redeemRefresh(ctx, form, clientId, claims);
    if (grant === "device_code" || grant === "urn:ietf:params:oauth:grant-type:device_code") {
      return this.redeemDeviceCode(ctx, form, clientId);
    }
    sendEntraError(ctx, 400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grant}'.`);
  }

  private async redeemCode(ctx: Ctx, form: URLSearchParams, clientId: string, claims: ClaimsRequest): Promise<void> {
    const code = form.get("code") ?? "";
    const entry = this.#codes.get(code);
    this.#codes.delete(code); // single use, even when redemption fails
    if (!entry || entry.expiresAt <= this.deps.now()) {
      sendEntraError(ctx, 400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.");
      return;
    }
    if (entry.clientId !== clientId) {
      sendEntraError(ctx, 400, "invalid_grant", 70002, "The authorization code was issued to a different client.");
      return;
    }
    if ((form.get("redirect_uri") ?? "") !== entry.redirectUri) {
      sendEntraError(ctx, 400, "invalid_grant", 50148, "The redirect_uri does not match the one used in the authorization request.");
      return;
    }
    if (entry.codeChallenge) {
      const verifier = form.get("code_verifier") ?? "";
      const computed = createHash("sha256").update(verifier).digest("base64url");
      if (computed !== entry.codeChallenge) {
        sendEntraError(ctx, 400, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
        return;
      }
    }
    const session = this.#sessions.get(entry.sessionId);
    const user = this.deps.users().find((u) => u.id === entry.userId);
    if (!session || !user) {
      sendEntraError(ctx, 400, "invalid_grant", 50173, "The session has been revoked.");
      return;
    }
    const merged: ClaimsRequest = {
      acrs: [...new Set([...entry.claims.acrs, ...claims.acrs])],
      mfa: entry.claims.mfa || claims.mfa,
      xmsCc: [...new Set([...entry.claims.xmsCc, ...claims.xmsCc])],
    };
    sendJson(ctx, 200, await this.issue(ctx, user, session, clientId, form.get("scope") || entry.scope, merged, entry.nonce));
  }

  private async redeemRefresh(ctx: Ctx, form: URLSearchParams, clientId: string, claims: ClaimsRequest): Promise<void> {
    const grant = this.#refresh.get(form.get("refresh_token") ?? "");
    const session = grant ? this.#sessions.get(grant.sessionId) : undefined;
    const user = session ? this.deps.users().find((u) => u.id === session.userId) : undefined;
    if (!grant || !session || !user || grant.clientId !== clientId) {
      sendEntraError(ctx, 400, "invalid_grant", 700082, "The refresh token has expired due to inactivity or was revoked. Sign in again.", { suberror: "bad_token" });
      return;
    }
    if (this.consentMissing(clientId)) {
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
    sendJson(ctx, 200, await this.issue(ctx, user, session, clientId, form.get("scope") ?? "", claims, null));
  }

  private async redeemDeviceCode(ctx: Ctx, form: URLSearchParams, clientId: string): Promise<void> {
    const entry = this.#deviceCodes.get(form.get("device_code") ?? "");
    if (!entry || entry.clientId !== clientId) {
      sendEntraError(ctx, 400, "invalid_grant", 70000, "The provided value for the 'device_code' is not valid.");
      return;
    }
    if (entry.expiresAt <= this.deps.now() || entry.state === "redeemed") {
      sendEntraError(ctx, 400, "expired_token", 70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired.");
      return;
    }
    if (entry.state === "denied") {
      sendEntraError(ctx, 400, "authorization_declined", 70019, "The user declined the sign-in request.");
      return;
    }
    if (entry.state === "pending") {
      sendEntraError(ctx, 400, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling.");
      return;
    }
    const user = this.deps.users().find((u) => u.id === entry.userId);
    if (!user) {
      sendEntraError(ctx, 400, "invalid_grant", 50034, "The user account does not exist in this directory.");
      return;
    }
    entry.state = "redeemed";
    if (this.consentMissing(clientId)) {
      sendEntraError(ctx, 400, "invalid_grant", 65001, consentDescription(clientId), { suberror: "consent_required" });
      return;
    }
    const session: Session = { id: randomUUID(), userId: user.id, mfa: user.sessionHasMfa || stepUpRequested(entry.claims) };
    this.#sessions.set(session.id, session);
    sendJson(ctx, 200, await this.issue(ctx, user, session, clientId, entry.scope, entry.claims, null));
  }

  private async issue(
    ctx: Ctx,
    user: EmulatedUser,
    session: Session,
    clientId: string,
    scope: string,
    claims: ClaimsRequest,
    nonce: string | null,
  ) {
    const nowS = Math.floor(this.deps.now() / 1000);
    const lifetime = this.deps.settings.accessTokenLifetimeSeconds;
    const requested = scope.split(/\s+/).filter(Boolean);
    let scopes = resourceScopes(scope);
    if (scopes.length === 0) scopes = ["User.Read"];
    const mfa = session.mfa || user.sessionHasMfa;
    const amr = mfa ? ["pwd", "mfa"] : ["pwd"];
    const issuer = `${ctx.origin}/${this.deps.tenantId}/v2.0`;
    const accessToken = await signJwt(
      this.deps.keys,
      {
        oid: user.id,
        sub: user.id,
        tid: this.deps.tenantId,
        name: user.displayName,
        upn: user.userPrincipalName,
        preferred_username: user.userPrincipalName,
        scp: scopes.join(" "),
        amr,
        ...(claims.acrs.length ? { acrs: claims.acrs } : {}),
        ...(claims.xmsCc.length ? { xms_cc: claims.xmsCc } : {}),
        appid: clientId,
        azp: clientId,
        sid: session.id,
        idtyp: "user",
        ver: "1.0",
      },
      { issuer, audience: GRAPH_AUDIENCE, nowSeconds: nowS, lifetimeSeconds: lifetime },
    );
    const refreshToken = randomBytes(48).toString("base64url");
    this.#refresh.set(refreshToken, { sessionId: session.id, clientId });
    const body: Record<string, unknown> = {
      token_type: "Bearer",
      scope: [
        ...scopes.map((s) => `${GRAPH_AUDIENCE}/${s}`),
        ...requested.filter((s) => OIDC_SCOPES.has(s.toLowerCase())),
      ].join(" "),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken,
      refresh_token: refreshToken,
      client_info: this.clientInfo(user),
    };
    if (requested.some((s) => s.toLowerCase() === "openid")) {
      body.id_token = await signJwt(
        this.deps.keys,
        {
          name: user.displayName,
          oid: user.id,
          preferred_username: user.userPrincipalName,
          sub: createHash("sha256").update(`${user.id}:${clientId}`).digest("base64url"),
          tid: this.deps.tenantId,
          ver: "2.0",
          sid: session.id,
          login_hint: b64url(`O.${user.id}.${this.deps.tenantId}`),
          // MSAL rejects a nonce it did not send, so echo it only when the request carried one.
          ...(nonce ? { nonce } : {}),
        },
        { issuer, audience: clientId, nowSeconds: nowS, lifetimeSeconds: 3900 },
      );
    }
    return body;
  }
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · PIM Tray emulator</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem}ul{list-style:none;padding:0}li{margin:.4rem 0}small{color:#555}
fieldset{border:1px solid #ccc;border-radius:6px}button{font:inherit;padding:.45rem 1.2rem;margin:.6rem .4rem 0 0}
.stepup{background:#fff4ce;padding:.6rem;border-radius:6px}[role=alert]{color:#a4262c}</style></head>
<body><h1>${escapeHtml(title)}</h1><p><small>Local Entra ID emulator for PIM Tray. Not Microsoft.</small></p>${body}</body></html>`;
}
