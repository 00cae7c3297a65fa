import { NetworkError } from "../errors.js";

/**
 * The one fetch both front ends hand in: for the CLI, Node's own https with keep-alive (quick to load;
 * NODE_EXTRA_CA_CERTS honoured), or undici's when HTTPS_PROXY or HTTP_PROXY is set; for the app,
 * Electron's net.fetch (system proxy, OS trust store).
 */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string | undefined; signal: AbortSignal },
) => Promise<{
  status: number;
  headers: { forEach(cb: (value: string, key: string) => void): void };
  text(): Promise<string>;
}>;

export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  reason: string;
  url: string;
  method: string;
}

export interface HttpClientOptions {
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Cap on an honoured Retry-After, so a bad header cannot stall us for an hour. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  onRetry?: (e: RetryEvent) => void;
}

/** A POST whose outcome is unknown: it may or may not have reached the server. */
export class OutcomeUnknownError extends NetworkError {
  constructor(message: string, cause: unknown) {
    super(message, { cause, details: { outcomeUnknown: true } });
    this.name = "OutcomeUnknownError";
  }
}

const RETRYABLE_GET = new Set([429, 500, 502, 503, 504]);
// A POST (or an ARM PUT) is repeated only when the server said it did not act: 429 and 503 are refusals.
const RETRYABLE_POST = new Set([429, 503]);

export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (!value) return null;
  const s = Number(value.trim());
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class HttpClient {
  readonly #fetch: FetchLike;
  readonly #o: Required<Omit<HttpClientOptions, "onRetry">> & Pick<HttpClientOptions, "onRetry">;

  constructor(fetch: FetchLike, options: HttpClientOptions = {}) {
    this.#fetch = fetch;
    this.#o = {
      timeoutMs: options.timeoutMs ?? 30_000,
      maxAttempts: options.maxAttempts ?? 6,
      baseDelayMs: options.baseDelayMs ?? 500,
      maxDelayMs: options.maxDelayMs ?? 30_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 120_000,
      sleep: options.sleep ?? realSleep,
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
      onRetry: options.onRetry,
    };
  }

  /** Exponential backoff with full jitter, never below 100 ms. */
  backoff(attempt: number): number {
    const ceiling = Math.min(this.#o.maxDelayMs, this.#o.baseDelayMs * 2 ** (attempt - 1));
    return Math.max(100, Math.round(this.#o.random() * ceiling));
  }

  async #once(req: HttpRequest): Promise<HttpResponse> {
    const controller = new AbortController();
    const timeout = req.timeoutMs ?? this.#o.timeoutMs;
    const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeout} ms`)), timeout);
    try {
      const res = await this.#fetch(req.url, {
        method: req.method,
        headers: req.headers ?? {},
        body: req.body,
        signal: controller.signal,
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
      return { status: res.status, headers, text: await res.text() };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Sends with retries: GETs on 429/5xx and network failures; POSTs only on 429/503. A POST that
   * fails in transit throws OutcomeUnknownError, so the caller can look before repeating it.
   */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const idempotent = req.method === "GET";
    const retryable = idempotent ? RETRYABLE_GET : RETRYABLE_POST;
    for (let attempt = 1; ; attempt++) {
      let res: HttpResponse;
      try {
        res = await this.#once(req);
      } catch (e) {
        const what = describeFetchError(e);
        if (!idempotent) {
          throw new OutcomeUnknownError(
            `The connection failed while sending the request (${what}); it may or may not have reached the server.`,
            e,
          );
        }
        if (attempt >= this.#o.maxAttempts) {
          throw new NetworkError(
            `Could not reach ${new URL(req.url).host} (${what}) after ${attempt} attempts. Check your network or proxy, then try again.`,
            { cause: e },
          );
        }
        await this.#wait(attempt, this.backoff(attempt), what, req);
        continue;
      }
      if (!retryable.has(res.status) || attempt >= this.#o.maxAttempts) return res;
      const retryAfter = parseRetryAfter(res.headers["retry-after"], this.#o.now());
      const delay = retryAfter !== null ? Math.min(retryAfter, this.#o.maxRetryAfterMs) : this.backoff(attempt);
      await this.#wait(
        attempt,
        delay,
        `HTTP ${res.status}${retryAfter !== null ? ` (Retry-After ${Math.round(retryAfter / 1000)} s)` : ""}`,
        req,
      );
    }
  }

  async #wait(attempt: number, delayMs: number, reason: string, req: HttpRequest): Promise<void> {
    this.#o.onRetry?.({ attempt, delayMs, reason, url: redactUrl(req.url), method: req.method });
    await this.#o.sleep(delayMs);
  }
}

function describeFetchError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? e.cause : null;
  const code = (cause as { code?: string } | null)?.code ?? (e as { code?: string }).code;
  if (e.name === "AbortError" || /timed out/i.test(e.message) || /timed out/i.test(cause?.message ?? ""))
    return "timed out";
  return code ? `${code}` : (cause?.message ?? e.message);
}

/** Query strings can carry codes; logs get the path only. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "(invalid url)";
  }
}
