import { equalsIgnoreCase } from "./graph-errors.js";

// The PIM for Groups records PIM Tray works with, in domain terms, shared by the readers in this folder.

export type AccessId = "member" | "owner";

/** What tells groups with the same display name apart (null when Graph did not say). */
export interface GroupIdentity {
  groupDescription: string | null;
  groupMailNickname: string | null;
}

export interface Eligibility extends GroupIdentity {
  groupId: string;
  groupName: string;
  accessId: AccessId;
  startDateTime: string | null;
  endDateTime: string | null;
}

export interface ActiveAssignment extends GroupIdentity {
  groupId: string;
  groupName: string;
  accessId: AccessId;
  startDateTime: string;
  endDateTime: string | null;
  /** `activated` came from an activation (and can be deactivated); `assigned` is a standing assignment. */
  assignmentType: "activated" | "assigned";
}

export type RequestStatus = string;

export interface ScheduleRequest {
  id: string;
  action: string;
  status: RequestStatus;
  groupId: string;
  accessId: AccessId;
  justification: string | null;
  createdDateTime: string;
  startDateTime: string | null;
  duration: string | null;
  approvalId: string | null;
}

/** Where PIM for Groups lives under Graph. */
export const PIM_GROUP_BASE = "identityGovernance/privilegedAccess/group";

/** Graph's access id in any casing, as ours; anything but owner is membership. */
export function access(v: unknown): AccessId {
  return equalsIgnoreCase(String(v), "owner") ? "owner" : "member";
}
