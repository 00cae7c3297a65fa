// How many activation requests a profile submits at once. It starts high, because PIM's POSTs are
// independent and the waits for PIM are what takes time; each 429 halves it (never below one) and
// holds new submissions back for the Retry-After the service asked for. The HTTP layer still retries
// the refused POST itself (a 429 is a refusal, so it is never a duplicate): the gate only stops the
// others from piling on. Tracking holds no slot: the one tracker follows every request.

export const START_CONCURRENCY = 8;

export class SubmissionGate {
  #limit: number;
  #active = 0;
  #pausedUntil = 0;
  readonly #queue: Array<() => void> = [];
  /** Every limit it had, in order (the bench and tests read it). */
  readonly limits: number[];

  constructor(
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
    start = START_CONCURRENCY,
  ) {
    this.#limit = start;
    this.limits = [start];
  }

  get limit(): number {
    return this.#limit;
  }

  /** A 429 somewhere: half the submissions at once from now on, and none new for `retryAfterMs`. */
  throttled(retryAfterMs: number): void {
    const next = Math.max(1, Math.floor(this.#limit / 2));
    if (next !== this.#limit) this.limits.push(next);
    this.#limit = next;
    this.#pausedUntil = Math.max(this.#pausedUntil, this.now() + retryAfterMs);
  }

  /** Runs `fn` in a slot: waits for one, and out any pause a 429 asked for. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#active >= this.#limit) await new Promise<void>((r) => this.#queue.push(r));
    this.#active += 1;
    try {
      const pause = this.#pausedUntil - this.now();
      if (pause > 0) await this.sleep(pause);
      return await fn();
    } finally {
      this.#active -= 1;
      this.#queue.shift()?.();
    }
  }
}
