import { isPending } from "../../engine/graph/pim-client.js";
import type { CliContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { paint } from "../output.js";
import { eligibleJson, eligibleTable, statusBlocks, statusJson } from "../present.js";
import { requireAccount } from "./auth.js";

// `pimtray eligible` and `status`: what the person may activate, and what is active or pending.
// Activating and ending access is in activate.ts.

export async function cmdEligible(ctx: CliContext): Promise<number> {
  await requireAccount(ctx);
  const rows = await ctx.engine.eligibleWithPolicies();
  if (ctx.out.json) {
    ctx.out.write(JSON.stringify(eligibleJson(rows)));
    return EXIT.ok;
  }
  if (!rows.length) {
    ctx.out.write("You have no PIM for Groups eligibilities.");
    return EXIT.ok;
  }
  ctx.out.write(eligibleTable(rows, ctx.out));
  if (rows.some((r) => !r.policy.known)) {
    ctx.out.write(paint(ctx.out, "dim", "? = the policy could not be read; PIM checks it when you activate."));
  }
  return EXIT.ok;
}

export async function cmdStatus(ctx: CliContext): Promise<number> {
  await requireAccount(ctx);
  const [active, requests] = await Promise.all([ctx.engine.pim.activeAssignments(), ctx.engine.pim.myRequests()]);
  const pending = requests.filter((r) => isPending(r.status) && r.action.toLowerCase() === "selfactivate");
  const names = new Map(active.map((a) => [a.groupId, a.groupName]));
  if (pending.some((r) => !names.has(r.groupId))) {
    for (const e of await ctx.engine.pim.eligibilities()) names.set(e.groupId, e.groupName);
  }
  if (ctx.out.json) {
    ctx.out.write(JSON.stringify(statusJson(active, pending, names)));
    return EXIT.ok;
  }
  for (const block of statusBlocks(active, pending, names, ctx.out)) ctx.out.write(block);
  return EXIT.ok;
}
