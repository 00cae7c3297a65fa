// An approver's inbox on each plane, filled through the control API's "create a request as another user".
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ARM_ELIGIBILITIES as E,
  ARM_ROLES as AR,
  ARM_SCOPES as S,
  DEMO_GROUPS as G,
  DEMO_USERS as U,
} from "../../../emulator/index.js";
import { DEMO_ROLES as R } from "../../../emulator/roles/seed.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { RawClient } from "../../helpers/graph-client.js";
import { PIM_SCOPES, signIn } from "../../helpers/tokens.js";

const GROUP_REQUESTS = "/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests";
const ROLE_REQUESTS = "/v1.0/roleManagement/directory/roleAssignmentScheduleRequests";
const ROLE_APPROVALS = "/beta/roleManagement/directory/roleAssignmentApprovals";
const ROLE_SCOPES = [
  "https://graph.microsoft.com/RoleEligibilitySchedule.Read.Directory",
  "https://graph.microsoft.com/RoleAssignmentSchedule.ReadWrite.Directory",
];
const ARM_SCOPE = ["https://management.azure.com/user_impersonation"];
const AUTHZ = "providers/Microsoft.Authorization";
const V = "api-version=2020-10-01";
const P = "api-version=2021-01-01-preview";
const arm = (path: string) => `/arm${path}`;
const PENDING = "?$filter=status eq 'PendingApproval'";

type Who = "adele" | "megan" | "alex";
let emu: Awaited<ReturnType<typeof startTestEmulator>>;
const clients: RawClient[] = [];

async function client(who: Who, scopes: string[]): Promise<RawClient> {
  const c = new RawClient(emu.origin, emu.caPem, (await signIn(emu, who, scopes)).accessToken);
  clients.push(c);
  return c;
}

const asAdele = {
  group: () =>
    emu.control.createRequestAs({
      as: "adele",
      plane: "group",
      groupId: G.tenantAdmins,
      accessId: "member",
      justification: "Quarter close",
      duration: "PT2H",
    }),
  role: () =>
    emu.control.createRequestAs({
      as: "adele",
      plane: "role",
      roleDefinitionId: R.privilegedRoleAdministrator,
      justification: "Quarter close",
    }),
  azure: () =>
    emu.control.createRequestAs({
      as: "adele",
      plane: "azure",
      scope: S.production,
      roleDefinitionId: `/subscriptions/${S.production.split("/")[2]}/${AUTHZ}/roleDefinitions/${AR.owner}`,
      linkedRoleEligibilityScheduleId: `${S.production}/${AUTHZ}/roleEligibilitySchedules/${E.prodOwner}`,
      justification: "Hotfix deploy CHG-2291",
    }),
};

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await emu.stop();
});
beforeEach(async () => {
  await emu.control.reset();
  await emu.control.configure({ provisioningDelayMs: 0 });
});

