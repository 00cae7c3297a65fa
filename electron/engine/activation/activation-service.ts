import { acrsClaims, MFA_CLAIMS } from "../auth/auth-service.js";
import { formatDuration, toIsoDuration } from "../duration.js";
import { GraphError, NotFoundError, PimTrayError, PolicyError, UsageError } from "../errors.js";
import { OutcomeUnknownError, realSleep } from "../http/http-client.js";
import type { Logger } from "../logger.js";
import type { TokenSource } from "../graph/graph-client.js";
import { claimsFromAcrsMessage, equalsIgnoreCase, policyRules } from "../graph/graph-errors.js";
import { isPending, type AccessId, type PimClient, type PolicySummary, type ScheduleRequest } from "../graph/pim-client.js";
import type { HistoryEntry } from "../history/history-log.js";
import { justificationProblem, ticketProblem } from "../limits.js";
import { PollSchedule } from "./polling.js";

export interface Target {
  groupId: string;
  accessId: AccessId;
  groupName?: string;
}

export interface Ticket {
  system: string;
  number: string;
}

export interface ActivateInput {
  target: Target;
  /** Defaults to the policy's maximum, or 1 hour when the policy cannot be read. */
  durationMs?: number;
  justification?: string;
  ticket?: Ticket;
  startAt?: Date;
  validateOnly?: boolean;
}

export type OutcomeStatus =
  | "active"
  | "already-active"
  | "provisioning"
  | "pending-approval"
  | "scheduled"
  | "validated"
  | "deactivated"
  | "denied"
  | "failed"
  | "canceled";

export interface ActivationOutcome {
  groupId: string;
  groupName: string;
  accessId: AccessId;
  status: OutcomeStatus;
  requestId: string | null;
  /** PIM's own status word, e.g. Provisioned or PendingApproval. */
  requestStatus: string | null;
  startDateTime: string | null;
  endDateTime: string | null;
  durationMs: number | null;
  error: PimTrayError | null;
}

export type WaitFor = "none" | "provisioned" | "final";

export interface Progress {
  groupName: string;
  accessId: AccessId;
  phase: "checking" | "submitting" | "stepping-up" | "provisioning" | "pending-approval" | "waiting-floor" | "reconciling";
  message: string;
}

export interface TrackOptions {
  waitFor?: WaitFor;
  timeoutMs?: number;
  onProgress?: (p: Progress) => void;
}

export interface HistorySink {
  append(entry: HistoryEntry): Promise<void>;
}

export interface ActivationDeps {
  pim: PimClient;
  tokens: TokenSource;
  /** The signed-in user's object id and sign-in name. */
  principal: () => Promise<{ objectId: string; username: string }>;
  history: HistorySink;
  logger: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const FIVE_MINUTES = 5 * 60_000;
const DEFAULT_DURATION_MS = 3600_000;

class AlreadyExists extends Error {}

export class ActivationService {
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(private readonly d: ActivationDeps) {
    this.#now = d.now ?? Date.now;
    this.#sleep = d.sleep ?? realSleep;
  }

  /** The checks PIM would make, done locally first so nothing is sent when they fail. */
  checkLocally(policy: PolicySummary, input: ActivateInput, groupName: string): number {
    const name = `${groupName} (${input.target.accessId})`;
    const max = policy.maxDurationMs;
    const duration = input.durationMs ?? (max !== null ? Math.min(max, 8 * 3600_000) : DEFAULT_DURATION_MS);
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
    if (input.startAt && input.startAt.getTime() < this.#now() - 60_000) {
      throw new UsageError(`The start time ${input.startAt.toISOString()} is in the past. Leave it out to start now.`);
    }
    if (failures.length) throw new PolicyError(`Not submitted: ${fixes.join("; ")}.`, failures, { details: { local: true } });
    return duration;
  }

