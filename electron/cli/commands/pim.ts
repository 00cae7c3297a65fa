import { isPending } from "../../engine/graph/pim-client.js";
import { kindOf } from "../../engine/planes/targets.js";
import type { CliContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { paint } from "../output.js";
import { parseKind } from "../parse.js";
import {
  eligibleJson,
  eligibleTable,
  namesFrom,
  planeNotes,
  roleTables,
  statusBlocks,
  statusJson,
} from "../present.js";
import { requireAccount } from "./auth.js";

// `pimtray eligible` and `status`: what the person may activate, and what is active or pending, on
// every plane. A plane without consent or out of reach is a note; the others are still shown.
// Activating and ending access is in activate.ts.

export async function cmdEligible(ctx: CliContext, o: { kind?: string } = {}): Promise<number> {
  // --kind filters what is shown; every plane is still read (one sign-in, and its note if it fails).
  const kind = parseKind(o.kind);
  await requireAccount(ctx);
  const all = await ctx.engine.eligibleWithPolicies();
  const rows = kind ? all.filter((r) => kindOf(r.eligibility) === kind) : all;
  const planes = ctx.engine.planes.status().filter((p) => !kind || p.kind === kind);
  if (ctx.out.json) {
    ctx.out.write(JSON.stringify(eligibleJson(rows, planes)));
    return EXIT.ok;
  }
  const notes = planeNotes(planes);
  if (!rows.length) {
    ctx.out.write(
      kind === "role"
        ? "You have no Entra ID role eligibilities."
        : kind === "azure"
          ? "You have no Azure role eligibilities."
          : "You have no PIM for Groups eligibilities.",
    );
  } else {
    if (rows.some((r) => kindOf(r.eligibility) === "group")) ctx.out.write(eligibleTable(rows, ctx.out));
    for (const block of roleTables(rows, ctx.out)) ctx.out.write(block);
    if (rows.some((r) => !r.policy.known)) {
      ctx.out.write(paint(ctx.out, "dim", "? = the policy could not be read; PIM checks it when you activate."));
    }
  }
  for (const note of notes) ctx.out.error(note);
  return EXIT.ok;
}

export async function cmdStatus(ctx: CliContext): Promise<number> {
  await requireAccount(ctx);
  // Each Graph plane's two lists in one $batch: fewer connections to open at start (docs/cli.md, "Start-up time").
  const [active, requests] = await ctx.engine.planes.activeAndRequests();
  const planes = ctx.engine.planes.status();
  const pending = requests.filter((r) => isPending(r.status) && r.action.toLowerCase() === "selfactivate");
  const names = namesFrom(active);
  const unnamed = pending.some((r) =>
    r.kind === "role" || r.kind === "azure"
      ? !names.roles.has(r.roleDefinitionId.toLowerCase())
      : !names.groups.has(r.groupId),
  );
  if (unnamed) {
    const more = namesFrom(await ctx.engine.planes.eligibilities());
    for (const k of ["groups", "roles", "scopes"] as const) for (const [id, n] of more[k]) names[k].set(id, n);
  }
  if (ctx.out.json) {
    ctx.out.write(JSON.stringify(statusJson(active, pending, names, planes)));
    return EXIT.ok;
  }
  for (const block of statusBlocks(active, pending, names, ctx.out)) ctx.out.write(block);
  for (const note of planeNotes(planes)) ctx.out.error(note);
  return EXIT.ok;
}