describe("control API: a request created as another user", () => {
  it("groups: lands in Megan's approver list, not in Alex's or the requester's", async () => {
    const created = await asAdele.group();
    expect(created).toMatchObject({ plane: "group", status: "PendingApproval" });
    expect(created.approvalId).toMatch(/^[0-9a-f-]{36}$/);
    const megan = await client("megan", PIM_SCOPES);
    const inbox = await megan.get(`${GROUP_REQUESTS}/filterByCurrentUser(on='approver')${PENDING}`);
    expect(inbox.status).toBe(200);
    expect(inbox.json.value.map((r: any) => [r.id, r.principalId, r.justification])).toEqual([
      [created.id, U.adele, "Quarter close"],
    ]);
    for (const who of ["alex", "adele"] as const) {
      const other = await (await client(who, PIM_SCOPES)).get(`${GROUP_REQUESTS}/filterByCurrentUser(on='approver')`);
      expect(other.json.value).toEqual([]);
    }
    // The requester sees it as her own, pending.
    const mine = await (await client("adele", PIM_SCOPES)).get(`${GROUP_REQUESTS}/filterByCurrentUser(on='principal')`);
    expect(mine.json.value.map((r: any) => r.id)).toContain(created.id);
  });

  it("directory roles: in Megan's v1.0 approver list; Alex gets 403 on the beta step, Adele too; Megan decides", async () => {
    const created = await asAdele.role();
    expect(created).toMatchObject({ plane: "role", status: "PendingApproval", approvalId: created.id });
    const megan = await client("megan", ROLE_SCOPES);
    const inbox = await megan.get(`${ROLE_REQUESTS}/filterByCurrentUser(on='approver')${PENDING}`);
    expect(inbox.json.value.map((r: any) => r.id)).toEqual([created.id]);
    const alex = await client("alex", ROLE_SCOPES);
    expect((await alex.get(`${ROLE_REQUESTS}/filterByCurrentUser(on='approver')`)).json.value).toEqual([]);

    const approval = await megan.get(`${ROLE_APPROVALS}/${created.id}`);
    const stepId: string = approval.json.steps[0].id;
    expect(approval.json.steps[0].assignedToMe).toBe(true);
    const decision = { reviewResult: "Approve", justification: "Looks right" };
    const byAlex = await alex.request("PATCH", `${ROLE_APPROVALS}/${created.id}/steps/${stepId}`, decision);
    expect(byAlex.status).toBe(403);
    const adele = await client("adele", ROLE_SCOPES);
    const self = await adele.request("PATCH", `${ROLE_APPROVALS}/${created.id}/steps/${stepId}`, decision);
    expect(self.status).toBe(403);
    expect((await megan.request("PATCH", `${ROLE_APPROVALS}/${created.id}/steps/${stepId}`, decision)).status).toBe(
      204,
    );
    const again = await megan.request("PATCH", `${ROLE_APPROVALS}/${created.id}/steps/${stepId}`, decision);
    expect(again.status).toBe(409);
    expect((await adele.get(`${ROLE_REQUESTS}/${created.id}`)).json.status).toBe("Provisioned");
  });

  it("Azure: in Megan's asApprover() lists; Alex (no approver) and Adele (her own) get 403; Megan denies once", async () => {
    const created = await asAdele.azure();
    expect(created).toMatchObject({ plane: "azure", status: "PendingApproval" });
    const guid = created.approvalId?.split("/").pop() ?? "";
    const megan = await client("megan", ARM_SCOPE);
    const requests = await megan.get(arm(`/${AUTHZ}/roleAssignmentScheduleRequests?${V}&$filter=asApprover()`));
    expect(requests.json.value.map((r: any) => r.name)).toEqual([created.id]);
    const approvals = await megan.get(arm(`/${AUTHZ}/roleAssignmentApprovals?${P}&$filter=asApprover()`));
    expect(approvals.json.value.map((a: any) => a.name)).toEqual([guid]);
    const alex = await client("alex", ARM_SCOPE);
    expect((await alex.get(arm(`/${AUTHZ}/roleAssignmentApprovals?${P}&$filter=asApprover()`))).json.value).toEqual([]);

    const stage = arm(`${created.approvalId}/stages/${guid}?${P}`);
    const decision = { properties: { reviewResult: "Deny", justification: "No change ticket" } };
    const byAlex = await alex.request("PATCH", stage, decision);
    expect([byAlex.status, byAlex.json.error.code]).toEqual([403, "AuthorizationFailed"]);
    // Reading stays hidden from a non-approver.
    expect((await alex.get(arm(`${created.approvalId}?${P}`))).status).toBe(404);
    const adele = await client("adele", ARM_SCOPE);
    const self = await adele.request("PATCH", stage, decision);
    expect([self.status, self.json.error.code]).toEqual([403, "AuthorizationFailed"]);
    const ok = await megan.request("PATCH", stage, decision);
    expect(ok.status).toBe(200);
    expect(ok.json.properties.reviewResult).toBe("Deny");
    const again = await megan.request("PATCH", stage, decision);
    expect([again.status, again.json.error.code]).toEqual([409, "ApprovalAlreadyCompleted"]);
  });

  it("refuses an unknown user and a target the user is not eligible for, with the plane's error", async () => {
    await expect(
      emu.control.createRequestAs({ as: "nobody", plane: "group", groupId: G.tenantAdmins, accessId: "member" }),
    ).rejects.toThrow(/nobody/);
    await expect(
      emu.control.createRequestAs({ as: "alex", plane: "role", roleDefinitionId: R.privilegedRoleAdministrator }),
    ).rejects.toThrow(/EligibilityRule|eligib/i);
  });
});
