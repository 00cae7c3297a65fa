import { GraphError } from "../errors.js";
import type { Logger } from "../logger.js";
import { odataString, type GraphClient } from "./graph-client.js";
import type { AccessId } from "./pim-types.js";
import { summarizePolicy, UNKNOWN_POLICY, type PolicySummary, type RawRule } from "./policy-summary.js";

// Reads the policy for a group role. Policies change rarely and every menu and activation asks, so answers are
// kept for a while.

export class PolicyReader {
  readonly #policies = new Map<string, { at: number; value: PolicySummary }>();

  constructor(
    private readonly graph: GraphClient,
    private readonly logger: Logger,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /** The policy for a group role, cached for a while; a refused read gives UNKNOWN_POLICY. */
  async policy(groupId: string, accessId: AccessId): Promise<PolicySummary> {
    const key = `${groupId.toLowerCase()}:${accessId}`;
    const hit = this.#policies.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    let value: PolicySummary;
    try {
      const r = await this.graph.request<{ value: Array<{ policy?: { rules?: RawRule[] } }> }>({
        method: "GET",
        path: "policies/roleManagementPolicyAssignments",
        query: {
          $filter: `scopeId eq ${odataString(groupId)} and scopeType eq 'Group' and roleDefinitionId eq ${odataString(accessId)}`,
          $expand: "policy($expand=rules)",
        },
      });
      const rules = r.body.value[0]?.policy?.rules;
      value = rules ? summarizePolicy(rules) : UNKNOWN_POLICY;
    } catch (e) {
      if (e instanceof GraphError && (e.status === 403 || e.status === 404 || e.status === 400)) {
        this.logger.info(`policy for ${key} not readable (${e.code}); PIM will decide at submission`);
        value = UNKNOWN_POLICY;
      } else {
        throw e;
      }
    }
    this.#policies.set(key, { at: this.now(), value });
    return value;
  }

  invalidate(): void {
    this.#policies.clear();
  }
}
