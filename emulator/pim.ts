import type { Directory } from "./approvers.js";
import { newGuid } from "./ids.js";
import { GraphFault, missingScope } from "./graph/fault.js";
import type {
  AccessId,
  AssignmentInstance,
  AssignmentRequest,
  CallerClaims,
  Eligibility,
  GroupPolicy,
  RequestStatus,
} from "./model.js";
import {
  type ActivationBody,
  activationRequest,
  assignmentExists,
  checkActivationRules,
  checkDeactivation,
  checkSelfService,
  deactivationRequest,
  policyFailure,
  requestedWindow,
  scheduleProvisioning,
} from "./pim-rules.js";
import { defaultPolicy, policyKey, type TenantSeed } from "./seed.js";

export interface PimSettings {
  provisioningDelayMs: number;
  /** When set, each request's delay is drawn uniformly from [provisioningDelayMs, this]. */
  provisioningDelayMaxMs: number | null;
  /** "list": `["MfaRule"]` (older); "text": `MfaRule - text` (seen in 2026). */
  policyMessageFormat: "list" | "text";
  /** Reported by third parties: PIM honours acrs only from clients that declared cp1. */
  acrsRequiresCp1: boolean;
}

const PENDING: ReadonlySet<RequestStatus> = new Set(["PendingApproval", "Granted", "PendingProvisioning"]);
const SCOPES_WRITE = ["PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup", "PrivilegedAccess.ReadWrite.AzureADGroup"];

export class PimState implements Directory {
  readonly requests = new Map<string, AssignmentRequest>();
  readonly instances = new Map<string, AssignmentInstance>();

  constructor(
    readonly tenant: TenantSeed,
    readonly settings: PimSettings,
  ) {}

  policyFor(groupId: string, accessId: AccessId): GroupPolicy {
    return this.tenant.policies.get(policyKey(groupId, accessId)) ?? defaultPolicy(groupId, accessId);
  }

  group(groupId: string) {
    return this.tenant.groups.find((g) => g.id.toLowerCase() === groupId.toLowerCase());
  }

  user(userId: string) {
    return this.tenant.users.find((u) => u.id.toLowerCase() === userId.toLowerCase());
  }

  /** A group of the directory: PIM-managed, or one that only approval policies name. */
  directoryGroup(groupId: string) {
    const id = groupId.toLowerCase();
    return this.group(id) ?? this.tenant.approverGroups.find((g) => g.id.toLowerCase() === id);
  }

  userName(userId: string): string | null {
    return this.user(userId)?.displayName ?? null;
  }

  groupName(groupId: string): string | null {
    return this.directoryGroup(groupId)?.displayName ?? null;
  }

  /** Who is in the group now: its seeded members, and anyone PIM has made a member (an active member assignment). */
  membersOf(groupId: string): string[] {
    const id = groupId.toLowerCase();
    const seeded = this.tenant.approverGroups.find((g) => g.id.toLowerCase() === id)?.memberIds ?? [];
    const active = [...this.instances.values()]
      .filter((i) => i.groupId === id && i.accessId === "member")
      .map((i) => i.principalId);
    return [...new Set([...seeded, ...active].map((m) => m.toLowerCase()))];
  }

  /** Eligibilities in force at `now` (started, and not ended). */
  currentEligibilities(now: number): Eligibility[] {
    return this.tenant.eligibilities.filter(
      (e) => Date.parse(e.startDateTime) <= now && (e.endDateTime === null || Date.parse(e.endDateTime) > now),
    );
  }

  /** Moves every request and instance forward to `now`; all state changes are functions of time. */
  advance(now: number): void {
    for (const r of this.requests.values()) {
      if (r.action !== "selfActivate") continue;
      if ((r.status === "Granted" || r.status === "PendingProvisioning") && r.provisionAt !== null) {
        if (now >= r.provisionAt) {
          this.provision(r);
        } else if (r.status === "Granted" && now >= r.startAt) {
          r.status = "PendingProvisioning";
        }
      }
    }
    for (const [id, inst] of this.instances) {
      if (inst.endAt <= now) this.instances.delete(id);
    }
  }

  private provision(r: AssignmentRequest): void {
    r.status = "Provisioned";
    r.completedAt = r.provisionAt;
    const eligibility = this.tenant.eligibilities.find(
      (e) => e.groupId === r.groupId && e.principalId === r.principalId && e.accessId === r.accessId,
    );
    const inst: AssignmentInstance = {
      id: r.targetScheduleId,
      scheduleId: r.targetScheduleId,
      requestId: r.id,
      groupId: r.groupId,
      principalId: r.principalId,
      accessId: r.accessId,
      startAt: r.startAt,
      endAt: r.startAt + r.durationMs,
      eligibilityId: eligibility?.id ?? "",
    };
    this.instances.set(inst.id, inst);
  }

