// PIM's activation rules that need no state: the requested window, and steps 4 to 7 of the
// documented order (expiration, justification and ticket, MFA, authentication context).
import { parseIsoDuration } from "./duration.js";
import { GraphFault } from "./graph/fault.js";
import type { CallerClaims, GroupPolicy, RequestCore, RequestStatus, TicketInfo } from "./model.js";
import type { PimSettings } from "./pim.js";

export interface ActivationBody {
  action: string;
  accessId: string;
  groupId: string;
  principalId: string;
  justification?: string | null;
  ticketInfo?: Partial<TicketInfo> | null;
  isValidationOnly?: boolean;
  scheduleInfo?: {
    startDateTime?: string | null;
    expiration?: { type?: string; duration?: string | null; endDateTime?: string | null } | null;
  } | null;
}

const RULE_TEXT: Record<string, string> = {
  EligibilityRule: "The requestor is not eligible for the requested role",
  ExpirationRule: "The duration in the request is greater than maximum allowed duration",
  JustificationRule: "Justification is required",
  TicketingRule: "Ticket information is required",
  MfaRule: "Multi-factor authentication is required for the requested activation",
};

export function policyFailure(format: PimSettings["policyMessageFormat"], rules: string[]): GraphFault {
  const message =
    format === "list"
      ? `The following policy rules failed: [${rules.map((r) => JSON.stringify(r)).join(",")}]`
      : `The following policy rules failed: ${rules.map((r) => `${r} - ${RULE_TEXT[r] ?? r}`).join("; ")}`;
  return new GraphFault(400, "RoleAssignmentRequestPolicyValidationFailed", message);
}

export interface RequestedWindow {
  startAt: number;
  /** Lower-cased expiration type. */
  expType: string;
  expiration: { type?: string; duration?: string | null; endDateTime?: string | null };
  /** null: no end was asked for (noExpiration or notSpecified). */
  durationMs: number | null;
}

/** The start and length a request asks for; a malformed one is a BadRequest. Shared by the groups and roles planes. */
export function requestedWindow(body: Pick<ActivationBody, "scheduleInfo">, now: number): RequestedWindow {
  const startAt = body.scheduleInfo?.startDateTime ? Date.parse(body.scheduleInfo.startDateTime) : now;
  if (Number.isNaN(startAt)) {
    throw new GraphFault(400, "BadRequest", "scheduleInfo.startDateTime is not a valid ISO-8601 date-time.");
  }
  const expiration = body.scheduleInfo?.expiration ?? { type: "notSpecified" };
  const expType = (expiration.type ?? "notSpecified").toLowerCase();
  let durationMs: number | null = null;
  if (expType === "afterduration") {
    durationMs = expiration.duration ? parseIsoDuration(expiration.duration) : null;
    if (durationMs === null || durationMs <= 0) {
      throw new GraphFault(
        400,
        "BadRequest",
        "scheduleInfo.expiration.duration must be a positive ISO-8601 duration such as PT2H.",
      );
    }
  } else if (expType === "afterdatetime") {
    const end = expiration.endDateTime ? Date.parse(expiration.endDateTime) : Number.NaN;
    if (Number.isNaN(end) || end <= Math.max(startAt, now)) {
      throw new GraphFault(
        400,
        "BadRequest",
        "scheduleInfo.expiration.endDateTime must be a date-time after the start.",
      );
    }
    durationMs = end - Math.max(startAt, now);
  }
  return { startAt, expType, expiration, durationMs };
}

/**
 * Steps 4 to 7 in PIM's order; returns the duration, which step 4 proves is set. Shared by the groups
 * and directory-roles planes: a role policy has the same shape as a group policy.
 */
export function checkActivationRules(
  policy: GroupPolicy,
  durationMs: number | null,
  body: Pick<ActivationBody, "justification" | "ticketInfo">,
  caller: CallerClaims,
  settings: PimSettings,
): number {
  // 4. Expiration against the policy maximum.
  const maxMs = parseIsoDuration(policy.maximumDuration) ?? 8 * 3_600_000;
  if (durationMs === null) {
    // Activations must be time-bound; noExpiration/notSpecified is refused like a permanent assignment.
    throw policyFailure(settings.policyMessageFormat, ["ExpirationRule"]);
  }
  if (durationMs > maxMs) throw policyFailure(settings.policyMessageFormat, ["ExpirationRule"]);

  // 5. Justification and ticket.
  const missing: string[] = [];
  if (policy.enabledRules.includes("Justification") && !body.justification?.trim()) missing.push("JustificationRule");
  if (
    policy.enabledRules.includes("Ticketing") &&
    (!body.ticketInfo?.ticketNumber?.trim() || !body.ticketInfo.ticketSystem?.trim())
  ) {
    missing.push("TicketingRule");
  }
  if (missing.length) throw policyFailure(settings.policyMessageFormat, missing);

  // 6. MFA.
  if (policy.enabledRules.includes("MultiFactorAuthentication") && !caller.amr.includes("mfa")) {
    throw policyFailure(settings.policyMessageFormat, ["MfaRule"]);
  }

  // 7. Authentication context.
  if (policy.authenticationContext) {
    const ok =
      caller.acrs.includes(policy.authenticationContext) && (!settings.acrsRequiresCp1 || caller.xmsCc.includes("cp1"));
    if (!ok) {
      const claims = `{"access_token":{"acrs":{"essential":true, "value":"${policy.authenticationContext}"}}}`;
      throw new GraphFault(400, "RoleAssignmentRequestAcrsValidationFailed", `&claims=${encodeURIComponent(claims)}`);
    }
  }
  return durationMs;
}

