import type { FetchLike } from "../http/http-client.js";
import type { TlsPeer } from "./tls-peer.js";

// One look at an endpoint's origin: does an HTTPS request get an answer (any status: Graph answers its root
// with 4xx, and that still proves the path), how long it took, the server's clock, and the certificate.

export interface ReachResult {
  url: string;
  /** Whether an HTTP answer came back (any status). */
  reached: boolean;
  status: number | null;
  ms: number;
  /** Local time (epoch ms) when the answer came, to compare with the server's Date. */
  at: number;
  /** The answer's Date header, for the clock check. */
  serverDate: string | null;
  /** When not reached: the error's code (ECONNREFUSED, SELF_SIGNED_CERT_IN_CHAIN, net::ERR_CERT_…) and message. */
  errorCode: string | null;
  error: string | null;
  /** The certificate presented, when a handshake could be made; null when not looked at or not reached. */
  peer: TlsPeer | null;
  /** Whether the request went through a proxy, and which (credentials removed). */
  proxy: string | null;
}

/** The first `code` on an error or its causes: undici wraps the socket's error as `cause`, Node's https does not. */
export function errorCode(e: unknown): string | null {
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur; depth++) {
    if (typeof cur === "object" && cur !== null) {
      const code = (cur as { code?: unknown }).code;
      if (typeof code === "string" && code !== "UND_ERR_SOCKET") return code;
      cur = (cur as { cause?: unknown }).cause;
    } else break;
  }
  // Chromium's net errors (the app's net.fetch) name themselves in the message.
  const m = /net::(ERR_[A-Z_]+)/.exec(String(e instanceof Error ? e.message : e));
  return m ? `net::${m[1]}` : null;
}

/** The error's message and its causes' messages, e.g. "fetch failed: self-signed certificate in certificate chain". */
export function errorText(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur; depth++) {
    if (cur instanceof Error) {
      if (cur.message && !parts.includes(cur.message)) parts.push(cur.message);
      cur = cur.cause;
    } else {
      parts.push(String(cur));
      break;
    }
  }
  return parts.join(": ") || "unknown error";
}

export interface ReachOptions {
  fetch: FetchLike;
  /** Reads the certificate the origin presents; not called when not given. */
  peer?: (url: string) => Promise<TlsPeer>;
  proxy?: string | null;
  timeoutMs?: number;
  now?: () => number;
}

/** A GET of the URL's origin; the certificate is read too, in its own handshake. */
export async function reach(url: string, o: ReachOptions): Promise<ReachResult> {
  const origin = `${new URL(url).origin}/`;
  const now = o.now ?? Date.now;
  const start = now();
  const base = { url: origin, proxy: o.proxy ?? null };
  const peerRead = o.peer ? o.peer(origin).catch(() => null) : Promise.resolve(null);
  try {
    const res = await o.fetch(origin, {
      method: "GET",
      headers: {},
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
    let serverDate: string | null = null;
    res.headers.forEach((value, key) => {
      if (key.toLowerCase() === "date") serverDate = value;
    });
    // The body is not needed; reading it ends the request cleanly on a kept-alive connection.
    await res.text().catch(() => "");
    return {
      ...base,
      reached: true,
      status: res.status,
      ms: now() - start,
      at: now(),
      serverDate,
      errorCode: null,
      error: null,
      peer: await peerRead,
    };
  } catch (e) {
    return {
      ...base,
      reached: false,
      status: null,
      ms: now() - start,
      at: now(),
      serverDate: null,
      errorCode: errorCode(e) ?? (e instanceof Error && e.name === "TimeoutError" ? "ETIMEDOUT" : null),
      error: errorText(e),
      peer: await peerRead,
    };
  }
}
