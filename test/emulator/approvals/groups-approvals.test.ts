// PIM for Groups approvals (v1.0 assignmentApprovals), over HTTPS with MSAL tokens: the approver's list, the stages,
// a decision, the errors, and serial (multi-stage) approval.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_GROUPS as G, DEMO_USERS as U } from "../../../emulator/index.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { RawClient } from "../../helpers/graph-client.js";
import { PIM_SCOPES, signIn } from "../../helpers/tokens.js";

const PIM = "/v1.0/identityGovernance/privilegedAccess/group";
const APPROVALS = `${PIM}/assignmentApprovals`;
const INBOX = `${APPROVALS}/filterByCurrentUser(on='approver')`;
const READ_ONLY = ["https://graph.microsoft.com/PrivilegedAssignmentSchedule.Read.AzureADGroup"];

type Who = "adele" | "megan" | "alex";
let emu: Awaited<ReturnType<typeof startTestEmulator>>;
const users = new Map<Who, RawClient>();
/** Clients signed in after the clock moved; closed at the end. */
const late: RawClient[] = [];

const request = (justification = "Quarter close") =>
  emu.control.createRequestAs({
    as: "adele",
    plane: "group",
    groupId: G.tenantAdmins,
    accessId: "member",
    justification,
    duration: "PT2H",
  });
const stage = (id: string, stageId: string) => `${APPROVALS}/${id}/stages/${stageId}`;
const approve = { reviewResult: "Approve", justification: "On-call swap confirmed" };
const deny = { reviewResult: "Deny", justification: "No change ticket" };
const c = (who: Who): RawClient => {
  const client = users.get(who);
  if (!client) throw new Error(`no client for ${who}`);
  return client;
};
/** The demo policy of Tenant Admins (member), changed in place for one test; each test starts from a reset. */
const tenantAdminsPolicy = () => emu.emulator.pim.policyFor(G.tenantAdmins, "member");

beforeAll(async () => {
  emu = await startTestEmulator();
  for (const who of ["adele", "megan", "alex"] as const) {
    users.set(who, new RawClient(emu.origin, emu.caPem, (await signIn(emu, who, PIM_SCOPES)).accessToken));
  }
});
afterAll(async () => {
  await Promise.all([...users.values(), ...late].map((u) => u.close()));
  await emu.stop();
});
beforeEach(async () => {
  await emu.control.reset();
  await emu.control.configure({ provisioningDelayMs: 0 });
});

