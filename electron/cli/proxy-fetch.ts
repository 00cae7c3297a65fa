import { rootCertificates } from "node:tls";
import { EnvHttpProxyAgent, fetch as undiciFetch } from "undici";
import { bypassesProxy, proxyFromEnv } from "../engine/diagnostics/proxy-env.js";
import type { FetchLike } from "../engine/http/http-client.js";
import { withSystemTrust } from "./system-ca.js";

/**
 * The engine's fetch through a proxy: undici's, which follows HTTPS_PROXY, HTTP_PROXY and NO_PROXY as
 * curl does. NODE_EXTRA_CA_CERTS is honoured by Node's TLS unless we pass our own CA list, which only
 * demo mode does (and then it includes the public roots too). Imported only when a proxy is configured
 * (context.ts): undici is the slowest thing the CLI could load. With --use-system-ca, the OS store is trusted
 * too (system-ca.ts). The trusted list goes to both paths: `connect` for hosts NO_PROXY sends directly,
 * `requestTls` for the TLS session inside the proxy's tunnel (undici ignores `connect` there).
 */
export function proxyFetch(extraCa: string | null): FetchLike {
  const ca = withSystemTrust(extraCa ? [...rootCertificates, extraCa] : undefined);
  const dispatcher = new EnvHttpProxyAgent(ca ? { connect: { ca }, requestTls: { ca } } : {});
  const setting = proxyFromEnv();
  return async (url, init) => {
    try {
      return await undiciFetch(url, { ...init, dispatcher });
    } catch (e) {
      const proxy = setting.url && !bypassesProxy(url, setting.noProxy) ? setting.url : null;
      throw proxy ? (namingProxy(e, proxy) ?? e) : e;
    }
  };
}

const CONNECT_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH"]);

/**
 * A failure that is the proxy's own, told as such: undici says only "fetch failed" with the socket's error
 * beneath, and a person behind a proxy needs to know which of the two did not answer. The message is the
 * cause's, which the engine's HTTP layer shows ("Could not reach graph.microsoft.com (the proxy … )"); the
 * original error stays beneath it, codes and all. Null when the failure is not the proxy's.
 */
function namingProxy(e: unknown, proxy: string): Error | null {
  const proxyUrl = new URL(proxy);
  const proxyPort = Number(proxyUrl.port || 80);
  let reason: string | null = null;
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur instanceof Error && !reason; depth++) {
    const err = cur as Error & { code?: string; port?: number };
    const status = /Proxy response \((\d+)\)/i.exec(err.message)?.[1];
    if (status)
      reason =
        status === "407"
          ? "asks for credentials (HTTP 407): put them in HTTPS_PROXY as http://user:password@host:port, or ask your IT department"
          : `refused the tunnel (HTTP ${status})`;
    else if (err.code && CONNECT_CODES.has(err.code) && err.port === proxyPort)
      reason = `could not be reached (${err.code}); check HTTPS_PROXY, or set NO_PROXY for hosts to reach directly`;
    cur = err.cause;
  }
  if (!reason) return null;
  const named = new Error(`the proxy ${proxy} ${reason}`, { cause: e });
  return new TypeError("fetch failed", { cause: named });
}
