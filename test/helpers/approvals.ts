// Requests that wait for Megan's approval on each plane, created as Adele through the emulator's control API.
import {
  ARM_ELIGIBILITIES as E,
  ARM_ROLES as AR,
  ARM_SCOPES as S,
  DEMO_GROUPS as G,
  type ControlRequestResult,
  type RunningEmulator,
} from "../../emulator/index.js";
import { DEMO_ROLES as R } from "../../emulator/roles/seed.js";
import type { PlaneKind } from "../../electron/engine/planes/targets.js";

const AUTHZ = "providers/Microsoft.Authorization";

/** What each plane's approval request is for, as the inbox labels it. */
export const APPROVAL_LABELS: Record<PlaneKind, string> = {
  group: "Tenant Admins (member)",
  role: "Privileged Role Administrator",
  azure: "Owner on Contoso Production",
};

/** Adele asks, on `plane`, for the demo target whose policy needs Megan's approval. */
export function requestAsAdele(
  emu: RunningEmulator,
  plane: PlaneKind,
  o: { justification?: string; duration?: string; ticketNumber?: string; as?: string } = {},
): Promise<ControlRequestResult> {
  const common = {
    as: o.as ?? "adele",
    justification: o.justification ?? "Quarter close",
    ...(o.duration ? { duration: o.duration } : {}),
    ...(o.ticketNumber ? { ticketNumber: o.ticketNumber } : {}),
  };
  switch (plane) {
    case "group":
      return emu.control.createRequestAs({ ...common, plane, groupId: G.tenantAdmins, accessId: "member" });
    case "role":
      return emu.control.createRequestAs({ ...common, plane, roleDefinitionId: R.privilegedRoleAdministrator });
    case "azure":
      return emu.control.createRequestAs({
        ...common,
        plane,
        scope: S.production,
        roleDefinitionId: `/subscriptions/${S.production.split("/")[2]}/${AUTHZ}/roleDefinitions/${AR.owner}`,
        linkedRoleEligibilityScheduleId: `${S.production}/${AUTHZ}/roleEligibilitySchedules/${E.prodOwner}`,
      });
  }
}
