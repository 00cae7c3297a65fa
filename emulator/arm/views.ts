// ARM's JSON for the PIM resources: eligibility and assignment instances, requests, policy assignments.
import { policyStages } from "../approvers.js";
import type { EmulatedUser } from "../model.js";
import type { ArmEligibility, ArmInstance, ArmPolicy, ArmRequest } from "./model.js";
import { describeScope, isAtOrBelow, normScope, subscriptionOf } from "./scopes.js";
import type { ArmState } from "./state.js";

const AUTH = "providers/Microsoft.Authorization";
const iso = (ms: number) => new Date(ms).toISOString();

/** Role definition ids carry the subscription of the scope they were read at; none at the tenant root. */
export function roleDefinitionId(scope: string, roleGuid: string): string {
  const sub = subscriptionOf(scope);
  return `${sub ? `/subscriptions/${sub}` : ""}/${AUTH}/roleDefinitions/${roleGuid}`;
}

function expanded(
  state: ArmState,
  scope: string,
  roleGuid: string,
  user: EmulatedUser | undefined,
  principalId: string,
) {
  const s = describeScope(state.seed, scope);
  return {
    scope: { id: s?.id ?? scope, displayName: s?.displayName ?? scope, type: s?.type ?? "resource" },
    roleDefinition: {
      id: roleDefinitionId(scope, roleGuid),
      displayName: state.roleName(roleGuid),
      type: "BuiltInRole",
    },
    principal: {
      id: principalId,
      displayName: user?.displayName ?? principalId,
      email: user?.userPrincipalName ?? null,
      type: "User",
    },
  };
}

/** `listScope` is where the list was read: an item granted above it is Inherited there. */
function memberType(itemScope: string, listScope: string): "Direct" | "Inherited" {
  return normScope(itemScope) !== normScope(listScope) && isAtOrBelow(listScope, itemScope) ? "Inherited" : "Direct";
}

export function eligibilityView(state: ArmState, e: ArmEligibility, listScope: string, user: EmulatedUser | undefined) {
  return {
    id: `${e.scope}/${AUTH}/roleEligibilityScheduleInstances/${e.instanceGuid}`,
    name: e.instanceGuid,
    type: "Microsoft.Authorization/roleEligibilityScheduleInstances",
    properties: {
      scope: e.scope,
      roleDefinitionId: roleDefinitionId(e.scope, e.roleGuid),
      principalId: e.principalId,
      principalType: "User",
      roleEligibilityScheduleId: `${e.scope}/${AUTH}/roleEligibilitySchedules/${e.scheduleGuid}`,
      status: "Provisioned",
      startDateTime: e.startDateTime,
      endDateTime: e.endDateTime,
      memberType: memberType(e.scope, listScope),
      condition: null,
      conditionVersion: null,
      createdOn: e.createdOn,
      expandedProperties: expanded(state, e.scope, e.roleGuid, user, e.principalId),
    },
  };
}

export function instanceView(state: ArmState, i: ArmInstance, listScope: string, user: EmulatedUser | undefined) {
  const le = i.linkedEligibility;
  return {
    id: `${i.scope}/${AUTH}/roleAssignmentScheduleInstances/${i.instanceGuid}`,
    name: i.instanceGuid,
    type: "Microsoft.Authorization/roleAssignmentScheduleInstances",
    properties: {
      scope: i.scope,
      roleDefinitionId: roleDefinitionId(i.scope, i.roleGuid),
      principalId: i.principalId,
      principalType: "User",
      roleAssignmentScheduleId: `${i.scope}/${AUTH}/roleAssignmentSchedules/${i.scheduleGuid}`,
      originRoleAssignmentId: `${i.scope}/${AUTH}/roleAssignments/${i.scheduleGuid}`,
      status: "Provisioned",
      startDateTime: iso(i.startAt),
      endDateTime: i.endAt === null ? null : iso(i.endAt),
      linkedRoleEligibilityScheduleId: le ? `${le.scope}/${AUTH}/roleEligibilitySchedules/${le.scheduleGuid}` : null,
      linkedRoleEligibilityScheduleInstanceId: le
        ? `${le.scope}/${AUTH}/roleEligibilityScheduleInstances/${le.instanceGuid}`
        : null,
      assignmentType: i.assignmentType,
      memberType: memberType(i.scope, listScope),
      condition: null,
      conditionVersion: null,
      createdOn: iso(i.createdOn),
      expandedProperties: expanded(state, i.scope, i.roleGuid, user, i.principalId),
    },
  };
}

