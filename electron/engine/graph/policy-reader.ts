import type { Logger } from "../logger.js";
import { PolicyCache, type RulesAnswer } from "../planes/policy-cache.js";
import { graphBatchGet } from "./graph-batch.js";
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
    return this.#cache.get(keyOf(groupId, accessId), () =>
      assignedPolicyRules(this.graph, filterOf(groupId, accessId)),
    );
  }

  /** Reads the policies of these group roles not yet known together (Graph batches of 20); never throws. */
  warm(targets: ReadonlyArray<{ groupId: string; accessId: AccessId }>): Promise<void> {
    return warmAssigned(
      this.#cache,
      this.graph,
      new Map(targets.map((t) => [keyOf(t.groupId, t.accessId), filterOf(t.groupId, t.accessId)])),
    );
  }

  invalidate(): void {
    this.#cache.clear();
  }
}

const keyOf = (groupId: string, accessId: AccessId) => `${groupId.toLowerCase()}:${accessId}`;
const filterOf = (groupId: string, accessId: AccessId) =>
  `scopeId eq ${odataString(groupId)} and scopeType eq 'Group' and roleDefinitionId eq ${odataString(accessId)}`;

const POLICY_QUERY = "policy($expand=rules)";

/**
 * The rules of the policy assigned where `filter` says (Graph keeps groups' and directory roles'
 * policies in the same collection), or undefined when none is assigned there.
 */
export async function assignedPolicyRules(graph: GraphClient, filter: string): Promise<RawRule[] | undefined> {
  const r = await graph.request<{ value: Array<{ policy?: { rules?: RawRule[] } }> }>({
    method: "GET",
    path: "policies/roleManagementPolicyAssignments",
    query: { $filter: filter, $expand: POLICY_QUERY },
  });
  return r.body.value[0]?.policy?.rules;
}

/**
 * Warms `cache` with the policies assigned where each filter says (by cache key), those not yet known read
 * together in Graph batches; each alone if the batch could not answer it. Never throws.
 */
export function warmAssigned(
  cache: PolicyCache,
  graph: GraphClient,
  filters: ReadonlyMap<string, string>,
): Promise<void> {
  return cache.warm(
    [...filters].map(([key, filter]) => ({ key, read: () => assignedPolicyRules(graph, filter) })),
    (keys) =>
      assignedPolicyRulesMany(
        graph,
        keys.map((key) => ({ key, filter: filters.get(key) ?? "" })),
      ),
  );
}

/** assignedPolicyRules for several filters, in Graph batches: each key's rules, or why they could not be read. */
export async function assignedPolicyRulesMany(
  graph: GraphClient,
  items: ReadonlyArray<{ key: string; filter: string }>,
): Promise<Map<string, RulesAnswer>> {
  // Batch ids are positions: a key may hold characters Graph does not promise to keep in an id.
  const answers = await graphBatchGet(
    graph,
    items.map((x, i) => ({
      id: String(i + 1),
      path: "policies/roleManagementPolicyAssignments",
      query: { $filter: x.filter, $expand: POLICY_QUERY },
    })),
  );
  const out = new Map<string, RulesAnswer>();
  items.forEach((x, i) => {
    const a = answers.get(String(i + 1));
    if (!a) return;
    if (!a.ok) out.set(x.key, a);
    else {
      const body = a.body as { value?: Array<{ policy?: { rules?: RawRule[] } }> } | null;
      out.set(x.key, { ok: true, rules: body?.value?.[0]?.policy?.rules });
    }
  });
  return out;
}