/** PIM's floor before an activation may be deactivated. */
export const DEACTIVATION_FLOOR_MS = 5 * 60_000;

/**
 * A request that needs no approval: provisioned after the emulator's provisioning delay (a random one
 * between the two settings when a maximum is set), never before its start; Granted until then.
 */
export function scheduleProvisioning(
  r: { startAt: number; provisionAt: number | null; status: RequestStatus },
  settings: Pick<PimSettings, "provisioningDelayMs" | "provisioningDelayMaxMs">,
  now: number,
): void {
  const { provisioningDelayMs: min, provisioningDelayMaxMs: max } = settings;
  const delay = max !== null && max > min ? min + Math.random() * (max - min) : min;
  r.provisionAt = Math.max(r.startAt, now) + Math.round(delay);
  r.status = r.startAt > now ? "Granted" : "PendingProvisioning";
}

/** Graph's refusals of a selfDeactivate: nothing active to end, or active for under 5 minutes. */
export function checkDeactivation<T extends { startAt: number }>(
  active: T | undefined,
  now: number,
): asserts active is T {
  if (!active || active.startAt > now) {
    throw new GraphFault(400, "RoleAssignmentDoesNotExist", "The Role assignment does not exist.");
  }
  if (now - active.startAt < DEACTIVATION_FLOOR_MS) {
    throw new GraphFault(
      400,
      "ActiveDurationTooShort",
      "The Active duration is too short. Miniumum Required is 5 minutes.",
    );
  }
}

/** A self-service request must name the signed-in user as its principal (403 otherwise, PIM's wrapped form). */
export function checkSelfService(principalId: string, caller: CallerClaims): void {
  if (principalId.toLowerCase() === caller.oid.toLowerCase()) return;
  throw new GraphFault(
    403,
    "AuthorizationFailed",
    JSON.stringify({
      errorCode: "AuthorizationFailed",
      message: "The principalId of a self-service request must be the signed-in user's object id.",
      instanceAnnotations: [],
    }),
    true,
  );
}

/** Step 3 of the order: the target is already active, or a request for it is pending. */
export function assignmentExists(): GraphFault {
  return new GraphFault(400, "RoleAssignmentExists", "The Role assignment already exists.");
}

/** A selfActivate that passed the rules, before approval or provisioning: Granted, starting no earlier than now. */
export function activationRequest(
  id: string,
  body: Pick<ActivationBody, "justification" | "ticketInfo">,
  caller: CallerClaims,
  window: RequestedWindow,
  durationMs: number,
  now: number,
): RequestCore {
  return {
    id,
    action: "selfActivate",
    principalId: caller.oid,
    justification: body.justification ?? null,
    ticketInfo: {
      ticketNumber: body.ticketInfo?.ticketNumber ?? null,
      ticketSystem: body.ticketInfo?.ticketSystem ?? null,
    },
    createdDateTime: now,
    startAt: Math.max(window.startAt, now),
    durationMs,
    expiration: {
      type: window.expType === "afterdatetime" ? "afterDateTime" : "afterDuration",
      duration: window.expiration.duration ?? null,
      endDateTime: window.expiration.endDateTime ?? null,
    },
    status: "Granted",
    completedAt: null,
    approvalId: null,
    provisionAt: null,
  };
}

/** A selfDeactivate, done at once (Revoked). */
export function deactivationRequest(
  id: string,
  body: Pick<ActivationBody, "justification">,
  caller: CallerClaims,
  now: number,
): RequestCore {
  return {
    id,
    action: "selfDeactivate",
    principalId: caller.oid,
    justification: body.justification ?? null,
    ticketInfo: { ticketNumber: null, ticketSystem: null },
    createdDateTime: now,
    startAt: now,
    durationMs: 0,
    expiration: { type: "notSpecified", duration: null, endDateTime: null },
    status: "Revoked",
    completedAt: now,
    approvalId: null,
    provisionAt: null,
  };
}
