import { formatDuration } from "../duration.js";
import { NotFoundError, PimTrayError, PolicyError, UsageError } from "../errors.js";
import type { PolicySummary } from "../graph/pim-client.js";
import { historyTarget, type NewHistoryEntry } from "../history/history-log.js";
import { realSleep } from "../http/http-client.js";
import { justificationProblem, ticketProblem } from "../limits.js";
import type { PlaneSubmission } from "../planes/plane.js";
import {
  labelOf,
  refOf,
  type AzureEligibility,
  type AzureRef,
  type NamedRef,
  type ScheduleRequest,
} from "../planes/targets.js";
import {
  named,
  type ActivateInput,
  type ActivationContext,
  type ActivationDeps,
  type ActivationOutcome,
  type OutcomeBase,
  type Progress,
  type Target,
  type ManyOptions,
  type TrackOptions,
} from "./activation-types.js";
import { activateMany } from "./bulk.js";
import { START_CONCURRENCY, SubmissionGate } from "./submission-gate.js";
import { RequestTracker } from "./request-tracker.js";
import { cancel, deactivate } from "./deactivate.js";
import { AlreadyExists, submitRequest } from "./submit.js";
import { existingFor, trackRequest } from "./tracking.js";

// Activating, following, deactivating and canceling PIM requests on every plane, with the history
// written for each. This file checks and submits an activation; the other jobs live beside it:
// submit.ts (step-up, lost POSTs), tracking.ts (following a request), deactivate.ts, bulk.ts.

export type {
  ActivateInput,
  ActivationDeps,
  ActivationOutcome,
  HistorySink,
  OutcomeStatus,
  Progress,
  Target,
  Ticket,
  TrackOptions,
  WaitFor,
} from "./activation-types.js";
export { named } from "./activation-types.js";

const DEFAULT_DURATION_MS = 3600_000;
/** Without a duration given, the policy's maximum, but never more than this. */
const DEFAULT_CAP_MS = 8 * 3600_000;
/** A start time this far in the past is a mistake, not clock skew. */
const PAST_START_SLACK_MS = 60_000;

export class ActivationService {
  readonly #ctx: ActivationContext;
  /** The submission gates of the profiles in flight: a 429 halves each. */
  readonly #gates = new Set<SubmissionGate>();
  /** Calls that submit to PIM or follow a request (activate, track, deactivate, cancel, a profile), not yet settled. */
  #inFlight = 0;

