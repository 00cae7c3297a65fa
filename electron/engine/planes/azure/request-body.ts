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
      startDateTime?: string;
      expiration: { type: "AfterDuration"; duration: string };
    };
  };
}

/**
 * A SelfActivate or SelfDeactivate body. An activation names its start only when one was asked
 * for: ARM starts it on receipt otherwise (startDateTime is optional in 2020-10-01), so a skewed
 * local clock can neither backdate an activation nor shorten the 5-minute floor. A deactivation
 * has no schedule.
 */
export function azureRequestBody(s: PlaneSubmission<AzureRef>): ArmRequestBody {
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
        ...(s.startAt ? { startDateTime: s.startAt.toISOString() } : {}),
        expiration: { type: "AfterDuration", duration: toIsoDuration(s.durationMs) },
      },
    },
  };
}
