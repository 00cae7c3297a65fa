// The directory-roles plane's PIM state: requests and active instances, moved forward by time, with
// the same rule order and errors as the groups plane (emulator/pim-rules.ts does steps 4 to 7).
import {
  type ApprovalStage,
  assignedTo,
  type Directory,
  isApprover,
  newStages,
  policyStages,
  recordDecision,
  refreshStages,
  STAGE_TIMEOUT_MS,
} from "../approvers.js";
import { GraphFault } from "../graph/fault.js";
import { newGuid } from "../ids.js";
import type { CallerClaims, RequestStatus, TicketInfo } from "../model.js";
import type { PimSettings } from "../pim.js";
import {
  activationRequest,
  assignmentExists,
  checkActivationRules,
  checkDeactivation,
  checkSelfService,
  deactivationRequest,
  policyFailure,
  requestedWindow,
  scheduleProvisioning,
  type ActivationBody,
} from "../pim-rules.js";
import type { RoleEligibility, RoleInstance, RolePolicy, RoleRequest, RolesSeed } from "./model.js";
import { defaultRolePolicy } from "./seed.js";

export interface RoleRequestBody {
  action: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId?: string | null;
  appScopeId?: string | null;
  justification?: string | null;
  ticketInfo?: Partial<TicketInfo> | null;
  isValidationOnly?: boolean;
  scheduleInfo?: ActivationBody["scheduleInfo"];
}

export interface RoleSettings {
  /**
   * What a directory-role request still PendingApproval 24 hours after its step opened becomes (Microsoft: "the user
   * must resubmit"; the resulting status is not documented). null: it stays pending, its step Expired.
   */
  roleApprovalExpiryStatus: "Canceled" | "Denied" | "Failed" | null;
}
const PENDING: ReadonlySet<RequestStatus> = new Set(["PendingApproval", "Granted", "PendingProvisioning"]);
const lc = (s: string) => s.toLowerCase();

export class RoleState {
  readonly requests = new Map<string, RoleRequest>();
  readonly instances = new Map<string, RoleInstance>();
  /** The one approval step of each request that needed approval, keyed by request id (= approval id = step id). */
  readonly approvals = new Map<string, ApprovalStage>();

  constructor(
    readonly seed: RolesSeed,
    readonly settings: PimSettings & RoleSettings,
  ) {}

  policyFor(roleDefinitionId: string): RolePolicy {
    return this.seed.policies.get(lc(roleDefinitionId)) ?? defaultRolePolicy(lc(roleDefinitionId));
  }

  role(id: string) {
    return this.seed.roleDefinitions.find((r) => lc(r.id) === lc(id));
  }

  administrativeUnit(id: string) {
    return this.seed.administrativeUnits.find((a) => lc(a.id) === lc(id));
  }

  currentEligibilities(now: number): RoleEligibility[] {
    return this.seed.eligibilities.filter(
      (e) => Date.parse(e.startDateTime) <= now && (e.endDateTime === null || Date.parse(e.endDateTime) > now),
    );
  }

  advance(now: number): void {
    const expiry = this.settings.roleApprovalExpiryStatus;
    for (const r of this.requests.values()) {
      if (r.action !== "selfActivate") continue;
      const step = this.approvals.get(r.id);
      if (step) refreshStages([step], r.status === "PendingApproval", now);
      if (r.status === "PendingApproval" && step?.status === "Expired" && expiry !== null) {
        // The step timed out and the setting ends the request: as any request settled without a review, its step
        // shows Completed (NotReviewed).
        r.status = expiry;
        r.completedAt = (step.startedAt ?? r.createdDateTime) + STAGE_TIMEOUT_MS;
        step.status = "Completed";
        continue;
      }
      if ((r.status === "Granted" || r.status === "PendingProvisioning") && r.provisionAt !== null) {
        if (now >= r.provisionAt) this.provision(r);
        else if (r.status === "Granted" && now >= r.startAt) r.status = "PendingProvisioning";
      }
    }
    for (const [id, inst] of this.instances) {
      if (inst.endAt <= now) this.instances.delete(id);
    }
  }

  /** Whether `oid` approves the request's step: named by the policy, or a member of a group it names. */
  approves(r: RoleRequest, oid: string, directory: Pick<Directory, "membersOf">): boolean {
    const step = this.approvals.get(r.id);
    return step !== undefined && isApprover(step.approvers, oid, (g) => directory.membersOf(g));
  }

  /** Whether the request's step is open and waits for `oid` (never their own request). */
  waitsFor(r: RoleRequest, oid: string, directory: Pick<Directory, "membersOf">): boolean {
    const step = this.approvals.get(r.id);
    const pending = r.status === "PendingApproval";
    return step !== undefined && assignedTo(step, r.principalId, pending, oid, (g) => directory.membersOf(g));
  }

  private sameTarget(
    x: { principalId: string; roleDefinitionId: string; directoryScopeId: string },
    principalId: string,
    roleDefinitionId: string,
    directoryScopeId: string,
  ): boolean {
    return (
      lc(x.principalId) === lc(principalId) &&
      lc(x.roleDefinitionId) === lc(roleDefinitionId) &&
      lc(x.directoryScopeId) === lc(directoryScopeId)
    );
  }

  private provision(r: RoleRequest): void {
    r.status = "Provisioned";
    r.completedAt = r.provisionAt;
    const e = this.seed.eligibilities.find((x) =>
      this.sameTarget(x, r.principalId, r.roleDefinitionId, r.directoryScopeId),
    );
    this.instances.set(r.targetScheduleId, {
      id: r.targetScheduleId,
      scheduleId: r.targetScheduleId,
      requestId: r.id,
      principalId: r.principalId,
      roleDefinitionId: r.roleDefinitionId,
      directoryScopeId: r.directoryScopeId,
      startAt: r.startAt,
      endAt: r.startAt + r.durationMs,
      eligibilityScheduleId: e?.id ?? "",
    });
  }

