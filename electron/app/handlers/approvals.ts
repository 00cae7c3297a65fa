import { requesterName } from "../../engine/approvals/approval-facts.js";
import type { FeatureHandlers } from "./handler.js";
import { approvalsView } from "../view-model.js";

// The approver's inbox in the popup: read it, decide one request, and turn "I approve requests" on
// or off. Decisions go through the lifecycle, so the item leaves the tray's count at once.

export const approvalHandlers = {
  "approvals:list": async (r, { engine, lifecycle }) => {
    if (r?.refresh) await lifecycle.refreshApprovals("popup");
    return approvalsView(lifecycle.picture.approvals, await engine.settings.load());
  },
  "approvals:decide": async (r, { lifecycle }) => {
    const { item, decision, requestStatus } = await lifecycle.decideApproval(r.requestId, r.decision, r.justification, {
      kind: r.kind,
    });
    const who = requesterName(item);
    const next =
      decision === "Approve" && item.stage.index < item.stage.count
        ? ` It now waits for stage ${item.stage.index + 1} of ${item.stage.count}.`
        : "";
    return {
      requestId: item.requestId,
      decision,
      message: `${decision === "Approve" ? "Approved" : "Denied"} ${item.label} for ${who}.${next}`,
      requestStatus,
    };
  },
  "approvals:set-enabled": async (r, { engine, lifecycle, state }) => {
    await engine.settings.update((s) => {
      s.approvals.enabled = r.enabled;
    });
    // On: the inbox is read at once. Off: the next look clears it and reads nothing more.
    await lifecycle.refreshApprovals(r.enabled ? "approvals turned on" : "approvals turned off");
    return state();
  },
} satisfies FeatureHandlers<"approvals">;
