// The directory-roles plane's PIM state: requests and active instances, moved forward by time, with
// the same rule order and errors as the groups plane (emulator/pim-rules.ts does steps 4 to 7).
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
import type { RoleApprovalStep, RoleEligibility, RoleInstance, RolePolicy, RoleRequest, RolesSeed } from "./model.js";
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
   * What a directory-role request still PendingApproval after 24 hours becomes (Microsoft: "the user must
   * resubmit"; the resulting status is not documented). null: it stays pending.
   */
  roleApprovalExpiryStatus: "Canceled" | "Denied" | "Failed" | null;
}

const APPROVAL_WINDOW = 24 * 3_600_000;
const PENDING: ReadonlySet<RequestStatus> = new Set(["PendingApproval", "Granted", "PendingProvisioning"]);
const lc = (s: string) => s.toLowerCase();

export class RoleState {
  readonly requests = new Map<string, RoleRequest>();
  readonly instances = new Map<string, RoleInstance>();
  /** Keyed by request id (= approval id), for requests that needed approval. */
  readonly approvals = new Map<string, RoleApprovalStep>();

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
      if (r.status === "PendingApproval" && expiry !== null && now >= r.createdDateTime + APPROVAL_WINDOW) {
        r.status = expiry;
        r.completedAt = r.createdDateTime + APPROVAL_WINDOW;
        const step = this.approvals.get(r.id);
        if (step) step.status = "Completed";
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
      // Graph: the approval's id is the request's id.
      request.approvalId = id;
      this.approvals.set(id, {
        id,
        status: "InProgress",
        reviewResult: "NotReviewed",
        reviewedBy: null,
        reviewedDateTime: null,
        justification: null,
      });
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
   * The approver's decision: through the control API (no reviewer given: the policy's first approver is recorded),
   * or the beta approval step PATCH.
   */
  decide(
    requestId: string,
    decision: "approve" | "deny",
    now: number,
    reviewer?: { id: string; displayName: string | null },
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
      const first = this.policyFor(r.roleDefinitionId).approverUserIds[0];
      step.status = "Completed";
      step.reviewResult = decision === "approve" ? "Approve" : "Deny";
      step.reviewedBy = reviewer ?? (first ? { id: first, displayName: null } : null);
      step.reviewedDateTime = now;
      step.justification = justification;
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
