// ARM's wire conventions: its error envelope, request-id headers, api-version checks and the
// per-principal token bucket behind the x-ms-ratelimit-remaining-* headers and 429s.
import type { Ctx } from "../http.js";
import { ArmFault } from "./fault.js";

export interface ArmRateLimit {
  readBurst: number;
  readsPerSecond: number;
  writeBurst: number;
  writesPerSecond: number;
}

export const DEFAULT_ARM_RATE_LIMIT: ArmRateLimit = {
  readBurst: 250,
  readsPerSecond: 25,
  writeBurst: 200,
  writesPerSecond: 10,
};

/** The PIM schedule api-versions ARM serves: 2020-10-01 (GA) and the previews with the same schema. */
export const PIM_API_VERSIONS = [
  "2020-10-01",
  "2020-10-01-preview",
  "2022-04-01-preview",
  "2024-02-01-preview",
  "2024-09-01-preview",
];
/** Versions of Microsoft.Resources the scope picker's calls accept. */
export const RESOURCES_API_VERSIONS = [
  "2016-06-01",
  "2019-11-01",
  "2020-01-01",
  "2021-01-01",
  "2021-04-01",
  "2022-01-01",
  "2022-09-01",
  "2022-12-01",
];

export function armHeaders(ctx: Pick<Ctx, "requestId" | "clientRequestId">): Record<string, string> {
  return {
    "x-ms-request-id": ctx.requestId,
    "x-ms-correlation-request-id": ctx.clientRequestId,
    "x-ms-routing-request-id": `LOCAL:${ctx.requestId}`,
    "cache-control": "no-cache",
  };
}

export function sendArm(ctx: Ctx, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  ctx.res.writeHead(status, {
    ...armHeaders(ctx),
    ...(text ? { "content-type": "application/json; charset=utf-8" } : {}),
    "content-length": Buffer.byteLength(text).toString(),
    ...headers,
  });
  ctx.res.end(text);
}

export function sendArmError(
  ctx: Ctx,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  sendArm(ctx, status, { error: { code, message } }, headers);
}

/** A fault-injected status, in ARM's envelope. */
export function sendArmInjected(ctx: Ctx, status: number, retryAfter: number | undefined): void {
  const headers: Record<string, string> = retryAfter !== undefined ? { "retry-after": String(retryAfter) } : {};
  if (status === 429) {
    headers["x-ms-ratelimit-remaining-tenant-reads"] = "0";
    headers["x-ms-ratelimit-remaining-tenant-writes"] = "0";
    sendArmError(
      ctx,
      429,
      "TooManyRequests",
      "The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00. For more information, see - https://aka.ms/armthrottling",
      headers,
    );
    return;
  }
  const code = status === 503 ? "ServiceUnavailable" : status === 504 ? "GatewayTimeout" : "InternalServerError";
  sendArmError(ctx, status, code, "The server encountered a transient error. Retry the request later.", headers);
}

/** Checks `api-version` against the versions a route family serves. */
export function checkApiVersion(query: URLSearchParams, supported: string[]): void {
  const v = query.get("api-version");
  if (!v) {
    throw new ArmFault(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  }
  if (!/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(v)) {
    throw new ArmFault(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${v}' is invalid. The supported versions are '${supported.join(",")}'.`,
    );
  }
  if (!supported.includes(v)) {
    throw new ArmFault(
      400,
      "NoRegisteredProviderFound",
      `No registered resource provider found for location 'global' and API version '${v}'. The supported api-versions are '${supported.join(", ")}'.`,
    );
  }
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Per principal, per kind: a token bucket that refills continuously on the emulator clock. */
export class ArmThrottle {
  #buckets = new Map<string, Bucket>();

  constructor(readonly limits: () => ArmRateLimit) {}

  clear(): void {
    this.#buckets.clear();
  }

  /** Takes one token; returns the remaining budget, or throws the 429. */
  take(principal: string, write: boolean, now: number, subscription: string | null): Record<string, string> {
    const l = this.limits();
    const burst = write ? l.writeBurst : l.readBurst;
    const rate = write ? l.writesPerSecond : l.readsPerSecond;
    const key = `${principal}|${write ? "w" : "r"}`;
    const b = this.#buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.#buckets.set(key, b);
    const kind = write ? "writes" : "reads";
    if (b.tokens < 1) {
      const retry = Math.max(1, Math.ceil((1 - b.tokens) / Math.max(rate, 0.001)));
      throw new ArmFault(
        429,
        "TooManyRequests",
        `The request is being throttled as the limit has been reached for operation type - ${write ? "Write" : "Read"}. For more information, see - https://aka.ms/armthrottling`,
        {
          "retry-after": String(retry),
          [`x-ms-ratelimit-remaining-tenant-${kind}`]: "0",
          ...(subscription ? { [`x-ms-ratelimit-remaining-subscription-${kind}`]: "0" } : {}),
        },
      );
    }
    b.tokens -= 1;
    const left = String(Math.floor(b.tokens));
    return {
      [`x-ms-ratelimit-remaining-tenant-${kind}`]: left,
      ...(subscription ? { [`x-ms-ratelimit-remaining-subscription-${kind}`]: left } : {}),
    };
  }
}
