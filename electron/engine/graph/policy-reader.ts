import type { Logger } from "../logger.js";
import { PolicyCache } from "../planes/policy-cache.js";
import { odataString, type GraphClient } from "./graph-client.js";
import type { AccessId } from "./pim-types.js";
import type { PolicySummary, RawRule } from "./policy-summary.js";

// Reads the policy for a group role. Policies change rarely and every menu and activation asks, so answers are
// kept for a while (the planes' shared PolicyCache).

export class PolicyReader {
  readonly #cache: PolicyCache;

  constructor(
    private readonly graph: GraphClient,
    logger: Logger,
    ttlMs: number,
    now: () => number,
  ) {
    this.#cache = new PolicyCache(logger, ttlMs, now);
  }

  /** The policy for a group role, cached for a while; a refused read gives UNKNOWN_POLICY. */
  policy(groupId: string, accessId: AccessId): Promise<PolicySummary> {
    return this.#cache.get(`${groupId.toLowerCase()}:${accessId}`, () =>
      assignedPolicyRules(
        this.graph,
        `scopeId eq ${odataString(groupId)} and scopeType eq 'Group' and roleDefinitionId eq ${odataString(accessId)}`,
      ),
    );
  }

  invalidate(): void {
    this.#cache.clear();
  }
}

/**
 * The rules of the policy assigned where `filter` says (Graph keeps groups' and directory roles'
 * policies in the same collection), or undefined when none is assigned there.
 */
export async function assignedPolicyRules(graph: GraphClient, filter: string): Promise<RawRule[] | undefined> {
  const r = await graph.request<{ value: Array<{ policy?: { rules?: RawRule[] } }> }>({
    method: "GET",
    path: "policies/roleManagementPolicyAssignments",
    query: { $filter: filter, $expand: "policy($expand=rules)" },
  });
  return r.body.value[0]?.policy?.rules;
}
