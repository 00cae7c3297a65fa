// Which proxy a request to a URL takes, as the CLI decides it: HTTPS_PROXY (or HTTP_PROXY) unless NO_PROXY
// covers the host, the rules undici's EnvHttpProxyAgent and curl follow.

export interface ProxySetting {
  /** Where the setting came from: the environment (the CLI), the system (the app), or none. */
  source: "env" | "system" | "none";
  /** The proxy's URL with any user name and password removed; null for a direct connection. */
  url: string | null;
  /** NO_PROXY as given (env only). */
  noProxy: string | null;
}

/** The proxy the CLI uses for https URLs, from its environment. */
export function proxyFromEnv(env: NodeJS.ProcessEnv = process.env): ProxySetting {
  const raw = env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy || "";
  const noProxy = env.NO_PROXY || env.no_proxy || null;
  return raw ? { source: "env", url: withoutCredentials(raw), noProxy } : { source: "none", url: null, noProxy };
}

/**
 * The app's proxy, from what Chromium resolved for a URL (`session.resolveProxy`): "DIRECT", or
 * "PROXY host:port; DIRECT" and the like. The first entry is the one used.
 */
export function proxyFromSystem(resolved: string): ProxySetting {
  const first = (resolved.split(";")[0] ?? "").trim();
  const m = /^(PROXY|HTTPS|SOCKS5?|SOCKS4)\s+(\S+)$/i.exec(first);
  if (!m) return { source: "system", url: null, noProxy: null };
  const scheme = (m[1] ?? "").toUpperCase();
  const prefix = scheme === "PROXY" ? "http" : scheme === "HTTPS" ? "https" : scheme.toLowerCase();
  return { source: "system", url: withoutCredentials(`${prefix}://${m[2] ?? ""}`), noProxy: null };
}

/** A proxy URL fit for a report: user name and password removed (they are secrets). */
export function withoutCredentials(url: string): string {
  try {
    const u = new URL(url.includes("://") ? url : `http://${url}`);
    u.username = "";
    u.password = "";
    return u.toString().replace(/\/$/, "");
  } catch {
    return "(not a URL)";
  }
}

/** Whether NO_PROXY sends a request to this URL directly: "*", exact hosts, ".domain" or "domain" suffixes, host:port. */
export function bypassesProxy(url: string, noProxy: string | null): boolean {
  if (!noProxy) return false;
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  for (const entry of noProxy.split(/[,\s]+/)) {
    const e = entry.trim().toLowerCase();
    if (!e) continue;
    if (e === "*") return true;
    // An IPv6 address is written bare (::1) or in brackets with a port ([::1]:8443).
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(e);
    const m = bracketed ?? (e.split(":").length > 2 ? [e, e, undefined] : /^(.*?)(?::(\d+))?$/.exec(e));
    const name = (m?.[1] ?? e).replace(/^\*?\./, "");
    const wantPort = m?.[2];
    if (wantPort && wantPort !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}
