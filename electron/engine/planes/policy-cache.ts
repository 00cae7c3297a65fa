import { ServiceError } from "../errors.js";
import type { Logger } from "../logger.js";
import { summarizePolicy, UNKNOWN_POLICY, type PolicySummary, type RawRule } from "../graph/policy-summary.js";

// Policies change rarely and every menu and activation asks, so each plane keeps its answers for a while.
// One cache for all planes: the TTL, the summary and the "refused read means PIM decides" rule stay the same.

type Rules = RawRule[] | null | undefined;

/** One target's answer from a read of several: its rules, or why it could not be read. */
export type RulesAnswer = { ok: true; rules: Rules } | { ok: false; error: unknown };

/** A refusal that means "PIM decides at submission" (no permission, no such policy): cached as UNKNOWN_POLICY. */
const isRefusal = (e: unknown): e is ServiceError => e instanceof ServiceError && [400, 403, 404].includes(e.status);

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
  async get(key: string, read: () => Promise<Rules>): Promise<PolicySummary> {
    const hit = this.#entries.get(key);
    if (hit && this.#fresh(hit.at)) return hit.value;
    const reading = this.#reading.get(key);
    if (reading) return reading;
    const next: Promise<PolicySummary> = this.#read(key, read, this.#generation).finally(() => {
      if (this.#reading.get(key) === next) this.#reading.delete(key);
    });
    this.#reading.set(key, next);
    return next;
  }

  /**
   * Several policies with one read (a Graph batch, an ARM list at a scope): the keys neither known nor being
   * read go to `readMany` together, and each is registered as being read at once, so a get() meanwhile (an
   * activation) joins the batch instead of reading again. A key the batch could not answer (throttled, a server
   * error, left out, or the whole batch refused) is read on its own with its `read`, through the HTTP client's
   * retries. Never throws: a failure reaches whoever asks for that key.
   */
  async warm(
    entries: ReadonlyArray<{ key: string; read: () => Promise<Rules> }>,
    readMany: (keys: string[]) => Promise<Map<string, RulesAnswer>>,
  ): Promise<void> {
    const todo = new Map<string, () => Promise<Rules>>();
    for (const { key, read } of entries) {
      const hit = this.#entries.get(key);
      if ((hit && this.#fresh(hit.at)) || this.#reading.has(key) || todo.has(key)) continue;
      todo.set(key, read);
    }
    if (!todo.size) return;
    const batch = readMany([...todo.keys()]).catch((e: unknown) => {
      // A batch refused as a whole (a service or proxy that does not take it): each is read on its own.
      if (!isRefusal(e)) throw e;
      this.logger.info(`policies not readable together (${isRefusal(e) ? e.code : "refused"}); reading each`);
      return new Map<string, RulesAnswer>();
    });
    const generation = this.#generation;
    const reads = [...todo].map(([key, read]) => {
      const one = async (): Promise<Rules> => {
        const answer = (await batch).get(key);
        if (!answer || (!answer.ok && !isRefusal(answer.error))) return read();
        if (!answer.ok) throw answer.error;
        return answer.rules;
      };
      const next: Promise<PolicySummary> = this.#read(key, one, generation).finally(() => {
        if (this.#reading.get(key) === next) this.#reading.delete(key);
      });
      this.#reading.set(key, next);
      return next;
    });
    await Promise.allSettled(reads);
  }

  #fresh(at: number): boolean {
    return this.now() - at < this.ttlMs;
  }

  async #read(key: string, read: () => Promise<Rules>, generation: number): Promise<PolicySummary> {
    let value: PolicySummary;
    try {
      const rules = await read();
      value = rules ? summarizePolicy(rules) : UNKNOWN_POLICY;
    } catch (e) {
      if (!isRefusal(e)) throw e;
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
