// The ARM plane's tenant: subscriptions, resource groups, resources, Azure role eligibilities and
// assignments, role management policies, and PIM requests, as Azure Resource Manager shapes them.
import type { ApprovalStage, ApproverPolicy } from "../approvers.js";

export interface ArmSubscription {
  subscriptionId: string;
  displayName: string;
}

export interface ArmResourceGroup {
  subscriptionId: string;
  name: string;
  location: string;
}

/** A resource below a resource group, e.g. a key vault. */
export interface ArmResource {
  /** Full id: /subscriptions/{s}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}. */
  id: string;
  name: string;
  /** e.g. Microsoft.KeyVault/vaults */
  type: string;
}

export interface ArmRoleDefinition {
  /** The built-in role's GUID; full ids are `{subscription}/providers/Microsoft.Authorization/roleDefinitions/{guid}`. */
  guid: string;
  displayName: string;
}

export interface ArmEligibility {
  /** GUID of the eligibility schedule (its instance uses `instanceGuid`). */
  scheduleGuid: string;
  instanceGuid: string;
  scope: string;
  roleGuid: string;
  principalId: string;
  startDateTime: string;
  endDateTime: string | null;
  createdOn: string;
}

/** ARM's policy: the groups plane's fields, serial stages (approvalMode Serial) included. */
export interface ArmPolicy extends ApproverPolicy {
  maximumDuration: string;
  enabledRules: Array<"MultiFactorAuthentication" | "Justification" | "Ticketing">;
  approvalRequired: boolean;
  authenticationContext: string | null;
  policyGuid: string;
}

/** Arm request statuses the emulator produces (a subset of the 2020-10-01 enum). */
export type ArmRequestStatus =
  "Provisioned" | "Granted" | "PendingApproval" | "Denied" | "Canceled" | "Revoked" | "TimedOut" | "Failed";

export interface ArmRequest {
  name: string;
  scope: string;
  principalId: string;
  roleGuid: string;
  requestType: "SelfActivate" | "SelfDeactivate";
  linkedRoleEligibilityScheduleId: string | null;
  justification: string | null;
  ticketInfo: { ticketNumber: string | null; ticketSystem: string | null };
  scheduleInfo: {
    startDateTime: string | null;
    expiration: { type: string; duration: string | null; endDateTime: string | null };
  } | null;
  status: ArmRequestStatus;
  approvalGuid: string | null;
  /**
   * The approval's serial stages, from the policy in force when the request was made; the first stage's id is the
   * approval GUID. Empty when no approval was needed.
   */
  stages: ApprovalStage[];
  createdOn: number;
  startAt: number;
  durationMs: number;
  targetScheduleGuid: string | null;
  targetInstanceGuid: string | null;
}

export interface ArmInstance {
  /** GUID of the assignment schedule; the instance is `instanceGuid`. */
  scheduleGuid: string;
  instanceGuid: string;
  scope: string;
  roleGuid: string;
  principalId: string;
  assignmentType: "Activated" | "Assigned";
  startAt: number;
  /** null: permanent (Assigned only). */
  endAt: number | null;
  linkedEligibility: ArmEligibility | null;
  requestName: string | null;
  createdOn: number;
}
