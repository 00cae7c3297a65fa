import { odataString } from "../../graph/graph-client.js";
import type { Logger } from "../../logger.js";
import type { PolicySummary, RawRule } from "../../graph/policy-summary.js";
import { PolicyCache } from "../policy-cache.js";
import type { AzureRef } from "../targets.js";
import type { ArmClient } from "./arm-client.js";
import { ancestorScopes, AUTHZ, normScope, roleGuid, sameRole } from "./arm-ids.js";

// The role management policy for an Azure role at a scope, from roleManagementPolicyAssignments'
// effectiveRules (the merged rules ARM enforces). Its rules use the same ids as Graph's; only the
// discriminator (ruleType) and the approvers' shape ({id, description, userType}) differ.

interface ArmApprover {
  id?: string;
  description?: string | null;
  userType?: string;
}

interface ArmRule extends Omit<RawRule, "setting"> {
  ruleType?: string;
  setting?: {
    isApprovalRequired?: boolean;
    approvalStages?: Array<{
      isApproverJustificationRequired?: boolean;
      primaryApprovers?: ArmApprover[] | null;
    }> | null;
  } | null;
}

interface RawAssignment {
  properties?: { roleDefinitionId?: string; effectiveRules?: ArmRule[] | null };
}

/** ARM's rules in Graph's shape, so one summarizePolicy serves every plane. */
export function toRawRules(rules: ArmRule[]): RawRule[] {
  return rules.map((r) => {
    const { ruleType, setting, ...rest } = r;
    const out: RawRule = { ...rest, ...(ruleType ? { "@odata.type": `#microsoft.graph.unified${ruleType}` } : {}) };
    if (setting) {
      out.setting = {
        ...(setting.isApprovalRequired !== undefined ? { isApprovalRequired: setting.isApprovalRequired } : {}),
        approvalStages: (setting.approvalStages ?? []).map((s) => ({
          ...(s.isApproverJustificationRequired !== undefined
            ? { isApproverJustificationRequired: s.isApproverJustificationRequired }
            : {}),
          primaryApprovers: (s.primaryApprovers ?? []).map((a) =>
            (a.userType ?? "").toLowerCase() === "group"
              ? { groupId: a.id ?? "", description: a.description ?? null }
              : { userId: a.id ?? "", description: a.description ?? null },
          ),
        })),
      };
    }
    return out;
  });
}

export class AzurePolicies {
  readonly #cache: PolicyCache;

  constructor(
    private readonly arm: ArmClient,
    logger: Logger,
    ttlMs: number,
    now: () => number,
  ) {
    this.#cache = new PolicyCache(logger, ttlMs, now);
  }

  /**
   * The policy at the target's scope. For a reduced-scope activation (a child of the eligibility's
   * scope) with no policy of its own there, the nearest parent's applies, up to `eligibilityScope`.
   */
  policy(target: AzureRef, eligibilityScope?: string): Promise<PolicySummary> {
    const key = `${normScope(target.scope)}|${roleGuid(target.roleDefinitionId)}`;
    return this.#cache.get(key, async () => {
      const scopes = [target.scope, ...(eligibilityScope ? ancestorScopes(target.scope, eligibilityScope) : [])];
      if (eligibilityScope && !scopes.some((s) => normScope(s) === normScope(eligibilityScope))) {
        scopes.push(eligibilityScope);
      }
      let refused: unknown = null;
      for (const scope of scopes) {
        try {
          const rules = await this.#read(scope, target.roleDefinitionId);
          if (rules) return rules;
        } catch (e) {
          // Refused at the child: the parent may still answer; the cache decides what a refusal means.
          refused = e;
        }
      }
      if (refused) throw refused;
      return null;
    });
  }

  clear(): void {
    this.#cache.clear();
  }

  async #read(scope: string, roleDefinitionId: string): Promise<RawRule[] | null> {
    const items = await this.arm.list<RawAssignment>(
      `${scope.replace(/\/+$/, "")}${AUTHZ}/roleManagementPolicyAssignments`,
      {
        $filter: `roleDefinitionId eq ${odataString(roleDefinitionId)}`,
      },
    );
    const mine = items.find((i) => sameRole(i.properties?.roleDefinitionId ?? "", roleDefinitionId));
    const rules = mine?.properties?.effectiveRules;
    return rules?.length ? toRawRules(rules) : null;
  }
}
