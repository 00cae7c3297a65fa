import type { Logger } from "../logger.js";
import { GRAPH_KINDS } from "../planes/graph-together.js";
import type { Planes } from "../planes/planes.js";
import type { PlaneKind, ScheduleRequest } from "../planes/targets.js";

// One tracker for every request a process follows (the CLI's activations, a profile's twenty, the
// app's): each look is one list read of my requests on a plane, shared by every request tracked
// there, never one read per request. A request asks to be looked at after its own delay (its
// polling schedule, polling.ts); a read made for any request of the plane answers every request
// due within the slack, so a profile of twenty provisioning at once costs about one read a second,
// not twenty. Where a token reads both Graph planes (planes/graph-together.ts), groups and directory roles share
// one loop: when requests wait on both, a look at one is a look at both, in one $batch. A request the list does
// not show (Graph's lists can lag a fresh request) is read on its own after two misses.

/** A read made this much before a request is due still answers it: requests submitted together ride together. */
const SLACK_MS = 400;
/** Never two list reads of one plane closer together than this. */
const MIN_GAP_MS = 250;
/** Misses in the list before the request is read by its id. */
const MISSES_BEFORE_OWN_READ = 2;

/** Planes looked at by one loop: each on its own, or both Graph planes together where one $batch reads both. */
type Lane = PlaneKind | "graph";
const KINDS: Record<Lane, readonly PlaneKind[]> = {
  graph: GRAPH_KINDS,
  group: ["group"],
  role: ["role"],
  azure: ["azure"],
};

type ListResult = { ok: true; list: ScheduleRequest[] } | { ok: false; error: unknown };

interface Waiter {
  id: string;
  kind: PlaneKind;
  dueAt: number;
  lastStatus: string | null;
  misses: number;
  resolve: (r: ScheduleRequest) => void;
  reject: (e: unknown) => void;
}

export interface TrackerDeps {
  planes: Planes;
  logger: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export class RequestTracker {
  readonly #d: TrackerDeps;
  readonly #waiting = new Map<PlaneKind, Set<Waiter>>();
  readonly #looping = new Set<Lane>();
  readonly #lastRead = new Map<PlaneKind, number>();
  /** Wakes a lane's loop early when a request due sooner than it planned joins. */
  readonly #wake = new Map<Lane, () => void>();
  /** List reads made (for the bench and tests: how many requests tracking cost); a $batch of two lists is one. */
  reads = 0;

  constructor(deps: TrackerDeps) {
    this.#d = deps;
  }

  /**
   * The request's record after `delayMs`, or sooner when a read shows its status moved on from
   * `lastStatus`. Reads are shared with every other request tracked on the plane.
   */
  next(kind: PlaneKind, id: string, delayMs: number, lastStatus: string | null): Promise<ScheduleRequest> {
    return new Promise((resolve, reject) => {
      const w: Waiter = { id, kind, dueAt: this.#d.now() + delayMs, lastStatus, misses: 0, resolve, reject };
      this.#set(kind).add(w);
      const lane: Lane = kind !== "azure" && this.#d.planes.readsGraphTogether() ? "graph" : kind;
      this.#wake.get(lane)?.();
      // The loop leaves #looping in the same turn that it finds nobody waiting, so a request that
      // joins just after is never left without a loop.
      if (!this.#looping.has(lane)) {
        this.#looping.add(lane);
        void this.#loop(lane);
      }
    });
  }

  #set(kind: PlaneKind): Set<Waiter> {
    let set = this.#waiting.get(kind);
    if (!set) this.#waiting.set(kind, (set = new Set()));
    return set;
  }

  /** When a plane may be read next: its earliest request is due, and the last read is far enough behind. */
  #readyAt(kind: PlaneKind): number {
    const earliest = Math.min(...[...this.#set(kind)].map((w) => w.dueAt));
    return Math.max(earliest, (this.#lastRead.get(kind) ?? -Infinity) + MIN_GAP_MS);
  }

  async #loop(lane: Lane): Promise<void> {
    for (;;) {
      const kinds = KINDS[lane].filter((k) => this.#set(k).size);
      if (!kinds.length) {
        this.#looping.delete(lane);
        return;
      }
      const now = this.#d.now();
      // A plane is read when its earliest request is due; the others within the slack ride along.
      const wait = Math.max(0, Math.min(...kinds.map((k) => this.#readyAt(k))) - now);
      if (wait > 0) {
        let woken = false;
        await Promise.race([
          this.#d.sleep(wait),
          new Promise<void>((r) => this.#wake.set(lane, () => ((woken = true), r()))),
        ]);
        this.#wake.delete(lane);
        // A newcomer due sooner: plan again. Otherwise the wait is over, whatever the clock says: an
        // injected sleep (tests, simulated time) may not move it, and asking it again could spin.
        if (woken) continue;
      }
      const at = now + wait;
      // The planes due now (or within the slack, the last read far enough behind); when requests wait on both Graph
      // planes and one $batch reads both, the other rides along for free.
      const due = kinds.filter(
        (k) =>
          this.#readyAt(k) <= at ||
          (Math.min(...[...this.#set(k)].map((w) => w.dueAt)) - SLACK_MS <= at &&
            (this.#lastRead.get(k) ?? -Infinity) + MIN_GAP_MS <= at),
      );
      // Two Graph planes in one loop: one look at both while a token reads both (else each due one on its own).
      if (kinds.length === 2 && this.#d.planes.readsGraphTogether()) await this.#readTogether(at);
      else await Promise.all(due.map((k) => this.#read(k, at)));
    }
  }

  /** One list read of a plane; `at` is the time the loop waited for (now, or later when a sleep does not move the clock). */
  async #read(kind: PlaneKind, at: number): Promise<void> {
    this.#lastRead.set(kind, this.#d.now());
    this.reads += 1;
    let result: ListResult;
    try {
      result = { ok: true, list: await this.#d.planes.for(kind).myRequests() };
    } catch (error) {
      result = { ok: false, error };
    }
    this.#settle(kind, result, at);
  }

  /** Both Graph planes' lists in one look (one $batch where it can be). */
  async #readTogether(at: number): Promise<void> {
    const t = this.#d.now();
    for (const k of GRAPH_KINDS) this.#lastRead.set(k, t);
    this.reads += 1;
    const answers = await this.#d.planes.graphRequestsTogether();
    for (const k of GRAPH_KINDS) this.#settle(k, answers.get(k) ?? { ok: false, error: new Error("no answer") }, at);
  }

  /** What one list says to the requests waiting on its plane. */
  #settle(kind: PlaneKind, result: ListResult, at: number): void {
    const { planes, logger, now } = this.#d;
    const set = this.#set(kind);
    if (!result.ok) {
      // The read failed for everyone waiting on it: each caller decides (tracking gives up on errors as before).
      for (const w of [...set]) {
        set.delete(w);
        w.reject(result.error);
      }
      return;
    }
    const byId = new Map(result.list.map((r) => [r.id.toLowerCase(), r]));
    const t = Math.max(now(), at);
    for (const w of [...set]) {
      const r = byId.get(w.id.toLowerCase());
      const due = t >= w.dueAt - SLACK_MS;
      if (r) {
        if (due || r.status !== w.lastStatus) {
          set.delete(w);
          w.resolve(r);
        }
        continue;
      }
      if (!due) continue;
      w.misses += 1;
      if (w.misses < MISSES_BEFORE_OWN_READ) continue;
      set.delete(w);
      logger.info(`request ${w.id} is not in the ${kind} list yet; reading it by id`);
      planes.request(w.id, kind).then(w.resolve, w.reject);
    }
  }
}
