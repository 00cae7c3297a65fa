// The view model on the planes: role and Azure role rows carry kind, ids, scope and names; groups'
// rows stay exactly as they were; plane states become badges, with "Turn on" only where a sign-in helps.
import { describe, expect, it } from "vitest";
import {
  eligibleViews,
  outcomeView,
  pendingViews,
  planeStatusViews,
  type PictureRows,
} from "../../electron/app/view-model.js";
import type { AzureEligibility, RoleEligibility } from "../../electron/engine/planes/targets.js";
import { ARM_ROLES, ARM_SCOPES } from "../../emulator/index.js";
import { DEMO_ROLES } from "../../emulator/roles/seed.js";
import { eligibility, KNOWN_POLICY } from "./app-doubles.js";
import { G1 } from "./app-state.js";

const CONTRIBUTOR = `${ARM_SCOPES.production}/providers/Microsoft.Authorization/roleDefinitions/${ARM_ROLES.contributor}`;
const role: RoleEligibility = {
  kind: "role",
  roleDefinitionId: DEMO_ROLES.helpdeskAdministrator,
  directoryScopeId: "/administrativeUnits/au-1",
  roleName: "Helpdesk Administrator",
  scopeName: "Sales",
  startDateTime: null,
  endDateTime: "2027-01-01T00:00:00Z",
  memberType: "Direct",
};
const azure: AzureEligibility = {
  kind: "azure",
  roleDefinitionId: CONTRIBUTOR,
  scope: ARM_SCOPES.rgWeb,
  roleName: "Contributor",
  scopeName: "rg-web",
  scopeType: "resourcegroup",
  eligibilityScheduleId: `${ARM_SCOPES.rgWeb}/providers/Microsoft.Authorization/roleEligibilitySchedules/x`,
  startDateTime: null,
  endDateTime: null,
  memberType: "Direct",
};

describe("view model, planes", () => {
  it("gives each role row its plane, ids, scope and names, and leaves group rows as they were", () => {
    const views = eligibleViews(
      [eligibility(G1, "Finance Admins"), role, azure].map((e) => ({ eligibility: e, policy: KNOWN_POLICY })),
    );
    expect(views[0]).toEqual({
      groupId: G1,
      groupName: "Finance Admins",
      groupHint: null,
      accessId: "member",
      eligibleUntil: null,
      policy: expect.objectContaining({ maxMinutes: 480 }),
    });
    expect(views[1]).toMatchObject({
      kind: "role",
      roleDefinitionId: DEMO_ROLES.helpdeskAdministrator,
      directoryScopeId: "/administrativeUnits/au-1",
      scope: "/administrativeUnits/au-1",
      roleName: "Helpdesk Administrator",
      scopeName: "Sales",
      eligibleUntil: "2027-01-01T00:00:00Z",
    });
    expect(views[2]).toMatchObject({
      kind: "azure",
      scope: ARM_SCOPES.rgWeb,
      scopeName: "rg-web",
      scopeType: "resourcegroup",
    });
    expect(views[2]).not.toHaveProperty("groupId");
  });

  it("names pending requests from the lifecycle's target, and outcomes on any plane", () => {
    const pending: PictureRows["pending"] = [
      {
        kind: "azure",
        id: `${ARM_SCOPES.production}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/r`,
        roleDefinitionId: CONTRIBUTOR,
        scope: ARM_SCOPES.production,
        action: "SelfActivate",
        status: "PendingApproval",
        justification: null,
        createdDateTime: "2026-11-27T12:00:00Z",
        startDateTime: null,
        duration: "PT1H",
        approvalId: null,
        target: {
          kind: "azure",
          roleDefinitionId: CONTRIBUTOR,
          scope: ARM_SCOPES.production,
          roleName: "Contributor",
          scopeName: "Contoso Production",
        },
      },
    ];
    expect(pendingViews(pending)).toEqual([
      {
        requestId: pending[0]?.id,
        kind: "azure",
        roleDefinitionId: CONTRIBUTOR,
        scope: ARM_SCOPES.production,
        roleName: "Contributor",
        scopeName: "Contoso Production",
        status: "PendingApproval",
        createdDateTime: "2026-11-27T12:00:00Z",
        startDateTime: null,
      },
    ]);
    const o = outcomeView({
      kind: "role",
      roleDefinitionId: DEMO_ROLES.globalReader,
      directoryScopeId: "/",
      roleName: "Global Reader",
      scopeName: "Directory",
      status: "active",
      requestId: "r-1",
      requestStatus: "Provisioned",
      startDateTime: null,
      endDateTime: null,
      durationMs: 3600_000,
      error: null,
    });
    expect(o).toMatchObject({ kind: "role", roleName: "Global Reader", scope: "/", status: "active" });
  });

  it("offers Turn on only for a role plane that needs consent or a sign-in", () => {
    const views = planeStatusViews([
      { kind: "group", state: "ok", note: null, count: 11 },
      { kind: "role", state: "needs-sign-in", note: "Entra ID roles: needs sign-in", count: null },
      { kind: "azure", state: "unreachable", note: "Azure roles: unreachable", count: null },
    ]);
    expect(views.map((v) => [v.label, v.canTurnOn])).toEqual([
      ["Groups", false],
      ["Entra ID roles", true],
      ["Azure roles", false],
    ]);
  });
});
