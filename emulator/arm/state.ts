// The ARM plane's PIM state and its activation rules, in the checklist's order.
import {
  type ApprovalStage,
  type Directory,
  newStages,
  policyStages,
  recordDecision,
  refreshStages,
} from "../approvers.js";
import { parseIsoDuration } from "../duration.js";
import { GraphFault } from "../graph/fault.js";
import { newGuid } from "../ids.js";
import type { CallerClaims } from "../model.js";
import type { PimSettings } from "../pim.js";
import { type ActivationBody, policyFailure, requestedWindow } from "../pim-rules.js";
import { ArmFault } from "./fault.js";
import type { ArmSettings } from "./service.js";
import type { ArmEligibility, ArmInstance, ArmPolicy, ArmRequest, ArmRequestStatus } from "./model.js";
import { describeScope, isAtOrBelow, normScope } from "./scopes.js";
import { type ArmSeed, armPolicyKey, defaultArmPolicy } from "./seed.js";

const FIVE_MINUTES = 5 * 60_000;
const PENDING: ReadonlySet<ArmRequestStatus> = new Set(["PendingApproval", "Granted"]);

/** The body of a roleAssignmentScheduleRequests PUT, as a client sends it. */
export interface ArmRequestBody {
  properties?: {
    principalId?: string;
    roleDefinitionId?: string;
    requestType?: string;
    linkedRoleEligibilityScheduleId?: string | null;
    justification?: string | null;
    ticketInfo?: { ticketNumber?: string | null; ticketSystem?: string | null } | null;
    scheduleInfo?: {
      startDateTime?: string | null;
      expiration?: { type?: string; duration?: string | null; endDateTime?: string | null } | null;
    } | null;
  };
}

/** The trailing GUID of a role definition id (ids carry the scope they were read at). */
export function roleGuidOf(roleDefinitionId: string): string {
  return (roleDefinitionId.split("/").pop() ?? "").toLowerCase();
}

/** Turns the shared rule helpers' Graph-shaped failure into ARM's. */
function asArm(e: unknown): unknown {
  return e instanceof GraphFault ? new ArmFault(e.httpStatus, e.code, e.message) : e;
}

export class ArmState {
  readonly requests = new Map<string, ArmRequest>();
  readonly instances = new Map<string, ArmInstance>();

  constructor(
    readonly seed: ArmSeed,
    readonly settings: PimSettings & Pick<ArmSettings, "armApprovalExpiryStatus">,
    /** The directory: names for approver descriptions, and the members of approver groups. */
    readonly directory: Directory,
  ) {
    for (const a of seed.assignments) this.instances.set(a.instanceGuid, { ...a });
  }

  roleName(roleGuid: string): string {
    return this.seed.roles.find((r) => r.guid === roleGuid.toLowerCase())?.displayName ?? roleGuid;
  }

  /** The policy in force for `roleGuid` at `scope`: the nearest configured ancestor's, else PIM's default. */
  policyFor(scope: string, roleGuid: string): { policy: ArmPolicy; scope: string } {
    let s = normScope(scope);
    for (;;) {
      const p = this.seed.policies.get(armPolicyKey(s, roleGuid));
      if (p) return { policy: p, scope: s };
      const cut = s.lastIndexOf("/");
      if (cut <= 0) break;
      s = s.slice(0, cut);
    }
    return { policy: defaultArmPolicy(scope, roleGuid), scope };
  }

  currentEligibilities(now: number): ArmEligibility[] {
    return this.seed.eligibilities.filter(
      (e) => Date.parse(e.startDateTime) <= now && (e.endDateTime === null || Date.parse(e.endDateTime) > now),
    );
  }

