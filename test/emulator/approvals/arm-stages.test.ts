// ARM serial (multi-stage) approval, api-version 2021-01-01-preview, over HTTPS with MSAL tokens. The demo policy of
// Owner on kv-prod-secrets has two stages: Megan, then the Security Reviewers group (Adele, Alex). Adele asks, through
// her Owner eligibility on Contoso Production narrowed to the vault; Alex decides the second stage.
import { describe, expect, it } from "vitest";
import {
  ARM_ELIGIBILITIES as E,
  ARM_ROLES as AR,
  ARM_SCOPES as S,
  DEMO_APPROVER_GROUPS as AG,
  DEMO_USERS as U,
} from "../../../emulator/index.js";
import { ARM_DECISION, ARM_INBOX, AUTHZ, GA, PREVIEW, approvalSuite } from "./approval-helpers.js";

const suite = approvalSuite();

async function ownerAtVault() {
  const r = await suite.emu.control.createRequestAs({
    as: "adele",
    plane: "azure",
    scope: S.keyVault,
    roleDefinitionId: AR.owner,
    linkedRoleEligibilityScheduleId: `${S.production}/${AUTHZ}/roleEligibilitySchedules/${E.prodOwner}`,
    justification: "Recover a deleted secret",
    duration: "PT2H",
  });
  expect(r.status).toBe("PendingApproval");
  const approvalId = r.approvalId ?? "";
  const guid = approvalId.split("/").pop() ?? "";
  return {
    name: r.id,
    approvalId,
    guid,
    approval: `/arm${approvalId}?${PREVIEW}`,
    stage: (id: string, segment = "stages") => `/arm${approvalId}/${segment}/${id}?${PREVIEW}`,
    request: `/arm${S.keyVault}/${AUTHZ}/roleAssignmentScheduleRequests/${r.id}?${GA}`,
  };
}

const stagesOf = (approval: { json: any }) =>
  approval.json.properties.stages.map((s: any) => ({ name: s.name, ...s.properties }));

