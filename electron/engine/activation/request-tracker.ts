import type { Logger } from "../logger.js";
import type { Planes } from "../planes/planes.js";
import type { PlaneKind, ScheduleRequest } from "../planes/targets.js";

// One tracker for every request a process follows (the CLI's activations, a profile's twenty, the
// app's): each look is one list read of my requests on a plane, shared by every request tracked
// there, never one read per request. A request asks to be looked at after its own delay (its
// polling schedule, polling.ts); a read made for any request of the plane answers every request
// due within the slack, so a profile of twenty provisioning at once costs about one read a second,
// not twenty. A request the list does not show (Graph's lists can lag a fresh request) is read on its
// own after two misses.

/** A read made this much before a request is due still answers it: requests submitted together ride together. */
const SLACK_MS = 400;
/** Never two list reads of one plane closer together than this. */
const MIN_GAP_MS = 250;
/** Misses in the list before the request is read by its id. */
const MISSES_BEFORE_OWN_READ = 2;

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
  readonly #looping = new Set<PlaneKind>();
  readonly #lastRead = new Map<PlaneKind, number>();
  /** Wakes a plane's loop early when a request due sooner than it planned joins. */
  readonly #wake = new Map<PlaneKind, () => void>();
  /** List reads made (for the bench and tests: how many requests tracking cost). */
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
      let set = this.#waiting.get(kind);
      if (!set) this.#waiting.set(kind, (set = new Set()));
      set.add(w);
      this.#wake.get(kind)?.();
      // The loop leaves #looping in the same turn that it finds nobody waiting, so a request that
      // joins just after is never left without a loop.
      if (!this.#looping.has(kind)) {
        this.#looping.add(kind);
        void this.#loop(kind);
      }
    });
  }

  async #loop(kind: PlaneKind): Promise<void> {
    const set = this.#waiting.get(kind) ?? new Set<Waiter>();
    for (;;) {
      if (!set.size) {
        this.#looping.delete(kind);
        return;
      }
      const now = this.#d.now();
      // The plane is read when its earliest request is due; the others within the slack ride along.
      const earliest = Math.min(...[...set].map((w) => w.dueAt));
      const notBefore = (this.#lastRead.get(kind) ?? -Infinity) + MIN_GAP_MS;
      const wait = Math.max(0, earliest - now, notBefore - now);
      if (wait > 0) {
        let woken = false;
        await Promise.race([
          this.#d.sleep(wait),
          new Promise<void>((r) => this.#wake.set(kind, () => ((woken = true), r()))),
        ]);
        this.#wake.delete(kind);
        // A newcomer due sooner: plan again. Otherwise the wait is over, whatever the clock says: an
        // injected sleep (tests, simulated time) may not move it, and asking it again could spin.
        if (woken) continue;
      }
      await this.#read(kind, set, now + wait);
    }
  }

  /** One list read; `at` is the time the loop waited for (now, or later when a sleep does not move the clock). */
  async #read(kind: PlaneKind, set: Set<Waiter>, at: number): Promise<void> {
    const { planes, logger, now } = this.#d;
    this.#lastRead.set(kind, now());
    this.reads += 1;
    let list: ScheduleRequest[];
    try {
      list = await planes.for(kind).myRequests();
    } catch (e) {
      // The read failed for everyone waiting on it: each caller decides (tracking gives up on errors as before).
      for (const w of [...set]) {
        set.delete(w);
        w.reject(e);
      }
      return;
    }
    const byId = new Map(list.map((r) => [r.id.toLowerCase(), r]));
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
