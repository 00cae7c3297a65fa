import { toIsoDuration } from "../../duration.js";
import { UsageError } from "../../errors.js";
import type { PlaneSubmission } from "../plane.js";
import type { RoleRef } from "../targets.js";

// The body of a unifiedRoleAssignmentScheduleRequest, as Graph documents it for selfActivate and
// selfDeactivate. Pure, so the wire shape can be checked without a service.

/** What PIM is told when the person gave no reason for ending access early (selfDeactivate needs one). */
const DEACTIVATE_JUSTIFICATION = "Deactivated with PIM Tray";

export function roleRequestBody(s: PlaneSubmission<RoleRef>): Record<string, unknown> {
  const target = {
    principalId: s.principalId,
    roleDefinitionId: s.target.roleDefinitionId,
    directoryScopeId: s.target.directoryScopeId,
  };
  const justification = s.justification?.trim();
  if (s.action === "deactivate") {
    return { action: "selfDeactivate", ...target, justification: justification || DEACTIVATE_JUSTIFICATION };
  }
  if (s.durationMs === undefined) throw new UsageError("An activation needs a duration.");
  return {
    action: "selfActivate",
    ...target,
    ...(justification ? { justification } : {}),
    ...(s.ticket ? { ticketInfo: { ticketSystem: s.ticket.system, ticketNumber: s.ticket.number } } : {}),
    scheduleInfo: {
      ...(s.startAt ? { startDateTime: s.startAt.toISOString() } : {}),
      expiration: { type: "afterDuration", duration: toIsoDuration(s.durationMs) },
    },
    ...(s.validateOnly ? { isValidationOnly: true } : {}),
  };
}
