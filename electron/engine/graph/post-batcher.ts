import { ServiceError } from "../errors.js";
import { OutcomeUnknownError, parseRetryAfter, realSleep } from "../http/http-client.js";
import { GRAPH_BATCH_LIMIT, innerError, innerHeaders, type RawResponse } from "./graph-batch.js";
import type { GraphClient } from "./graph-client.js";

// POSTs to one Graph client that are sent together (a profile's activations on one plane, all submitted at once)
// go in one JSON batch: one round trip instead of one per request. One client means one token, so a batch never
// mixes planes: each plane's token carries only the permissions consented for it.
//
// Each inner answer is the POST's own: a created request, or the error it would have had alone, so the caller's
// step-up and already-active handling see the same thing. What Graph did not act on (a throttled, unavailable or
// unauthorised inner request, or a batch refused as malformed) is sent again on its own, through the HTTP client's
// retries and the client's token refresh; a throttled one after its Retry-After, as the HTTP client would, and the
// submission gate is told (onThrottled) as it is of any 429. A POST whose fate is unknown (an inner 5xx, the
// batch's answer lost) is never sent again here: the caller looks for it first (the lost-POST rule,
// activation/submit.ts).

/** How long the first POST waits for others to join it: a profile's items reach here within a few ms. */
const WINDOW_MS = 5;
/** The longest inner Retry-After waited before a throttled POST is sent again on its own. */
const MAX_INNER_WAIT_MS = 60_000;
/** Inner statuses that say Graph did not act on the request: sent again on its own. */
const NOT_ACTED = new Set([401, 429, 503]);

interface Waiting {
  path: string;
  body: unknown;
  resolve: (body: unknown) => void;
  reject: (e: unknown) => void;
}

export class GraphPostBatcher {
  #queue: Waiting[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #throttled = new Set<(retryAfterMs: number) => void>();

  constructor(
    private readonly graph: GraphClient,
    private readonly windowMs = WINDOW_MS,
    private readonly sleep: (ms: number) => Promise<void> = realSleep,
  ) {}

  /** Hears each 429 Graph gave a POST inside a batch (the HTTP client tells of the others itself). */
  onThrottled(listener: (retryAfterMs: number) => void): void {
    this.#throttled.add(listener);
  }

  /**
   * POSTs `body` to `path` (under the client's version) and answers with the created object. A POST with claims
   * (a step-up) is always sent on its own: its token is not the one the others use.
   */
  post<T>(path: string, body: unknown, claims?: string): Promise<T> {
    if (claims) return this.#alone<T>(path, body, claims);
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ path, body, resolve: (b) => resolve(b as T), reject });
      this.#timer ??= setTimeout(() => this.#flush(), this.windowMs);
    });
  }

  async #alone<T>(path: string, body: unknown, claims?: string): Promise<T> {
    return (await this.graph.request<T>({ method: "POST", path, body, ...(claims ? { claims } : {}) })).body;
  }

  #flush(): void {
    this.#timer = null;
    const queue = this.#queue;
    this.#queue = [];
    for (let i = 0; i < queue.length; i += GRAPH_BATCH_LIMIT) void this.#send(queue.slice(i, i + GRAPH_BATCH_LIMIT));
  }

  #again(w: Waiting, afterMs = 0): void {
    const wait = afterMs > 0 ? this.sleep(Math.min(afterMs, MAX_INNER_WAIT_MS)) : Promise.resolve();
    wait.then(() => this.#alone(w.path, w.body)).then(w.resolve, w.reject);
  }

  #throttledFor(x: RawResponse): number {
    const ms = parseRetryAfter(innerHeaders(x)["retry-after"], Date.now()) ?? 0;
    for (const listener of this.#throttled) listener(ms);
    return ms;
  }

  async #send(chunk: Waiting[]): Promise<void> {
    if (chunk.length === 1) {
      for (const w of chunk) this.#again(w);
      return;
    }
    let responses: RawResponse[];
    try {
      const r = await this.graph.request<{ responses?: RawResponse[] }>({
        method: "POST",
        path: "$batch",
        body: {
          requests: chunk.map((w, i) => ({
            id: String(i + 1),
            method: "POST",
            url: `/${w.path.replace(/^\/+/, "")}`,
            headers: { "content-type": "application/json" },
            body: w.body,
          })),
        },
      });
      responses = r.body?.responses ?? [];
    } catch (e) {
      for (const w of chunk) {
        // The batch itself refused as malformed: Graph ran none of it, so each POST goes on its own.
        if (e instanceof ServiceError && e.status === 400) this.#again(w);
        // A server error for the whole batch: each request may exist; the caller looks before sending again.
        else if (e instanceof ServiceError && e.status >= 500 && e.status !== 503) w.reject(unknownOutcome(e));
        // The answer lost (OutcomeUnknownError), or what each POST would have met alone: a sign-in failure, a
        // refused permission, throttling or unavailability after the HTTP client's retries.
        else w.reject(e);
      }
      return;
    }
    const byId = new Map(responses.map((x) => [x.id ?? "", x]));
    chunk.forEach((w, i) => {
      const x = byId.get(String(i + 1));
      const status = x?.status;
      if (x && status !== undefined && status < 400) w.resolve(x.body);
      else if (x && status === 429) this.#again(w, this.#throttledFor(x));
      else if (x && status !== undefined && NOT_ACTED.has(status)) this.#again(w);
      else if (x && status !== undefined && status < 500) w.reject(innerError(status, x));
      // An inner server error, or no answer for it at all: it may have been created.
      else w.reject(unknownOutcome(x && status !== undefined ? innerError(status, x) : null));
    });
  }
}

function unknownOutcome(cause: unknown): OutcomeUnknownError {
  return new OutcomeUnknownError(
    "Microsoft Graph did not say whether the request was created (a server error inside a batch); it may or may not exist.",
    cause,
  );
}
