import { askFacts, requesterName } from "../engine/approvals/approval-facts.js";
import type { DecisionResult, PendingApproval } from "../engine/approvals/approval-types.js";
import { approvalSentence } from "../engine/notify/texts.js";
import { targetJson } from "./present.js";

// What `pimtray approvals`, `approve` and `deny` print: one line per request for people, and the
// JSON shapes docs/cli.md documents as a contract (field names and order stay as they are).

/** One waiting request in JSON: its id, the target's fields as every other command writes them, and the ask. */
export function approvalJson(a: PendingApproval) {
  const { justification, ticket, ...facts } = askFacts(a);
  return {
    requestId: a.requestId,
    // kind, name, scope, scopeName and the plane's own fields, as every other command writes a target.
    ...targetJson(a.target),
    label: a.label,
    requester: { id: a.requester.id, name: a.requester.displayName, userPrincipalName: a.requester.userPrincipalName },
    justification,
    ticket,
    duration: a.duration,
    ...facts,
  };
}

/**
 * "<request id>  Adele Vance asks for Tenant Admins (member) for 2 h: 'Quarter close'. Times out in
 * 23 h 59 min (15:42)." with "Stage 2 of 2." when the approval has several stages: the same sentence
 * as the notification and `pimtray watch`, after the id to decide with.
 */
export function approvalLine(a: PendingApproval, now = Date.now()): string {
  const stage = a.stage.count > 1 ? ` Stage ${a.stage.index} of ${a.stage.count}.` : "";
  return `${a.requestId}  ${approvalSentence(a, now)}${stage}`;
}

/** The stage that waits after this decision, when an approval at an earlier stage leaves more to go. */
export function nextStage(r: DecisionResult): { index: number; count: number } | null {
  const { index, count } = r.item.stage;
  const waiting = r.requestStatus === null || r.requestStatus === "PendingApproval";
  return r.decision === "Approve" && index < count && waiting ? { index: index + 1, count } : null;
}

/**
 * The request's status after the decision: PIM's own word where the plane read it back (groups and
 * roles). ARM lets an approver look up only pending requests, so for Azure it is what PIM's serial
 * approval makes certain (a deny settles the request; an approval before the last stage leaves it
 * waiting), and null after the last approval, when it may be Provisioned or Granted for a later start.
 */
export function statusAfter(r: DecisionResult): string | null {
  if (r.requestStatus) return r.requestStatus;
  if (r.decision === "Deny") return "Denied";
  return nextStage(r) ? "PendingApproval" : null;
}

export function decisionJson(r: DecisionResult) {
  return {
    requestId: r.item.requestId,
    decision: r.decision,
    requestStatus: statusAfter(r),
    ...targetJson(r.item.target),
    label: r.item.label,
    requester: {
      id: r.item.requester.id,
      name: r.item.requester.displayName,
      userPrincipalName: r.item.requester.userPrincipalName,
    },
    stage: r.item.stage,
    nextStage: nextStage(r),
  };
}

/** "Approved Tenant Admins (member) for Adele Vance." and what became of the request. */
export function decisionText(r: DecisionResult): string {
  const done = `${r.decision === "Approve" ? "Approved" : "Denied"} ${r.item.label} for ${requesterName(r.item)}.`;
  const next = nextStage(r);
  if (next) return `${done} It now waits for stage ${next.index} of ${next.count}: its approvers decide next.`;
  if (r.decision === "Approve" && r.requestStatus) return `${done} The request is ${r.requestStatus}.`;
  return done;
}
