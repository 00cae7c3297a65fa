// Approvers named as a group, on each plane, over HTTPS with MSAL tokens: a member approves (assignedToMe, listed,
// may decide), anyone else is refused with 403; the policies show the group (Graph groupMembers, ARM userType Group)
// in shapes Microsoft's schemas accept. Seeded: PIM Approvers (Megan), Security Reviewers (Adele, Alex).
import { describe, expect, it } from "vitest";
import {
  ARM_ELIGIBILITIES as E,
  ARM_ROLES as AR,
  ARM_SCOPES as S,
  DEMO_APPROVER_GROUPS as AG,
  DEMO_GROUPS as G,
  DEMO_ROLES as R,
  DEMO_USERS as U,
} from "../../../emulator/index.js";
import { checkArm, checkGraph } from "../../helpers/schema-check.js";
import {
  ARM_APPROVALS,
  ARM_DECISION,
  ARM_INBOX,
  AUTHZ,
  GA,
  GRAPH_DECISION,
  GROUP_APPROVALS,
  GROUP_INBOX,
  GROUP_PIM,
  PREVIEW,
  ROLE_APPROVALS,
  ROLE_INBOX,
  ROLE_REQUESTS,
  approvalSuite,
} from "./approval-helpers.js";

const suite = approvalSuite();
const groupStage = (id: string, stageId: string) => `${GROUP_APPROVALS}/${id}/stages/${stageId}`;
const policyAssignment = (filter: string) =>
  `/v1.0/policies/roleManagementPolicyAssignments?$filter=${filter}&$expand=policy($expand=rules)`;
const approvalRule = (assignment: any) =>
  assignment.policy.rules.find((r: any) => r.id === "Approval_EndUser_Assignment");

describe("groups plane: Tenant Admins (owner), Megan then the Security Reviewers group", () => {
  it("shows the group stage in the policy as groupMembers, and the policy passes Microsoft's schema", async () => {
    const adele = await suite.as("adele", "group");
    const res = await adele.get(
      policyAssignment(`scopeId eq '${G.tenantAdmins}' and scopeType eq 'Group' and roleDefinitionId eq 'owner'`),
    );
    expect(res.status).toBe(200);
    const [assignment] = res.json.value;
    expect(checkGraph("unifiedRoleManagementPolicyAssignment", assignment, { required: true })).toEqual([]);
    const setting = approvalRule(assignment).setting;
    expect(setting.approvalMode).toBe("Serial");
    expect(setting.approvalStages.map((s: any) => s.primaryApprovers)).toEqual([
      [{ "@odata.type": "#microsoft.graph.singleUser", userId: U.megan, description: null }],
      [
        {
          "@odata.type": "#microsoft.graph.groupMembers",
          groupId: AG.securityReviewers,
          description: "Security Reviewers",
        },
      ],
    ]);
  });

  it("a member of the group decides the second stage; a non-member and the requester (a member too) get 403", async () => {
    const r = await suite.emu.control.createRequestAs({
      as: "alex",
      plane: "group",
      groupId: G.tenantAdmins,
      accessId: "owner",
      justification: "Rotate the break-glass owner",
      duration: "PT2H",
    });
    expect(r.status).toBe("PendingApproval");
    const [megan, adele, alex] = await Promise.all([
      suite.as("megan", "group"),
      suite.as("adele", "group"),
      suite.as("alex", "group"),
    ]);
    // Adele, a Security Reviewer, has nothing to do until Megan's stage is approved.
    expect((await adele.get(GROUP_INBOX)).json.value).toEqual([]);
    expect((await megan.get(GROUP_INBOX)).json.value.map((a: any) => a.id)).toEqual([r.id]);
    expect((await megan.request("PATCH", groupStage(r.id, r.id), GRAPH_DECISION.approve)).status).toBe(204);

    const inbox = (await adele.get(GROUP_INBOX)).json.value;
    expect(inbox.map((a: any) => a.id)).toEqual([r.id]);
    const [first, second] = inbox[0].stages;
    expect([first.status, first.assignedToMe, second.status, second.assignedToMe]).toEqual([
      "Completed",
      false,
      "InProgress",
      true,
    ]);
    // Megan is not in the group; Alex is, but it is his own request.
    expect((await megan.get(GROUP_INBOX)).json.value).toEqual([]);
    const byMegan = await megan.request("PATCH", groupStage(r.id, second.id), GRAPH_DECISION.approve);
    expect([byMegan.status, byMegan.json.error.code]).toEqual([403, "Forbidden"]);
    expect((await alex.get(GROUP_INBOX)).json.value).toEqual([]);
    const own = await alex.request("PATCH", groupStage(r.id, second.id), GRAPH_DECISION.approve);
    expect([own.status, own.json.error.message]).toEqual([403, "The requestor cannot approve their own request."]);

    expect((await adele.request("PATCH", groupStage(r.id, second.id), GRAPH_DECISION.approve)).status).toBe(204);
    const stages = (await alex.get(`${GROUP_APPROVALS}/${r.id}/stages`)).json.value;
    expect(stages[1]).toMatchObject({
      reviewResult: "Approve",
      reviewedBy: { id: U.adele, displayName: "Adele Vance" },
    });
    expect((await alex.get(`${GROUP_PIM}/assignmentScheduleRequests/${r.id}`)).json.status).toBe("Provisioned");
  });

  it("membership follows PIM: a group approver's eligible member approves only while the membership is active", async () => {
    // Tenant Admins (member) approved by the members of Finance Admins, a PIM group Alex is eligible for.
    const policy = suite.emu.emulator.pim.policyFor(G.tenantAdmins, "member");
    policy.approverUserIds = [];
    policy.approverGroupIds = [G.financeAdmins];
    const r = await suite.emu.control.createRequestAs({
      as: "adele",
      plane: "group",
      groupId: G.tenantAdmins,
      accessId: "member",
      justification: "Quarter close",
      duration: "PT2H",
    });
    const alex = await suite.as("alex", "group");
    expect((await alex.get(GROUP_INBOX)).json.value).toEqual([]);
    expect((await alex.request("PATCH", groupStage(r.id, r.id), GRAPH_DECISION.approve)).status).toBe(403);

    const membership = await suite.emu.control.createRequestAs({
      as: "alex",
      plane: "group",
      groupId: G.financeAdmins,
      accessId: "member",
      justification: "Month end",
    });
    expect(membership.status).toBe("Provisioned");
    expect((await alex.get(GROUP_INBOX)).json.value.map((a: any) => a.id)).toEqual([r.id]);
    expect((await alex.request("PATCH", groupStage(r.id, r.id), GRAPH_DECISION.approve)).status).toBe(204);
    expect((await alex.get(`${GROUP_PIM}/assignmentScheduleRequests/${r.id}`)).json.status).toBe("Provisioned");
  });
});

