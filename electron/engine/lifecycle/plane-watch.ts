import type { Logger } from "../logger.js";
import type { Planes } from "../planes/planes.js";
import {
  kindOf,
  PLANE_KINDS,
  targetKey,
  type ActiveAssignment,
  type NamedRef,
  type PlaneKind,
  type ScheduleRequest,
  type TargetRef,
} from "../planes/targets.js";
import type { SettingsRepository } from "../profiles/settings-store.js";
import type { Scope } from "./cadence.js";
import { pendingSelfActivations } from "./diff.js";
import type { Known } from "./diff.js";
import { rememberNames } from "./names.js";
import { readNames, readPlanes } from "./plane-reader.js";
import { planReads, type Occasion, type PlaneHealth } from "./plane-reads.js";

// What the lifecycle service knows of the planes between reconciles: which are on, how each
// answered last (health), the names seen, the standing role assignments, and how many timed
// reconciles have run (for the sweeps of quiet planes). One look (`look`) plans the reads
// (plane-reads.ts), makes them (plane-reader.ts) and merges what answered with what the planes
// that were not asked showed before.

export interface PlaneWatchDeps {
  planes: Planes;
  settings: Pick<SettingsRepository, "load">;
  logger: Logger;
  now: () => number;
}

/** One look at the planes, merged with the last picture. */
export interface Look {
  /** The last picture, without the planes turned off since (they drop out without a word). */
  prev: Known | null;
  /** The requests read this time (for the diff and the history repair). */
  requests: ScheduleRequest[];
  /** Activations on every plane, the unasked planes' as before; null when no plane's were read. */
  active: ActiveAssignment[] | null;
  /** Pending self-activations on every plane, the unasked planes' as before. */
  pending: ScheduleRequest[];
  /** Whether groups' (or, with groups off, any plane's) active assignments were read: a full look. */
  full: boolean;
}

export class PlaneWatch {
  /** Names seen on every plane (eligibilities, assignments), by targetKey: requests carry none. */
  readonly names = new Map<string, string | NamedRef>();
  /** Targets whose names were looked for once already (a request for a target no longer eligible). */
  readonly #namesTried = new Set<string>();
  #namesLoaded = false;
  /** How each plane answered last, so that one that fails is retried rarely. */
  readonly #health = new Map<PlaneKind, PlaneHealth>();
  #timerTick = 0;
  #standing: ActiveAssignment[] = [];

  constructor(private readonly d: PlaneWatchDeps) {}

  /** Standing (permanent) role and Azure role assignments: shown, never announced. */
  get standing(): ActiveAssignment[] {
    return this.#standing;
  }

  /** The planes on in settings (all of them when settings cannot be read). */
  async enabled(): Promise<Record<PlaneKind, boolean>> {
    const s = await this.d.settings.load().catch(() => null);
    return s?.planes ?? { group: true, role: true, azure: true };
  }

  /** Reads what this reconcile should (throwing groups' failures, as before), merged with `known`. */
  async look(scope: Scope, occasion: Occasion, known: Known | null): Promise<Look> {
    const enabled = await this.enabled();
    const on = (t: TargetRef) => enabled[kindOf(t)];
    const prev = known ? { active: known.active.filter(on), pending: known.pending.filter(on) } : null;
    if (occasion === "timer" && scope === "full") this.#timerTick += 1;
    const plan = planReads({
      scope,
      occasion,
      timerTick: this.#timerTick,
      enabled,
      unavailable: this.#unavailable(),
      health: this.#health,
      known: prev,
      now: this.d.now(),
    });
    const read = await readPlanes(this.d.planes, plan, this.#health, this.d.logger, this.d.now());
    await this.#learnNames(read.active, read.requests, plan.active.length + plan.requests.length > 0, enabled);
    // Standing role assignments never end and cannot be deactivated: kept apart.
    const standing = (a: ActiveAssignment) => kindOf(a) !== "group" && a.assignmentType === "assigned";
    const unasked = (t: TargetRef) => !read.activeFrom.has(kindOf(t));
    this.#standing = [...read.active.filter(standing), ...this.#standing.filter((a) => on(a) && unasked(a))];
    const activations = read.active.filter((a) => !standing(a));
    return {
      prev,
      requests: read.requests,
      active: read.activeFrom.size ? [...activations, ...(prev?.active ?? []).filter(unasked)] : null,
      pending: [
        ...pendingSelfActivations(read.requests),
        ...(prev?.pending ?? []).filter((r) => !read.requestsFrom.has(kindOf(r))),
      ],
      full: read.activeFrom.has("group") || (!enabled.group && read.activeFrom.size > 0),
    };
  }

  /** Planes this connection cannot use at all (the planes say so with a note: e.g. no ARM endpoint). */
  #unavailable(): Set<PlaneKind> {
    return new Set(
      this.d.planes
        .status()
        .filter((p) => p.state === "off" && p.note !== null)
        .map((p) => p.kind),
    );
  }

  /**
   * Names from the records that carry them (assignments), and, for targets known only by id (a
   * request's), from their plane's eligibilities: at the first look, then once per unknown target.
   */
  async #learnNames(
    active: readonly ActiveAssignment[],
    requests: readonly TargetRef[],
    readAny: boolean,
    enabled: Record<PlaneKind, boolean>,
  ): Promise<void> {
    for (const a of active) rememberNames(this.names, a);
    const unknown = requests.filter((r) => !this.names.has(targetKey(r)) && !this.#namesTried.has(targetKey(r)));
    for (const r of unknown) this.#namesTried.add(targetKey(r));
    const unavailable = this.#unavailable();
    const healthy = (k: PlaneKind) => ["ok", "not-tried", undefined].includes(this.#health.get(k)?.state);
    const usable = (kinds: Iterable<PlaneKind>) =>
      [...kinds].filter((k) => enabled[k] && !unavailable.has(k) && healthy(k));
    const learn = async (from: PlaneKind[]) => {
      for (const e of await readNames(this.d.planes, from, this.d.logger)) rememberNames(this.names, e);
    };
    // Requests this look must announce by name: read now.
    const needed = usable(new Set(unknown.map(kindOf)));
    if (needed.length) await learn(needed);
    // The first look also learns every other plane's names (profiles name targets by id), in the background: a
    // large tenant's lists are many pages, and the first look (a sign-in) is not held up by them.
    if (!this.#namesLoaded && readAny) {
      this.#namesLoaded = true;
      const rest = usable(PLANE_KINDS).filter((k) => !needed.includes(k));
      if (rest.length) void learn(rest);
    }
  }
}
