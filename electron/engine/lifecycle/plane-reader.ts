import type { Logger } from "../logger.js";
import { describeFailure, type Planes } from "../planes/planes.js";
import type { ActiveAssignment, Eligibility, PlaneKind, ScheduleRequest } from "../planes/targets.js";
import type { PlaneHealth, ReadPlan } from "./plane-reads.js";

// Carries out a read plan (plane-reads.ts) on the planes' own clients, all at once. Groups fail the
// reconcile as they always did (sign-in, network); the role and Azure planes never do: their
// failure becomes their health, retried later, and what they showed before is kept meanwhile.

export interface PlaneRead {
  active: ActiveAssignment[];
  requests: ScheduleRequest[];
  /** The planes whose active instances (or requests) were read and answered: only theirs may change. */
  activeFrom: Set<PlaneKind>;
  requestsFrom: Set<PlaneKind>;
}

type Outcome<T> = { kind: PlaneKind; ok: true; value: T[] } | { kind: PlaneKind; ok: false; error: unknown };

export async function readPlanes(
  planes: Planes,
  plan: ReadPlan,
  health: Map<PlaneKind, PlaneHealth>,
  logger: Logger,
  now: number,
): Promise<PlaneRead> {
  const settle = <T>(kind: PlaneKind, p: Promise<T[]>): Promise<Outcome<T>> =>
    p.then(
      (value) => ({ kind, ok: true as const, value }),
      (error: unknown) => ({ kind, ok: false as const, error }),
    );
  const [actives, requests] = await Promise.all([
    Promise.all(plan.active.map((k) => settle<ActiveAssignment>(k, planes.for(k).activeAssignments()))),
    Promise.all(plan.requests.map((k) => settle<ScheduleRequest>(k, planes.for(k).myRequests()))),
  ]);
  const out: PlaneRead = { active: [], requests: [], activeFrom: new Set(), requestsFrom: new Set() };
  const failed = new Map<PlaneKind, unknown>();
  for (const r of actives) {
    if (r.ok) {
      out.active.push(...r.value);
      out.activeFrom.add(r.kind);
    } else failed.set(r.kind, r.error);
  }
  for (const r of requests) {
    if (r.ok) {
      out.requests.push(...r.value);
      out.requestsFrom.add(r.kind);
    } else if (!failed.has(r.kind)) failed.set(r.kind, r.error);
  }
  const groupError = failed.get("group");
  if (failed.has("group")) throw groupError;
  for (const kind of new Set([...plan.active, ...plan.requests])) {
    const error = failed.get(kind);
    planes.report(kind, error ?? null);
    const before = health.get(kind)?.state;
    if (error === undefined) {
      if (before && before !== "ok" && before !== "not-tried") logger.info(`${kind} plane answers again`);
      health.set(kind, { state: "ok", lastTriedAt: now });
      continue;
    }
    // Half a picture of one plane is no picture: neither of its lists may change this time.
    out.activeFrom.delete(kind);
    out.requestsFrom.delete(kind);
    out.active = out.active.filter((a) => (a.kind ?? "group") !== kind);
    out.requests = out.requests.filter((r) => (r.kind ?? "group") !== kind);
    const { state, note } = describeFailure(kind, error);
    health.set(kind, { state, lastTriedAt: now });
    // Said once per change of state, not at every retry.
    if (before !== state) logger.warn(`lifecycle: ${note}; tried again within the hour`, error);
  }
  return out;
}

/** Eligibilities of these planes, for names; a plane that fails is skipped (ids stand in). */
export async function readNames(planes: Planes, kinds: readonly PlaneKind[], logger: Logger): Promise<Eligibility[]> {
  const lists = await Promise.all(
    kinds.map((k) =>
      planes
        .for(k)
        .eligibilities()
        .catch((e: unknown) => {
          logger.info(`${k} plane: eligibility names could not be loaded; showing ids for now`, e);
          return [] as Eligibility[];
        }),
    ),
  );
  return lists.flat();
}