  activeInstance(groupId: string, principalId: string, accessId: AccessId): AssignmentInstance | undefined {
    for (const i of this.instances.values()) {
      if (i.groupId === groupId && i.principalId === principalId && i.accessId === accessId) return i;
    }
    return undefined;
  }

  private pendingRequest(groupId: string, principalId: string, accessId: AccessId): AssignmentRequest | undefined {
    for (const r of this.requests.values()) {
      if (
        r.action === "selfActivate" &&
        PENDING.has(r.status) &&
        r.groupId === groupId &&
        r.principalId === principalId &&
        r.accessId === accessId
      ) {
        return r;
      }
    }
    return undefined;
  }

  private policyFailure(rules: string[]): GraphFault {
    return policyFailure(this.settings.policyMessageFormat, rules);
  }

  /** POST assignmentScheduleRequests, with PIM's rules in the documented order. */
  submit(caller: CallerClaims, body: ActivationBody, now: number): AssignmentRequest {
    this.advance(now);
    if (!caller.scp.some((s) => SCOPES_WRITE.some((w) => w.toLowerCase() === s.toLowerCase()))) {
      throw missingScope(SCOPES_WRITE);
    }
    const accessId = body.accessId.toLowerCase() as AccessId;
    const action = body.action.toLowerCase() === "selfdeactivate" ? "selfDeactivate" : "selfActivate";
    checkSelfService(body.principalId, caller);
    const groupId = body.groupId.toLowerCase();
    if (action === "selfDeactivate") return this.deactivate(caller, groupId, accessId, body, now);

    // 2. Eligibility.
    const eligible = this.currentEligibilities(now).some(
      (e) => e.groupId === groupId && e.principalId === caller.oid && e.accessId === accessId,
    );
    if (!eligible) throw this.policyFailure(["EligibilityRule"]);

    // 3. Already active or pending.
    if (this.activeInstance(groupId, caller.oid, accessId) || this.pendingRequest(groupId, caller.oid, accessId)) {
      throw assignmentExists();
    }

    // 4. to 7.: expiration against the policy maximum, justification and ticket, MFA, authentication context.
    const policy = this.policyFor(groupId, accessId);
    const window = requestedWindow(body, now);
    const durationMs = checkActivationRules(policy, window.durationMs, body, caller, this.settings);

    const id = newGuid();
    const request: AssignmentRequest = {
      ...activationRequest(id, body, caller, window, durationMs, now),
      accessId,
      groupId,
      targetScheduleId: `${groupId}_${accessId}_${id}`,
    };
    if (body.isValidationOnly) return request; // a dry run: nothing is kept

    // 8. Approval, then 9. provisioning.
    if (policy.approvalRequired) {
      request.status = "PendingApproval";
      request.approvalId = newGuid();
    } else {
      this.schedule(request, now);
    }
    this.requests.set(id, request);
    this.advance(now);
    return request;
  }

  private schedule(r: AssignmentRequest, now: number): void {
    scheduleProvisioning(r, this.settings, now);
  }

  private deactivate(
    caller: CallerClaims,
    groupId: string,
    accessId: AccessId,
    body: ActivationBody,
    now: number,
  ): AssignmentRequest {
    const inst = this.activeInstance(groupId, caller.oid, accessId);
    checkDeactivation(inst, now);
    const id = newGuid();
    const request: AssignmentRequest = {
      ...deactivationRequest(id, body, caller, now),
      accessId,
      groupId,
      targetScheduleId: inst.scheduleId,
    };
    if (body.isValidationOnly) return request;
    this.instances.delete(inst.id);
    this.requests.set(id, request);
    return request;
  }

  cancel(callerOid: string, requestId: string, now: number): void {
    this.advance(now);
    const r = this.requests.get(requestId.toLowerCase());
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

  /** The approver's decision, made through the control API. */
  decide(requestId: string, decision: "approve" | "deny", now: number): AssignmentRequest {
    this.advance(now);
    const r = this.requests.get(requestId.toLowerCase());
    if (!r) throw new GraphFault(404, "ResourceNotFound", `The request '${requestId}' was not found.`);
    if (r.status !== "PendingApproval") {
      throw new GraphFault(400, "BadRequest", `The request is ${r.status}, not PendingApproval.`);
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
