import { acrsClaims, MFA_CLAIMS } from "../auth/auth-service.js";
import { PolicyError, ServiceError } from "../errors.js";
import { claimsFromAcrsMessage, equalsIgnoreCase, policyRules } from "../graph/graph-errors.js";
import type { PolicySummary } from "../graph/pim-client.js";
import { OutcomeUnknownError } from "../http/http-client.js";
import { proactiveClaims } from "../planes/group-plane.js";
import type { PlaneSubmission } from "../planes/plane.js";
import { labelOf, type NamedRef, type ScheduleRequest } from "../planes/targets.js";
import type { ActivationContext, ProgressFn } from "./activation-types.js";

// Submitting an activation request: the step-ups PIM asks for (authentication context, MFA), and a
// POST whose answer was lost, which is looked for before anything is sent again.

/** PIM says the target is already active or requested; the caller looks at what exists. */
export class AlreadyExists extends Error {}

/** Requests created this long before the lost POST was sent may be it (clock skew, queueing). */
const LOST_POST_WINDOW_MS = 120_000;

/** POST with the step-up triggers; a lost answer is reconciled before anything is sent again. */
export async function submitRequest(
  ctx: ActivationContext,
  submission: PlaneSubmission,
  policy: PolicySummary,
  target: NamedRef,
  progress: ProgressFn,
): Promise<ScheduleRequest> {
  const label = labelOf(target);
  // Proactive step-up: the policy names an authentication context, so ask for it up front.
  let claims: string | undefined = proactiveClaims(policy);
  const triggers = new Set<string>();
  let resent = false;
  const submittedAt = ctx.now();
  for (;;) {
    try {
      return await ctx.planes.submit(submission, { claims });
    } catch (e) {
      if (e instanceof OutcomeUnknownError && !resent) {
        progress("reconciling", "the connection dropped; checking whether the request arrived");
        const found = await findLost(ctx, target, submittedAt);
        if (found) {
          ctx.logger.info(
            `request ${found.id} for ${label} arrived despite the dropped connection; not submitting again`,
          );
          return found;
        }
        resent = true;
        continue;
      }
      if (!(e instanceof ServiceError)) throw e;
      if (e.code === "RoleAssignmentExists") throw new AlreadyExists();
      if (e.code === "RoleAssignmentRequestAcrsValidationFailed" && !triggers.has("acrs")) {
        triggers.add("acrs");
        claims = claimsFromAcrsMessage(e.serverMessage) ?? acrsClaims([policy.authContext ?? "c1"]);
        progress("stepping-up", "extra verification (authentication context) is needed");
        continue;
      }
      if (e.code === "RoleAssignmentRequestPolicyValidationFailed") {
        const rules = policyRules(e.serverMessage);
        if (rules.includes("MfaRule") && !triggers.has("mfa")) {
          triggers.add("mfa");
          progress("stepping-up", "multi-factor authentication is needed");
          claims = MFA_CLAIMS;
          continue;
        }
        throw new PolicyError(policyMessage(label, rules, e.serverMessage), rules, {
          cause: e,
        });
      }
      if (e.code === "RoleAssignmentRequestAcrsValidationFailed") {
        throw new PolicyError(
          `${label} still needs its authentication context after signing in again. Your organisation's Conditional Access may not be satisfied on this device.`,
          ["AcrsRule"],
          { cause: e },
        );
      }
      throw e;
    }
  }
}

/** A request of mine for the target, made around when the lost POST was sent, and not refused. */
async function findLost(
  ctx: ActivationContext,
  target: NamedRef,
  submittedAt: number,
): Promise<ScheduleRequest | null> {
  const mine = await ctx.planes.myRequests({ target });
  return (
    mine.find(
      (r) =>
        equalsIgnoreCase(r.action, "selfActivate") &&
        Date.parse(r.createdDateTime) >= submittedAt - LOST_POST_WINDOW_MS &&
        !["Canceled", "Denied", "Failed"].some((s) => equalsIgnoreCase(r.status, s)),
    ) ?? null
  );
}

function policyMessage(name: string, rules: string[], serverMessage: string): string {
  const text: Record<string, string> = {
    ExpirationRule: "the duration is longer than its policy allows",
    JustificationRule: "it requires a justification",
    TicketingRule: "it requires a ticket (system and number)",
    EligibilityRule: "you are not (or no longer) eligible for it",
    MfaRule: "it requires multi-factor authentication, and signing in with MFA did not satisfy it",
  };
  const reasons = rules.map((r) => text[r] ?? r);
  return `PIM refused ${name}: ${reasons.join("; ") || serverMessage}.`;
}
