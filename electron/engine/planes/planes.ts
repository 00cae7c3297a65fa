import {
  ConsentRequiredError,
  NetworkError,
  NotFoundError,
  PimTrayError,
  ServiceError,
  UsageError,
} from "../errors.js";
import type { PolicySummary } from "../graph/policy-summary.js";
import type { Logger } from "../logger.js";
import type { AzurePlane } from "./azure/azure-client.js";
import type { AnyPlane, PlaneClient, PlaneSubmission, RefOf, SubmitOptions } from "./plane.js";
import {
  kindOf,
  PLANE_KINDS,
  PLANE_LABELS,
  type ActiveAssignment,
  type Eligibility,
  type PlaneKind,
  type ScheduleRequest,
  type TargetRef,
} from "./targets.js";

// The three planes behind one face. Groups are the plane a person signs in for; the role and Azure
// planes are tried silently with the same account. A plane that is off, lacks consent or cannot be
// reached is reported (status()), and never fails or holds up the others: a read of all planes
// waits for a slow plane at most `slowPlaneMs` after the fastest answered.

export type PlaneState = "ok" | "off" | "needs-consent" | "needs-sign-in" | "unreachable" | "error" | "not-tried";

export interface PlaneStatus {
  kind: PlaneKind;
  state: PlaneState;
  /** One line for people: "Azure roles: needs consent: an administrator must grant …". Null when ok. */
  note: string | null;
  /** What the plane answered with (eligibilities), when it answered. */
  count: number | null;
}

export interface PlaneClients {
  group: PlaneClient<"group">;
  role: PlaneClient<"role">;
  /** Azure's client also lists scopes (subscriptions, eligible child scopes) for a scope picker. */
  azure: AzurePlane;
}

export interface PlanesOptions {
  /** Which planes are on (settings, and later policy); read on each call, so a change applies at once. */
  enabled: () => Promise<Record<PlaneKind, boolean>>;
  logger: Logger;
  /** How long a read of all planes waits for the slower planes once one has answered: one connection timeout. */
  slowPlaneMs?: number;
  /** Planes that cannot be used with this connection, and why (e.g. no ARM endpoint for a custom tenant). */
  unavailable?: Partial<Record<PlaneKind, string>>;
}

const ALL_ON: Record<PlaneKind, boolean> = { group: true, role: true, azure: true };

export class Planes {
  readonly #status = new Map<PlaneKind, PlaneStatus>();

  constructor(
    readonly clients: PlaneClients,
    private readonly o: PlanesOptions,
  ) {
    for (const kind of PLANE_KINDS) this.#status.set(kind, { kind, state: "not-tried", note: null, count: null });
  }

  static allOn(): Promise<Record<PlaneKind, boolean>> {
    return Promise.resolve(ALL_ON);
  }

  /** The plane a target lives on. */
  for<K extends PlaneKind>(kind: K): PlaneClient<K>;
  for(kind: PlaneKind): AnyPlane {
    return this.clients[kind];
  }