describe("ARM serial approval: Owner on kv-prod-secrets", () => {
  it("the policy shows two serial stages: Megan, then the Security Reviewers group", async () => {
    const adele = await suite.as("adele", "azure");
    const role = `/subscriptions/${S.production.split("/")[2]}/${AUTHZ}/roleDefinitions/${AR.owner}`;
    const res = await adele.get(
      `/arm${S.keyVault}/${AUTHZ}/roleManagementPolicyAssignments?${GA}&$filter=roleDefinitionId eq '${role}'`,
    );
    const rule = res.json.value[0].properties.effectiveRules.find((r: any) => r.id === "Approval_EndUser_Assignment");
    expect(rule.setting.approvalMode).toBe("Serial");
    expect(rule.setting.approvalStages.map((s: any) => s.primaryApprovers.map((a: any) => [a.id, a.userType]))).toEqual(
      [[[U.megan, "User"]], [[AG.securityReviewers, "Group"]]],
    );
    // The subscription's own Owner policy (one stage, Megan) is unchanged.
    const sub = await adele.get(
      `/arm${S.production}/${AUTHZ}/roleManagementPolicyAssignments?${GA}&$filter=roleDefinitionId eq '${role}'`,
    );
    const subRule = sub.json.value[0].properties.effectiveRules.find(
      (r: any) => r.id === "Approval_EndUser_Assignment",
    );
    expect(subRule.setting.approvalMode).toBe("SingleStage");
  });

  it("opens stage 2 only after stage 1 is approved, and provisions on the last Approve", async () => {
    const a = await ownerAtVault();
    const [megan, alex, adele] = [
      await suite.as("megan", "azure"),
      await suite.as("alex", "azure"),
      await suite.as("adele", "azure"),
    ];
    const before = stagesOf(await megan.get(a.approval));
    expect(before.map((s: any) => [s.displayName, s.status, s.assignedToMe])).toEqual([
      ["Stage 1", "InProgress", true],
      ["Stage 2", "NotStarted", false],
    ]);
    // The first stage keeps the approval's GUID; the second has its own.
    expect(before[0].name).toBe(a.guid);
    expect(before[1].name).toMatch(/^[0-9a-f-]{36}$/);
    expect(before[1].name).not.toBe(a.guid);
    const second: string = before[1].name;

    // Alex's stage has not opened; stage 1 is not his.
    expect((await alex.get(ARM_INBOX)).json.value).toEqual([]);
    const early = await alex.request("PATCH", a.stage(second), ARM_DECISION.approve);
    expect([early.status, early.json.error.code]).toEqual([409, "ApprovalStageNotStarted"]);
    const notHis = await alex.request("PATCH", a.stage(a.guid), ARM_DECISION.approve);
    expect([notHis.status, notHis.json.error.code]).toEqual([403, "AuthorizationFailed"]);

    const one = await megan.request("PATCH", a.stage(a.guid), ARM_DECISION.approve);
    expect(one.status).toBe(200);
    expect(one.json.name).toBe(a.guid);
    expect(one.json.properties).toMatchObject({ status: "Completed", reviewResult: "Approve", assignedToMe: false });
    expect((await adele.get(a.request)).json.properties.status).toBe("PendingApproval");

    const after = stagesOf(await alex.get(a.approval));
    expect(after.map((s: any) => [s.status, s.assignedToMe])).toEqual([
      ["Completed", false],
      ["InProgress", true],
    ]);
    // The approver lists follow the open stage.
    expect((await megan.get(ARM_INBOX)).json.value).toEqual([]);
    expect((await alex.get(ARM_INBOX)).json.value.map((r: any) => r.name)).toEqual([a.name]);
    // Megan approved stage 1 but is no Security Reviewer; Adele is one, but it is her own request.
    const byMegan = await megan.request("PATCH", a.stage(second), ARM_DECISION.approve);
    expect([byMegan.status, byMegan.json.error.code]).toEqual([403, "AuthorizationFailed"]);
    const own = await adele.request("PATCH", a.stage(second), ARM_DECISION.approve);
    expect([own.status, own.json.error.code]).toEqual([403, "AuthorizationFailed"]);
    const again = await megan.request("PATCH", a.stage(a.guid), ARM_DECISION.deny);
    expect([again.status, again.json.error.code]).toEqual([409, "ApprovalAlreadyCompleted"]);

    const two = await alex.request("PATCH", a.stage(second), ARM_DECISION.approve);
    expect(two.status).toBe(200);
    expect(two.json.properties.reviewedBy).toMatchObject({ principalId: U.alex, principalName: "Alex Wilber" });
    const done = (await adele.get(a.request)).json.properties;
    expect(done.status).toBe("Provisioned");
    const active = await adele.get(
      `/arm${S.keyVault}/${AUTHZ}/roleAssignmentScheduleInstances?${GA}&$filter=asTarget()`,
    );
    expect(active.json.value.map((i: any) => [i.properties.scope, i.properties.assignmentType])).toContainEqual([
      S.keyVault,
      "Activated",
    ]);
    expect(stagesOf(await adele.get(a.approval)).map((s: any) => [s.status, s.reviewResult])).toEqual([
      ["Completed", "Approve"],
      ["Completed", "Approve"],
    ]);
  });

  it("a Deny at stage 2 settles it Denied; nothing can be decided after", async () => {
    const a = await ownerAtVault();
    const megan = await suite.as("megan", "azure");
    const alex = await suite.as("alex", "azure");
    expect((await megan.request("PATCH", a.stage(a.guid), ARM_DECISION.approve)).status).toBe(200);
    const second: string = stagesOf(await alex.get(a.approval))[1].name;
    const no = await alex.request("PATCH", a.stage(second), ARM_DECISION.deny);
    expect(no.status).toBe(200);
    expect(no.json.properties).toMatchObject({
      status: "Completed",
      reviewResult: "Deny",
      justification: "No change ticket",
    });
    expect((await megan.get(a.request)).json.properties.status).toBe("Denied");
    const again = await alex.request("PATCH", a.stage(second), ARM_DECISION.approve);
    expect([again.status, again.json.error.code]).toEqual([409, "ApprovalAlreadyCompleted"]);
    expect((await alex.get(ARM_INBOX)).json.value).toEqual([]);
  });

  it("a Deny at stage 1 settles it; stage 2 never opens", async () => {
    const a = await ownerAtVault();
    const megan = await suite.as("megan", "azure");
    const alex = await suite.as("alex", "azure");
    expect((await megan.request("PATCH", a.stage(a.guid), ARM_DECISION.deny)).status).toBe(200);
    expect((await megan.get(a.request)).json.properties.status).toBe("Denied");
    const stages = stagesOf(await alex.get(a.approval));
    expect(stages.map((s: any) => s.status)).toEqual(["Completed", "NotStarted"]);
    const late = await alex.request("PATCH", a.stage(stages[1].name), ARM_DECISION.approve);
    expect([late.status, late.json.error.code]).toEqual([409, "ApprovalAlreadyCompleted"]);
  });

  it("serves `steps` as an alias of `stages`: list, read and decide", async () => {
    const a = await ownerAtVault();
    const megan = await suite.as("megan", "azure");
    const alex = await suite.as("alex", "azure");
    const steps = await megan.get(`/arm${a.approvalId}/steps?${PREVIEW}`);
    expect(steps.status).toBe(200);
    expect(steps.json.value.map((s: any) => s.id)).toEqual([
      `${a.approvalId}/steps/${a.guid}`,
      expect.stringMatching(new RegExp(`^${a.approvalId}/steps/[0-9a-f-]{36}$`)),
    ]);
    const byStages = await megan.get(`/arm${a.approvalId}/stages?${PREVIEW}`);
    expect(byStages.json.value.map((s: any) => s.name)).toEqual(steps.json.value.map((s: any) => s.name));
    const one = await megan.get(a.stage(a.guid, "steps"));
    expect(one.json).toMatchObject({ name: a.guid, properties: { status: "InProgress", assignedToMe: true } });

    expect((await megan.request("PUT", a.stage(a.guid, "steps"), ARM_DECISION.approve)).status).toBe(200);
    const second: string = steps.json.value[1].name;
    const two = await alex.request("PATCH", a.stage(second, "steps"), ARM_DECISION.approve);
    expect(two.status).toBe(200);
    expect(two.json.id).toBe(`${a.approvalId}/steps/${second}`);
    expect((await alex.get(a.request)).json.properties.status).toBe("Provisioned");
    const unknown = await alex.get(a.stage("00000000-0000-0000-0000-000000000000", "steps"));
    expect([unknown.status, unknown.json.error.code]).toEqual([404, "RoleAssignmentApprovalStageNotFound"]);
  });

  it("lists the approval to the approvers of either stage with asApprover(), never to the requester", async () => {
    const a = await ownerAtVault();
    const list = (who: "adele" | "megan" | "alex") =>
      suite
        .as(who, "azure")
        .then((c) => c.get(`/arm/${AUTHZ}/roleAssignmentApprovals?${PREVIEW}&$filter=asApprover()`));
    expect((await list("megan")).json.value.map((x: any) => x.name)).toEqual([a.guid]);
    expect((await list("alex")).json.value.map((x: any) => x.name)).toEqual([a.guid]);
    expect((await list("adele")).json.value).toEqual([]);
    const mine = await (
      await suite.as("adele", "azure")
    ).get(`/arm/${AUTHZ}/roleAssignmentApprovals?${PREVIEW}&$filter=asCreatedBy()`);
    expect(mine.json.value.map((x: any) => x.name)).toEqual([a.guid]);
  });
});
