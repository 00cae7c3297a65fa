import type { IncomingMessage } from "node:http";
import { Agent, request } from "node:https";
import type { Readable } from "node:stream";
import type { FetchLike } from "../engine/http/http-client.js";
import { withSystemTrust } from "./system-ca.js";

/**
 * Idle connections are closed after this long: under the 5 s keep-alive of Node servers (the emulator)
 * and of most proxies in front of Graph, so a request never goes out on a connection the server is closing.
 */
const IDLE_MS = 3_000;

/**
 * The engine's fetch on node:https, for a CLI that reaches Graph, ARM and the sign-in host directly (no
 * proxy: with one, proxy-fetch.ts uses undici). Measured for `pimtray status` (docs/cli.md, "Start-up
 * time"): undici took longer to load than the rest of the engine, and its first request was slower again;
 * node:https is part of Node and answers the same first request in a fraction of that.
 *
 * Only what FetchLike promises: status, headers and the body as text, decoded from gzip, deflate or br.
 * Redirects are not followed (Graph, ARM and the token endpoints answer without them). Connections are
 * kept alive and shared by every request of the process; NODE_EXTRA_CA_CERTS is honoured by Node's TLS
 * unless `ca` replaces the trusted list (demo mode). With --use-system-ca, the OS store is trusted too
 * (system-ca.ts), besides Node's roots and NODE_EXTRA_CA_CERTS.
 */
export function httpsFetch(options: { ca?: string[] } = {}): FetchLike {
  const ca = withSystemTrust(options.ca);
  const agent = new Agent({ keepAlive: true, timeout: IDLE_MS, ...(ca ? { ca } : {}) });
  return (url, init) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== "https:") {
        reject(new TypeError(`only https is supported, not ${target.protocol}`));
        return;
      }
      const req = request(
        target,
        {
          method: init.method,
          headers: { accept: "*/*", "accept-encoding": "gzip, deflate, br", ...init.headers },
          agent,
          // An abort (the engine's timeout) ends the request with an AbortError, before or after the answer.
          signal: init.signal,
        },
        (res) =>
          resolve({
            status: res.statusCode ?? 0,
            headers: { forEach: (cb) => forEachHeader(res, cb) },
            text: () => bodyText(res),
          }),
      );
      req.once("error", reject);
      req.end(init.body);
    });
}

function forEachHeader(res: IncomingMessage, cb: (value: string, key: string) => void): void {
  for (const [key, value] of Object.entries(res.headers)) {
    if (value !== undefined) cb(Array.isArray(value) ? value.join(", ") : value, key);
  }
}

/** The body, decoded; zlib is loaded only for an answer that is compressed (the emulator's never are). */
async function decoded(res: IncomingMessage): Promise<Readable> {
  const encoding = String(res.headers["content-encoding"] ?? "")
    .trim()
    .toLowerCase();
  if (!["gzip", "x-gzip", "deflate", "br"].includes(encoding)) return res;
  const zlib = await import("node:zlib");
  const decoder =
    encoding === "deflate"
      ? zlib.createInflate()
      : encoding === "br"
        ? zlib.createBrotliDecompress()
        : zlib.createGunzip();
  res.once("error", (e) => decoder.destroy(e));
  return res.pipe(decoder);
}

function bodyText(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    // Both before anything is awaited: an error or a cut connection is never missed.
    res.once("error", reject);
    // The connection closed before the whole body came: an error, never a short body taken as complete.
    res.once("close", () => {
      if (!res.complete) reject(new Error("the connection closed before the whole answer arrived"));
    });
    decoded(res).then((body) => {
      const chunks: Buffer[] = [];
      body.on("data", (c: Buffer) => chunks.push(c));
      body.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      body.once("error", reject);
    }, reject);
  });
}
