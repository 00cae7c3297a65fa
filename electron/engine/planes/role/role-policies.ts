import type { Logger } from "../../logger.js";
import { odataString, type GraphClient } from "../../graph/graph-client.js";
import type { PolicySummary, RawRule } from "../../graph/policy-summary.js";
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
    return this.#cache.get(`role:${roleDefinitionId.toLowerCase()}`, async () => {
      const r = await this.graph.request<{ value: Array<{ policy?: { rules?: RawRule[] } }> }>({
        method: "GET",
        path: "policies/roleManagementPolicyAssignments",
        query: {
          $filter: `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq ${odataString(roleDefinitionId)}`,
          $expand: "policy($expand=rules)",
        },
      });
      return r.body.value[0]?.policy?.rules;
    });
  }

  invalidate(): void {
    this.#cache.clear();
  }
}