  /**
   * Moves requests and instances forward to `now`: an approval stage left open a day expires (and the request becomes
   * `armApprovalExpiryStatus`, when set), future starts begin, ended activations go.
   */
  advance(now: number): void {
    const expiry = this.settings.armApprovalExpiryStatus;
    for (const r of this.requests.values()) {
      refreshStages(r.stages, r.status === "PendingApproval", now);
      if (r.status === "PendingApproval" && expiry && r.stages.some((st) => st.status === "Expired")) r.status = expiry;
      if (r.status === "Granted" && r.startAt <= now) this.#provision(r);
    }
    for (const [id, inst] of this.instances) {
      if (inst.endAt !== null && inst.endAt <= now) this.instances.delete(id);
    }
  }

  /**
   * Evaluates a PUT (or, with `persist` false, a /validate) and returns the stored request.
   * Order: name reuse, eligibility (same or descendant scope), RoleAssignmentExists, expiration +
   * justification + ticket (reported together with eligibility), MFA, authentication context, approval.
   */
  submit(scope: string, name: string, body: ArmRequestBody, caller: CallerClaims, now: number, persist: boolean) {
    this.advance(now);
    const p = body.properties;
    if (!p || typeof p !== "object") {
      throw new ArmFault(400, "InvalidRequestContent", "The request content was invalid: 'properties' is required.");
    }
    for (const field of ["principalId", "roleDefinitionId", "requestType"] as const) {
      if (typeof p[field] !== "string" || !p[field]) {
        throw new ArmFault(400, "InvalidRequestContent", `The request content was invalid: '${field}' is required.`);
      }
    }
    const requestType = p.requestType === "SelfActivate" || p.requestType === "SelfDeactivate" ? p.requestType : null;
    if (!requestType) {
      throw new ArmFault(
        400,
        "InvalidRequestContent",
        `The requestType '${p.requestType}' is not supported for a caller who is not an administrator of the scope.`,
      );
    }
    const principalId = String(p.principalId).toLowerCase();
    if (principalId !== caller.oid) {
      throw new ArmFault(
        403,
        "AuthorizationFailed",
        `The client '${caller.oid}' with object id '${caller.oid}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignmentScheduleRequests/write' over scope '${scope}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}' or the scope is invalid.`,
      );
    }
    if (persist && this.requests.has(name.toLowerCase())) {
      throw new ArmFault(
        409,
        "RoleAssignmentRequestExists",
        `A role assignment request with Id: ${name} already exists`,
      );
    }
    const scopeInfo = describeScope(this.seed, scope);
    if (!scopeInfo) {
      throw new ArmFault(400, "InvalidResourceScope", `The scope '${scope}' is not a valid scope for this request.`);
    }
    const roleGuid = roleGuidOf(String(p.roleDefinitionId));
    const request: ArmRequest = {
      name,
      scope: scopeInfo.id,
      principalId,
      roleGuid,
      requestType,
      linkedRoleEligibilityScheduleId: p.linkedRoleEligibilityScheduleId ?? null,
      justification: p.justification ?? null,
      ticketInfo: {
        ticketNumber: p.ticketInfo?.ticketNumber ?? null,
        ticketSystem: p.ticketInfo?.ticketSystem ?? null,
      },
      scheduleInfo: null,
      status: "Provisioned",
      approvalGuid: null,
      stages: [],
      createdOn: now,
      startAt: now,
      durationMs: 0,
      targetScheduleGuid: null,
      targetInstanceGuid: null,
    };
    if (requestType === "SelfDeactivate") return this.#deactivate(request, now, persist);

    let window;
    try {
      window = requestedWindow({ scheduleInfo: p.scheduleInfo } as ActivationBody, now);
    } catch (e) {
      throw asArm(e);
    }
    request.scheduleInfo = {
      startDateTime: new Date(window.startAt).toISOString(),
      expiration: {
        type: window.expiration.type ?? "AfterDuration",
        duration: window.expiration.duration ?? null,
        endDateTime: window.expiration.endDateTime ?? null,
      },
    };
    const failed: string[] = [];
    // Eligibility: same or ancestor scope of the request; the linked schedule, when given, must be it.
    const linked = (p.linkedRoleEligibilityScheduleId ?? "").split("/").pop()?.toLowerCase() ?? "";
    const eligibility = this.currentEligibilities(now).find(
      (e) =>
        e.principalId === principalId &&
        e.roleGuid === roleGuid &&
        isAtOrBelow(scope, e.scope) &&
        (!linked || e.scheduleGuid === linked),
    );
    if (!eligibility) failed.push("EligibilityRule");
    else {
      const exists =
        [...this.instances.values()].some(
          (i) => i.principalId === principalId && i.roleGuid === roleGuid && normScope(i.scope) === normScope(scope),
        ) ||
        [...this.requests.values()].some(
          (r) =>
            PENDING.has(r.status) &&
            r.requestType === "SelfActivate" &&
            r.principalId === principalId &&
            r.roleGuid === roleGuid &&
            normScope(r.scope) === normScope(scope),
        );
      if (exists) throw new ArmFault(400, "RoleAssignmentExists", "The Role assignment already exists.");
    }
    const { policy } = this.policyFor(scope, roleGuid);
    const maxMs = parseIsoDuration(policy.maximumDuration) ?? 8 * 3_600_000;
    if (window.durationMs === null || window.durationMs > maxMs) failed.push("ExpirationRule");
    if (policy.enabledRules.includes("Justification") && !p.justification?.trim()) failed.push("JustificationRule");
    if (
      policy.enabledRules.includes("Ticketing") &&
      (!p.ticketInfo?.ticketNumber?.trim() || !p.ticketInfo.ticketSystem?.trim())
    ) {
      failed.push("TicketingRule");
    }
    if (failed.length || !eligibility || window.durationMs === null) {
      throw asArm(policyFailure(this.settings.policyMessageFormat, failed));
    }
    if (policy.enabledRules.includes("MultiFactorAuthentication") && !caller.amr.includes("mfa")) {
      throw asArm(policyFailure(this.settings.policyMessageFormat, ["MfaRule"]));
    }
    if (policy.authenticationContext) {
      const ok =
        caller.acrs.includes(policy.authenticationContext) &&
        (!this.settings.acrsRequiresCp1 || caller.xmsCc.includes("cp1"));
      if (!ok) {
        const claims = `{"access_token":{"acrs":{"essential":true, "value":"${policy.authenticationContext}"}}}`;
        throw new ArmFault(400, "RoleAssignmentRequestAcrsValidationFailed", `&claims=${encodeURIComponent(claims)}`);
      }
    }
    request.startAt = window.startAt;
    request.durationMs = window.durationMs;
    request.linkedRoleEligibilityScheduleId = `${eligibility.scope}/providers/Microsoft.Authorization/roleEligibilitySchedules/${eligibility.scheduleGuid}`;
    if (policy.approvalRequired) {
      request.status = "PendingApproval";
      request.approvalGuid = newGuid();
      request.stages = newStages(policyStages(policy), request.approvalGuid, now, newGuid);
    } else {
      request.status = "Granted";
    }
    if (!persist) return request;
    this.requests.set(name.toLowerCase(), request);
    if (request.status === "Granted" && request.startAt <= now) this.#provision(request);
    return request;
  }

