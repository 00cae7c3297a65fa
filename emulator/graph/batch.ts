// Graph's JSON batching (POST /v1.0/$batch): up to 20 requests in one round trip, each answered with its own
// status, headers and body. Every inner request runs through the same front door as a lone one (its own
// authentication, routing and error envelope), with the outer request's Authorization header.
import type { ServerResponse } from "node:http";
import { type Ctx, newRequestId } from "../http.js";
import { GraphFault } from "./fault.js";

/** Graph refuses a batch of more than this many requests. */
export const BATCH_LIMIT = 20;

interface InnerRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface InnerResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** What an inner request's handler writes, kept instead of sent. */
class CapturedResponse {
  statusCode = 200;
  headersSent = false;
  headers: Record<string, string> = {};
  text = "";

  writeHead(status: number, headers: Record<string, string> = {}): this {
    this.statusCode = status;
    this.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    this.headersSent = true;
    return this;
  }

  end(text?: string): this {
    this.text = text ?? "";
    return this;
  }

  destroy(): this {
    return this;
  }
}

function badBatch(message: string): GraphFault {
  return new GraphFault(400, "BadRequest", message);
}

function parseBatch(bodyText: string): InnerRequest[] {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    throw badBatch("Invalid batch payload format: the body is not JSON.");
  }
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw badBatch("Invalid batch payload format.");
  if (requests.length > BATCH_LIMIT) throw badBatch(`The number of batch requests exceeds ${BATCH_LIMIT}.`);
  const ids = new Set<string>();
  return requests.map((r: unknown) => {
    const x = r as Partial<InnerRequest> | null;
    if (!x || typeof x.id !== "string" || !x.id || typeof x.method !== "string" || typeof x.url !== "string")
      throw badBatch("Invalid batch payload format: each request needs an id, a method and a url.");
    if (ids.has(x.id)) throw badBatch(`Batch request ids must be unique; '${x.id}' is repeated.`);
    ids.add(x.id);
    if (/^[a-z][a-z\d+.-]*:/i.test(x.url)) throw badBatch(`Batch request '${x.id}': the url must be relative.`);
    return x as InnerRequest;
  });
}

/**
 * Answers a batch: `run` handles one inner request (`rest` is its path after the version). The inner requests
 * run one after another, as Graph does not promise any order or parallelism, and none may be a batch itself.
 */
export async function handleBatch(
  ctx: Ctx,
  version: string,
  run: (inner: Ctx, rest: string) => Promise<void>,
): Promise<InnerResponse[]> {
  if (ctx.method !== "POST") throw new GraphFault(405, "Request_BadRequest", "Use POST for $batch.");
  const requests = parseBatch(ctx.bodyText);
  const out: InnerResponse[] = [];
  for (const r of requests) {
    const url = new URL(r.url.replace(/^\/+/, ""), `${ctx.origin}/${version}/`);
    const rest = url.pathname.slice(`/${version}/`.length);
    if (/^\$batch$/i.test(rest)) throw badBatch(`Batch request '${r.id}': a batch may not hold a batch.`);
    const captured = new CapturedResponse();
    const inner: Ctx = {
      ...ctx,
      method: r.method.toUpperCase(),
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers: {
        ...ctx.headers,
        ...Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      },
      bodyText: r.body === undefined ? "" : JSON.stringify(r.body),
      requestId: newRequestId(),
      // The handlers only write a status, headers and a body; the capture keeps them for the batch's answer.
      res: captured as unknown as ServerResponse,
    };
    await run(inner, rest);
    const type = captured.headers["content-type"] ?? "";
    let body: unknown = undefined;
    if (captured.text) body = type.includes("json") ? (JSON.parse(captured.text) as unknown) : captured.text;
    const headers: Record<string, string> = {};
    for (const k of ["content-type", "retry-after", "location", "www-authenticate"])
      if (captured.headers[k]) headers[k] = captured.headers[k];
    out.push({ id: r.id, status: captured.statusCode, headers, ...(body === undefined ? {} : { body }) });
  }
  return out;
}
