// Role management policies and their assignments, with the rules PIM Tray reads.
import { type Directory, policyStages } from "../approvers.js";
import { sendJson } from "../http.js";
import type { AccessId } from "../model.js";
import { matches, parseExpand, parseFilter } from "../odata.js";
import type { PimState } from "../pim.js";
import { type GraphCall, READ_POLICY, requireScope } from "./common.js";
import { GraphFault, methodNotAllowed, notFound } from "./fault.js";

/** GET policies/roleManagementPolicies[/{id}] and policies/roleManagementPolicyAssignments[/{id}]; `path` follows "policies/". */
export function routePolicies({ ctx, caller, pim, deps }: GraphCall, path: string): void {
  if (ctx.method !== "GET") throw methodNotAllowed();
  requireScope(caller, READ_POLICY);
  if (deps.settings.denyPolicyRead) {
    throw new GraphFault(
      403,
      "AuthorizationFailed",
      JSON.stringify({
        errorCode: "AuthorizationFailed",
        message: "The caller is not authorized to read role management policies for this scope.",
        instanceAnnotations: [],
      }),
      true,
    );
  }
  const [kind, id] = path.split("/");
  const isAssignments = kind?.toLowerCase() === "rolemanagementpolicyassignments";
  const isPolicies = kind?.toLowerCase() === "rolemanagementpolicies";
  if (!isAssignments && !isPolicies) throw notFound(`policies/${path}`);

  const expand = parseExpand(
    ctx.query.get("$expand"),
    isAssignments ? ["policy"] : ["rules", "effectiveRules"],
    isAssignments
      ? "microsoft.graph.unifiedRoleManagementPolicyAssignment"
      : "microsoft.graph.unifiedRoleManagementPolicy",
  );
  const policyExpand = expand.find((x) => x.name === "policy");
  const withRules = isAssignments
    ? /\$expand=\s*rules/i.test(policyExpand?.nested ?? "")
    : expand.some((x) => x.name === "rules" || x.name === "effectiveRules");

  const all: Array<{ groupId: string; accessId: AccessId }> = [];
  for (const g of pim.tenant.groups)
    for (const a of ["member", "owner"] as const) all.push({ groupId: g.id, accessId: a });

  const policyJson = (groupId: string, accessId: AccessId) => {
    const p = pim.policyFor(groupId, accessId);
    const policyId = `Group_${groupId}_${p.policyGuid}`;
    return {
      id: policyId,
      displayName: "Group",
      description: "Group",
      isOrganizationDefault: false,
      scopeId: groupId,
      scopeType: "Group",
      lastModifiedDateTime: null,
      lastModifiedBy: { displayName: null, id: null },
      ...(withRules ? { rules: policyRules(p, pim) } : {}),
    };
  };
  const assignmentJson = (groupId: string, accessId: AccessId) => {
    const p = pim.policyFor(groupId, accessId);
    return {
      id: `Group_${groupId}_${p.policyGuid}_${accessId}`,
      policyId: `Group_${groupId}_${p.policyGuid}`,
      scopeId: groupId,
      scopeType: "Group",
      roleDefinitionId: accessId,
      ...(policyExpand ? { policy: policyJson(groupId, accessId) } : {}),
    };
  };

  if (id !== undefined) {
    const m = /^Group_([0-9a-f-]{36})_[0-9a-f-]{36}(?:_(member|owner))?$/i.exec(id);
    const hit = m && all.find((x) => x.groupId === (m[1] ?? "").toLowerCase() && (isPolicies || x.accessId === m[2]));
    if (!m || !hit || (isAssignments && !m[2]))
      throw new GraphFault(404, "ResourceNotFound", `The role management policy '${id}' was not found.`);
    const body = isAssignments ? assignmentJson(hit.groupId, hit.accessId) : policyJson(hit.groupId, hit.accessId);
    sendJson(ctx, 200, { "@odata.context": `${ctx.origin}/v1.0/$metadata#policies/${kind}/$entity`, ...body });
    return;
  }

  const clauses = parseFilter(
    ctx.query.get("$filter"),
    isAssignments ? ["scopeId", "scopeType", "roleDefinitionId", "policyId"] : ["scopeId", "scopeType"],
  );
  const scopeId = clauses.find((c) => c.field === "scopeId");
  const scopeType = clauses.find((c) => c.field === "scopeType");
  if (!scopeId || !scopeType) {
    throw new GraphFault(
      400,
      "BadRequest",
      "The $filter must specify both scopeId and scopeType, for example: scopeId eq '{groupId}' and scopeType eq 'Group'.",
    );
  }
  const candidates = all.filter((x) =>
    matches(
      { scopeId: x.groupId, scopeType: "Group", roleDefinitionId: x.accessId },
      clauses.filter((c) => c.field !== "policyId"),
    ),
  );
  const value = isAssignments
    ? candidates.map((x) => assignmentJson(x.groupId, x.accessId))
    : candidates.map((x) => policyJson(x.groupId, x.accessId));
  const ctxSuffix = isAssignments
    ? "roleManagementPolicyAssignments(policy(rules()))"
    : "roleManagementPolicies(rules())";
  sendJson(ctx, 200, { "@odata.context": `${ctx.origin}/v1.0/$metadata#policies/${ctxSuffix}`, value });
}

