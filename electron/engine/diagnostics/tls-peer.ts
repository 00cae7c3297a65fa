import { request as httpRequest } from "node:http";
import type { Socket } from "node:net";
import { connect as tlsConnect, type PeerCertificate } from "node:tls";

// Who signed the certificate an endpoint presents, and whether this computer trusts it. A request's error says
// only that the chain failed; the issuer's name tells a corporate TLS inspection proxy ("Zscaler Root CA",
// "Contoso Proxy CA") from a broken service. Only a TLS handshake: no HTTP request, nothing is sent.

export interface TlsPeer {
  /** The leaf certificate's issuer, e.g. "Microsoft Azure RSA TLS Issuing CA 04 (Microsoft Corporation)". */
  issuer: string;
  /** The issuer's organisation, when the certificate names one. */
  issuerOrg: string | null;
  subject: string;
  /** Whether the chain verified against the trusted CAs given (Node's own roots when none are). */
  trusted: boolean;
  /** OpenSSL's reason when not trusted, e.g. SELF_SIGNED_CERT_IN_CHAIN. */
  error: string | null;
  validTo: string | null;
}

export interface TlsPeerOptions {
  /** The CAs the client trusts; Node's default store (with NODE_EXTRA_CA_CERTS) when not given. */
  ca?: string[] | undefined;
  /** An HTTP proxy to tunnel through (CONNECT), as the client's requests do. */
  proxyUrl?: string | null | undefined;
  timeoutMs?: number;
}

function name(part: PeerCertificate["issuer"] | undefined): string {
  if (!part) return "unknown";
  const cn = typeof part.CN === "string" ? part.CN : undefined;
  const o = typeof part.O === "string" ? part.O : undefined;
  if (cn && o && !cn.includes(o)) return `${cn} (${o})`;
  return cn ?? o ?? "unknown";
}

/** A tunnel to host:port through an HTTP proxy. */
function tunnel(proxyUrl: string, host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const proxy = new URL(proxyUrl.includes("://") ? proxyUrl : `http://${proxyUrl}`);
    const headers: Record<string, string> = { host: `${host}:${port}` };
    if (proxy.username) {
      const auth = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
      headers["proxy-authorization"] = `Basic ${Buffer.from(auth).toString("base64")}`;
    }
    const req = httpRequest({
      host: proxy.hostname.replace(/^\[|\]$/g, ""),
      port: Number(proxy.port || 80),
      method: "CONNECT",
      path: `${host.includes(":") ? `[${host}]` : host}:${port}`,
      headers,
      timeout: timeoutMs,
    });
    req.once("connect", (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(
          Object.assign(new Error(`the proxy refused the tunnel (HTTP ${res.statusCode})`), { code: "PROXY_REFUSED" }),
        );
      }
    });
    req.once("timeout", () => req.destroy(Object.assign(new Error("the proxy did not answer"), { code: "ETIMEDOUT" })));
    req.once("error", reject);
    req.end();
  });
}

/** The certificate `url`'s host presents, read in a TLS handshake (through the proxy when one is given). */
export async function tlsPeer(url: string, o: TlsPeerOptions = {}): Promise<TlsPeer> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, "");
  const port = Number(target.port || 443);
  const timeoutMs = o.timeoutMs ?? 10_000;
  const socket = o.proxyUrl ? await tunnel(o.proxyUrl, host, port, timeoutMs) : undefined;
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({
      ...(socket ? { socket } : { host, port }),
      // An IP address is not a valid SNI name.
      ...(/^[\d.]+$|:/.test(host) ? {} : { servername: host }),
      ...(o.ca ? { ca: o.ca } : {}),
      // Diagnosis only: the handshake completes so the certificate can be named; nothing is sent over it.
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    tls.once("secureConnect", () => {
      const cert = tls.getPeerCertificate();
      const error = tls.authorizationError;
      resolve({
        issuer: name(cert.issuer),
        issuerOrg: typeof cert.issuer?.O === "string" ? cert.issuer.O : null,
        subject: name(cert.subject),
        trusted: tls.authorized,
        error: error ? String((error as Error & { code?: string }).code ?? error) : null,
        validTo: cert.valid_to ? new Date(cert.valid_to).toISOString() : null,
      });
      tls.end();
    });
    tls.once("timeout", () => tls.destroy(Object.assign(new Error("no TLS answer"), { code: "ETIMEDOUT" })));
    tls.once("error", reject);
  });
}