export function requestView(state: ArmState, r: ArmRequest, user: EmulatedUser | undefined) {
  return {
    id: `${r.scope}/${AUTH}/roleAssignmentScheduleRequests/${r.name}`,
    name: r.name,
    type: "Microsoft.Authorization/RoleAssignmentScheduleRequests",
    properties: {
      scope: r.scope,
      roleDefinitionId: roleDefinitionId(r.scope, r.roleGuid),
      principalId: r.principalId,
      principalType: "User",
      requestType: r.requestType,
      status: r.status,
      approvalId: r.approvalGuid ? `/${AUTH}/roleAssignmentApprovals/${r.approvalGuid}` : null,
      targetRoleAssignmentScheduleId: r.targetScheduleGuid
        ? `${r.scope}/${AUTH}/roleAssignmentSchedules/${r.targetScheduleGuid}`
        : null,
      targetRoleAssignmentScheduleInstanceId: r.targetInstanceGuid
        ? `${r.scope}/${AUTH}/roleAssignmentScheduleInstances/${r.targetInstanceGuid}`
        : null,
      scheduleInfo: r.scheduleInfo,
      linkedRoleEligibilityScheduleId: r.linkedRoleEligibilityScheduleId,
      justification: r.justification,
      ticketInfo: r.ticketInfo,
      condition: null,
      conditionVersion: null,
      createdOn: iso(r.createdOn),
      requestorId: r.principalId,
      expandedProperties: expanded(state, r.scope, r.roleGuid, user, r.principalId),
    },
  };
}

function target() {
  return {
    caller: "EndUser",
    operations: ["All"],
    level: "Assignment",
    targetObjects: null,
    inheritableSettings: null,
    enforcedSettings: null,
  };
}

export function policyAssignmentView(state: ArmState, atScope: string, roleGuid: string, policy: ArmPolicy) {
  const s = describeScope(state.seed, atScope);
  const policyId = `${atScope}/${AUTH}/roleManagementPolicies/${policy.policyGuid}`;
  const stages = policyStages(policy);
  return {
    id: `${atScope}/${AUTH}/roleManagementPolicyAssignments/${policy.policyGuid}_${roleGuid}`,
    name: `${policy.policyGuid}_${roleGuid}`,
    type: "Microsoft.Authorization/RoleManagementPolicyAssignment",
    properties: {
      scope: atScope,
      roleDefinitionId: roleDefinitionId(atScope, roleGuid),
      policyId,
      effectiveRules: [
        {
          id: "Expiration_EndUser_Assignment",
          ruleType: "RoleManagementPolicyExpirationRule",
          isExpirationRequired: true,
          maximumDuration: policy.maximumDuration,
          target: target(),
        },
        {
          id: "Enablement_EndUser_Assignment",
          ruleType: "RoleManagementPolicyEnablementRule",
          enabledRules: policy.enabledRules,
          target: target(),
        },
        {
          id: "Approval_EndUser_Assignment",
          ruleType: "RoleManagementPolicyApprovalRule",
          setting: {
            isApprovalRequired: policy.approvalRequired,
            isApprovalRequiredForExtension: false,
            isRequestorJustificationRequired: true,
            approvalMode: !policy.approvalRequired ? "NoApproval" : stages.length > 1 ? "Serial" : "SingleStage",
            approvalStages: policy.approvalRequired
              ? stages.map((approvers) => ({
                  approvalStageTimeOutInDays: 1,
                  isApproverJustificationRequired: true,
                  escalationTimeInMinutes: 0,
                  isEscalationEnabled: false,
                  // UserSet: a user, or a group whose members approve.
                  primaryApprovers: approvers.map((a) => ({
                    id: a.id,
                    description:
                      (a.type === "user" ? state.directory.userName(a.id) : state.directory.groupName(a.id)) ?? a.id,
                    isBackup: false,
                    userType: a.type === "user" ? "User" : "Group",
                  })),
                  escalationApprovers: [],
                }))
              : [],
          },
          target: target(),
        },
        {
          id: "AuthenticationContext_EndUser_Assignment",
          ruleType: "RoleManagementPolicyAuthenticationContextRule",
          isEnabled: policy.authenticationContext !== null,
          claimValue: policy.authenticationContext,
          target: target(),
        },
      ],
      policyAssignmentProperties: {
        scope: { id: s?.id ?? atScope, displayName: s?.displayName ?? atScope, type: s?.type ?? "resource" },
        roleDefinition: {
          id: roleDefinitionId(atScope, roleGuid),
          displayName: state.roleName(roleGuid),
          type: "BuiltInRole",
        },
        policy: { id: policyId, lastModifiedBy: null, lastModifiedDateTime: null },
      },
    },
  };
}
