import type { ControlRequest } from "./control-requests.js";
import { ARM_ELIGIBILITIES as E, ARM_ROLES as AR, ARM_SCOPES as S, ARM_SUBSCRIPTIONS } from "./arm/seed.js";
import { DEMO_ROLES as R } from "./roles/seed.js";
import { DEMO_GROUPS as G } from "./seed.js";

// The demo tenant's requests that wait for an approver, as control-API bodies: one place for the
// tests, the benchmark and the preview's "--requests-to-approve" to ask for them.
//   group, role, azure   Adele asks; Megan approves (one stage)
//   groupSerial          Alex asks for Tenant Admins (owner): Megan, then a Security Reviewer (Adele)
//   azureSerial          Adele asks for Owner narrowed to kv-prod-secrets: Megan, then a Security Reviewer (Alex)
//   roleByGroup          Alex asks for Groups Administrator: any member of PIM Approvers (Megan)

const AUTHZ = "providers/Microsoft.Authorization";
const prodOwnerEligibility = `${S.production}/${AUTHZ}/roleEligibilitySchedules/${E.prodOwner}`;

export type DemoApproval = "group" | "role" | "azure" | "groupSerial" | "azureSerial" | "roleByGroup";

export interface DemoApprovalOptions {
  /** Who asks; each demo approval has its usual requester. */
  as?: string;
  justification?: string;
  duration?: string;
  ticketNumber?: string;
}

export function demoApprovalRequest(which: DemoApproval, o: DemoApprovalOptions = {}): ControlRequest {
  const common = {
    justification: o.justification ?? "Quarter close",
    ...(o.duration ? { duration: o.duration } : {}),
    ...(o.ticketNumber ? { ticketNumber: o.ticketNumber } : {}),
  };
  switch (which) {
    case "group":
      return { ...common, as: o.as ?? "adele", plane: "group", groupId: G.tenantAdmins, accessId: "member" };
    case "groupSerial":
      return { ...common, as: o.as ?? "alex", plane: "group", groupId: G.tenantAdmins, accessId: "owner" };
    case "role":
      return { ...common, as: o.as ?? "adele", plane: "role", roleDefinitionId: R.privilegedRoleAdministrator };
    case "roleByGroup":
      return { ...common, as: o.as ?? "alex", plane: "role", roleDefinitionId: R.groupsAdministrator };
    case "azure":
      return {
        ...common,
        as: o.as ?? "adele",
        plane: "azure",
        scope: S.production,
        roleDefinitionId: `/subscriptions/${ARM_SUBSCRIPTIONS.production}/${AUTHZ}/roleDefinitions/${AR.owner}`,
        linkedRoleEligibilityScheduleId: prodOwnerEligibility,
      };
    case "azureSerial":
      return {
        ...common,
        as: o.as ?? "adele",
        plane: "azure",
        scope: S.keyVault,
        roleDefinitionId: AR.owner,
        linkedRoleEligibilityScheduleId: prodOwnerEligibility,
      };
  }
}