describe("directory roles: Groups Administrator, approved by the PIM Approvers group", () => {
  it("shows the group in the policy; Megan, a member, sees and decides Alex's request; Adele gets 403", async () => {
    const megan = await suite.as("megan", "role");
    const res = await megan.get(
      policyAssignment(
        `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${R.groupsAdministrator}'`,
      ),
    );
    const [assignment] = res.json.value;
    expect(checkGraph("unifiedRoleManagementPolicyAssignment", assignment, { required: true })).toEqual([]);
    const setting = approvalRule(assignment).setting;
    expect(setting.approvalMode).toBe("SingleStage");
    expect(setting.approvalStages[0].primaryApprovers).toEqual([
      { "@odata.type": "#microsoft.graph.groupMembers", groupId: AG.pimApprovers, description: "PIM Approvers" },
    ]);

    const r = await suite.emu.control.createRequestAs({
      as: "alex",
      plane: "role",
      roleDefinitionId: R.groupsAdministrator,
      justification: "Clean up stale groups",
    });
    expect(r.status).toBe("PendingApproval");
    expect((await megan.get(ROLE_INBOX)).json.value.map((x: any) => x.id)).toEqual([r.id]);
    const approval = (await megan.get(`${ROLE_APPROVALS}/${r.id}`)).json;
    expect(approval.steps).toHaveLength(1);
    expect(approval.steps[0]).toMatchObject({ id: r.id, status: "InProgress", assignedToMe: true });

    const adele = await suite.as("adele", "role");
    expect((await adele.get(ROLE_INBOX)).json.value).toEqual([]);
    expect((await adele.get(`${ROLE_APPROVALS}/${r.id}`)).status).toBe(404);
    const byAdele = await adele.request("PATCH", `${ROLE_APPROVALS}/${r.id}/steps/${r.id}`, GRAPH_DECISION.approve);
    expect([byAdele.status, byAdele.json.error.code]).toEqual([403, "Forbidden"]);

    const ok = await megan.request("PATCH", `${ROLE_APPROVALS}/${r.id}/steps/${r.id}`, GRAPH_DECISION.deny);
    expect(ok.status).toBe(204);
    expect((await megan.get(`${ROLE_REQUESTS}/${r.id}`)).json.status).toBe("Denied");
    const step = (await megan.get(`${ROLE_APPROVALS}/${r.id}/steps/${r.id}`)).json;
    expect(step).toMatchObject({ status: "Completed", reviewResult: "Deny", reviewedBy: { id: U.megan } });
  });
});