  /** The latest word from each plane, in plane order. */
  status(): PlaneStatus[] {
    return PLANE_KINDS.map((k) => this.#status.get(k) as PlaneStatus); // set for every kind in the constructor
  }

  /**
   * What another reader (the lifecycle's reconcile) learnt of a plane, so that status() and the
   * badges built on it follow it too: null for an answer, else the failure.
   */
  report(kind: PlaneKind, error: unknown): void {
    if (error === null) {
      this.#set(kind, "ok", null, this.#status.get(kind)?.count ?? null);
      return;
    }
    const { state, note } = describeFailure(kind, error);
    this.#set(kind, state, note, null);
  }

  /**
   * Every enabled plane's eligibilities. Throws only when no plane answered (the first failure, groups first).
   * `onPart` hears the list so far, in plane order, each time a plane's page arrives or a plane finishes: a long
   * list (many pages on a plane) can be shown before its end.
   */
  eligibilities(onPart?: (soFar: Eligibility[]) => void): Promise<Eligibility[]> {
    if (!onPart) return this.#across<Eligibility>("eligibilities", (p) => p.eligibilities());
    const parts = new Map<PlaneKind, readonly Eligibility[]>();
    const told = (kind: PlaneKind, soFar: readonly Eligibility[]) => {
      parts.set(kind, soFar);
      onPart(PLANE_KINDS.flatMap((k) => parts.get(k) ?? []));
    };
    return this.#across<Eligibility>("eligibilities", async (p) => {
      const list = await p.eligibilities((soFar: Eligibility[]) => told(p.kind, soFar));
      told(p.kind, list);
      return list;
    });
  }

  /** My active assignments: one target's (on its plane only), or every enabled plane's. */
  activeAssignments(filter?: TargetRef): Promise<ActiveAssignment[]> {
    if (filter) return this.#plane(filter).activeAssignments(filter as never);
    return this.#across<ActiveAssignment>("active assignments", (p) => p.activeAssignments());
  }

  /** My requests, newest first. */
  async myRequests(filter?: { target?: TargetRef; status?: string }): Promise<ScheduleRequest[]> {
    const list: ScheduleRequest[] = filter?.target
      ? await this.#plane(filter.target).myRequests(filter as never)
      : await this.#across<ScheduleRequest>("requests", (p) =>
          p.myRequests(filter?.status ? { status: filter.status } : undefined),
        );
    return list.sort((a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime));
  }

  /**
   * My active assignments and my requests on every enabled plane, as `pimtray status` shows them: each Graph
   * plane's two lists in one $batch (with that plane's token), so the command opens fewer connections.
   */
  async activeAndRequests(): Promise<[ActiveAssignment[], ScheduleRequest[]]> {
    const reads = () => Promise.all([this.activeAssignments(), this.myRequests()]);
    const [active, requests] = await PLANE_KINDS.reduce<() => Promise<[ActiveAssignment[], ScheduleRequest[]]>>(
      (inner, k) => {
        const plane: AnyPlane = this.clients[k];
        return plane.together ? () => plane.together?.(inner) ?? inner() : inner;
      },
      reads,
    )();
    // Each of the two reads tells a plane's count as it ends, the later one winning: status counts what is active.
    for (const k of PLANE_KINDS) {
      const s = this.#status.get(k);
      if (s?.state === "ok") this.#set(k, "ok", s.note, active.filter((a) => kindOf(a) === k).length);
    }
    return [active, requests];
  }

  /**
   * A request by the id `status` shows: an ARM id (it starts with "/") is Azure's; a GUID is
   * looked for among groups' requests, then directory roles'.
   */
  async request(id: string, kind?: PlaneKind): Promise<ScheduleRequest> {
    if (kind) return this.clients[kind].request(id);
    if (id.startsWith("/")) return this.clients.azure.request(id);
    try {
      return await this.clients.group.request(id);
    } catch (e) {
      if (!(e instanceof ServiceError && (e.status === 404 || e.status === 400))) throw e;
      try {
        return await this.clients.role.request(id);
      } catch (e2) {
        if (e2 instanceof ServiceError && (e2.status === 404 || e2.status === 400)) throw e;
        throw e2;
      }
    }
  }

  cancel(request: Pick<ScheduleRequest, "id" | "kind">): Promise<void> {
    return this.clients[kindOf(request)].cancel(request.id);
  }

  policy(target: TargetRef): Promise<PolicySummary> {
    return this.#plane(target).policy(target as never);
  }

  /** Reads the policies of these targets not yet known, together on each plane; never throws. */
  async warmPolicies(targets: readonly TargetRef[]): Promise<void> {
    const of = <K extends PlaneKind>(k: K) => targets.filter((t) => kindOf(t) === k) as RefOf<K>[];
    const warm = <K extends PlaneKind>(k: K) => {
      const mine = of(k);
      return mine.length ? this.for(k).warmPolicies(mine) : Promise.resolve();
    };
    await Promise.all([warm("group"), warm("role"), warm("azure")]);
  }

  /** Hears each 429 a plane was given inside a batch (planes.ts's callers see the HTTP client's own elsewhere). */
  onThrottled(listener: (retryAfterMs: number) => void): void {
    for (const k of PLANE_KINDS) this.for(k).onThrottled?.(listener);
  }

  invalidatePolicies(): void {
    for (const k of PLANE_KINDS) this.clients[k].invalidatePolicies();
  }

  submit(s: PlaneSubmission, o?: SubmitOptions): Promise<ScheduleRequest> {
    return this.#plane(s.target).submit(s as never, o);
  }

  #plane(t: TargetRef): AnyPlane {
    const kind = kindOf(t);
    const why = this.o.unavailable?.[kind];
    if (why) throw new UsageError(why);
    return this.clients[kind];
  }

  /**
   * One read on every enabled plane at once. Groups' errors are thrown as they always were when no
   * other plane answered; the optional planes' errors become their status, and so does slowness.
   */
  async #across<T>(what: string, read: (p: AnyPlane) => Promise<T[]>): Promise<T[]> {
    const enabled = await this.o.enabled().catch(() => ALL_ON);
    const kinds = PLANE_KINDS.filter((k) => enabled[k] && !this.o.unavailable?.[k]);
    for (const k of PLANE_KINDS) {
      if (!enabled[k]) this.#set(k, "off", null, null);
      else if (this.o.unavailable?.[k]) this.#set(k, "off", this.o.unavailable[k] ?? null, null);
    }
    if (!kinds.length) throw new NotFoundError("Every plane is turned off. Turn one on in Settings (Planes).");
    const settled = new Map<PlaneKind, { ok: true; value: T[] } | { ok: false; error: unknown }>();
    const runs = kinds.map((k) =>
      read(this.clients[k]).then(
        (value) => void settled.set(k, { ok: true, value }),
        (error: unknown) => void settled.set(k, { ok: false, error }),
      ),
    );
    // Wait for every plane; but once one has answered, give the optional planes at most slowPlaneMs
    // more. Groups are always waited for: they are what PIM Tray signs in for.
    const groups = kinds.includes("group") ? runs[kinds.indexOf("group")] : undefined;
    await Promise.race([
      Promise.all(runs),
      Promise.all([groups, Promise.race(runs).then(() => delay(this.o.slowPlaneMs ?? 10_000))]),
    ]);
    const out: T[] = [];
    let firstError: unknown = null;
    for (const k of kinds) {
      const r = settled.get(k);
      if (!r) {
        this.#set(k, "unreachable", `${PLANE_LABELS[k].many}: unreachable (no answer in time)`, null);
        this.o.logger.warn(`${k} plane: no answer to ${what} in time; shown without it`);
        continue;
      }
      if (r.ok) {
        this.#set(k, "ok", null, r.value.length);
        out.push(...r.value);
        continue;
      }
      firstError ??= r.error;
      const { state, note } = describeFailure(k, r.error);
      this.#set(k, state, note, null);
      this.o.logger.warn(`${k} plane: ${what} failed: ${note}`, r.error);
    }
    const answered = kinds.some((k) => settled.get(k)?.ok);
    if (!answered) throw firstError ?? new NetworkError(`No plane answered (${what}).`);
    // Groups' sign-in failures are everyone's: the other planes use the same account.
    const group = settled.get("group");
    if (group && !group.ok && isSignInFailure(group.error)) throw group.error;
    return out;
  }

  #set(kind: PlaneKind, state: PlaneState, note: string | null, count: number | null): void {
    this.#status.set(kind, { kind, state, note, count });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref?.());
}

