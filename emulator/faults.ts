import { z } from "zod";
import { type Ctx, entraErrorBody, graphErrorBody, sendJson } from "./http.js";

/** Which requests a fault applies to. `path` is a substring of the request path (query excluded). */
const target = {
  path: z.string().optional(),
  method: z.string().optional(),
  /** Apply to the next N matching requests, then retire. */
  count: z.number().int().positive().optional(),
  /** Apply to this share (0..1] of matching requests, chosen at random. */
  ratio: z.number().gt(0).max(1).optional(),
};

export const faultRuleSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("status"),
    status: z.number().int().min(400).max(599),
    /** Seconds, sent as the Retry-After header. */
    retryAfter: z.number().int().nonnegative().optional(),
    ...target,
  }),
  z.object({
    kind: z.literal("latency"),
    /** Added delay; a uniform random value in [minMs, maxMs]. */
    minMs: z.number().nonnegative(),
    maxMs: z.number().nonnegative().optional(),
    ...target,
  }),
  z.object({
    kind: z.literal("drop"),
    /** Process the request, then drop the connection before answering (the client never learns the result). */
    after: z.boolean().optional(),
    ...target,
  }),
]);

export type FaultRule = z.infer<typeof faultRuleSchema>;

export interface FaultDecision {
  delayMs: number;
  status: { status: number; retryAfter: number | undefined } | null;
  drop: "before" | "after" | null;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

export class FaultInjector {
  #rules: ActiveRule[] = [];
  #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  add(rules: FaultRule[]): void {
    for (const rule of rules) this.#rules.push({ rule, remaining: rule.count ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.#rules = [];
  }

  list(): Array<FaultRule & { remaining: number | null }> {
    return this.#rules.map((r) => ({ ...r.rule, remaining: Number.isFinite(r.remaining) ? r.remaining : null }));
  }

  /**
   * What happens to a request inside a batch: its status fault (throttling, an outage) and the latency its rules
   * add, which delays the whole batch's answer. A latency rule that already delayed the batch (`outer`, its path)
   * is not added again: one round trip is one round trip. An inner request cannot be dropped on its own; a drop
   * rule is not used up by it.
   */
  decideInner(method: string, path: string, outer: string): Pick<FaultDecision, "delayMs" | "status"> {
    const out: Pick<FaultDecision, "delayMs" | "status"> = { delayMs: 0, status: null };
    for (const active of this.#rules) {
      const { rule } = active;
      if (rule.kind === "drop" || active.remaining <= 0) continue;
      if (rule.kind === "latency" && (!rule.path || outer.toLowerCase().includes(rule.path.toLowerCase()))) continue;
      if (rule.path && !path.toLowerCase().includes(rule.path.toLowerCase())) continue;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.kind === "status" && out.status) continue;
      if (rule.ratio !== undefined && this.#random() >= rule.ratio) continue;
      active.remaining -= 1;
      if (rule.kind === "latency") {
        const max = Math.max(rule.minMs, rule.maxMs ?? rule.minMs);
        out.delayMs += rule.minMs + this.#random() * (max - rule.minMs);
      } else out.status = { status: rule.status, retryAfter: rule.retryAfter };
    }
    this.#rules = this.#rules.filter((r) => r.remaining > 0);
    return out;
  }

  /** Decides what to do with one request. Latency adds up; the first status or drop rule wins. */
  decide(method: string, path: string): FaultDecision {
    const out: FaultDecision = { delayMs: 0, status: null, drop: null };
    for (const active of this.#rules) {
      const { rule } = active;
      if (active.remaining <= 0) continue;
      if (rule.path && !path.toLowerCase().includes(rule.path.toLowerCase())) continue;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.kind !== "latency" && (out.status || out.drop)) continue;
      if (rule.ratio !== undefined && this.#random() >= rule.ratio) continue;
      active.remaining -= 1;
      if (rule.kind === "latency") {
        const max = Math.max(rule.minMs, rule.maxMs ?? rule.minMs);
        out.delayMs += rule.minMs + this.#random() * (max - rule.minMs);
      } else if (rule.kind === "status") {
        out.status = { status: rule.status, retryAfter: rule.retryAfter };
      } else {
        out.drop = rule.after ? "after" : "before";
      }
    }
    this.#rules = this.#rules.filter((r) => r.remaining > 0);
    return out;
  }
}

/** Answers with an injected status, in Graph's error envelope or Entra's as the path calls for. */
export function sendInjectedStatus(ctx: Ctx, injected: NonNullable<FaultDecision["status"]>, isGraph: boolean): void {
  const { status, retryAfter } = injected;
  const headers: Record<string, string> = retryAfter !== undefined ? { "retry-after": String(retryAfter) } : {};
  if (isGraph) {
    const code =
      status === 429
        ? "TooManyRequests"
        : status === 503
          ? "ServiceNotAvailable"
          : status === 504
            ? "GatewayTimeout"
            : "InternalServerError";
    const message =
      status === 429
        ? "Too many requests, retry after some time."
        : "The service is temporarily unavailable. Retry the request later.";
    sendJson(ctx, status, graphErrorBody(ctx, code, message), headers);
  } else {
    const body = entraErrorBody(
      ctx,
      "temporarily_unavailable",
      status === 429 ? 90055 : 90033,
      status === 429
        ? "The request has been throttled. Retry after the given time."
        : "A transient error has occurred. Please try again.",
    );
    sendJson(ctx, status, body, headers);
  }
}
