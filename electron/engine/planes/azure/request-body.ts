import { toIsoDuration } from "../../duration.js";
import { UsageError } from "../../errors.js";
import type { PlaneSubmission } from "../plane.js";
import type { AzureRef } from "../targets.js";

// The body of a roleAssignmentScheduleRequests PUT (2020-10-01), from a plane submission.

export interface ArmRequestBody {
  properties: {
    principalId: string;
    roleDefinitionId: string;
    requestType: "SelfActivate" | "SelfDeactivate";
    linkedRoleEligibilityScheduleId?: string;
    justification?: string;
    ticketInfo?: { ticketNumber: string; ticketSystem: string };
    scheduleInfo?: {
      startDateTime: string;
      expiration: { type: "AfterDuration"; duration: string };
    };
  };
}

/**
 * A SelfActivate or SelfDeactivate body. An activation always names its start: `startAt`, else
 * `now` (the portal and other clients send one too). A deactivation has no schedule.
 */
export function azureRequestBody(s: PlaneSubmission<AzureRef>, now: Date = new Date()): ArmRequestBody {
  const justification = s.justification?.trim();
  const common = {
    principalId: s.principalId,
    roleDefinitionId: s.target.roleDefinitionId,
    ...(justification ? { justification } : {}),
  };
  if (s.action === "deactivate") return { properties: { ...common, requestType: "SelfDeactivate" } };
  if (s.durationMs === undefined) throw new UsageError("An Azure role activation needs a duration.");
  return {
    properties: {
      ...common,
      requestType: "SelfActivate",
      ...(s.linkedEligibilityScheduleId ? { linkedRoleEligibilityScheduleId: s.linkedEligibilityScheduleId } : {}),
      ...(s.ticket ? { ticketInfo: { ticketNumber: s.ticket.number, ticketSystem: s.ticket.system } } : {}),
      scheduleInfo: {
        startDateTime: (s.startAt ?? now).toISOString(),
        expiration: { type: "AfterDuration", duration: toIsoDuration(s.durationMs) },
      },
    },
  };
}
