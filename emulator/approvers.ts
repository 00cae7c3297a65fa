// Who approves, and the serial stages of an approval, shared by the three planes. A policy names approvers as users or
// as groups (Graph's singleUser / groupMembers, ARM's primaryApprovers with userType User / Group); every member of a
// named group is an approver. Each stage opens when the one before it is approved and times out a day after it opened
// (approvalStageTimeOutInDays: 1, fixed by PIM); the first Deny settles the request, the last Approve provisions it.

/** One primary approver of a stage. Ids are lower-case object ids. */
export interface Approver {
  type: "user" | "group";
  id: string;
}

/** A serial stage as a policy is written: user ids, and `{ groupId }` for every member of a group. */
export type ApprovalStageSpec = Array<string | { groupId: string }>;

/** The approver fields every plane's policy has. */
export interface ApproverPolicy {
  /** The approvers of a single-stage policy: users. */
  approverUserIds: string[];
  /** The approvers of a single-stage policy: groups, whose members approve. */
  approverGroupIds?: string[];
  /** Serial (multi-stage) approval: each stage's approvers. Unset: one stage of `approverUserIds` and `approverGroupIds`. */
  approvalStages?: ApprovalStageSpec[];
}

/** What the planes need to know of the directory: names, and who is in a group right now. */
export interface Directory {
  userName(userId: string): string | null;
  groupName(groupId: string): string | null;
  /** Lower-case object ids of the group's members. */
  membersOf(groupId: string): readonly string[];
}

export const STAGE_TIMEOUT_MS = 24 * 3_600_000;

const toApprover = (a: string | { groupId: string }): Approver =>
  typeof a === "string" ? { type: "user", id: a.toLowerCase() } : { type: "group", id: a.groupId.toLowerCase() };

/** The policy's stages of approvers, in order: one stage unless the policy sets `approvalStages`. */
export function policyStages(p: ApproverPolicy): Approver[][] {
  if (p.approvalStages?.length) return p.approvalStages.map((stage) => stage.map(toApprover));
  return [
    [...p.approverUserIds.map(toApprover), ...(p.approverGroupIds ?? []).map((groupId) => toApprover({ groupId }))],
  ];
}

/** Whether `oid` is one of `approvers`: named, or a member of a named group. */
export function isApprover(
  approvers: readonly Approver[],
  oid: string,
  groupMembersOf: (groupId: string) => readonly string[],
): boolean {
  const me = oid.toLowerCase();
  return approvers.some((a) => (a.type === "user" ? a.id === me : groupMembersOf(a.id).includes(me)));
}

export type StageStatus = "NotStarted" | "InProgress" | "Completed" | "Expired";
export type ReviewResult = "NotReviewed" | "Approve" | "Deny";

/** One stage of a request's approval, on any plane. */
export interface ApprovalStage {
  /** A GUID: the first stage's is the approval's own (Graph: the request id; ARM: the approval GUID). */
  id: string;
  approvers: Approver[];
  status: StageStatus;
  /** When the stage opened: it times out STAGE_TIMEOUT_MS later. */
  startedAt: number | null;
  reviewResult: ReviewResult;
  /** The reviewer's object id. */
  reviewedBy: string | null;
  reviewedAt: number | null;
  justification: string | null;
}

/** A new approval's stages: the first open from `openedAt`, the rest waiting. */
export function newStages(
  stages: Approver[][],
  firstId: string,
  openedAt: number,
  newId: () => string,
): ApprovalStage[] {
  return stages.map((approvers, i) => ({
    id: i === 0 ? firstId : newId(),
    approvers,
    status: i === 0 ? "InProgress" : "NotStarted",
    startedAt: i === 0 ? openedAt : null,
    reviewResult: "NotReviewed",
    reviewedBy: null,
    reviewedAt: null,
    justification: null,
  }));
}

/**
 * Moves the stages to `now`: a request settled some other way (cancel, the control API) leaves no stage open; else an
 * open stage a day old has Expired. Returns true when a stage expired in this call. Callers refresh on every request
 * they serve, so a request settled before its stage timed out never shows that stage Expired.
 */
export function refreshStages(stages: ApprovalStage[], pending: boolean, now: number): boolean {
  let expired = false;
  for (const s of stages) {
    if (s.status !== "InProgress") continue;
    if (!pending) {
      s.status = "Completed";
    } else if (s.startedAt !== null && now >= s.startedAt + STAGE_TIMEOUT_MS) {
      s.status = "Expired";
      expired = true;
    }
  }
  return expired;
}

/** Why the caller may not decide this stage now, or null when they may. Checked in this order on every plane. */
export type StageRefusal = "self" | "notApprover" | "expired" | "decided" | "notStarted";

export function stageRefusal(
  stage: ApprovalStage,
  requesterId: string,
  pending: boolean,
  callerOid: string,
  groupMembersOf: (groupId: string) => readonly string[],
): StageRefusal | null {
  if (requesterId.toLowerCase() === callerOid.toLowerCase()) return "self";
  if (!isApprover(stage.approvers, callerOid, groupMembersOf)) return "notApprover";
  if (stage.status === "Expired") return "expired";
  if (stage.status === "Completed" || !pending) return "decided";
  if (stage.status === "NotStarted") return "notStarted";
  return null;
}

/** Whether the stage waits for the caller: open, theirs, and not their own request. */
export function assignedTo(
  stage: ApprovalStage,
  requesterId: string,
  pending: boolean,
  callerOid: string,
  groupMembersOf: (groupId: string) => readonly string[],
): boolean {
  return (
    pending &&
    stage.status === "InProgress" &&
    requesterId.toLowerCase() !== callerOid.toLowerCase() &&
    isApprover(stage.approvers, callerOid, groupMembersOf)
  );
}

/**
 * Records a decision on an open stage. "deny": the request is denied; "next": the next stage opened; "approve": that
 * was the last stage and the request is approved.
 */
export function recordDecision(
  stages: ApprovalStage[],
  stage: ApprovalStage,
  decision: "Approve" | "Deny",
  reviewerId: string | null,
  justification: string | null,
  now: number,
): "deny" | "next" | "approve" {
  stage.status = "Completed";
  stage.reviewResult = decision;
  stage.reviewedBy = reviewerId;
  stage.reviewedAt = now;
  stage.justification = justification;
  if (decision === "Deny") return "deny";
  const next = stages.find((s) => s.status === "NotStarted");
  if (!next) return "approve";
  next.status = "InProgress";
  next.startedAt = now;
  return "next";
}

/** Reads Approve or Deny from a reviewResult, accepting the docs' Approved/Denied spellings and any case. */
export function parseReviewResult(value: unknown): "Approve" | "Deny" | null {
  const v = typeof value === "string" ? value.toLowerCase() : "";
  if (v === "approve" || v === "approved") return "Approve";
  if (v === "deny" || v === "denied") return "Deny";
  return null;
}