  activeInstance(principalId: string, roleDefinitionId: string, directoryScopeId: string): RoleInstance | undefined {
    for (const i of this.instances.values()) {
      if (this.sameTarget(i, principalId, roleDefinitionId, directoryScopeId)) return i;
    }
    return undefined;
  }

  private pendingRequest(principalId: string, roleDefinitionId: string, directoryScopeId: string) {
    for (const r of this.requests.values()) {
      if (
        r.action === "selfActivate" &&
        PENDING.has(r.status) &&
        this.sameTarget(r, principalId, roleDefinitionId, directoryScopeId)
      ) {
        return r;
      }
    }
    return undefined;
  }

  /** POST roleAssignmentScheduleRequests: the groups plane's rule order, on role, principal and scope. */
  submit(caller: CallerClaims, body: RoleRequestBody, now: number): RoleRequest {
    this.advance(now);
    const action = lc(body.action) === "selfdeactivate" ? "selfDeactivate" : "selfActivate";
    checkSelfService(body.principalId, caller);
    const roleDefinitionId = lc(body.roleDefinitionId);
    const directoryScopeId = body.directoryScopeId ?? (body.appScopeId ? `/${body.appScopeId}` : "/");
    if (action === "selfDeactivate") return this.deactivate(caller, roleDefinitionId, directoryScopeId, body, now);

    // Eligibility: a direct one for this principal, role and scope (group-held ones are not self-activated here).
    const eligible = this.currentEligibilities(now).some(
      (e) => e.memberType === "Direct" && this.sameTarget(e, caller.oid, roleDefinitionId, directoryScopeId),
    );
    if (!eligible) throw policyFailure(this.settings.policyMessageFormat, ["EligibilityRule"]);

    if (
      this.activeInstance(caller.oid, roleDefinitionId, directoryScopeId) ||
      this.pendingRequest(caller.oid, roleDefinitionId, directoryScopeId)
    ) {
      throw assignmentExists();
    }

    const policy = this.policyFor(roleDefinitionId);
    const window = requestedWindow(body, now);
    const durationMs = checkActivationRules(policy, window.durationMs, body, caller, this.settings);

    const id = newGuid();
    const request: RoleRequest = {
      ...activationRequest(id, body, caller, window, durationMs, now),
      roleDefinitionId,
      directoryScopeId,
      targetScheduleId: id,
    };
    if (body.isValidationOnly) return request;

    if (policy.approvalRequired) {
      request.status = "PendingApproval";
      // Graph: the approval's id is the request's id, and so is its one step's. One step: no multi-stage on this path.
      request.approvalId = id;
      const [step] = newStages(policyStages(policy).slice(0, 1), id, now, newGuid);
      if (step) this.approvals.set(id, step);
    } else {
      this.schedule(request, now);
    }
    this.requests.set(id, request);
    this.advance(now);
    return request;
  }

  private schedule(r: RoleRequest, now: number): void {
    scheduleProvisioning(r, this.settings, now);
  }

  private deactivate(
    caller: CallerClaims,
    roleDefinitionId: string,
    directoryScopeId: string,
    body: RoleRequestBody,
    now: number,
  ): RoleRequest {
    const inst = this.activeInstance(caller.oid, roleDefinitionId, directoryScopeId);
    checkDeactivation(inst, now);
    const request: RoleRequest = {
      ...deactivationRequest(newGuid(), body, caller, now),
      roleDefinitionId,
      directoryScopeId,
      targetScheduleId: inst.scheduleId,
    };
    if (body.isValidationOnly) return request;
    this.instances.delete(inst.id);
    this.requests.set(request.id, request);
    return request;
  }

  cancel(callerOid: string, requestId: string, now: number): void {
    this.advance(now);
    const r = this.requests.get(lc(requestId));
    if (!r || r.principalId !== callerOid) {
      throw new GraphFault(404, "ResourceNotFound", `The request '${requestId}' was not found.`);
    }
    if (!PENDING.has(r.status) || r.action !== "selfActivate") {
      throw new GraphFault(
        400,
        "RequestCannotBeCanceled",
        `Only a pending request can be canceled; this request is ${r.status}.`,
      );
    }
    r.status = "Canceled";
    r.completedAt = now;
  }

  /**
   * The approver's decision: through the control API (no reviewer given: the policy's first approver user is
   * recorded), or the beta approval step PATCH (which checks who may decide first).
   */
  decide(
    requestId: string,
    decision: "approve" | "deny",
    now: number,
    reviewerId?: string,
    justification: string | null = null,
  ): RoleRequest {
    this.advance(now);
    const r = this.requests.get(lc(requestId));
    if (!r) throw new GraphFault(404, "ResourceNotFound", `The request '${requestId}' was not found.`);
    if (r.status !== "PendingApproval") {
      throw new GraphFault(400, "BadRequest", `The request is ${r.status}, not PendingApproval.`);
    }
    const step = this.approvals.get(r.id);
    if (step) {
      const first = step.approvers.find((a) => a.type === "user")?.id ?? null;
      recordDecision(
        [step],
        step,
        decision === "approve" ? "Approve" : "Deny",
        reviewerId ?? first,
        justification,
        now,
      );
    }
    if (decision === "deny") {
      r.status = "Denied";
      r.completedAt = now;
    } else {
      this.schedule(r, now);
    }
    this.advance(now);
    return r;
  }
}
