import { formatDuration, toIsoDuration } from "../duration.js";
import { PimTrayError, PolicyError, UsageError } from "../errors.js";
import type { PolicySummary, ScheduleRequest } from "../graph/pim-client.js";
import type { HistoryEntry } from "../history/history-log.js";
import { realSleep } from "../http/http-client.js";
import { justificationProblem, ticketProblem } from "../limits.js";
import type {
  ActivateInput,
  ActivationContext,
  ActivationDeps,
  ActivationOutcome,
  OutcomeBase,
  Progress,
  Target,
  TrackOptions,
} from "./activation-types.js";
import { activateMany } from "./bulk.js";
import { cancel, deactivate } from "./deactivate.js";
import { AlreadyExists, submitRequest } from "./submit.js";
import { existingFor, trackRequest } from "./tracking.js";

// Activating, following, deactivating and canceling PIM for Groups requests, with the history
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

const DEFAULT_DURATION_MS = 3600_000;
/** Without a duration given, the policy's maximum, but never more than this. */
const DEFAULT_CAP_MS = 8 * 3600_000;
/** A start time this far in the past is a mistake, not clock skew. */
const PAST_START_SLACK_MS = 60_000;

export class ActivationService {
  readonly #ctx: ActivationContext;

  constructor(private readonly d: ActivationDeps) {
    this.#ctx = {
      pim: d.pim,
      tokens: d.tokens,
      principal: () => d.principal(),
      logger: d.logger,
      now: d.now ?? Date.now,
      sleep: d.sleep ?? realSleep,
      record: (e) => this.#record(e),
    };
  }

  /** The checks PIM would make, done locally first so nothing is sent when they fail. */
  checkLocally(policy: PolicySummary, input: ActivateInput, groupName: string): number {
    const name = `${groupName} (${input.target.accessId})`;
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

  async activate(input: ActivateInput, opts: TrackOptions = {}): Promise<ActivationOutcome> {
    // Before any call: text over the limits is refused here, not after PIM has accepted it.
    const tooLong = justificationProblem(input.justification) ?? ticketProblem(input.ticket);
    if (tooLong) throw new UsageError(tooLong);
    const ctx = this.#ctx;
    const { target } = input;
    const groupName = target.groupName ?? target.groupId;
    const progress = (phase: Progress["phase"], message: string) =>
      opts.onProgress?.({ groupName, accessId: target.accessId, phase, message });
    const me = await ctx.principal();
    progress("checking", "checking the policy");
    const policy = await ctx.pim.policy(target.groupId, target.accessId);
    const durationMs = this.checkLocally(policy, input, groupName);
    const body = requestBody(input, me.objectId, durationMs);
    const base = { groupId: target.groupId, groupName, accessId: target.accessId, durationMs };
    const historyBase = {
      action: input.validateOnly ? ("validate" as const) : ("activate" as const),
      account: me.username,
      groupId: target.groupId,
      groupName,
      accessId: target.accessId,
      durationMs,
      justification: input.justification?.trim() || null,
      ticket: input.ticket ? `${input.ticket.system}:${input.ticket.number}` : null,
    };
    let request: ScheduleRequest;
    try {
      progress("submitting", input.validateOnly ? "validating" : "submitting");
      request = await submitRequest(ctx, body, policy, target, groupName, progress);
    } catch (e) {
      if (e instanceof AlreadyExists) {
        const existing = await existingFor(ctx, target, groupName);
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
    return trackRequest(this.#ctx, requestId, base, opts, initial);
  }

  /** selfDeactivate, honouring PIM's 5-minute minimum: wait for it, or say when it passes. */
  deactivate(
    target: Target,
    opts: { wait?: boolean; onProgress?: (p: Progress) => void } = {},
  ): Promise<ActivationOutcome> {
    return deactivate(this.#ctx, target, opts);
  }

  cancel(requestId: string): Promise<void> {
    return cancel(this.#ctx, requestId);
  }

  /** Several activations at once, a few at a time; one failure never stops the others. */
  activateMany(
    inputs: ActivateInput[],
    opts: TrackOptions & { concurrency?: number } = {},
  ): Promise<ActivationOutcome[]> {
    return activateMany((input, o) => this.activate(input, o), inputs, opts);
  }

  async #record(e: Omit<HistoryEntry, "time">): Promise<void> {
    try {
      await this.d.history.append({ time: new Date(this.#ctx.now()).toISOString(), ...e });
    } catch (err) {
      // Never let a full disk turn a successful activation into a failure; say so in the log.
      this.d.logger.error("could not write the history file", err);
    }
  }
}

/** The selfActivate request PIM is sent. */
function requestBody(input: ActivateInput, principalId: string, durationMs: number): Record<string, unknown> {
  const { target } = input;
  return {
    accessId: target.accessId,
    principalId,
    groupId: target.groupId,
    action: "selfActivate",
    scheduleInfo: {
      ...(input.startAt ? { startDateTime: input.startAt.toISOString() } : {}),
      expiration: { type: "afterDuration", duration: toIsoDuration(durationMs) },
    },
    ...(input.justification?.trim() ? { justification: input.justification.trim() } : {}),
    ...(input.ticket ? { ticketInfo: { ticketSystem: input.ticket.system, ticketNumber: input.ticket.number } } : {}),
    ...(input.validateOnly ? { isValidationOnly: true } : {}),
  };
}
