import {
  ARM_ELIGIBILITIES as E,
  ARM_ROLES as AR,
  ARM_SCOPES as S,
  ARM_SUBSCRIPTIONS,
  DEMO_GROUPS as G,
  DEMO_ROLES as R,
  type ControlRequestResult,
  type RunningEmulator,
} from "../../emulator/index.js";

// Megan's inbox for the preview (`npm run preview -- --as megan --requests-to-approve`): Adele asks,
// on each plane, for the demo target whose policy needs Megan's approval, through the emulator's
// control API (as if Adele had asked from her own PIM Tray).

const AUTHZ = "providers/Microsoft.Authorization";

/** One request per plane, as Adele: Tenant Admins (member), Privileged Role Administrator, Owner on Contoso Production. */
export async function requestsToApprove(
  emu: Pick<RunningEmulator, "control">,
  justification = "Quarter close",
): Promise<ControlRequestResult[]> {
  const as = "adele";
  return [
    await emu.control.createRequestAs({
      plane: "group",
      as,
      justification,
      groupId: G.tenantAdmins,
      accessId: "member",
    }),
    await emu.control.createRequestAs({
      plane: "role",
      as,
      justification,
      roleDefinitionId: R.privilegedRoleAdministrator,
    }),
    await emu.control.createRequestAs({
      plane: "azure",
      as,
      justification,
      scope: S.production,
      roleDefinitionId: `/subscriptions/${ARM_SUBSCRIPTIONS.production}/${AUTHZ}/roleDefinitions/${AR.owner}`,
      linkedRoleEligibilityScheduleId: `${S.production}/${AUTHZ}/roleEligibilitySchedules/${E.prodOwner}`,
    }),
  ];
}
