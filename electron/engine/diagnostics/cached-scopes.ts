// The scopes of an account's cached access tokens, read from MSAL's serialized cache: only each entry's
// `target` (its scopes) and account id are looked at; no token text is read into the result.

interface CachedAccessToken {
  home_account_id?: unknown;
  target?: unknown;
}

/** Every scope granted to the account in its cached access tokens, e.g. https://graph.microsoft.com/X.Read. */
export function cachedScopes(serialized: string | null, homeAccountId: string): string[] {
  if (!serialized) return [];
  let cache: { AccessToken?: Record<string, CachedAccessToken> };
  try {
    cache = JSON.parse(serialized) as typeof cache;
  } catch {
    return [];
  }
  const scopes = new Set<string>();
  for (const entry of Object.values(cache.AccessToken ?? {})) {
    if (String(entry.home_account_id ?? "").toLowerCase() !== homeAccountId.toLowerCase()) continue;
    if (typeof entry.target !== "string") continue;
    for (const s of entry.target.split(/\s+/)) if (s) scopes.add(s);
  }
  return [...scopes].sort();
}

/**
 * The doctor's account probe over the engine's auth service and the token cache's persistence (the CLI's file,
 * the app's safeStorage or memory): the account, and its cached tokens' scopes.
 */
export async function accountProbe(
  auth: { currentAccount(): Promise<{ username: string; tenantId: string; homeAccountId: string } | null> },
  loadCache: () => Promise<string | null>,
): Promise<{ username: string; tenantId: string; grantedScopes: string[] } | null> {
  const a = await auth.currentAccount();
  if (!a) return null;
  const serialized = await loadCache().catch(() => null);
  return { username: a.username, tenantId: a.tenantId, grantedScopes: cachedScopes(serialized, a.homeAccountId) };
}
