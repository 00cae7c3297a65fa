// Wire shapes of the directory-roles plane (Graph's unifiedRole* types).
import { createHash } from "node:crypto";
import { formatIsoDuration } from "../duration.js";
import { iso } from "../graph/common.js";
import { scheduleInfoJson } from "../graph/request-payload.js";
import type { RoleDefinition, RoleEligibility, RoleInstance, RoleRequest } from "./model.js";

export const TYPES = {
  roleEligibilitySchedules: "microsoft.graph.unifiedRoleEligibilitySchedule",
  roleEligibilityScheduleInstances: "microsoft.graph.unifiedRoleEligibilityScheduleInstance",
  roleAssignmentSchedules: "microsoft.graph.unifiedRoleAssignmentSchedule",
  roleAssignmentScheduleInstances: "microsoft.graph.unifiedRoleAssignmentScheduleInstance",
  roleAssignmentScheduleRequests: "microsoft.graph.unifiedRoleAssignmentScheduleRequest",
} as const;

export function roleDefinitionJson(r: RoleDefinition) {
  return {
    id: r.id,
    displayName: r.displayName,
    description: r.description,
    isBuiltIn: true,
    isEnabled: true,
    resourceScopes: ["/"],
    templateId: r.id,
    version: "1",
    rolePermissions: [],
  };
}

function eligibilityScheduleInfo(e: RoleEligibility) {
  return {
    startDateTime: e.startDateTime,
    recurrence: null,
    expiration: e.endDateTime
      ? { type: "afterDateTime", endDateTime: e.endDateTime, duration: null }
      : { type: "noExpiration", endDateTime: null, duration: null },
  };
}

export function eligibilitySchedule(e: RoleEligibility) {
  return {
    "@odata.type": `#${TYPES.roleEligibilitySchedules}`,
    id: e.id,
    principalId: e.principalId,
    roleDefinitionId: e.roleDefinitionId,
    directoryScopeId: e.directoryScopeId,
    appScopeId: null,
    createdUsing: e.id,
    createdDateTime: e.createdDateTime,
    modifiedDateTime: null,
    status: "Provisioned",
    memberType: e.memberType,
    scheduleInfo: eligibilityScheduleInfo(e),
  };
}

export function eligibilityInstance(e: RoleEligibility) {
  return {
    "@odata.type": `#${TYPES.roleEligibilityScheduleInstances}`,
    id: createHash("sha256").update(`${e.id}:role-instance`).digest("base64url").slice(0, 22) + "-1-e",
    principalId: e.principalId,
    roleDefinitionId: e.roleDefinitionId,
    directoryScopeId: e.directoryScopeId,
    appScopeId: null,
    startDateTime: e.startDateTime,
    endDateTime: e.endDateTime,
    memberType: e.memberType,
    roleEligibilityScheduleId: e.id,
  };
}

export function assignmentInstance(i: RoleInstance) {
  return {
    "@odata.type": `#${TYPES.roleAssignmentScheduleInstances}`,
    id: i.id,
    principalId: i.principalId,
    roleDefinitionId: i.roleDefinitionId,
    directoryScopeId: i.directoryScopeId,
    appScopeId: null,
    startDateTime: iso(i.startAt),
    endDateTime: iso(i.endAt),
    assignmentType: "Activated",
    memberType: "Direct",
    roleAssignmentOriginId: `${i.id}-1`,
    roleAssignmentScheduleId: i.scheduleId,
  };
}

export function assignmentSchedule(s: {
  scheduleId: string;
  requestId: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  startAt: number;
  endAt: number;
  status: string;
  createdAt: number;
}) {
  return {
    "@odata.type": `#${TYPES.roleAssignmentSchedules}`,
    id: s.scheduleId,
    principalId: s.principalId,
    roleDefinitionId: s.roleDefinitionId,
    directoryScopeId: s.directoryScopeId,
    appScopeId: null,
    createdUsing: s.requestId,
    createdDateTime: iso(s.createdAt),
    modifiedDateTime: null,
    status: s.status,
    assignmentType: "Activated",
    memberType: "Direct",
    scheduleInfo: {
      startDateTime: iso(s.startAt),
      recurrence: null,
      expiration: { type: "afterDuration", endDateTime: null, duration: formatIsoDuration(s.endAt - s.startAt) },
    },
  };
}

export function serializeRoleRequest(r: RoleRequest, isValidationOnly = false) {
  return {
    "@odata.type": `#${TYPES.roleAssignmentScheduleRequests}`,
    id: r.id,
    status: r.status,
    createdDateTime: iso(r.createdDateTime),
    completedDateTime: r.completedAt === null ? null : iso(r.completedAt),
    approvalId: r.approvalId,
    customData: null,
    action: r.action,
    principalId: r.principalId,
    roleDefinitionId: r.roleDefinitionId,
    directoryScopeId: r.directoryScopeId,
    appScopeId: null,
    isValidationOnly,
    targetScheduleId: r.targetScheduleId,
    justification: r.justification,
    createdBy: { application: null, device: null, user: { displayName: null, id: r.principalId } },
    scheduleInfo: scheduleInfoJson(r),
    ticketInfo: r.ticketInfo,
  };
}
