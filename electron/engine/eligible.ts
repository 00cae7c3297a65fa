import { PimTrayError } from "./errors.js";
import type { PolicySummary } from "./graph/pim-client.js";
import type { Planes } from "./planes/planes.js";
import { refOf, targetKey, type Eligibility } from "./planes/targets.js";

/** Policy reads in flight at once: enough to be quick for a long list, few enough not to be throttled. */
export const POLICY_CONCURRENCY = 6;

export interface EligibleWithPolicy {
  eligibility: Eligibility;
  policy: PolicySummary;
}

/** What the person may activate on every plane, each with the policy that governs it, in the planes' order. */
export async function eligibleWithPolicies(
  pim: Pick<Planes, "eligibilities" | "policy" | "warmPolicies">,
  limit = POLICY_CONCURRENCY,
): Promise<EligibleWithPolicy[]> {
  const list = await pim.eligibilities();
  // Read together first (Graph batches, ARM lists per scope), so each policy() below answers from the cache.
  await pim.warmPolicies(list.map(refOf));
  return mapLimit(list, limit, async (eligibility) => ({
    eligibility,
    policy: await pim.policy(refOf(eligibility)),
  }));
}

/** fn over items with at most `limit` calls in flight; results keep the items' order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      // i < items.length, so items[i] is there (the index type cannot say so).
      for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
    }),
  );
  return results;
}

/** One policy the fill read: the summary, or why it could not be read (network, 5xx after the retries). */
export type FilledPolicy =
  | { key: string; eligibility: Eligibility; policy: PolicySummary; error?: undefined }
  | { key: string; eligibility: Eligibility; policy: null; error: string };

export interface PolicyFillOptions {
  /** Reads in flight at once on each service (Graph for groups and directory roles, ARM for Azure roles). */
  limit?: number;
  /** Results are handed over at most this often, so a long list makes a few dozen updates, not thousands. */
  batchMs?: number;
  /** Each batch of results, in the order they were read; `remaining` is how many are still to read. */
  onBatch: (results: FilledPolicy[], remaining: number) => void;
}

type Lane = "graph" | "arm";
/** Policies read together by one of a lane's workers: a Graph batch holds 20 requests. */
const CHUNK = 20;
// Graph and Azure Resource Manager throttle each caller on their own budgets, so each gets its own lane.
const laneOf = (e: Eligibility): Lane => (e.kind === "azure" ? "arm" : "graph");

interface Queued {
  key: string;
  eligibility: Eligibility;
}

interface Waiter {
  resolve: (p: PolicySummary) => void;
  reject: (e: unknown) => void;
}

/**
 * The policies of an eligibility list, read in the background so the list can be shown before them: in the
 * list's order, except for those asked for `first` (the rows on screen) or `now` (a row being activated),
 * `limit` at a time on each service. Each target is read once per fill; the planes' policy caches answer what
 * they already know at once. Stopped by `stop()` (a newer list, a sign-out): reads in flight finish, nothing
 * more is started or reported.
 */
export class PolicyFill {
  /** What is still to read, on each service, with each target's key. */
  #queues: Record<Lane, Queued[]> = { graph: [], arm: [] };
  /** Every read started, by targetKey, until it fails. */
  readonly #reads = new Map<string, Promise<PolicySummary>>();
  readonly #failed = new Set<string>();
  /** Callers of `now` whose target is still queued. */
  readonly #waiters = new Map<string, Waiter[]>();
  #remaining: number;
  #batch: FilledPolicy[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  #settle: () => void = () => undefined;
  /** Settles once every policy of the list is read (or failed to read), or the fill is stopped. */
  readonly done: Promise<void>;

