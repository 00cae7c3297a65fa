import { PimTrayError } from "../../engine/errors.js";
import { eligibleViews, outcomeView } from "../view-model.js";
import type { FeatureHandlers } from "./handler.js";

// PIM for Groups from the popup: the eligibility list, activate, deactivate, cancel a request.

export const pimHandlers = {
  "pim:eligible": async (_r, { engine, eligibleNames }) => {
    const rows = await engine.eligibleWithPolicies();
    eligibleNames.remember(rows.map((row) => row.eligibility));
    return eligibleViews(rows);
  },
  "pim:activate": async (r, { engine, lifecycle, eligibleNames }) => {
    const groupId = r.groupId.toLowerCase();
    // The popup loaded the eligibility list before offering Activate; read it again only if this group is not in it.
    if (eligibleNames.get(groupId, r.accessId) === undefined) eligibleNames.remember(await engine.pim.eligibilities());
    const groupName = eligibleNames.get(groupId, r.accessId);
    if (!groupName)
      throw new PimTrayError("not-found", "You are not eligible for that group any more. Refresh the list.");
    const outcome = await engine.activation.activate(
      {
        target: { groupId, accessId: r.accessId, groupName },
        durationMs: r.durationMinutes * 60_000,
        ...(r.justification?.trim() ? { justification: r.justification } : {}),
        ...(r.ticket ? { ticket: r.ticket } : {}),
        ...(r.startAt ? { startAt: new Date(r.startAt) } : {}),
        ...(r.validateOnly ? { validateOnly: true } : {}),
      },
      { waitFor: "provisioned", timeoutMs: 60_000 },
    );
    if (!r.validateOnly) await engine.rememberJustification(r.justification);
    await lifecycle.refresh("activated");
    return outcomeView(outcome);
  },
  "pim:deactivate": async (r, { engine, lifecycle }) => {
    const groupId = r.groupId.toLowerCase();
    const name = lifecycle.picture.active.find((a) => a.groupId === groupId && a.accessId === r.accessId)?.groupName;
    const outcome = await engine.activation.deactivate({ groupId, accessId: r.accessId, groupName: name ?? r.groupId });
    await lifecycle.refresh("deactivated");
    return outcomeView(outcome);
  },
  "pim:cancel": async (r, { engine, lifecycle, state }) => {
    await engine.activation.cancel(r.requestId);
    await lifecycle.refresh("canceled");
    return state();
  },
} satisfies FeatureHandlers<"pim">;