describe("Azure: Contributor on kv-prod-secrets, approved by the PIM Approvers group", () => {
  const contributorAtVault = () =>
    suite.emu.control.createRequestAs({
      as: "adele",
      plane: "azure",
      scope: S.keyVault,
      roleDefinitionId: AR.contributor,
      linkedRoleEligibilityScheduleId: `${S.production}/${AUTHZ}/roleEligibilitySchedules/${E.prodContributor}`,
      justification: "Rotate the storage key",
    });

  it("shows the group as a UserSet of userType Group, and the policy list passes Microsoft's schema", async () => {
    const adele = await suite.as("adele", "azure");
    const res = await adele.get(`/arm${S.keyVault}/${AUTHZ}/roleManagementPolicyAssignments?${GA}`);
    expect(res.status).toBe(200);
    expect(
      checkArm("RoleManagementPolicyAssignment.json", "RoleManagementPolicyAssignmentListResult", res.json),
    ).toEqual([]);
    const contributor = res.json.value.find((p: any) => p.name.endsWith(`_${AR.contributor}`));
    const rule = contributor.properties.effectiveRules.find((r: any) => r.id === "Approval_EndUser_Assignment");
    expect(rule.setting.approvalMode).toBe("SingleStage");
    expect(rule.setting.approvalStages[0].primaryApprovers).toEqual([
      { id: AG.pimApprovers, description: "PIM Approvers", isBackup: false, userType: "Group" },
    ]);
  });

  it("Megan, a member, lists and approves; Alex, no member, sees nothing and gets 403", async () => {
    const r = await contributorAtVault();
    expect(r.status).toBe("PendingApproval");
    const guid = r.approvalId?.split("/").pop() ?? "";
    const [megan, alex] = await Promise.all([suite.as("megan", "azure"), suite.as("alex", "azure")]);
    expect((await megan.get(ARM_INBOX)).json.value.map((x: any) => x.name)).toEqual([r.id]);
    const approvals = await megan.get(`${ARM_APPROVALS}?${PREVIEW}&$filter=asApprover()`);
    expect(approvals.json.value.map((a: any) => a.name)).toEqual([guid]);
    expect(approvals.json.value[0].properties.stages[0].properties.assignedToMe).toBe(true);

    expect((await alex.get(ARM_INBOX)).json.value).toEqual([]);
    expect((await alex.get(`${ARM_APPROVALS}?${PREVIEW}&$filter=asApprover()`)).json.value).toEqual([]);
    const stage = `/arm${r.approvalId}/stages/${guid}?${PREVIEW}`;
    const byAlex = await alex.request("PATCH", stage, ARM_DECISION.approve);
    expect([byAlex.status, byAlex.json.error.code]).toEqual([403, "AuthorizationFailed"]);

    const ok = await megan.request("PATCH", stage, ARM_DECISION.approve);
    expect(ok.status).toBe(200);
    expect(ok.json.properties).toMatchObject({ status: "Completed", reviewResult: "Approve" });
    expect(ok.json.properties.reviewedBy).toMatchObject({ principalId: U.megan, principalName: "Megan Bowen" });
    const got = await megan.get(`/arm${S.keyVault}/${AUTHZ}/roleAssignmentScheduleRequests/${r.id}?${GA}`);
    expect(got.json.properties.status).toBe("Provisioned");
  });
});

describe("the approver groups in the directory", () => {
  it("keep the ids docs/emulator.md documents", () => {
    expect(AG).toEqual({
      pimApprovers: "5705af56-39c3-54fb-9256-960d0a95e6bf",
      securityReviewers: "70661bad-1c46-58c4-b30b-e17d50922cdd",
    });
  });

  it("are read under /groups beside PIM's groups, without their members", async () => {
    const megan = await suite.as("megan", "directory");
    const g = await megan.get(`/v1.0/groups/${AG.securityReviewers}`);
    expect(g.status).toBe(200);
    expect(g.json).toMatchObject({ id: AG.securityReviewers, displayName: "Security Reviewers" });
    expect(g.json.memberIds).toBeUndefined();
    const byName = await megan.get(`/v1.0/groups?$filter=displayName eq 'PIM Approvers'&$select=id`);
    expect(byName.json.value).toEqual([{ id: AG.pimApprovers }]);
  });
});
