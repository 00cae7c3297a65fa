import type { Logger } from "../../logger.js";

// ARM tells every caller how much of its token bucket is left (x-ms-ratelimit-remaining-*). Rather
// than run into a 429 and wait out a Retry-After, the client slows down once the bucket is nearly
// empty: the bucket refills continuously, so a short pause per request keeps it from running dry.

export interface BudgetOptions {
  /** At or below this many remaining requests, pace the next ones. */
  lowWater?: number;
  /** The pause for one request when the bucket is empty; less as more remains. */
  maxPauseMs?: number;
  /** A reading older than this says nothing about the bucket any more (it has refilled). */
  staleAfterMs?: number;
}

type Kind = "reads" | "writes";

const HEADER = /^x-ms-ratelimit-remaining-/;

/** The lowest remaining count per kind among ARM's headers; `-writes`/`-deletes` are writes, the rest reads. */
export function remainingBudget(headers: Record<string, string>): Partial<Record<Kind, number>> {
  const out: Partial<Record<Kind, number>> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER.test(name)) continue;
    const n = Number.parseInt(value, 10);
    if (!Number.isFinite(n)) continue;
    const kind: Kind = /writes|deletes/.test(name) ? "writes" : "reads";
    out[kind] = Math.min(out[kind] ?? n, n);
  }
  return out;
}

export class ArmBudget {
  readonly #seen: Partial<Record<Kind, { remaining: number; at: number }>> = {};
  readonly #lowWater: number;
  readonly #maxPauseMs: number;
  readonly #staleAfterMs: number;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number,
    options: BudgetOptions = {},
  ) {
    this.#lowWater = options.lowWater ?? 5;
    this.#maxPauseMs = options.maxPauseMs ?? 2_000;
    this.#staleAfterMs = options.staleAfterMs ?? 30_000;
  }

  /** Records what an answer said about the budget. */
  observe(headers: Record<string, string>): void {
    const at = this.now();
    for (const [kind, remaining] of Object.entries(remainingBudget(headers)) as Array<[Kind, number]>) {
      const before = this.#seen[kind]?.remaining;
      this.#seen[kind] = { remaining, at };
      if (remaining <= this.#lowWater && (before === undefined || before > this.#lowWater)) {
        this.logger.warn(`Azure Resource Manager's ${kind} budget is low (${remaining} left); slowing down`);
      }
    }
  }

  /** How long to wait before the next request of this kind (0 when the budget is fine or unknown). */
  pauseMs(write: boolean): number {
    const seen = this.#seen[write ? "writes" : "reads"];
    if (!seen || this.now() - seen.at > this.#staleAfterMs || seen.remaining > this.#lowWater) return 0;
    const share = (this.#lowWater + 1 - Math.max(0, seen.remaining)) / (this.#lowWater + 1);
    return Math.round(this.#maxPauseMs * share);
  }

  /** The last reading, for tests and diagnostics. */
  remaining(write: boolean): number | null {
    return this.#seen[write ? "writes" : "reads"]?.remaining ?? null;
  }
}
