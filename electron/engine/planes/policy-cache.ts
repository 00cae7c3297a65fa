import { ServiceError } from "../errors.js";
import type { Logger } from "../logger.js";
import { summarizePolicy, UNKNOWN_POLICY, type PolicySummary, type RawRule } from "../graph/policy-summary.js";

// Policies change rarely and every menu and activation asks, so each plane keeps its answers for a while.
// One cache for all planes: the TTL, the summary and the "refused read means PIM decides" rule stay the same.

export class PolicyCache {
  readonly #entries = new Map<string, { at: number; value: PolicySummary }>();
  /** Reads in flight, by key: a second ask while the first is read joins it (a list's fill and an activation). */
  readonly #reading = new Map<string, Promise<PolicySummary>>();
  /** Bumped by clear(), so a read begun before it is not kept. */
  #generation = 0;

  constructor(
    private readonly logger: Logger,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * The summary for `key`, from the cache or from `read`'s rules. No rules, or a read refused with
   * 400/403/404 (no permission, no such policy), gives UNKNOWN_POLICY, cached too: the service then
   * decides at submission. Other failures (network, 5xx) are not cached and go to the caller.
   */
  async get(key: string, read: () => Promise<RawRule[] | null | undefined>): Promise<PolicySummary> {
    const hit = this.#entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const reading = this.#reading.get(key);
    if (reading) return reading;
    const next: Promise<PolicySummary> = this.#read(key, read, this.#generation).finally(() => {
      if (this.#reading.get(key) === next) this.#reading.delete(key);
    });
    this.#reading.set(key, next);
    return next;
  }

  async #read(
    key: string,
    read: () => Promise<RawRule[] | null | undefined>,
    generation: number,
  ): Promise<PolicySummary> {
    let value: PolicySummary;
    try {
      const rules = await read();
      value = rules ? summarizePolicy(rules) : UNKNOWN_POLICY;
    } catch (e) {
      if (!(e instanceof ServiceError) || ![400, 403, 404].includes(e.status)) throw e;
      this.logger.info(`policy for ${key} not readable (${e.code}); PIM will decide at submission`);
      value = UNKNOWN_POLICY;
    }
    // A read that began before clear() answers its callers, and is not kept: the next ask reads again.
    if (generation === this.#generation) this.#entries.set(key, { at: this.now(), value });
    return value;
  }

  clear(): void {
    this.#entries.clear();
    this.#reading.clear();
    this.#generation += 1;
  }
}
