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
