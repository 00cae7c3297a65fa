import type { ServiceError } from "../errors.js";
import { encodeQuery, type GraphClient } from "./graph-client.js";
import { normalizeGraphError, toGraphError } from "./graph-errors.js";

// Graph's JSON batching: up to 20 GETs in one round trip. Each answer keeps its own status: a refused or
// throttled inner request is that request's failure alone, and the caller decides what to do with it
// (read it again on its own, through the HTTP client's retries).

/** Graph refuses a batch of more than 20 requests. */
export const GRAPH_BATCH_LIMIT = 20;

export interface BatchGet {
  id: string;
  /** A path under the version (`policies/...`). */
  path: string;
  query?: Record<string, string>;
}

export type BatchAnswer = { ok: true; body: unknown } | { ok: false; error: ServiceError };

/** One answer inside a batch's response, as Graph sends it. */
export interface RawResponse {
  id?: string;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * GETs in batches of 20, the batches `parallel` at a time. Every id gets an answer unless the batch itself
 * failed (network, 5xx after retries, sign-in), which throws. An id Graph left out is answered as a 503, so the
 * caller reads it on its own.
 */
export async function graphBatchGet(
  graph: GraphClient,
  gets: readonly BatchGet[],
  parallel = 4,
): Promise<Map<string, BatchAnswer>> {
  const chunks: BatchGet[][] = [];
  for (let i = 0; i < gets.length; i += GRAPH_BATCH_LIMIT) chunks.push(gets.slice(i, i + GRAPH_BATCH_LIMIT));
  const out = new Map<string, BatchAnswer>();
  let next = 0;
  const worker = async () => {
    for (let chunk = chunks[next++]; chunk; chunk = chunks[next++]) {
      for (const [id, answer] of await oneBatch(graph, chunk)) out.set(id, answer);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, chunks.length) }, worker));
  return out;
}

async function oneBatch(graph: GraphClient, chunk: readonly BatchGet[]): Promise<Map<string, BatchAnswer>> {
  const r = await graph.request<{ responses?: RawResponse[] }>({
    method: "POST",
    path: "$batch",
    body: {
      requests: chunk.map((g) => ({
        id: g.id,
        method: "GET",
        url: `/${g.path.replace(/^\/+/, "")}${g.query && Object.keys(g.query).length ? `?${encodeQuery(g.query)}` : ""}`,
      })),
    },
  });
  const byId = new Map((r.body.responses ?? []).map((x) => [x.id ?? "", x]));
  const out = new Map<string, BatchAnswer>();
  for (const g of chunk) {
    const x = byId.get(g.id);
    const status = x?.status ?? 503;
    if (x && status < 400) {
      out.set(g.id, { ok: true, body: x.body });
      continue;
    }
    out.set(g.id, { ok: false, error: innerError(status, x) });
  }
  return out;
}

/** An inner answer's headers, with lower-case names. */
export function innerHeaders(x: RawResponse | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(x?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

/** An inner request's failure as the same typed error the request would have thrown on its own. */
export function innerError(status: number, x: RawResponse | undefined): ServiceError {
  const text = x?.body === undefined ? "" : typeof x.body === "string" ? x.body : JSON.stringify(x.body);
  return toGraphError(status, normalizeGraphError(status, text, innerHeaders(x)));
}