  async activate(input: ActivateInput, opts: TrackOptions = {}): Promise<ActivationOutcome> {
    // Before any call: text over the limits is refused here, not after PIM has accepted it.
    const tooLong = justificationProblem(input.justification) ?? ticketProblem(input.ticket);
    if (tooLong) throw new UsageError(tooLong);
    const { target } = input;
    const groupName = target.groupName ?? target.groupId;
    const progress = (phase: Progress["phase"], message: string) => opts.onProgress?.({ groupName, accessId: target.accessId, phase, message });
    const me = await this.d.principal();
    progress("checking", "checking the policy");
    const policy = await this.d.pim.policy(target.groupId, target.accessId);
    const durationMs = this.checkLocally(policy, input, groupName);
    const body: Record<string, unknown> = {
      accessId: target.accessId,
      principalId: me.objectId,
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
      request = await this.#submit(body, policy, target, groupName, progress);
    } catch (e) {
      if (e instanceof AlreadyExists) {
        const existing = await this.#existing(target, groupName);
        await this.#record({ ...historyBase, requestId: existing.requestId, status: existing.status, error: null });
        if (existing.status === "already-active" || opts.waitFor === "none" || !existing.requestId) return existing;
        return this.track(existing.requestId, { ...base, durationMs: existing.durationMs }, opts);
      }
      const err = e instanceof PimTrayError ? e : new PimTrayError("server", `Activation failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      await this.#record({ ...historyBase, requestId: null, status: "refused", error: err.message });
      throw err;
    }
    if (input.validateOnly) {
      const outcome: ActivationOutcome = { ...base, status: "validated", requestId: null, requestStatus: request.status, startDateTime: input.startAt?.toISOString() ?? null, endDateTime: null, error: null };
      await this.#record({ ...historyBase, requestId: null, status: "validated", error: null });
      return outcome;
    }
    await this.#record({ ...historyBase, requestId: request.id, status: request.status, error: null });
    const outcome = await this.track(request.id, base, opts, request);
    if (outcome.requestStatus !== request.status) {
      await this.#record({ ...historyBase, requestId: request.id, status: outcome.requestStatus ?? outcome.status, error: outcome.error?.message ?? null });
    }
    return outcome;
  }

  /** POST with the step-up triggers; a lost answer is reconciled before anything is sent again. */
  async #submit(
    body: Record<string, unknown>,
    policy: PolicySummary,
    target: Target,
    groupName: string,
    progress: (phase: Progress["phase"], message: string) => void,
  ): Promise<ScheduleRequest> {
    // Proactive step-up: the policy names an authentication context, so ask for it up front.
    let claims: string | undefined = policy.authContext ? acrsClaims([policy.authContext]) : undefined;
    let token: string | undefined = claims ? await this.d.tokens.getAccessToken({ claims }) : undefined;
    const triggers = new Set<string>();
    let resent = false;
    const submittedAt = this.#now();
    for (;;) {
      try {
        return (await this.d.pim.submit(body, token)).request;
      } catch (e) {
        if (e instanceof OutcomeUnknownError && !resent) {
          progress("reconciling", "the connection dropped; checking whether the request arrived");
          const found = await this.#findLost(target, submittedAt);
          if (found) {
            this.d.logger.info(`request ${found.id} for ${groupName} arrived despite the dropped connection; not submitting again`);
            return found;
          }
          resent = true;
          continue;
        }
        if (!(e instanceof GraphError)) throw e;
        if (e.code === "RoleAssignmentExists") throw new AlreadyExists();
        if (e.code === "RoleAssignmentRequestAcrsValidationFailed" && !triggers.has("acrs")) {
          triggers.add("acrs");
          claims = claimsFromAcrsMessage(e.serverMessage) ?? acrsClaims([policy.authContext ?? "c1"]);
          progress("stepping-up", "extra verification (authentication context) is needed");
          token = await this.d.tokens.getAccessToken({ claims });
          continue;
        }
        if (e.code === "RoleAssignmentRequestPolicyValidationFailed") {
          const rules = policyRules(e.serverMessage);
          if (rules.includes("MfaRule") && !triggers.has("mfa")) {
            triggers.add("mfa");
            progress("stepping-up", "multi-factor authentication is needed");
            token = await this.d.tokens.getAccessToken({ claims: MFA_CLAIMS });
            continue;
          }
          throw new PolicyError(policyMessage(`${groupName} (${target.accessId})`, rules, e.serverMessage), rules, { cause: e });
        }
        if (e.code === "RoleAssignmentRequestAcrsValidationFailed") {
          throw new PolicyError(`${groupName} (${target.accessId}) still needs its authentication context after signing in again. Your organisation's Conditional Access may not be satisfied on this device.`, ["AcrsRule"], { cause: e });
        }
        throw e;
      }
    }
  }

