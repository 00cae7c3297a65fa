// The emulator's in-memory tenant: users, groups, eligibilities, policies and PIM requests.
// Shapes mirror Microsoft Graph's PIM for Groups resources so handlers can serialise them directly.
import type { ApproverPolicy } from "./approvers.js";

export type AccessId = "member" | "owner";

export interface EmulatedUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  /** The user's sign-in session already satisfied MFA, so a silent refresh may add mfa/acrs claims. */
  sessionHasMfa: boolean;
}

export interface EmulatedGroup {
  id: string;
  displayName: string;
  description: string;
  /** Required on every Entra group, and unique in practice: what tells same-named groups apart. */
  mailNickname: string;
  mail: string | null;
}

/** A directory group PIM does not manage, e.g. one a policy names as approvers; its members are fixed in the seed. */
export interface DirectoryGroup extends EmulatedGroup {
  memberIds: string[];
}

export interface GroupPolicy extends ApproverPolicy {
  /** ISO-8601 duration, e.g. PT8H. */
  maximumDuration: string;
  enabledRules: Array<"MultiFactorAuthentication" | "Justification" | "Ticketing">;
  approvalRequired: boolean;
  authenticationContext: string | null;
  /** Stable per policy; real PIM changes ids on onboarding, clients must not cache them across runs. */
  policyGuid: string;
}

export interface Eligibility {
  id: string;
  groupId: string;
  principalId: string;
  accessId: AccessId;
  memberType: "direct" | "group";
  startDateTime: string;
  /** null means no end. */
  endDateTime: string | null;
  createdDateTime: string;
}

export type RequestStatus =
  "Canceled" | "Denied" | "Failed" | "Granted" | "PendingApproval" | "PendingProvisioning" | "Provisioned" | "Revoked";

export interface TicketInfo {
  ticketNumber: string | null;
  ticketSystem: string | null;
}

export interface ScheduleInfoIn {
  startDateTime?: string | null;
  expiration?: { type: string; duration?: string | null; endDateTime?: string | null } | null;
}

/** What every self-service request records, on the groups and directory-roles planes alike. */
export interface RequestCore {
  id: string;
  action: "selfActivate" | "selfDeactivate";
  principalId: string;
  justification: string | null;
  ticketInfo: TicketInfo;
  createdDateTime: number;
  /** Epoch ms at which the assignment begins (for activations). */
  startAt: number;
  durationMs: number;
  expiration: { type: string; duration: string | null; endDateTime: string | null };
  status: RequestStatus;
  completedAt: number | null;
  approvalId: string | null;
  /** Set once the approval is decided or not needed: when provisioning finishes. */
  provisionAt: number | null;
}

export interface AssignmentRequest extends RequestCore {
  accessId: AccessId;
  groupId: string;
  targetScheduleId: string;
}

export interface AssignmentInstance {
  id: string;
  scheduleId: string;
  requestId: string;
  groupId: string;
  principalId: string;
  accessId: AccessId;
  startAt: number;
  endAt: number;
  eligibilityId: string;
}

/** What Graph knows about the caller, from the access token it verified. */
export interface CallerClaims {
  oid: string;
  scp: string[];
  amr: string[];
  acrs: string[];
  xmsCc: string[];
}