describe("groups: assignmentApprovals (v1.0)", () => {
  it("lists what waits for Megan with its stage, and provisions on Approve; a second decision is 409", async () => {
    const r = await request();
    const inbox = await c("megan").get(INBOX);
    expect(inbox.status).toBe(200);
    expect(inbox.json.value).toHaveLength(1);
    const approval = inbox.json.value[0];
    expect(approval.id).toBe(r.id);
    expect(approval.stages).toEqual([
      expect.objectContaining({ id: r.id, status: "InProgress", assignedToMe: true, reviewResult: "NotReviewed" }),
    ]);
    expect((await c("alex").get(INBOX)).json.value).toEqual([]);
    expect((await c("adele").get(INBOX)).json.value).toEqual([]);
    // The approval also answers under the request's approvalId.
    expect((await c("megan").get(`${APPROVALS}/${r.approvalId}`)).json.id).toBe(r.id);

    expect((await c("megan").request("PATCH", stage(r.id, r.id), approve)).status).toBe(204);
    const got = await c("adele").get(`${PIM}/assignmentScheduleRequests/${r.id}`);
    expect(got.json.status).toBe("Provisioned");
    const again = await c("megan").request("PATCH", stage(r.id, r.id), deny);
    expect([again.status, again.json.error.code]).toEqual([409, "Conflict"]);
    const stages = await c("adele").get(`${APPROVALS}/${r.id}/stages`);
    expect(stages.json.value[0]).toMatchObject({
      status: "Completed",
      reviewResult: "Approve",
      reviewedBy: { id: U.megan },
      justification: "On-call swap confirmed",
      assignedToMe: false,
    });
    expect((await c("megan").get(INBOX)).json.value).toEqual([]);
  });

  it("ends Denied on Deny; a justification is required", async () => {
    const r = await request();
    const bare = await c("megan").request("PATCH", stage(r.id, r.id), { reviewResult: "Deny" });
    expect(bare.status).toBe(400);
    expect((await c("megan").request("PATCH", stage(r.id, r.id), deny)).status).toBe(204);
    expect((await c("adele").get(`${PIM}/assignmentScheduleRequests/${r.id}`)).json.status).toBe("Denied");
  });

  it("refuses a non-approver (403, and 404 on reading) and the requester approving her own request (403)", async () => {
    tenantAdminsPolicy().approverUserIds = [U.megan, U.adele];
    const r = await request();
    const alex = await c("alex").request("PATCH", stage(r.id, r.id), approve);
    expect(alex.status).toBe(403);
    expect((await c("alex").get(`${APPROVALS}/${r.id}`)).status).toBe(404);
    // Adele is an approver of the policy, but not of her own request.
    expect((await c("adele").get(INBOX)).json.value).toEqual([]);
    const self = await c("adele").request("PATCH", stage(r.id, r.id), approve);
    expect(self.status).toBe(403);
    expect((await c("adele").get(`${APPROVALS}/${r.id}`)).json.stages[0].assignedToMe).toBe(false);
    expect((await c("adele").get(`${PIM}/assignmentScheduleRequests/${r.id}`)).json.status).toBe("PendingApproval");
  });

  it("the first of two approvers settles it; the other then gets 409 and an empty inbox", async () => {
    tenantAdminsPolicy().approverUserIds = [U.megan, U.alex];
    const r = await request();
    expect((await c("alex").get(INBOX)).json.value.map((a: any) => a.id)).toEqual([r.id]);
    expect((await c("alex").request("PATCH", stage(r.id, r.id), approve)).status).toBe(204);
    expect((await c("megan").get(INBOX)).json.value).toEqual([]);
    expect((await c("megan").request("PATCH", stage(r.id, r.id), deny)).status).toBe(409);
    expect((await c("adele").get(`${PIM}/assignmentScheduleRequests/${r.id}`)).json.status).toBe("Provisioned");
  });

  it("serial stages: Megan, then Alex; each sees it only while their stage is open", async () => {
    tenantAdminsPolicy().approvalStages = [[U.megan], [U.alex]];
    const r = await request();
    const first = (await c("megan").get(`${APPROVALS}/${r.id}`)).json.stages;
    expect(first.map((s: any) => s.status)).toEqual(["InProgress", "NotStarted"]);
    const secondId: string = first[1].id;
    expect((await c("alex").get(INBOX)).json.value).toEqual([]);
    const alexRequests = `${PIM}/assignmentScheduleRequests/filterByCurrentUser(on='approver')`;
    expect((await c("alex").get(alexRequests)).json.value).toEqual([]);
    // Alex's stage has not started; Megan is no approver of it.
    expect((await c("alex").request("PATCH", stage(r.id, secondId), approve)).status).toBe(409);
    expect((await c("alex").request("PATCH", stage(r.id, r.id), approve)).status).toBe(403);

    expect((await c("megan").request("PATCH", stage(r.id, r.id), approve)).status).toBe(204);
    const requests = `${PIM}/assignmentScheduleRequests`;
    expect((await c("adele").get(`${requests}/${r.id}`)).json.status).toBe("PendingApproval");
    expect((await c("megan").get(INBOX)).json.value).toEqual([]);
    const alexInbox = (await c("alex").get(INBOX)).json.value;
    expect(alexInbox.map((a: any) => a.stages.map((s: any) => [s.status, s.assignedToMe]))).toEqual([
      [
        ["Completed", false],
        ["InProgress", true],
      ],
    ]);
    // The requests' approver view follows the open stage too.
    const byRequest = `${PIM}/assignmentScheduleRequests/filterByCurrentUser(on='approver')`;
    expect((await c("alex").get(byRequest)).json.value.map((x: any) => x.id)).toEqual([r.id]);
    expect((await c("megan").get(byRequest)).json.value).toEqual([]);
    // Alex, an approver of the second stage only, may read the request itself.
    expect((await c("alex").get(`${PIM}/assignmentScheduleRequests/${r.id}`)).json.principalId).toBe(U.adele);
    expect((await c("megan").request("PATCH", stage(r.id, secondId), approve)).status).toBe(403);
    expect((await c("alex").request("PATCH", stage(r.id, secondId), approve)).status).toBe(204);
    expect((await c("adele").get(`${requests}/${r.id}`)).json.status).toBe("Provisioned");
  });

  it("serial stages: a Deny at the first stage settles it; the second never opens", async () => {
    tenantAdminsPolicy().approvalStages = [[U.megan], [U.alex]];
    const r = await request();
    expect((await c("megan").request("PATCH", stage(r.id, r.id), deny)).status).toBe(204);
    expect((await c("adele").get(`${PIM}/assignmentScheduleRequests/${r.id}`)).json.status).toBe("Denied");
    expect((await c("alex").get(INBOX)).json.value).toEqual([]);
    const stages = (await c("alex").get(`${APPROVALS}/${r.id}/stages`)).json.value;
    expect(stages.map((s: any) => s.status)).toEqual(["Completed", "NotStarted"]);
  });

  it("the policy shows serial stages; a stage left undecided for a day expires and can no longer be decided", async () => {
    tenantAdminsPolicy().approvalStages = [[U.megan], [U.alex]];
    const policies = await c("adele").get(
      `/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '${G.tenantAdmins}' and scopeType eq 'Group' and roleDefinitionId eq 'member'&$expand=policy($expand=rules)`,
    );
    const rule = policies.json.value[0].policy.rules.find((x: any) => x.id === "Approval_EndUser_Assignment");
    expect(rule.setting.approvalMode).toBe("Serial");
    expect(rule.setting.approvalStages.map((st: any) => st.primaryApprovers.map((a: any) => a.userId))).toEqual([
      [U.megan],
      [U.alex],
    ]);

    const r = await request();
    expect((await c("megan").request("PATCH", stage(r.id, r.id), approve)).status).toBe(204);
    // Tokens issued before the clock jumps have expired: Alex signs in again each time.
    const alexNow = async () => {
      const client = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "alex", PIM_SCOPES)).accessToken);
      late.push(client);
      return client;
    };
    await emu.control.advanceClock(23 * 3_600_000);
    expect((await (await alexNow()).get(INBOX)).json.value).toHaveLength(1);
    await emu.control.advanceClock(2 * 3_600_000);
    const alex = await alexNow();
    // Stage 2 opened 25 h ago (when Megan approved) and was not decided: it has timed out.
    expect((await alex.get(INBOX)).json.value).toEqual([]);
    const stages = (await alex.get(`${APPROVALS}/${r.id}/stages`)).json.value;
    expect(stages.map((st: any) => st.status)).toEqual(["Completed", "Expired"]);
    const tooLate = await alex.request("PATCH", stage(r.id, stages[1].id), approve);
    expect([tooLate.status, tooLate.json.error.code]).toEqual([409, "Conflict"]);
  });

  it("lists with the Read scope, but needs ReadWrite to decide", async () => {
    const r = await request();
    const readOnly = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "megan", READ_ONLY)).accessToken);
    expect((await readOnly.get(INBOX)).json.value.map((a: any) => a.id)).toEqual([r.id]);
    const res = await readOnly.request("PATCH", stage(r.id, r.id), approve);
    await readOnly.close();
    expect(res.status).toBe(403);
  });
});
