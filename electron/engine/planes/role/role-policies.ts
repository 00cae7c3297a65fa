import type { Logger } from "../../logger.js";
import { odataString, type GraphClient } from "../../graph/graph-client.js";
import { assignedPolicyRules, warmAssigned } from "../../graph/policy-reader.js";
import type { PolicySummary } from "../../graph/policy-summary.js";
import { PolicyCache } from "../policy-cache.js";

// A directory role's policy. Graph keeps one per role at the tenant scope ('/'), which also governs the
// role's activations at an administrative unit, so the cache is keyed by role alone.

const keyOf = (roleDefinitionId: string) => `role:${roleDefinitionId.toLowerCase()}`;
const filterOf = (roleDefinitionId: string) =>
  `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq ${odataString(roleDefinitionId)}`;

export class RolePolicies {
  readonly #cache: PolicyCache;

  constructor(
    private readonly graph: GraphClient,
    logger: Logger,
    ttlMs: number,
    now: () => number,
  ) {
    this.#cache = new PolicyCache(logger, ttlMs, now);
  }

  policy(roleDefinitionId: string): Promise<PolicySummary> {
    return this.#cache.get(keyOf(roleDefinitionId), () => assignedPolicyRules(this.graph, filterOf(roleDefinitionId)));
  }

  /** Reads the policies of these roles not yet known together (Graph batches of 20); never throws. */
  warm(roleDefinitionIds: readonly string[]): Promise<void> {
    return warmAssigned(this.#cache, this.graph, new Map(roleDefinitionIds.map((id) => [keyOf(id), filterOf(id)])));
  }

  invalidate(): void {
    this.#cache.clear();
  }
}