const TARGET = (caller: "EndUser" | "Admin", level: "Assignment" | "Eligibility") => ({
  caller,
  // unifiedRoleManagementPolicyRuleTargetOperations is an enum whose members are lower camel case ("all"); ARM's
  // plain-string operations say "All" (emulator/arm/views.ts).
  operations: ["all"],
  level,
  inheritableSettings: [],
  enforcedSettings: [],
});

/** The rule list of one policy; the directory-roles plane (emulator/roles/) serialises its policies with it too. */
export function policyRules(p: ReturnType<PimState["policyFor"]>, directory: Pick<Directory, "groupName">) {
  const stages = policyStages(p);
  return [
    {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
      id: "Expiration_Admin_Eligibility",
      isExpirationRequired: false,
      maximumDuration: "P365D",
      target: TARGET("Admin", "Eligibility"),
    },
    {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
      id: "Enablement_Admin_Assignment",
      enabledRules: ["Justification"],
      target: TARGET("Admin", "Assignment"),
    },
    {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
      id: "Expiration_EndUser_Assignment",
      isExpirationRequired: true,
      maximumDuration: p.maximumDuration,
      target: TARGET("EndUser", "Assignment"),
    },
    {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
      id: "Enablement_EndUser_Assignment",
      enabledRules: p.enabledRules,
      target: TARGET("EndUser", "Assignment"),
    },
    {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
      id: "Approval_EndUser_Assignment",
      target: TARGET("EndUser", "Assignment"),
      setting: {
        isApprovalRequired: p.approvalRequired,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        approvalMode: !p.approvalRequired ? "NoApproval" : stages.length > 1 ? "Serial" : "SingleStage",
        // One item per stage: the policy's `approvalStages` when it is serial, else its approver users and groups.
        approvalStages: stages.map((approvers) => ({
          approvalStageTimeOutInDays: 1,
          isApproverJustificationRequired: true,
          escalationTimeInMinutes: 0,
          isEscalationEnabled: false,
          primaryApprovers: approvers.map((a) =>
            a.type === "user"
              ? // Graph v1.0's singleUser has userId and description only; isBackup belongs to ARM's UserSet.
                { "@odata.type": "#microsoft.graph.singleUser", userId: a.id, description: null }
              : {
                  "@odata.type": "#microsoft.graph.groupMembers",
                  groupId: a.id,
                  description: directory.groupName(a.id),
                },
          ),
          escalationApprovers: [],
        })),
      },
    },
    {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
      id: "AuthenticationContext_EndUser_Assignment",
      isEnabled: p.authenticationContext !== null,
      claimValue: p.authenticationContext,
      target: TARGET("EndUser", "Assignment"),
    },
    {
      "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
      id: "Notification_Requestor_EndUser_Assignment",
      notificationType: "Email",
      recipientType: "Requestor",
      notificationLevel: "All",
      isDefaultRecipientsEnabled: true,
      notificationRecipients: [],
      target: TARGET("EndUser", "Assignment"),
    },
  ];
}