function isSignInFailure(e: unknown): boolean {
  return e instanceof PimTrayError && (e.kind === "auth" || e.kind === "consent");
}

/** A plane's failure as one line for people, and the state it leaves the plane in. */
export function describeFailure(kind: PlaneKind, e: unknown): { state: PlaneState; note: string } {
  const label = PLANE_LABELS[kind].many;
  if (e instanceof ConsentRequiredError) {
    return {
      state: "needs-consent",
      note: `${label}: needs consent: an administrator must grant ${e.facts.scopes.join(", ")} to the app (client id ${e.facts.clientId}), or, if your organisation lets users consent, turn them on yourself (\`pimtray login --plane ${kind}\`, or Turn on ${label} in the tray).`,
    };
  }
  if (e instanceof ServiceError && (e.status === 403 || e.code === "PermissionScopeNotGranted")) {
    return {
      state: "needs-consent",
      note: `${label}: needs consent: the sign-in has no permission for them (${e.code}). Run \`pimtray login --plane ${kind}\`, or ask an administrator to grant it.`,
    };
  }
  if (e instanceof PimTrayError && e.kind === "auth") {
    return {
      state: "needs-sign-in",
      note: `${label}: needs sign-in: run \`pimtray login --plane ${kind}\` (or Turn on ${label} in the tray).`,
    };
  }
  if (e instanceof PimTrayError && e.kind === "network") {
    return { state: "unreachable", note: `${label}: unreachable (${firstLine(e.message)})` };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { state: "error", note: `${label}: ${firstLine(message)}` };
}

function firstLine(s: string): string {
  return (s.split("\n")[0] ?? "").slice(0, 200);
}
