import type { Logger } from "../../logger.js";
import { odataString, type GraphClient } from "../../graph/graph-client.js";
import { assignedPolicyRules } from "../../graph/policy-reader.js";
import type { PolicySummary } from "../../graph/policy-summary.js";
import { PolicyCache } from "../policy-cache.js";

// A directory role's policy. Graph keeps one per role at the tenant scope ('/'), which also governs the
// role's activations at an administrative unit, so the cache is keyed by role alone.

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
    return this.#cache.get(`role:${roleDefinitionId.toLowerCase()}`, () =>
      assignedPolicyRules(
        this.graph,
        `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq ${odataString(roleDefinitionId)}`,
      ),
    );
  }

  invalidate(): void {
    this.#cache.clear();
  }
}