  async #findLost(target: Target, submittedAt: number): Promise<ScheduleRequest | null> {
    const mine = await this.d.pim.myRequests({ groupId: target.groupId, accessId: target.accessId });
    return (
      mine.find(
        (r) =>
          equalsIgnoreCase(r.action, "selfActivate") &&
          Date.parse(r.createdDateTime) >= submittedAt - 120_000 &&
          !["Canceled", "Denied", "Failed"].some((s) => equalsIgnoreCase(r.status, s)),
      ) ?? null
    );
  }

  /** What already exists for a target: an active assignment, or a pending request. */
  async #existing(target: Target, groupName: string): Promise<ActivationOutcome> {
    const [active] = await this.d.pim.activeAssignments({ groupId: target.groupId, accessId: target.accessId });
    if (active) {
      return {
        groupId: target.groupId,
        groupName,
        accessId: target.accessId,
        status: "already-active",
        requestId: null,
        requestStatus: "Provisioned",
        startDateTime: active.startDateTime,
        endDateTime: active.endDateTime,
        durationMs: active.endDateTime ? Date.parse(active.endDateTime) - Date.parse(active.startDateTime) : null,
        error: null,
      };
    }
    const pending = (await this.d.pim.myRequests({ groupId: target.groupId, accessId: target.accessId })).find((r) => isPending(r.status) && equalsIgnoreCase(r.action, "selfActivate"));
    if (!pending) {
      throw new PimTrayError("server", `PIM says ${groupName} (${target.accessId}) is already active or requested, but neither shows up yet. Wait a few seconds and run status.`);
    }
    return this.#fromRequest(pending, { groupId: target.groupId, groupName, accessId: target.accessId, durationMs: null });
  }

  #fromRequest(r: ScheduleRequest, base: { groupId: string; groupName: string; accessId: AccessId; durationMs: number | null }): ActivationOutcome {
    const s = r.status;
    let status: OutcomeStatus;
    if (equalsIgnoreCase(s, "Provisioned")) status = "active";
    else if (equalsIgnoreCase(s, "PendingApproval") || equalsIgnoreCase(s, "PendingAdminDecision")) status = "pending-approval";
    else if (equalsIgnoreCase(s, "Granted") && r.startDateTime && Date.parse(r.startDateTime) > this.#now() + 5000) status = "scheduled";
    else if (equalsIgnoreCase(s, "Denied")) status = "denied";
    else if (equalsIgnoreCase(s, "Canceled")) status = "canceled";
    else if (equalsIgnoreCase(s, "Failed") || equalsIgnoreCase(s, "Revoked")) status = "failed";
    else status = "provisioning";
    return { ...base, status, requestId: r.id, requestStatus: s, startDateTime: r.startDateTime, endDateTime: null, error: null };
  }

  /** Follows a request to the state the caller waits for, on the documented polling schedule. */
  async track(
    requestId: string,
    base: { groupId: string; groupName: string; accessId: AccessId; durationMs: number | null },
    opts: TrackOptions = {},
    initial?: ScheduleRequest,
  ): Promise<ActivationOutcome> {
    const waitFor = opts.waitFor ?? "provisioned";
    const deadline = this.#now() + (opts.timeoutMs ?? 60_000);
    let r: ScheduleRequest = initial ?? (await this.d.pim.request(requestId));
    const schedule = new PollSchedule(equalsIgnoreCase(r.status, "PendingApproval") ? "approval" : "provisioning", this.#now);
    for (;;) {
      const outcome = this.#fromRequest(r, base);
      if (outcome.status === "active") return this.#confirmActive(outcome, r);
      if (["denied", "canceled", "failed", "scheduled"].includes(outcome.status)) return outcome;
      if (waitFor === "none") return outcome;
      if (outcome.status === "pending-approval") {
        if (waitFor !== "final") return outcome;
        schedule.enter("approval");
        opts.onProgress?.({ groupName: base.groupName, accessId: base.accessId, phase: "pending-approval", message: "waiting for approval" });
      } else {
        schedule.enter("provisioning");
        opts.onProgress?.({ groupName: base.groupName, accessId: base.accessId, phase: "provisioning", message: "provisioning" });
      }
      const left = deadline - this.#now();
      if (left <= 0) return outcome;
      await this.#sleep(Math.min(schedule.next(), left));
      r = await this.d.pim.request(requestId);
    }
  }

  /** Provisioned: confirm the assignment instance exists and report its end time. */
  async #confirmActive(outcome: ActivationOutcome, r: ScheduleRequest): Promise<ActivationOutcome> {
    for (let attempt = 0; attempt < 6; attempt++) {
      const [active] = await this.d.pim.activeAssignments({ groupId: outcome.groupId, accessId: outcome.accessId });
      if (active) return { ...outcome, startDateTime: active.startDateTime, endDateTime: active.endDateTime };
      // Propagation from request to instance can lag by a few seconds.
      await this.#sleep(500 * (attempt + 1));
    }
    this.d.logger.warn(`request ${r.id} is Provisioned but no assignment instance is visible yet`);
    return outcome;
  }

  /** selfDeactivate, honouring PIM's 5-minute minimum: wait for it, or say when it passes. */
  async deactivate(target: Target, opts: { wait?: boolean; onProgress?: (p: Progress) => void } = {}): Promise<ActivationOutcome> {
    const me = await this.d.principal();
    const groupName = target.groupName ?? target.groupId;
    const body = { accessId: target.accessId, principalId: me.objectId, groupId: target.groupId, action: "selfDeactivate", justification: "Deactivated with PIM Tray" };
    const record = (requestId: string | null, status: string, error: string | null) =>
      this.#record({ action: "deactivate", account: me.username, groupId: target.groupId, groupName, accessId: target.accessId, durationMs: null, justification: null, ticket: null, requestId, status, error });
    for (let attempt = 0; ; attempt++) {
      try {
        const { request } = await this.d.pim.submit(body);
        await record(request.id, request.status, null);
        return { groupId: target.groupId, groupName, accessId: target.accessId, status: "deactivated", requestId: request.id, requestStatus: request.status, startDateTime: null, endDateTime: new Date(this.#now()).toISOString(), durationMs: null, error: null };
      } catch (e) {
        if (e instanceof GraphError && e.code === "RoleAssignmentDoesNotExist") {
          await record(null, "not-active", e.message);
          throw new NotFoundError(`${groupName} (${target.accessId}) is not active, so there is nothing to deactivate.`);
        }
        if (e instanceof GraphError && e.code === "ActiveDurationTooShort") {
          const [active] = await this.d.pim.activeAssignments({ groupId: target.groupId, accessId: target.accessId });
          const possibleAt = active ? Date.parse(active.startDateTime) + FIVE_MINUTES : this.#now() + FIVE_MINUTES;
          if (opts.wait && attempt < 3) {
            const waitMs = Math.max(1000, possibleAt - this.#now() + 2000);
            opts.onProgress?.({ groupName, accessId: target.accessId, phase: "waiting-floor", message: `PIM allows deactivation 5 minutes after activation; waiting ${formatDuration(waitMs)}` });
            await this.#sleep(waitMs);
            continue;
          }
          await record(null, "too-soon", e.message);
          throw new PolicyError(
            `${groupName} (${target.accessId}) was activated less than 5 minutes ago, and PIM allows deactivation only after 5 minutes. It becomes possible at ${new Date(possibleAt).toISOString()} (in ${formatDuration(possibleAt - this.#now())}); use --wait to wait for it.`,
            ["ActiveDurationTooShort"],
            { cause: e, details: { possibleAt: new Date(possibleAt).toISOString() } },
          );
        }
        throw e;
      }
    }
  }

  async cancel(requestId: string): Promise<void> {
    const me = await this.d.principal();
    let req: ScheduleRequest | null = null;
    try {
      req = await this.d.pim.request(requestId);
    } catch (e) {
      if (e instanceof GraphError && e.status === 404) throw new NotFoundError(`No request '${requestId}' of yours was found. List them with \`pimtray status\`.`);
      throw e;
    }
    if (!isPending(req.status)) {
      throw new PolicyError(`Request ${requestId} is ${req.status}; only a pending request can be canceled.`, ["NotPending"]);
    }
    await this.d.pim.cancel(requestId);
    await this.#record({ action: "cancel", account: me.username, groupId: req.groupId, groupName: req.groupId, accessId: req.accessId, durationMs: null, justification: null, ticket: null, requestId, status: "Canceled", error: null });
  }

  /** Several activations at once, a few at a time; one failure never stops the others. */
  async activateMany(inputs: ActivateInput[], opts: TrackOptions & { concurrency?: number } = {}): Promise<ActivationOutcome[]> {
    const results: ActivationOutcome[] = new Array(inputs.length);
    let next = 0;
    const worker = async () => {
      for (;;) {
        const i = next++;
        const input = inputs[i];
        if (!input) return;
        try {
          results[i] = await this.activate(input, opts);
        } catch (e) {
          const err = e instanceof PimTrayError ? e : new PimTrayError("server", e instanceof Error ? e.message : String(e), { cause: e });
          results[i] = {
            groupId: input.target.groupId,
            groupName: input.target.groupName ?? input.target.groupId,
            accessId: input.target.accessId,
            status: "failed",
            requestId: null,
            requestStatus: null,
            startDateTime: null,
            endDateTime: null,
            durationMs: input.durationMs ?? null,
            error: err,
          };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 4, inputs.length) }, worker));
    return results;
  }

  async #record(e: Omit<HistoryEntry, "time">): Promise<void> {
    try {
      await this.d.history.append({ time: new Date(this.#now()).toISOString(), ...e });
    } catch (err) {
      // Never let a full disk turn a successful activation into a failure; say so in the log.
      this.d.logger.error("could not write the history file", err);
    }
  }
}

function policyMessage(name: string, rules: string[], serverMessage: string): string {
  const text: Record<string, string> = {
    ExpirationRule: "the duration is longer than its policy allows",
    JustificationRule: "it requires a justification",
    TicketingRule: "it requires a ticket (system and number)",
    EligibilityRule: "you are not (or no longer) eligible for it",
    MfaRule: "it requires multi-factor authentication, and signing in with MFA did not satisfy it",
  };
  const reasons = rules.map((r) => text[r] ?? r);
  return `PIM refused ${name}: ${reasons.join("; ") || serverMessage}.`;
}
