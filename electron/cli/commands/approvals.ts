import type { Decision } from "../../engine/approvals/approval-types.js";
import { UsageError } from "../../engine/errors.js";
import { PLANE_LABELS } from "../../engine/planes/targets.js";
import type { CliContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { paint } from "../output.js";
import { parseApprovalsAction, parseDecisionJustification, parseKind } from "../parse.js";
import { approvalJson, approvalLine, decisionJson, decisionText } from "../present-approvals.js";
import { requireAccount } from "./auth.js";

// The approver's side of PIM: `pimtray approvals` (what waits for me, on every plane), `approvals on|off`
// ("I approve requests", for the tray app and `pimtray watch`), and `approve` / `deny` one request.
// Listing works whether or not "I approve requests" is on: running the command is the explicit ask.

export async function cmdApprovals(ctx: CliContext, action: string | undefined, o: { kind?: string }): Promise<number> {
  const what = parseApprovalsAction(action);
  const kind = parseKind(o.kind);
  if (what !== "list") {
    if (kind) throw new UsageError(`--kind filters the list; \`pimtray approvals ${what}\` applies to every plane.`);
    return setApprovals(ctx, what === "on");
  }
  await requireAccount(ctx);
  // Every enabled plane is read (--kind filters what is shown), so a failure is the same note either way.
  const all = await ctx.engine.approvals.list();
  const items = kind ? all.filter((a) => a.kind === kind) : all;
  // A plane whose inbox could not be read names itself and its API; the others are still listed.
  const notes = ctx.engine.approvals
    .status()
    .filter((p) => p.state === "error" && p.note && (!kind || p.kind === kind))
    .map((p) => p.note ?? "");
  if (ctx.out.json) ctx.out.write(JSON.stringify(items.map(approvalJson)));
  else if (!items.length) {
    ctx.out.write(`Nothing waits for your approval${kind ? ` on ${PLANE_LABELS[kind].many}` : ""}.`);
  } else {
    const now = Date.now();
    for (const a of items) ctx.out.write(approvalLine(a, now));
    ctx.out.write(
      paint(ctx.out, "dim", "Decide with: pimtray approve REQUEST_ID --justification TEXT (or pimtray deny …)"),
    );
  }
  for (const note of notes) ctx.out.error(note);
  if (!ctx.out.json && !ctx.settings.approvals.enabled) {
    ctx.out.error(
      "Run `pimtray approvals on` to be told by the tray app and `pimtray watch` when a request needs you.",
    );
  }
  return EXIT.ok;
}

async function setApprovals(ctx: CliContext, enabled: boolean): Promise<number> {
  await ctx.engine.settings.update((s) => {
    s.approvals.enabled = enabled;
  });
  if (ctx.out.json) ctx.out.write(JSON.stringify({ approvals: { enabled } }));
  else if (enabled) {
    ctx.out.write(
      "I approve requests: on. The tray app and `pimtray watch` look for requests that wait for you every 5 minutes and tell you of each new one.",
    );
  } else {
    ctx.out.write(
      "I approve requests: off. The tray app and `pimtray watch` read no approvals; `pimtray approvals` still lists them when you ask.",
    );
  }
  return EXIT.ok;
}

/** `pimtray approve` and `pimtray deny`: one decision on one request, never sent twice. */
export async function cmdDecide(
  ctx: CliContext,
  decision: Decision,
  requestId: string,
  o: { justification?: string; kind?: string },
): Promise<number> {
  // Checked before sign-in and before any request.
  const justification = parseDecisionJustification(o.justification, decision === "Approve" ? "approve" : "deny");
  const kind = parseKind(o.kind);
  await requireAccount(ctx);
  const result = await ctx.engine.approvals.decide(requestId, decision, justification, kind ? { kind } : {});
  // The reason is offered again next time (the popup prefills it); failing to keep it changes nothing decided.
  await ctx.engine.settings
    .update((s) => {
      s.approvals.lastJustification = justification;
    })
    .catch((e: unknown) => ctx.logger.warn("could not remember the approval justification", e));
  if (ctx.out.json) ctx.out.write(JSON.stringify(decisionJson(result)));
  else ctx.out.write(decisionText(result));
  return EXIT.ok;
}
