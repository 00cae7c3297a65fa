import { acrsClaims } from "../auth/claims.js";
import { toIsoDuration } from "../duration.js";
import type { PimClient } from "../graph/pim-client.js";
import type { Eligibility } from "../graph/pim-types.js";
import type { PolicySummary } from "../graph/policy-summary.js";
import type { PlaneClient, PlaneSubmission, SubmitOptions } from "./plane.js";
import type { GroupAssignment, GroupEligibility, GroupRef, GroupRequest } from "./targets.js";

// PIM for Groups as a plane: the groups client (graph/pim-client.ts) already speaks in domain
// terms; this adds the plane vocabulary (the kind, and the request body built from a submission).

export class GroupPlane implements PlaneClient<"group"> {
  readonly kind = "group";

  constructor(readonly pim: PimClient) {}

  async eligibilities(onPart?: (soFar: GroupEligibility[]) => void): Promise<GroupEligibility[]> {
    const asPlane = (list: readonly Eligibility[]): GroupEligibility[] => list.map((e) => ({ kind: "group", ...e }));
    return asPlane(await this.pim.eligibilities(onPart && ((soFar) => onPart(asPlane(soFar)))));
  }

  async activeAssignments(filter?: GroupRef): Promise<GroupAssignment[]> {
    const list = await this.pim.activeAssignments(
      filter ? { groupId: filter.groupId, accessId: filter.accessId } : undefined,
    );
    return list.map((a) => ({ kind: "group", ...a }));
  }

  async myRequests(filter?: { target?: GroupRef; status?: string }): Promise<GroupRequest[]> {
    const list = await this.pim.myRequests({
      ...(filter?.target ? { groupId: filter.target.groupId, accessId: filter.target.accessId } : {}),
      ...(filter?.status ? { status: filter.status } : {}),
    });
    return list.map((r) => ({ kind: "group", ...r }));
  }

  async request(id: string): Promise<GroupRequest> {
    return { kind: "group", ...(await this.pim.request(id)) };
  }

  cancel(id: string): Promise<void> {
    return this.pim.cancel(id);
  }

  policy(target: GroupRef): Promise<PolicySummary> {
    return this.pim.policy(target.groupId, target.accessId);
  }

  warmPolicies(targets: readonly GroupRef[]): Promise<void> {
    return this.pim.warmPolicies(targets);
  }

  invalidatePolicies(): void {
    this.pim.invalidatePolicies();
  }

  async submit(s: PlaneSubmission<GroupRef>, o: SubmitOptions = {}): Promise<GroupRequest> {
    const { request } = await this.pim.submit(groupRequestBody(s), undefined, o.claims);
    return { kind: "group", ...request };
  }
}

/** PIM for Groups' selfActivate / selfDeactivate body. */
export function groupRequestBody(s: PlaneSubmission<GroupRef>): Record<string, unknown> {
  const who = { accessId: s.target.accessId, principalId: s.principalId, groupId: s.target.groupId };
  if (s.action === "deactivate") {
    return { ...who, action: "selfDeactivate", justification: s.justification ?? "Deactivated with PIM Tray" };
  }
  return { ...who, action: "selfActivate", ...activationFields(s) };
}

/**
 * The fields every Graph activation shares (groups and directory roles): the schedule, the
 * justification, the ticket and the dry-run flag.
 */
export function activationFields(s: PlaneSubmission): Record<string, unknown> {
  return {
    scheduleInfo: {
      ...(s.startAt ? { startDateTime: s.startAt.toISOString() } : {}),
      expiration: { type: "afterDuration", duration: toIsoDuration(s.durationMs ?? 3600_000) },
    },
    ...(s.justification?.trim() ? { justification: s.justification.trim() } : {}),
    ...(s.ticket ? { ticketInfo: { ticketSystem: s.ticket.system, ticketNumber: s.ticket.number } } : {}),
    ...(s.validateOnly ? { isValidationOnly: true } : {}),
  };
}

/** The claims for a policy that names an authentication context: asked for up front, before PIM refuses. */
export function proactiveClaims(policy: PolicySummary): string | undefined {
  return policy.authContext ? acrsClaims([policy.authContext]) : undefined;
}
