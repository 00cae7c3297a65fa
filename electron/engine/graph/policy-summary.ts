import { parseIsoDuration } from "../duration.js";
import { equalsIgnoreCase } from "./graph-errors.js";

// A role management policy, reduced to what an activating user needs to know.

export interface PolicySummary {
  /** False when the policy could not be read: the server then decides at submission. */
  known: boolean;
  maxDurationMs: number | null;
  maxDuration: string | null;
  justificationRequired: boolean;
  ticketRequired: boolean;
  mfaRequired: boolean;
  authContext: string | null;
  approvalRequired: boolean;
  approvers: Array<{ id: string; description: string | null; kind: "user" | "group" }>;
  /**
   * Whether an approver must give a reason: set only when approval is required (PIM's default is yes).
   * Optional, so summaries of policies without approval read as they always did.
   */
  approverJustificationRequired?: boolean;
}

export const UNKNOWN_POLICY: PolicySummary = {
  known: false,
  maxDurationMs: null,
  maxDuration: null,
  justificationRequired: false,
  ticketRequired: false,
  mfaRequired: false,
  authContext: null,
  approvalRequired: false,
  approvers: [],
};

/** One rule of a role management policy as Graph returns it. */
export interface RawRule {
  "@odata.type"?: string;
  id: string;
  maximumDuration?: string;
  enabledRules?: string[];
  isEnabled?: boolean;
  claimValue?: string | null;
  setting?: {
    isApprovalRequired?: boolean;
    approvalStages?: Array<{
      isApproverJustificationRequired?: boolean;
      primaryApprovers?: Array<{
        "@odata.type"?: string;
        userId?: string;
        groupId?: string;
        description?: string | null;
      }>;
    }>;
  };
}

/** Reduces a role management policy's rules to what an activating user needs. */
export function summarizePolicy(rules: RawRule[]): PolicySummary {
  const byId = (id: string) => rules.find((r) => equalsIgnoreCase(r.id, id));
  const expiration = byId("Expiration_EndUser_Assignment");
  const enablement = (byId("Enablement_EndUser_Assignment")?.enabledRules ?? []).map((r) => r.toLowerCase());
  const approval = byId("Approval_EndUser_Assignment");
  const ac = byId("AuthenticationContext_EndUser_Assignment");
  const maxDuration = expiration?.maximumDuration ?? null;
  const approvers =
    approval?.setting?.approvalStages?.flatMap((s) =>
      (s.primaryApprovers ?? []).map((a) => ({
        id: a.userId ?? a.groupId ?? "",
        description: a.description ?? null,
        kind: (a.groupId ? "group" : "user") as "user" | "group",
      })),
    ) ?? [];
  return {
    known: true,
    maxDuration,
    maxDurationMs: maxDuration ? parseIsoDuration(maxDuration) : null,
    justificationRequired: enablement.includes("justification"),
    ticketRequired: enablement.includes("ticketing"),
    mfaRequired: enablement.includes("multifactorauthentication"),
    authContext: ac?.isEnabled && ac.claimValue ? ac.claimValue : null,
    approvalRequired: approval?.setting?.isApprovalRequired === true,
    approvers,
    ...(approval?.setting?.isApprovalRequired === true
      ? {
          approverJustificationRequired: (approval.setting.approvalStages ?? []).some(
            (s) => s.isApproverJustificationRequired !== false,
          ),
        }
      : {}),
  };
}
