import type { Logger } from "../logger.js";
import type { GraphClient } from "./graph-client.js";
import { GroupNames } from "./group-names.js";
import type { AccessId, ActiveAssignment, Eligibility, ScheduleRequest } from "./pim-types.js";
import { PolicyReader } from "./policy-reader.js";
import type { PolicySummary } from "./policy-summary.js";
import { ScheduleInstances } from "./schedule-instances.js";
import { ScheduleRequests } from "./schedule-requests.js";

// The PIM for Groups surface PIM Tray uses, in domain terms: one entry point over the readers in this folder,
// so callers import their types and the client from here.

export type {
  AccessId,
  ActiveAssignment,
  Eligibility,
  GroupIdentity,
  RequestStatus,
  ScheduleRequest,
} from "./pim-types.js";
export { FINAL_FAILURE_STATUSES, isPending, PENDING_STATUSES } from "./request-status.js";
export { summarizePolicy, UNKNOWN_POLICY, type PolicySummary } from "./policy-summary.js";
export { toRequest } from "./schedule-requests.js";

export interface PimClientOptions {
  policyTtlMs?: number;
  now?: () => number;
}

export class PimClient {
  readonly #instances: ScheduleInstances;
  readonly #requests: ScheduleRequests;
  readonly #policies: PolicyReader;

  constructor(
    readonly graph: GraphClient,
    logger: Logger,
    options: PimClientOptions = {},
  ) {
    this.#instances = new ScheduleInstances(graph, new GroupNames(graph, logger));
    this.#requests = new ScheduleRequests(graph);
    this.#policies = new PolicyReader(graph, logger, options.policyTtlMs ?? 10 * 60_000, options.now ?? Date.now);
  }

  eligibilities(onPart?: (soFar: Eligibility[]) => void): Promise<Eligibility[]> {
    return this.#instances.eligibilities(onPart);
  }

  activeAssignments(filter?: { groupId: string; accessId: AccessId }): Promise<ActiveAssignment[]> {
    return this.#instances.activeAssignments(filter);
  }

  /** My requests, newest first; `filter` narrows server-side. */
  myRequests(filter?: { groupId?: string; accessId?: AccessId; status?: string }): Promise<ScheduleRequest[]> {
    return this.#requests.mine(filter);
  }

  request(id: string): Promise<ScheduleRequest> {
    return this.#requests.get(id);
  }

  cancel(id: string): Promise<void> {
    return this.#requests.cancel(id);
  }

  /** The policy for a group role, cached for a while; a refused read gives UNKNOWN_POLICY. */
  policy(groupId: string, accessId: AccessId): Promise<PolicySummary> {
    return this.#policies.policy(groupId, accessId);
  }

  /** Reads the policies of these group roles not yet known together (Graph batches); never throws. */
  warmPolicies(targets: ReadonlyArray<{ groupId: string; accessId: AccessId }>): Promise<void> {
    return this.#policies.warm(targets);
  }

  invalidatePolicies(): void {
    this.#policies.invalidate();
  }

  /** Submits a request. The raw body is PIM's documented shape. */
  submit(
    body: Record<string, unknown>,
    token?: string,
    claims?: string,
  ): Promise<{ request: ScheduleRequest; token: string }> {
    return this.#requests.submit(body, token, claims);
  }
}
