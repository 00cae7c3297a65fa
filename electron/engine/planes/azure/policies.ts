import { odataString } from "../../graph/graph-client.js";
import type { Logger } from "../../logger.js";
import type { PolicySummary, RawRule } from "../../graph/policy-summary.js";
import { PolicyCache, type RulesAnswer } from "../policy-cache.js";
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
    return this.#cache.get(keyOf(target), () => this.#readNearest(target, eligibilityScope));
  }

  /**
   * Reads the policies of these targets not yet known, one list per scope (ARM answers every role's policy at a
   * scope in one list). A target with no policy of its own at its scope is read on its own, up its eligibility's
   * scopes. Never throws.
   */
  warm(targets: ReadonlyArray<{ target: AzureRef; eligibilityScope?: string | undefined }>): Promise<void> {
    const byKey = new Map(targets.map((t) => [keyOf(t.target), t]));
    return this.#cache.warm(
      [...byKey].map(([key, t]) => ({ key, read: () => this.#readNearest(t.target, t.eligibilityScope) })),
      async (keys) => {
        const byScope = new Map<string, AzureRef[]>();
        for (const key of keys) {
          const t = byKey.get(key)?.target;
          if (t) byScope.set(normScope(t.scope), [...(byScope.get(normScope(t.scope)) ?? []), t]);
        }
        const out = new Map<string, RulesAnswer>();
        await Promise.all(
          [...byScope.values()].map(async (refs) => {
            const scope = refs[0]?.scope ?? "";
            let items: RawAssignment[];
            try {
              items = await this.#list(scope);
            } catch (error) {
              for (const t of refs) out.set(keyOf(t), { ok: false, error });
              return;
            }
            for (const t of refs) {
              const rules = rulesFor(items, t.roleDefinitionId);
              // None at this scope: left out, so the target is read on its own, up its eligibility's scopes.
              if (rules) out.set(keyOf(t), { ok: true, rules });
            }
          }),
        );
        return out;
      },
    );
  }

  async #readNearest(target: AzureRef, eligibilityScope?: string): Promise<RawRule[] | null> {
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
  }

  clear(): void {
    this.#cache.clear();
  }

  async #read(scope: string, roleDefinitionId: string): Promise<RawRule[] | null> {
    return rulesFor(await this.#list(scope, roleDefinitionId), roleDefinitionId);
  }

  /** The policy assignments at a scope: one role's, or (without a role) every role's. */
  #list(scope: string, roleDefinitionId?: string): Promise<RawAssignment[]> {
    return this.arm.list<RawAssignment>(
      `${scope.replace(/\/+$/, "")}${AUTHZ}/roleManagementPolicyAssignments`,
      roleDefinitionId ? { $filter: `roleDefinitionId eq ${odataString(roleDefinitionId)}` } : {},
    );
  }
}

const keyOf = (target: AzureRef) => `${normScope(target.scope)}|${roleGuid(target.roleDefinitionId)}`;

function rulesFor(items: readonly RawAssignment[], roleDefinitionId: string): RawRule[] | null {
  const mine = items.find((i) => sameRole(i.properties?.roleDefinitionId ?? "", roleDefinitionId));
  const rules = mine?.properties?.effectiveRules;
  return rules?.length ? toRawRules(rules) : null;
}
