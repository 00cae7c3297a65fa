import { acrsClaims } from "../auth/claims.js";
import { toIsoDuration } from "../duration.js";
import type { PimClient } from "../graph/pim-client.js";
import { PIM_GROUP_BASE, type Eligibility } from "../graph/pim-types.js";
import type { PolicySummary } from "../graph/policy-summary.js";
import { GraphPostBatcher } from "../graph/post-batcher.js";
import { toRequest } from "../graph/schedule-requests.js";
import type { PlaneClient, PlaneSubmission, SubmitOptions } from "./plane.js";
import type { GroupAssignment, GroupEligibility, GroupRef, GroupRequest } from "./targets.js";

// PIM for Groups as a plane: the groups client (graph/pim-client.ts) already speaks in domain
// terms; this adds the plane vocabulary (the kind, and the request body built from a submission).
// Submissions sent together (a profile's groups) share one Graph $batch (graph/post-batcher.ts).

const REQUESTS = `${PIM_GROUP_BASE}/assignmentScheduleRequests`;

export class GroupPlane implements PlaneClient<"group"> {
  readonly kind = "group";
  readonly #posts: GraphPostBatcher;

  constructor(readonly pim: PimClient) {
    this.#posts = new GraphPostBatcher(pim.graph);
  }

  /** Hears each 429 Graph gave a submission inside a batch. */
  onThrottled(listener: (retryAfterMs: number) => void): void {
    this.#posts.onThrottled(listener);
  }

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

  together<T>(reads: () => Promise<T>): Promise<T> {
    return this.pim.graph.together(reads);
  }

  async submit(s: PlaneSubmission<GroupRef>, o: SubmitOptions = {}): Promise<GroupRequest> {
    const raw = await this.#posts.post<Parameters<typeof toRequest>[0]>(REQUESTS, groupRequestBody(s), o.claims);
    return { kind: "group", ...toRequest(raw) };
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