  #deactivate(request: ArmRequest, now: number, persist: boolean): ArmRequest {
    const inst = [...this.instances.values()].find(
      (i) =>
        i.principalId === request.principalId &&
        i.roleGuid === request.roleGuid &&
        normScope(i.scope) === normScope(request.scope) &&
        i.assignmentType === "Activated",
    );
    if (!inst) throw new ArmFault(400, "RoleAssignmentDoesNotExist", "The Role assignment does not exist.");
    if (now - inst.startAt < FIVE_MINUTES) {
      throw new ArmFault(
        400,
        "ActiveDurationTooShort",
        "The role assignment has been active for too short a time; it can be deactivated 5 minutes after activation.",
      );
    }
    request.status = "Revoked";
    request.targetScheduleGuid = inst.scheduleGuid;
    request.targetInstanceGuid = inst.instanceGuid;
    if (!persist) return request;
    this.instances.delete(inst.instanceGuid);
    this.requests.set(request.name.toLowerCase(), request);
    return request;
  }

  #provision(r: ArmRequest): void {
    const eligGuid = (r.linkedRoleEligibilityScheduleId ?? "").split("/").pop()?.toLowerCase();
    const inst: ArmInstance = {
      scheduleGuid: newGuid(),
      instanceGuid: newGuid(),
      scope: r.scope,
      roleGuid: r.roleGuid,
      principalId: r.principalId,
      assignmentType: "Activated",
      startAt: r.startAt,
      endAt: r.startAt + r.durationMs,
      linkedEligibility: this.seed.eligibilities.find((e) => e.scheduleGuid === eligGuid) ?? null,
      requestName: r.name,
      createdOn: r.createdOn,
    };
    this.instances.set(inst.instanceGuid, inst);
    r.status = "Provisioned";
    r.targetScheduleGuid = inst.scheduleGuid;
    r.targetInstanceGuid = inst.instanceGuid;
  }

  /** Cancels a pending request; anything else is refused. */
  cancel(name: string, caller: CallerClaims, now: number): void {
    this.advance(now);
    const r = this.requests.get(name.toLowerCase());
    if (!r || r.principalId !== caller.oid) {
      throw new ArmFault(
        404,
        "RoleAssignmentScheduleRequestNotFound",
        `The role assignment schedule request '${name}' was not found.`,
      );
    }
    if (!PENDING.has(r.status)) {
      throw new ArmFault(
        400,
        "InvalidRequestStatus",
        `The request '${name}' is in status '${r.status}' and cannot be canceled.`,
      );
    }
    r.status = "Canceled";
  }

  /** The request an approval id (a GUID or the `/providers/…/roleAssignmentApprovals/{guid}` path) belongs to. */
  byApproval(approvalId: string): ArmRequest | undefined {
    const guid = (approvalId.split("/").pop() ?? "").toLowerCase();
    return [...this.requests.values()].find((r) => r.approvalGuid === guid);
  }

  /**
   * The control API's decision: it settles the request whatever stages remain, recorded on the open stage (as its
   * first approver user unless `reviewerId` is given).
   */
  decide(name: string, approve: boolean, now: number, reviewerId?: string): ArmRequest {
    this.advance(now);
    const r = this.requests.get(name.toLowerCase());
    if (!r || r.status !== "PendingApproval") throw new Error(`no pending ARM request named ${name}`);
    const open = r.stages.find((st) => st.status === "InProgress");
    if (open) {
      // Only the open stage is recorded: the control API settles the request, so no later stage opens.
      open.status = "Completed";
      open.reviewResult = approve ? "Approve" : "Deny";
      open.reviewedBy = reviewerId ?? open.approvers.find((a) => a.type === "user")?.id ?? null;
      open.reviewedAt = now;
    }
    return this.#settle(r, approve, now);
  }

  /** An approver's decision on one stage (roleAssignmentApprovals), after the caller checked they may make it. */
  decideStage(
    r: ArmRequest,
    stage: ApprovalStage,
    decision: "Approve" | "Deny",
    reviewerId: string,
    justification: string,
    now: number,
  ): ArmRequest {
    const outcome = recordDecision(r.stages, stage, decision, reviewerId, justification, now);
    return outcome === "next" ? r : this.#settle(r, outcome === "approve", now);
  }

  #settle(r: ArmRequest, approve: boolean, now: number): ArmRequest {
    if (!approve) {
      r.status = "Denied";
      return r;
    }
    r.status = "Granted";
    if (r.startAt <= now) {
      // Activation runs from the decision when the requested start has passed.
      r.startAt = now;
      this.#provision(r);
    }
    return r;
  }
}
