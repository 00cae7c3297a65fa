import { rootCertificates } from "node:tls";
import { EnvHttpProxyAgent, fetch as undiciFetch } from "undici";
import type { FetchLike } from "../engine/http/http-client.js";

/**
 * The engine's fetch through a proxy: undici's, which follows HTTPS_PROXY, HTTP_PROXY and NO_PROXY as
 * curl does. NODE_EXTRA_CA_CERTS is honoured by Node's TLS unless we pass our own CA list, which only
 * demo mode does (and then it includes the public roots too). Imported only when a proxy is configured
 * (context.ts): undici is the slowest thing the CLI could load.
 */
export function proxyFetch(extraCa: string | null): FetchLike {
  const dispatcher = new EnvHttpProxyAgent(extraCa ? { connect: { ca: [...rootCertificates, extraCa] } } : {});
  return (url, init) => undiciFetch(url, { ...init, dispatcher });
}