  constructor(
    /** With warmPolicies, each worker reads a chunk of the list together; without, one policy at a time. */
    private readonly pim: Pick<Planes, "policy"> & Partial<Pick<Planes, "warmPolicies">>,
    list: readonly Eligibility[],
    private readonly o: PolicyFillOptions,
  ) {
    const seen = new Set<string>();
    for (const e of list) {
      const key = targetKey(e);
      if (seen.has(key)) continue;
      seen.add(key);
      this.#queues[laneOf(e)].push({ key, eligibility: e });
    }
    this.#remaining = seen.size;
    this.done = new Promise((r) => (this.#settle = r));
    if (this.#remaining === 0) this.#settle();
    const limit = o.limit ?? POLICY_CONCURRENCY;
    for (const lane of ["graph", "arm"] as const)
      for (let i = 0; i < Math.min(limit, this.#queues[lane].length); i++) void this.#work(lane);
  }

  /** How many policies of the list are still to be read. */
  get remaining(): number {
    return this.#remaining;
  }

  /** These targets (by targetKey) next, ahead of the rest of the list, in the order given. */
  first(keys: readonly string[]): void {
    const order = new Map(keys.map((k, i) => [k, i]));
    for (const lane of ["graph", "arm"] as const) {
      const q = this.#queues[lane];
      const ahead = q.filter((x) => order.has(x.key));
      if (!ahead.length) continue;
      ahead.sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
      this.#queues[lane] = [...ahead, ...q.filter((x) => !order.has(x.key))];
    }
  }

  /**
   * One target's policy, as soon as it can be had: the read in flight or done for it; else, still queued, the
   * next read on its service; else (a read that failed, a target the list does not hold, a stopped fill) a
   * read at once. A second try's answer is reported too. Failures go to the caller.
   */
  now(eligibility: Eligibility): Promise<PolicySummary> {
    const key = targetKey(eligibility);
    const known = this.#reads.get(key);
    if (known) return known;
    const lane = this.#queues[laneOf(eligibility)];
    const queued = lane.findIndex((x) => x.key === key);
    if (queued >= 0) {
      lane.unshift(...lane.splice(queued, 1));
      return new Promise((resolve, reject) => {
        this.#waiters.set(key, [...(this.#waiters.get(key) ?? []), { resolve, reject }]);
      });
    }
    if (!this.#stopped && this.#failed.delete(key)) return this.#read(eligibility, false);
    return this.pim.policy(refOf(eligibility));
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    // Whoever waits for a queued target still gets it, read at once.
    for (const lane of ["graph", "arm"] as const)
      for (const { key, eligibility } of this.#queues[lane]) {
        const waiters = this.#waiters.get(key);
        if (waiters) this.pim.policy(refOf(eligibility)).then(...settle(waiters));
      }
    this.#queues.graph = [];
    this.#queues.arm = [];
    this.#waiters.clear();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#batch = [];
    this.#settle();
  }

  async #work(lane: Lane): Promise<void> {
    for (let chunk = this.#take(lane); chunk.length && !this.#stopped; chunk = this.#take(lane)) {
      if (chunk.length > 1) await this.pim.warmPolicies?.(chunk.map((x) => refOf(x.eligibility)));
      // Answered from the cache the warm filled; a target it could not read is read (or reported failed) here.
      await Promise.all(chunk.map((x) => this.#read(x.eligibility, true).catch(() => undefined)));
    }
  }

  /**
   * The next targets to read together from the head of a lane: on Graph, up to a batch; on ARM, those at the
   * head's scope (ARM answers every role's policy at a scope in one list).
   */
  #take(lane: Lane): Queued[] {
    const q = this.#queues[lane];
    const head = q[0];
    if (!head || this.#stopped) return [];
    if (!this.pim.warmPolicies) return q.splice(0, 1);
    if (lane === "graph") return q.splice(0, CHUNK);
    const scope = scopeOf(head.eligibility);
    const chunk: Queued[] = [];
    this.#queues[lane] = q.filter((x) => {
      if (chunk.length >= CHUNK || scopeOf(x.eligibility) !== scope) return true;
      chunk.push(x);
      return false;
    });
    return chunk;
  }

  /** Reads one policy and reports it; `counts`: it is one of the list's still to read (not a second try). */
  #read(eligibility: Eligibility, counts: boolean): Promise<PolicySummary> {
    const key = targetKey(eligibility);
    const read = this.pim.policy(refOf(eligibility));
    this.#reads.set(key, read);
    const waiters = this.#waiters.get(key);
    this.#waiters.delete(key);
    if (waiters) read.then(...settle(waiters));
    read.then(
      (policy) => this.#report({ key, eligibility, policy }, counts),
      (e: unknown) => {
        // Forgotten, so that `now` tries again.
        this.#reads.delete(key);
        this.#failed.add(key);
        this.#report(
          {
            key,
            eligibility,
            policy: null,
            error: e instanceof PimTrayError ? e.message : "The policy could not be read.",
          },
          counts,
        );
      },
    );
    return read;
  }

  #report(r: FilledPolicy, counts: boolean): void {
    if (this.#stopped) return;
    if (counts) this.#remaining -= 1;
    this.#batch.push(r);
    if (this.#remaining === 0) return this.#flush();
    this.#timer ??= setTimeout(() => this.#flush(), this.o.batchMs ?? 100);
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#batch;
    this.#batch = [];
    if (batch.length) this.o.onBatch(batch, this.#remaining);
    if (this.#remaining === 0) this.#settle();
  }
}

/** A read's outcome handed to everyone waiting for it. */
function settle(waiters: readonly Waiter[]): [(p: PolicySummary) => void, (e: unknown) => void] {
  return [(p) => waiters.forEach((w) => w.resolve(p)), (e) => waiters.forEach((w) => w.reject(e))];
}

const scopeOf = (e: Eligibility): string => (e.kind === "azure" ? e.scope.toLowerCase().replace(/\/+$/, "") : "");
