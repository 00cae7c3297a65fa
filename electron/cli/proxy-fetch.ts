import { rootCertificates } from "node:tls";
import { EnvHttpProxyAgent, fetch as undiciFetch } from "undici";
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
  return (url, init) => undiciFetch(url, { ...init, dispatcher });
}
