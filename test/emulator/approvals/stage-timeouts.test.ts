// Approval stages time out a day after they open (approvalStageTimeOutInDays: 1) on the directory-roles and Azure
// planes, as on the groups plane (groups-approvals.test.ts): the stage shows Expired, leaves the approver's lists, and
// a decision on it is 409 with a message that says so. Time moves on the emulator's clock.
import { describe, expect, it } from "vitest";
import { ARM_ELIGIBILITIES as E, ARM_ROLES as AR, ARM_SCOPES as S, DEMO_ROLES as R } from "../../../emulator/index.js";
import {
  ARM_DECISION,
  ARM_INBOX,
  AUTHZ,
  GA,
  GRAPH_DECISION,
  PREVIEW,
  ROLE_APPROVALS,
  ROLE_INBOX,
  ROLE_REQUESTS,
  approvalSuite,
} from "./approval-helpers.js";

const suite = approvalSuite();
const HOUR = 3_600_000;

describe("directory roles: the approval step times out 24 hours after it opened", () => {
  const privilegedRoleAdmin = () =>
    suite.emu.control.createRequestAs({
      as: "adele",
      plane: "role",
      roleDefinitionId: R.privilegedRoleAdministrator,
      justification: "Quarter close",
    });

  it("stays decidable for 23 hours; at 24 it is Expired, out of Megan's list, and a decision is 409", async () => {
    const r = await privilegedRoleAdmin();
    await suite.advance(23 * HOUR);
    let megan = await suite.as("megan", "role");
    expect((await megan.get(ROLE_INBOX)).json.value.map((x: any) => x.id)).toEqual([r.id]);
    expect((await megan.get(`${ROLE_APPROVALS}/${r.id}`)).json.steps[0]).toMatchObject({
      status: "InProgress",
      assignedToMe: true,
    });

    await suite.advance(HOUR);
    megan = await suite.as("megan", "role");
    expect((await megan.get(ROLE_INBOX)).json.value).toEqual([]);
    expect((await megan.get(`${ROLE_APPROVALS}/${r.id}`)).json.steps[0]).toMatchObject({
      status: "Expired",
      assignedToMe: false,
      reviewResult: "NotReviewed",
    });
    const late = await megan.request("PATCH", `${ROLE_APPROVALS}/${r.id}/steps/${r.id}`, GRAPH_DECISION.approve);
    expect([late.status, late.json.error.code]).toEqual([409, "Conflict"]);
    expect(late.json.error.message).toMatch(/expired.*24 hours/);
    // What the request becomes is undocumented: by default it stays pending (roleApprovalExpiryStatus).
    expect((await megan.get(`${ROLE_REQUESTS}/${r.id}`)).json.status).toBe("PendingApproval");
  });

  it("with roleApprovalExpiryStatus set, the request ends and a late decision still says the step expired", async () => {
    await suite.emu.control.configure({ roleApprovalExpiryStatus: "Denied" });
    const r = await privilegedRoleAdmin();
    await suite.advance(25 * HOUR);
    const megan = await suite.as("megan", "role");
    expect((await megan.get(`${ROLE_REQUESTS}/${r.id}`)).json.status).toBe("Denied");
    const late = await megan.request("PATCH", `${ROLE_APPROVALS}/${r.id}/steps/${r.id}`, GRAPH_DECISION.approve);
    expect([late.status, late.json.error.code]).toEqual([409, "Conflict"]);
    expect(late.json.error.message).toMatch(/expired/);
  });
});

describe("Azure: each stage times out 24 hours after it opened", () => {
  it("stage 2 of Owner on kv-prod-secrets gets its own day from when stage 1 was approved", async () => {
    const r = await suite.emu.control.createRequestAs({
      as: "adele",
      plane: "azure",
      scope: S.keyVault,
      roleDefinitionId: AR.owner,
      linkedRoleEligibilityScheduleId: `${S.production}/${AUTHZ}/roleEligibilitySchedules/${E.prodOwner}`,
      justification: "Recover a deleted secret",
      duration: "PT2H",
    });
    const approval = `/arm${r.approvalId}?${PREVIEW}`;
    const guid = r.approvalId?.split("/").pop() ?? "";
    const request = `/arm${S.keyVault}/${AUTHZ}/roleAssignmentScheduleRequests/${r.id}?${GA}`;

    await suite.advance(20 * HOUR);
    const megan = await suite.as("megan", "azure");
    expect(
      (await megan.request("PATCH", `/arm${r.approvalId}/stages/${guid}?${PREVIEW}`, ARM_DECISION.approve)).status,
    ).toBe(200);
    // 30 hours after the request, but 10 after stage 2 opened: still open.
    await suite.advance(10 * HOUR);
    let alex = await suite.as("alex", "azure");
    const open = (await alex.get(approval)).json.properties.stages;
    expect(open.map((s: any) => s.properties.status)).toEqual(["Completed", "InProgress"]);
    expect((await alex.get(ARM_INBOX)).json.value.map((x: any) => x.name)).toEqual([r.id]);

    await suite.advance(14 * HOUR);
    alex = await suite.as("alex", "azure");
    const stages = (await alex.get(approval)).json.properties.stages;
    expect(stages.map((s: any) => [s.properties.status, s.properties.assignedToMe])).toEqual([
      ["Completed", false],
      ["Expired", false],
    ]);
    // The default armApprovalExpiryStatus ends the request.
    expect((await alex.get(request)).json.properties.status).toBe("TimedOut");
    expect((await alex.get(ARM_INBOX)).json.value).toEqual([]);
    const late = await alex.request(
      "PATCH",
      `/arm${r.approvalId}/stages/${stages[1].name}?${PREVIEW}`,
      ARM_DECISION.approve,
    );
    expect([late.status, late.json.error.code]).toEqual([409, "ApprovalAlreadyCompleted"]);
    expect(late.json.error.message).toMatch(/expired.*24 hours/);
  });

  it("with armApprovalExpiryStatus null the request stays pending, but the expired stage cannot be decided", async () => {
    await suite.emu.control.configure({ armApprovalExpiryStatus: null });
    const r = await suite.emu.control.createRequestAs({
      as: "adele",
      plane: "azure",
      scope: S.production,
      roleDefinitionId: AR.owner,
      linkedRoleEligibilityScheduleId: `${S.production}/${AUTHZ}/roleEligibilitySchedules/${E.prodOwner}`,
      justification: "Hotfix deploy CHG-2291",
    });
    const guid = r.approvalId?.split("/").pop() ?? "";
    await suite.advance(24 * HOUR);
    const megan = await suite.as("megan", "azure");
    const request = `/arm${S.production}/${AUTHZ}/roleAssignmentScheduleRequests/${r.id}?${GA}`;
    expect((await megan.get(request)).json.properties.status).toBe("PendingApproval");
    expect((await megan.get(ARM_INBOX)).json.value).toEqual([]);
    const stage = `/arm${r.approvalId}/stages/${guid}?${PREVIEW}`;
    expect((await megan.get(stage)).json.properties.status).toBe("Expired");
    const late = await megan.request("PATCH", stage, ARM_DECISION.approve);
    expect([late.status, late.json.error.code]).toEqual([409, "ApprovalAlreadyCompleted"]);
    expect(late.json.error.message).toMatch(/expired/);
  });
});
