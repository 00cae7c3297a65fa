import { assertOwnOrigin } from "../http/own-origin.js";
import { randomUUID } from "node:crypto";
import { GraphError } from "../errors.js";
import type { HttpClient, HttpResponse } from "../http/http-client.js";
import type { Logger } from "../logger.js";
import { graphBatchGet } from "./graph-batch.js";
import { claimsFromWwwAuthenticate, normalizeGraphError, toGraphError } from "./graph-errors.js";

export interface TokenSource {
  getAccessToken(request?: { claims?: string | undefined; forceRefresh?: boolean }): Promise<string>;
}

export interface GraphRequest {
  method: "GET" | "POST" | "PATCH";
  /** A path under the base URL (`identityGovernance/...`) or an absolute nextLink. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Use this token instead of asking the token source (after a step-up). */
  token?: string;
  /** Claims to request when getting the token (proactive step-up). */
  claims?: string | undefined;
}

export interface GraphResult<T> {
  status: number;
  body: T;
  requestId: string | null;
  /** The token that succeeded: callers reuse a stepped-up token for follow-up calls. */
  token: string;
}

/** An OData string literal: quoted, each `'` inside doubled. Every `$filter` value is built through this. */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** OData wants `$` kept literally and spaces as %20. */
export function encodeQuery(query: Record<string, string>): string {
  return Object.entries(query)
    .map(
      ([k, v]) =>
        `${k}=${encodeURIComponent(v).replace(/%24/g, "$").replace(/%2C/gi, ",").replace(/%28/g, "(").replace(/%29/g, ")").replace(/%3D/gi, "=")}`,
    )
    .join("&");
}

type ListPage<T> = { value: T[]; "@odata.nextLink"?: string };

interface QueuedFirstPage {
  url: string;
  resolve: (page: ListPage<unknown>) => void;
  reject: (e: unknown) => void;
}

export class GraphClient {
  readonly #origin: string;
  /** How many together() calls are running: while any is, lists' first pages asked for in one turn are queued. */
  #together = 0;
  #queued: QueuedFirstPage[] | null = null;

  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
    private readonly tokens: TokenSource,
    private readonly logger: Logger,
  ) {
    this.#origin = new URL(baseUrl).origin;
  }

  url(path: string, query?: Record<string, string>): string {
    const absolute = /^[a-z][a-z\d+.-]*:/i.test(path);
    if (absolute) assertOwnOrigin(path, this.#origin, "graph");
    const base = absolute ? path : `${this.baseUrl}/${path.replace(/^\/+/, "")}`;
    return query && Object.keys(query).length ? `${base}${base.includes("?") ? "&" : "?"}${encodeQuery(query)}` : base;
  }

  /**
   * One Graph call. A 401 is retried once: with the claims of a CAE challenge, or with a forced
   * refresh for an expired token. Other errors become typed GraphErrors.
   */
  async request<T>(req: GraphRequest): Promise<GraphResult<T>> {
    let token = req.token ?? (await this.tokens.getAccessToken({ claims: req.claims }));
    let res = await this.#send(req, token);
    if (res.status === 401) {
      const claims = claimsFromWwwAuthenticate(res.headers["www-authenticate"]);
      this.logger.info(
        claims ? "Graph sent a claims challenge; stepping up" : "Graph refused the token; refreshing it",
      );
      token = await this.tokens.getAccessToken(claims ? { claims } : { forceRefresh: true });
      res = await this.#send(req, token);
    }
    const requestId = res.headers["request-id"] ?? null;
    if (res.status >= 400) throw toGraphError(res.status, normalizeGraphError(res.status, res.text, res.headers));
    let body: T;
    try {
      body = (res.text ? JSON.parse(res.text) : null) as T;
    } catch {
      throw new GraphError(
        res.status,
        "InvalidJson",
        `Graph answered HTTP ${res.status} with a body that is not JSON`,
        requestId,
        "server",
        "Microsoft Graph answered with something unexpected. A proxy may be in the way; try again.",
      );
    }
    return { status: res.status, body, requestId, token };
  }

  /**
   * Follows @odata.nextLink to the end. Paging is never skipped: a truncated list would lie. `onPage` hears each
   * page but the last as it arrives (a long list can be shown before its end).
   */
  async list<T>(
    path: string,
    query: Record<string, string> = {},
    maxPages = 200,
    onPage?: (items: readonly T[]) => void,
  ): Promise<T[]> {
    const out: T[] = [];
    let next: string | undefined = this.url(path, query);
    for (let page = 0; next; page++) {
      if (page >= maxPages)
        throw new GraphError(
          200,
          "TooManyPages",
          `more than ${maxPages} pages`,
          null,
          "server",
          `The list from Microsoft Graph is longer than ${maxPages} pages; narrow it down.`,
        );
      const body: ListPage<T> =
        page === 0 && this.#together > 0
          ? ((await this.#firstPage(next)) as ListPage<T>)
          : (await this.request<ListPage<T>>({ method: "GET", path: next })).body;
      out.push(...(body.value ?? []));
      next = body["@odata.nextLink"];
      if (next) onPage?.(body.value ?? []);
    }
    return out;
  }

  /**
   * Runs `reads`, and sends the first pages of the lists they ask for in the same turn in one $batch (one round
   * trip, one connection: `pimtray status` reads a plane's active assignments and requests together). Later pages,
   * and a list Graph did not answer inside the batch (throttled, refused, a claims challenge), are read on their
   * own as any list is, through the HTTP client's retries and the token refresh.
   */
  async together<T>(reads: () => Promise<T>): Promise<T> {
    this.#together += 1;
    try {
      return await reads();
    } finally {
      this.#together -= 1;
    }
  }

  #firstPage(url: string): Promise<ListPage<unknown>> {
    return new Promise((resolve, reject) => {
      if (!this.#queued) {
        this.#queued = [];
        setImmediate(() => void this.#sendQueued());
      }
      this.#queued.push({ url, resolve, reject });
    });
  }

  async #sendQueued(): Promise<void> {
    const queued = this.#queued ?? [];
    this.#queued = null;
    const alone = (q: QueuedFirstPage) =>
      this.request<ListPage<unknown>>({ method: "GET", path: q.url }).then((r) => q.resolve(r.body), q.reject);
    const base = `${this.baseUrl}/`;
    const batchable = queued.filter((q) => q.url.startsWith(base));
    for (const q of queued) if (!q.url.startsWith(base)) void alone(q);
    if (batchable.length < 2) {
      for (const q of batchable) void alone(q);
      return;
    }
    let answers: Awaited<ReturnType<typeof graphBatchGet>>;
    try {
      answers = await graphBatchGet(
        this,
        batchable.map((q, i) => ({ id: String(i + 1), path: q.url.slice(base.length) })),
      );
    } catch (e) {
      // The batch itself failed (refused, or the network after the retries): each list is asked for on its own,
      // which fails the same way if the network is down, or works where only batching was refused.
      this.logger.info(`a batch of ${batchable.length} list reads failed; reading each on its own`, e);
      for (const q of batchable) void alone(q);
      return;
    }
    batchable.forEach((q, i) => {
      const answer = answers.get(String(i + 1));
      if (answer?.ok) q.resolve(answer.body as ListPage<unknown>);
      else void alone(q);
    });
  }

  async #send(req: GraphRequest, token: string): Promise<HttpResponse> {
    return this.http.send({
      method: req.method,
      url: this.url(req.path, req.query),
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        "client-request-id": randomUUID(),
        ...(req.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
    });
  }
}
