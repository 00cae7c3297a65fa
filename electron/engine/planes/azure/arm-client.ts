import { assertOwnOrigin } from "../../http/own-origin.js";
import { randomUUID } from "node:crypto";
import { ArmError, PimTrayError } from "../../errors.js";
import { encodeQuery, type TokenSource } from "../../graph/graph-client.js";
import { claimsFromWwwAuthenticate } from "../../graph/graph-errors.js";
import { realSleep, type HttpClient, type HttpResponse } from "../../http/http-client.js";
import type { Logger } from "../../logger.js";
import { ArmBudget, type BudgetOptions } from "./arm-budget.js";
import { normalizeArmError, toArmError } from "./arm-errors.js";

/** The only GA version of PIM's schedule APIs on ARM. */
export const ARM_API_VERSION = "2020-10-01";

export interface ArmRequest {
  method: "GET" | "PUT" | "POST" | "PATCH";
  /** An ARM path (`/subscriptions/…`, `/providers/…`) or an absolute nextLink on ARM's own origin. */
  path: string;
  /** `api-version` here overrides ARM_API_VERSION (other APIs: subscriptions, approvals). */
  query?: Record<string, string>;
  body?: unknown;
  /** Claims to request when getting the token (a step-up the caller already knows is needed). */
  claims?: string | undefined;
}

export interface ArmResult<T> {
  status: number;
  body: T;
  requestId: string | null;
}

export interface ArmClientOptions extends BudgetOptions {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  maxPages?: number;
}

/**
 * Azure Resource Manager for PIM's Azure plane: bearer tokens for ARM's audience, api-version,
 * ARM's error envelope, nextLink paging, CAE claims challenges, and pacing by ARM's budget headers.
 * Its HttpClient is its own, so ARM's retries do not share Graph's budget.
 */
export class ArmClient {
  readonly #origin: string;
  readonly #budget: ArmBudget;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #maxPages: number;

  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
    private readonly tokens: TokenSource,
    private readonly logger: Logger,
    options: ArmClientOptions = {},
  ) {
    this.#origin = new URL(baseUrl).origin;
    this.#budget = new ArmBudget(logger, options.now ?? Date.now, options);
    this.#sleep = options.sleep ?? realSleep;
    this.#maxPages = options.maxPages ?? 200;
  }

  /** The budget ARM last reported (remaining reads or writes), null before any answer. */
  remaining(write: boolean): number | null {
    return this.#budget.remaining(write);
  }

  url(path: string, query: Record<string, string> = {}): string {
    const absolute = /^[a-z][a-z\d+.-]*:/i.test(path);
    if (absolute) assertOwnOrigin(path, this.#origin, "arm");
    else if (!path.startsWith("/")) throw new PimTrayError("usage", `An ARM path starts with '/': got '${path}'.`);
    const base = absolute ? path : `${this.baseUrl}${path}`;
    // A nextLink carries its own api-version; anything else gets ours unless the caller chose one.
    const q = /[?&]api-version=/i.test(base) ? query : { "api-version": ARM_API_VERSION, ...query };
    return Object.keys(q).length ? `${base}${base.includes("?") ? "&" : "?"}${encodeQuery(q)}` : base;
  }

  /**
   * One ARM call. A 401 is retried once: with the claims of a CAE challenge, or with a forced
   * refresh. ARM's error envelope becomes a typed ArmError carrying ARM's code and message.
   */
  async request<T>(req: ArmRequest): Promise<ArmResult<T>> {
    const url = this.url(req.path, req.query);
    let res = await this.#send(req, url, await this.tokens.getAccessToken({ claims: req.claims }));
    if (res.status === 401) {
      const claims = claimsFromWwwAuthenticate(res.headers["www-authenticate"]);
      this.logger.info(
        claims
          ? "Azure Resource Manager sent a claims challenge; stepping up"
          : "Azure Resource Manager refused the token; refreshing it",
      );
      const token = await this.tokens.getAccessToken(claims ? { claims } : { claims: req.claims, forceRefresh: true });
      res = await this.#send(req, url, token);
    }
    const requestId = res.headers["x-ms-request-id"] ?? null;
    if (res.status >= 400) throw toArmError(res.status, normalizeArmError(res.status, res.text, res.headers));
    try {
      return { status: res.status, body: (res.text ? JSON.parse(res.text) : null) as T, requestId };
    } catch {
      throw new ArmError(
        res.status,
        "InvalidJson",
        `ARM answered HTTP ${res.status} with a body that is not JSON`,
        requestId,
        "server",
        "Azure Resource Manager answered with something unexpected. A proxy may be in the way; try again.",
      );
    }
  }

  /**
   * Follows nextLink verbatim to the end. Paging is never skipped: a truncated list would lie. `onPage` hears each
   * page but the last as it arrives (a long list can be shown before its end).
   */
  async list<T>(
    path: string,
    query: Record<string, string> = {},
    onPage?: (items: readonly T[]) => void,
  ): Promise<T[]> {
    const out: T[] = [];
    let next: string | null | undefined = path;
    let q: Record<string, string> | undefined = query;
    for (let page = 0; next; page++) {
      if (page >= this.#maxPages) {
        throw new ArmError(
          200,
          "TooManyPages",
          `more than ${this.#maxPages} pages`,
          null,
          "server",
          `The list from Azure Resource Manager is longer than ${this.#maxPages} pages; narrow it down.`,
        );
      }
      const r: ArmResult<{ value?: T[]; nextLink?: string | null }> = await this.request({
        method: "GET",
        path: next,
        ...(q ? { query: q } : {}),
      });
      out.push(...(r.body?.value ?? []));
      next = r.body?.nextLink;
      if (next) onPage?.(r.body?.value ?? []);
      q = undefined;
    }
    return out;
  }

  async #send(req: ArmRequest, url: string, token: string): Promise<HttpResponse> {
    const write = req.method !== "GET";
    const pause = this.#budget.pauseMs(write);
    if (pause > 0) {
      this.logger.info(`pacing Azure Resource Manager ${write ? "writes" : "reads"}: waiting ${pause} ms`);
      await this.#sleep(pause);
    }
    const res = await this.http.send({
      method: req.method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        "x-ms-client-request-id": randomUUID(),
        ...(req.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
    });
    this.#budget.observe(res.headers);
    return res;
  }
}
