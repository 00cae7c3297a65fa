import type { GraphClient } from "../../graph/graph-client.js";
import type { PolicySummary } from "../../graph/policy-summary.js";
import type { Logger } from "../../logger.js";
import type { PlaneClient, PlaneSubmission, SubmitOptions } from "../plane.js";
import type { RoleAssignment, RoleEligibility, RoleRef, RoleRequest } from "../targets.js";
import { roleRequestBody } from "./role-body.js";
import { RoleInstances } from "./role-instances.js";
import { RolePolicies } from "./role-policies.js";
import { RoleRequests } from "./role-requests.js";

// PIM for Entra ID directory roles (Graph roleManagement/directory), as a plane: one entry point over the
// readers in this folder. The GraphClient's token source is already scoped to this plane's permissions.

export { roleRequestBody } from "./role-body.js";
export { toRoleRequest } from "./role-requests.js";

export class RolePlane implements PlaneClient<"role"> {
  readonly kind = "role" as const;
  readonly #instances: RoleInstances;
  readonly #requests: RoleRequests;
  readonly #policies: RolePolicies;

  constructor(
    readonly graph: GraphClient,
    logger: Logger,
    options: { policyTtlMs?: number; now?: () => number } = {},
  ) {
    this.#instances = new RoleInstances(graph, logger);
    this.#requests = new RoleRequests(graph);
    this.#policies = new RolePolicies(graph, logger, options.policyTtlMs ?? 10 * 60_000, options.now ?? Date.now);
  }

  /** Hears each 429 Graph gave a submission inside a batch. */
  onThrottled(listener: (retryAfterMs: number) => void): void {
    this.#requests.onThrottled(listener);
  }

  eligibilities(onPart?: (soFar: RoleEligibility[]) => void): Promise<RoleEligibility[]> {
    return this.#instances.eligibilities(onPart);
  }

  activeAssignments(filter?: RoleRef): Promise<RoleAssignment[]> {
    return this.#instances.activeAssignments(filter);
  }

  myRequests(filter?: { target?: RoleRef; status?: string }): Promise<RoleRequest[]> {
    return this.#requests.mine(filter);
  }

  request(id: string): Promise<RoleRequest> {
    return this.#requests.get(id);
  }

  cancel(id: string): Promise<void> {
    return this.#requests.cancel(id);
  }

  policy(target: RoleRef): Promise<PolicySummary> {
    return this.#policies.policy(target.roleDefinitionId);
  }

  warmPolicies(targets: readonly RoleRef[]): Promise<void> {
    return this.#policies.warm(targets.map((t) => t.roleDefinitionId));
  }

  invalidatePolicies(): void {
    this.#policies.invalidate();
  }

  together<T>(reads: () => Promise<T>): Promise<T> {
    return this.graph.together(reads);
  }

  /** Sends a selfActivate or selfDeactivate; PIM's refusals come back as GraphErrors with PIM's code. */
  submit(s: PlaneSubmission<RoleRef>, o: SubmitOptions = {}): Promise<RoleRequest> {
    return this.#requests.submit(roleRequestBody(s), o.claims);
  }
}