  constructor(private readonly d: ActivationDeps) {
    this.#ctx = {
      planes: d.planes,
      principal: () => d.principal(),
      logger: d.logger,
      now: d.now ?? Date.now,
      sleep: d.sleep ?? realSleep,
      record: (e) => this.#record(e),
      tracker: new RequestTracker({
        planes: d.planes,
        logger: d.logger,
        now: d.now ?? Date.now,
        sleep: d.sleep ?? realSleep,
      }),
    };
    // A 429 given to a POST inside a Graph batch halves the profiles' submissions, as the HTTP client's own do.
    d.planes.onThrottled((ms) => this.throttled(ms));
  }

  /** The checks PIM would make, done locally first so nothing is sent when they fail. */
  checkLocally(policy: PolicySummary, input: ActivateInput, name: string = labelOf(named(input.target))): number {
    const max = policy.maxDurationMs;
    const duration = input.durationMs ?? (max !== null ? Math.min(max, DEFAULT_CAP_MS) : DEFAULT_DURATION_MS);
    const failures: string[] = [];
    const fixes: string[] = [];
    if (max !== null && duration > max) {
      failures.push("ExpirationRule");
      fixes.push(`${name} can be active for at most ${formatDuration(max)}; ask for ${formatDuration(max)} or less`);
    }
    if (policy.justificationRequired && !input.justification?.trim()) {
      failures.push("JustificationRule");
      fixes.push(`${name} requires a justification; give one (--justification "why you need it")`);
    }
    if (policy.ticketRequired && (!input.ticket?.number.trim() || !input.ticket.system.trim())) {
      failures.push("TicketingRule");
      fixes.push(`${name} requires a ticket; give one (--ticket SYSTEM:NUMBER, e.g. ServiceNow:INC0012345)`);
    }
    if (input.startAt && input.startAt.getTime() < this.#ctx.now() - PAST_START_SLACK_MS) {
      throw new UsageError(`The start time ${input.startAt.toISOString()} is in the past. Leave it out to start now.`);
    }
    if (failures.length)
      throw new PolicyError(`Not submitted: ${fixes.join("; ")}.`, failures, { details: { local: true } });
    return duration;
  }

  /**
   * Whether a request of this process is in flight: submitted or being submitted, or followed until it is
   * provisioned (a profile's, an auto-activation's, a renewal's, one from the popup or the tray). A restart to
   * update waits for false, so that no request is cut off between its POST and its outcome.
   */
  busy(): boolean {
    return this.#inFlight > 0;
  }

  async #counted<T>(work: () => Promise<T>): Promise<T> {
    this.#inFlight++;
    try {
      return await work();
    } finally {
      this.#inFlight--;
    }
  }

  activate(input: ActivateInput, opts: TrackOptions = {}): Promise<ActivationOutcome> {
    return this.#counted(() => this.#activate(input, opts));
  }

  async #activate(input: ActivateInput, opts: TrackOptions): Promise<ActivationOutcome> {
    // Before any call: text over the limits is refused here, not after PIM has accepted it.
    const tooLong = justificationProblem(input.justification) ?? ticketProblem(input.ticket);
    if (tooLong) throw new UsageError(tooLong);
    const ctx = this.#ctx;
    const who = named(input.target);
    const progress = (phase: Progress["phase"], message: string) => opts.onProgress?.({ ...who, phase, message });
    const me = await ctx.principal();
    progress("checking", "checking the policy");
    const linked = input.target.kind === "azure" ? await this.#linkedEligibility(input.target) : undefined;
    // A reduced-scope activation is governed by its eligibility's policy when the child scope has none of its own.
    const policy = await ctx.planes.policy(refOf(who));
    const durationMs = this.checkLocally(policy, input, labelOf(who));
    const submission: PlaneSubmission = {
      action: "activate",
      target: refOf(who),
      principalId: me.objectId,
      durationMs,
      startAt: input.startAt,
      justification: input.justification,
      ticket: input.ticket,
      validateOnly: input.validateOnly,
      linkedEligibilityScheduleId: linked,
    };
    const base: OutcomeBase = { ...who, durationMs };
    const historyBase = {
      action: input.validateOnly ? ("validate" as const) : ("activate" as const),
      account: me.username,
      ...historyTarget(who),
      durationMs,
      justification: input.justification?.trim() || null,
      ticket: input.ticket ? `${input.ticket.system}:${input.ticket.number}` : null,
    };
    let request: ScheduleRequest;
    try {
      progress("submitting", input.validateOnly ? "validating" : "submitting");
      const submit = () => submitRequest(ctx, submission, policy, who, progress);
      request = await (opts.gate ? opts.gate.run(submit) : submit());
    } catch (e) {
      if (e instanceof AlreadyExists) {
        const existing = await existingFor(ctx, who);
        await this.#record({ ...historyBase, requestId: existing.requestId, status: existing.status, error: null });
        if (existing.status === "already-active" || opts.waitFor === "none" || !existing.requestId) return existing;
        return this.track(existing.requestId, { ...base, durationMs: existing.durationMs }, opts);
      }
      const err =
        e instanceof PimTrayError
          ? e
          : new PimTrayError("server", `Activation failed: ${e instanceof Error ? e.message : String(e)}`, {
              cause: e,
            });
      await this.#record({ ...historyBase, requestId: null, status: "refused", error: err.message });
      throw err;
    }
    if (input.validateOnly) {
      const outcome: ActivationOutcome = {
        ...base,
        status: "validated",
        requestId: null,
        requestStatus: request.status,
        startDateTime: input.startAt?.toISOString() ?? null,
        endDateTime: null,
        error: null,
      };
      await this.#record({ ...historyBase, requestId: null, status: "validated", error: null });
      return outcome;
    }
    await this.#record({ ...historyBase, requestId: request.id, status: request.status, error: null });
    const outcome = await this.track(request.id, base, opts, request);
    if (outcome.requestStatus !== request.status) {
      await this.#record({
        ...historyBase,
        requestId: request.id,
        status: outcome.requestStatus ?? outcome.status,
        error: outcome.error?.message ?? null,
      });
    }
    return outcome;
  }

  /** Follows a request to the state the caller waits for, on the documented polling schedule. */
  track(
    requestId: string,
    base: OutcomeBase,
    opts: TrackOptions = {},
    initial?: ScheduleRequest,
  ): Promise<ActivationOutcome> {
    return this.#counted(() => trackRequest(this.#ctx, requestId, base, opts, initial));
  }

  /** selfDeactivate, honouring PIM's 5-minute minimum: wait for it, or say when it passes. */
  deactivate(
    target: Target,
    opts: { wait?: boolean; onProgress?: (p: Progress) => void } = {},
  ): Promise<ActivationOutcome> {
    return this.#counted(() => deactivate(this.#ctx, target, opts));
  }

  /** Cancels a pending request by its id (the one `status` shows); `names` says what it is for, when known. */
  cancel(requestId: string, names?: NamedRef): Promise<void> {
    return this.#counted(() => cancel(this.#ctx, requestId, names));
  }

  /** Several activations at once, a few at a time; one failure never stops the others. */
  activateMany(
    inputs: ActivateInput[],
    opts: ManyOptions & { concurrency?: number } = {},
  ): Promise<ActivationOutcome[]> {
    return this.#counted(() => this.#activateMany(inputs, opts));
  }

  async #activateMany(
    inputs: ActivateInput[],
    opts: ManyOptions & { concurrency?: number },
  ): Promise<ActivationOutcome[]> {
    const gate = new SubmissionGate(this.#ctx.now, this.#ctx.sleep, opts.concurrency ?? START_CONCURRENCY);
    this.#gates.add(gate);
    try {
      // One read for every policy (a Graph batch, an ARM list per scope) instead of one per item; each item's
      // policy check then answers from the cache, or joins the read.
      await this.#ctx.planes.warmPolicies(inputs.map((i) => refOf(i.target)));
      return await activateMany((input, o) => this.activate(input, o), inputs, { ...opts, gate });
    } finally {
      this.#gates.delete(gate);
    }
  }

  /** A 429 from Graph or ARM (the HTTP layer says so): every profile in flight halves its submissions. */
  throttled(retryAfterMs: number): void {
    for (const g of this.#gates) g.throttled(retryAfterMs);
  }

  /** The submission limits of the profiles in flight, as they changed (for the bench). */
  get gates(): readonly SubmissionGate[] {
    return [...this.#gates];
  }

  /**
   * The eligibility an Azure activation comes from: the target's own, or the one whose scope holds
   * the target's scope (a reduced-scope activation at a child resource group or resource).
   */
  async #linkedEligibility(t: Extract<Target, AzureRef>): Promise<string> {
    if (t.eligibilityScheduleId) return t.eligibilityScheduleId;
    // The list the plane last read (or one read shared by a profile's Azure targets), not a read per target; a
    // list read before the eligibility was granted is read again before saying there is none.
    const azure = this.#ctx.planes.clients.azure;
    const hit =
      coveringEligibility(await azure.knownEligibilities(), t) ?? coveringEligibility(await azure.eligibilities(), t);
    if (!hit) {
      throw new NotFoundError(
        `You have no Azure eligibility for ${t.roleName ?? t.roleDefinitionId} at ${t.scope} or any scope above it. List what you can activate with \`pimtray eligible --kind azure\`.`,
      );
    }
    return hit.eligibilityScheduleId;
  }

  async #record(e: NewHistoryEntry): Promise<void> {
    try {
      await this.d.history.append({ time: new Date(this.#ctx.now()).toISOString(), ...e });
    } catch (err) {
      // Never let a full disk turn a successful activation into a failure; say so in the log.
      this.d.logger.error("could not write the history file", err);
    }
  }
}

/** The eligibility whose scope is the target's scope or holds it (the closest one), for the same role. */
export function coveringEligibility(list: AzureEligibility[], t: AzureRef): AzureEligibility | undefined {
  const role = t.roleDefinitionId.split("/").pop()?.toLowerCase();
  const scope = t.scope.toLowerCase().replace(/\/+$/, "");
  return list
    .filter((e) => e.roleDefinitionId.split("/").pop()?.toLowerCase() === role)
    .filter((e) => {
      const s = e.scope.toLowerCase().replace(/\/+$/, "");
      return scope === s || scope.startsWith(`${s}/`) || s === "";
    })
    .sort((a, b) => b.scope.length - a.scope.length)[0];
}
