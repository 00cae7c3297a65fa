import type { AccountSummary } from "./auth-types.js";

// A warm start without MSAL. Loading MSAL and asking it for three cached tokens (one per plane) was about a
// quarter of a warm `pimtray status`'s own time (docs/cli.md, "Start-up time"). When the token cache already
// holds an access token MSAL itself would hand out silently, it is read here from MSAL's serialized cache (its
// documented schema, the same across MSAL versions: graph-pim-and-msal.md B.6) and MSAL is not loaded at all.
//
// The rules are MSAL's for a cache hit, and stricter: anything this reader is unsure of (no such token, two
// of them, one about to expire or due for a proactive refresh, a proof-of-possession token, a cache it cannot
// parse, a tenant it cannot pin down) is a miss, and MSAL decides as before. A token Graph or ARM then refuses
// (revoked, a claims challenge) is asked of MSAL with `forceRefresh` or the claims, which never come here.

/** MSAL treats a token as expired this long before it expires (its default `tokenRenewalOffsetSeconds`). */
export const EXPIRY_OFFSET_S = 300;

/** Scopes MSAL adds to every request and leaves out of a token's target. */
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access"]);

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

interface CachedAccount {
  home_account_id?: unknown;
  environment?: unknown;
  realm?: unknown;
  local_account_id?: unknown;
  username?: unknown;
  name?: unknown;
}

interface CachedAccessToken {
  home_account_id?: unknown;
  environment?: unknown;
  credential_type?: unknown;
  client_id?: unknown;
  realm?: unknown;
  target?: unknown;
  secret?: unknown;
  expires_on?: unknown;
  refresh_on?: unknown;
  token_type?: unknown;
}

/** The parts of MSAL's serialized cache this reader looks at; null when the text is not such a cache. */
export interface WarmCache {
  accounts: CachedAccount[];
  accessTokens: CachedAccessToken[];
}

export function parseWarmCache(text: string | null): WarmCache | null {
  if (!text) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof doc !== "object" || doc === null) return null;
  const { Account, AccessToken } = doc as { Account?: unknown; AccessToken?: unknown };
  const entries = <T>(section: unknown): T[] =>
    typeof section === "object" && section !== null
      ? Object.values(section).filter((e): e is T => typeof e === "object" && e !== null)
      : [];
  return { accounts: entries<CachedAccount>(Account), accessTokens: entries<CachedAccessToken>(AccessToken) };
}

const text = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);
const same = (a: unknown, b: string): boolean => typeof a === "string" && a.toLowerCase() === b.toLowerCase();

/** The cached account with this home account id, as AuthService describes accounts; null when absent. */
export function warmAccount(cache: WarmCache, homeAccountId: string): AccountSummary | null {
  const hits = cache.accounts.filter((a) => a.home_account_id === homeAccountId);
  const a = hits.length === 1 ? hits[0] : undefined;
  const username = text(a?.username);
  const tenantId = text(a?.realm);
  const objectId = text(a?.local_account_id);
  if (!a || !username || !tenantId || !objectId) return null;
  return { homeAccountId, username, name: text(a.name), tenantId, objectId };
}

/**
 * The tenant (realm) a connection's tokens are issued in, from the sign-in host's OpenID configuration kept
 * for that authority (its issuer names the tenant's id). Null for "organizations" (the issuer has a
 * placeholder) or a document that names none: MSAL then works out the tenant as it always has.
 */
export function realmFromMetadata(document: string | null): string | null {
  if (!document) return null;
  try {
    const { issuer } = JSON.parse(document) as { issuer?: unknown };
    if (typeof issuer !== "string") return null;
    return new URL(issuer).pathname.split("/").find((segment) => GUID.test(segment) && segment.length === 36) ?? null;
  } catch {
    return null;
  }
}

export interface WarmTokenQuery {
  homeAccountId: string;
  clientId: string;
  /** The tenant the token must be for (realmFromMetadata). */
  realm: string;
  scopes: readonly string[];
  /** Seconds since the epoch. */
  nowS: number;
}

/**
 * The access token MSAL's silent call would return from its cache, or null when this reader is not sure
 * there is exactly one: same account, the account's own host (environment), this app, this tenant, a Bearer
 * token whose scopes cover every one asked for, more than EXPIRY_OFFSET_S from expiring and not yet due for
 * a proactive refresh.
 */
export function warmAccessToken(cache: WarmCache, q: WarmTokenQuery): string | null {
  const account = cache.accounts.filter((a) => a.home_account_id === q.homeAccountId);
  const environment = account.length === 1 ? text(account[0]?.environment) : null;
  if (!environment) return null;
  const wanted = q.scopes.map((s) => s.toLowerCase()).filter((s) => !OIDC_SCOPES.has(s));
  if (!wanted.length) return null;
  const hits = cache.accessTokens.filter((t) => {
    if (t.home_account_id !== q.homeAccountId || !same(t.environment, environment)) return false;
    // "AccessToken_With_AuthScheme" is a proof-of-possession token: not a Bearer token to send as is.
    if (!same(t.credential_type, "AccessToken")) return false;
    if (t.token_type !== undefined && !same(t.token_type, "Bearer")) return false;
    if (!same(t.client_id, q.clientId) || !same(t.realm, q.realm)) return false;
    const target = new Set(
      String(t.target ?? "")
        .toLowerCase()
        .split(" ")
        .filter(Boolean),
    );
    return wanted.every((s) => target.has(s));
  });
  if (hits.length !== 1) return null;
  const [t] = hits;
  const expiresOn = Number(t?.expires_on);
  const refreshOn = t?.refresh_on === undefined ? Infinity : Number(t.refresh_on);
  if (!Number.isFinite(expiresOn) || expiresOn - EXPIRY_OFFSET_S <= q.nowS) return null;
  if (Number.isNaN(refreshOn) || refreshOn <= q.nowS) return null;
  return text(t?.secret);
}
