// Token issuance, shared by every grant: the access token, the id token, a refresh token, and the
// scopes Entra reports back.
import { createHash, randomBytes } from "node:crypto";
import type { Ctx } from "../http.js";
import type { EmulatedUser } from "../model.js";
import { GRAPH_AUDIENCE, signJwt } from "../tokens.js";
import { ARM_AUDIENCE, ARM_SCOPE, armPrefix, isArmScope } from "../arm/audience.js";
import type { ClaimsRequest } from "./claims.js";
import type { IdentityState, Session } from "./state.js";

const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);
const GRAPH_PREFIXES = [
  "https://graph.microsoft.com/",
  "https://graph.microsoft.us/",
  "https://dod-graph.microsoft.us/",
  "https://microsoftgraph.chinacloudapi.cn/",
  "00000003-0000-0000-c000-000000000000/",
];

/** All delegated Graph scopes the emulated tenant has consented to, granted for `.default`. */
export const CONSENTED_SCOPES = [
  "PrivilegedEligibilitySchedule.Read.AzureADGroup",
  "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
  "PrivilegedAssignmentSchedule.Read.AzureADGroup",
  "RoleManagementPolicy.Read.AzureADGroup",
  // The directory-roles plane's minimal requester + approver set (emulator/roles/).
  "RoleEligibilitySchedule.Read.Directory",
  "RoleAssignmentSchedule.ReadWrite.Directory",
  "RoleManagementPolicy.Read.Directory",
  "User.Read",
];

function resourceScopes(scope: string): string[] {
  const out: string[] = [];
  for (const s of scope.split(/\s+/).filter(Boolean)) {
    if (OIDC_SCOPES.has(s.toLowerCase())) continue;
    // ARM has one delegated permission; `.default` and `user_impersonation` both grant it.
    if (armPrefix(s)) {
      out.push(ARM_SCOPE);
      continue;
    }
    const prefix = GRAPH_PREFIXES.find((p) => s.toLowerCase().startsWith(p.toLowerCase()));
    const short = prefix ? s.slice(prefix.length) : s;
    if (short === ".default") out.push(...CONSENTED_SCOPES);
    else out.push(short);
  }
  return [...new Set(out)];
}

function b64url(s: string): string {
  return Buffer.from(s, "utf8").toString("base64url");
}

/** MSAL's client_info: who signed in, in which tenant. */
export function clientInfo(user: EmulatedUser, tenantId: string): string {
  return b64url(JSON.stringify({ uid: user.id, utid: tenantId }));
}

/** The token endpoint's success body for `user` in `session`; remembers the refresh token it issues. */
export async function issueTokens(
  state: IdentityState,
  ctx: Ctx,
  user: EmulatedUser,
  session: Session,
  clientId: string,
  scope: string,
  claims: ClaimsRequest,
  nonce: string | null,
) {
  const { deps } = state;
  const nowS = Math.floor(deps.now() / 1000);
  const lifetime = deps.settings.accessTokenLifetimeSeconds;
  const requested = scope.split(/\s+/).filter(Boolean);
  let scopes = resourceScopes(scope);
  if (scopes.length === 0) scopes = ["User.Read"];
  // One resource per token: a request naming ARM gets an ARM-audience token, anything else Graph's.
  const audience = isArmScope(scope) ? ARM_AUDIENCE : GRAPH_AUDIENCE;
  const mfa = session.mfa || user.sessionHasMfa;
  const amr = mfa ? ["pwd", "mfa"] : ["pwd"];
  const issuer = `${ctx.origin}/${deps.tenantId}/v2.0`;
  const accessToken = await signJwt(
    deps.keys,
    {
      oid: user.id,
      sub: user.id,
      tid: deps.tenantId,
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
    { issuer, audience, nowSeconds: nowS, lifetimeSeconds: lifetime },
  );
  const refreshToken = randomBytes(48).toString("base64url");
  state.refresh.set(refreshToken, { sessionId: session.id, clientId });
  const body: Record<string, unknown> = {
    token_type: "Bearer",
    scope: [
      ...scopes.map((s) => `${audience}/${s}`),
      // Entra echoes a `.default` request back beside the permissions it stands for, which is
      // what lets MSAL find the token in its cache the next time it is asked for `.default`.
      ...(requested.some((s) => s.toLowerCase().endsWith("/.default")) ? [`${audience}/.default`] : []),
      ...requested.filter((s) => OIDC_SCOPES.has(s.toLowerCase())),
    ].join(" "),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
    refresh_token: refreshToken,
    client_info: clientInfo(user, deps.tenantId),
  };
  if (requested.some((s) => s.toLowerCase() === "openid")) {
    body.id_token = await signJwt(
      deps.keys,
      {
        name: user.displayName,
        oid: user.id,
        preferred_username: user.userPrincipalName,
        sub: createHash("sha256").update(`${user.id}:${clientId}`).digest("base64url"),
        tid: deps.tenantId,
        ver: "2.0",
        sid: session.id,
        login_hint: b64url(`O.${user.id}.${deps.tenantId}`),
        // MSAL rejects a nonce it did not send, so echo it only when the request carried one.
        ...(nonce ? { nonce } : {}),
      },
      { issuer, audience: clientId, nowSeconds: nowS, lifetimeSeconds: 3900 },
    );
  }
  return body;
}
