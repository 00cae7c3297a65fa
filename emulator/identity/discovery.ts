// OpenID discovery and the signing keys: what MSAL reads before any flow starts.
import type { Ctx } from "../http.js";
import type { IdentityDeps } from "./state.js";

export function openIdConfiguration(ctx: Ctx, deps: IdentityDeps) {
  const base = `${ctx.origin}/${deps.tenantId}`;
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
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "nonce",
      "name",
      "oid",
      "tid",
      "preferred_username",
      "login_hint",
    ],
    request_uri_parameter_supported: false,
    tenant_region_scope: "EU",
    cloud_instance_name: "emulator.local",
    cloud_graph_host_name: "graph.emulator.local",
    msgraph_host: new URL(ctx.origin).host,
    rbac_url: ctx.origin,
  };
}

export function jwks(deps: IdentityDeps) {
  return { keys: [deps.keys.publicJwk] };
}
