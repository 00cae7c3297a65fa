import type { ActivateInput, ActivationOutcome, Target } from "../../engine/activation/activation-service.js";
import { named } from "../../engine/activation/activation-types.js";
import { parseIsoDuration } from "../../engine/duration.js";
import { AmbiguousError, NotFoundError, PimTrayError } from "../../engine/errors.js";
import { isPending } from "../../engine/graph/pim-client.js";
import { labelOf, refOf } from "../../engine/planes/targets.js";
import type { Profile } from "../../engine/profiles/settings-schema.js";
import type { CliContext } from "../context.js";
import { EXIT, exitCodeFor, outcomeExitCode } from "../exit-codes.js";
import { paint } from "../output.js";
import {
  parseActivateOptions,
  type ActivateOptions,
  type ParsedActivateOptions,
  type SelectorOptions,
} from "../parse.js";
import { deactivateJson, describeOutcome, outcomeJson, progressPrinter, type DeactivateResult } from "../present.js";
import { profileTargets, resolveName, targetOf } from "../targets.js";
import { requireAccount } from "./auth.js";

// `pimtray activate`, `deactivate` and `cancel`: a group, an Entra ID role, an Azure role, or every
// target of a profile (each on its own plane).

/** One input per profile target; options given on the command line win over the profile's own. */
function profileInputs(
  profile: Profile,
  targets: Target[],
  o: ActivateOptions,
  parsed: ParsedActivateOptions,
): ActivateInput[] {
  const durationMs =
    parsed.durationMs ?? (profile.duration ? (parseIsoDuration(profile.duration) ?? undefined) : undefined);
  const ticket = parsed.ticket ?? profile.ticket;
  const justification = o.justification ?? profile.justification;
  return targets.map((target) => ({
    target,
    ...(durationMs ? { durationMs } : {}),
    ...(justification ? { justification } : {}),
    ...(ticket ? { ticket } : {}),
    ...(parsed.startAt ? { startAt: parsed.startAt } : {}),
    ...(o.validateOnly ? { validateOnly: true } : {}),
  }));
}

export async function cmdActivate(ctx: CliContext, name: string, o: ActivateOptions): Promise<number> {
  // Validate every option before any request is sent.
  const parsed = parseActivateOptions(o);
  const { durationMs, ticket, startAt, waitFor, timeoutMs } = parsed;
  await requireAccount(ctx);
  const { resolved, eligibilities } = await resolveName(ctx, name, o);
  const inputs: ActivateInput[] =
    resolved.kind === "profile"
      ? profileInputs(resolved.profile, profileTargets(resolved.profile, eligibilities), o, parsed)
      : [
          {
            target: targetOf(resolved),
            ...(durationMs ? { durationMs } : {}),
            ...(o.justification ? { justification: o.justification } : {}),
            ...(ticket ? { ticket } : {}),
            ...(startAt ? { startAt } : {}),
            ...(o.validateOnly ? { validateOnly: true } : {}),
          },
        ];
  const track = { waitFor, timeoutMs, onProgress: progressPrinter(ctx.out) };
  let outcomes: ActivationOutcome[];
  if (inputs.length === 1 && resolved.kind !== "profile") {
    const [input] = inputs;
    outcomes = [await ctx.engine.activation.activate(input as ActivateInput, track)];
  } else {
    outcomes = await ctx.engine.activation.activateMany(inputs, track);
  }
  ctx.out.clearProgress();
  await ctx.engine.rememberJustification(o.justification);
  const codes = outcomes.map((x) => outcomeExitCode(x, waitFor === "final"));
  if (ctx.out.json) {
    const profile = resolved.kind === "profile" ? { profile: resolved.profile.name } : {};
    ctx.out.write(JSON.stringify({ ...profile, outcomes: outcomes.map(outcomeJson) }));
  } else {
    for (const x of outcomes) ctx.out.write(describeOutcome(x, ctx.out));
  }
  return Math.max(...codes);
}

export async function cmdDeactivate(
  ctx: CliContext,
  name: string,
  o: SelectorOptions & { wait?: boolean },
): Promise<number> {
  await requireAccount(ctx);
  const { resolved, eligibilities } = await resolveName(ctx, name, o);
  const targets = resolved.kind === "profile" ? profileTargets(resolved.profile, eligibilities) : [targetOf(resolved)];
  const results: DeactivateResult[] = [];
  for (const target of targets) {
    try {
      const track = { wait: Boolean(o.wait), onProgress: progressPrinter(ctx.out) };
      results.push({ target: named(target), outcome: await ctx.engine.activation.deactivate(target, track) });
    } catch (e) {
      if (!(e instanceof PimTrayError)) throw e;
      // For a profile, a target that is not active is simply skipped.
      if (resolved.kind === "profile" && e.kind === "not-found") results.push({ target: named(target) });
      else results.push({ target: named(target), error: e });
    }
  }
  ctx.out.clearProgress();
  if (ctx.out.json) {
    ctx.out.write(JSON.stringify(deactivateJson(results)));
  } else {
    for (const r of results) {
      if (r.outcome) ctx.out.write(describeOutcome(r.outcome, ctx.out));
      else if (r.error) ctx.out.error(`${paint(ctx.out, "red", "✗")} ${r.error.message}`);
      else ctx.out.write(`${labelOf(r.target)} was not active.`);
    }
  }
  return Math.max(EXIT.ok, ...results.map((r) => (r.error ? exitCodeFor(r.error.kind) : EXIT.ok)));
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A request id as `status` shows it (a GUID, or an Azure request's ARM id starting with "/"), or a
 * name with the same selectors as `activate`: then the one pending request for that target.
 */
export async function cmdCancel(ctx: CliContext, idOrName: string, o: SelectorOptions = {}): Promise<number> {
  await requireAccount(ctx);
  const arg = idOrName.trim();
  if (arg.startsWith("/") || GUID.test(arg)) {
    await ctx.engine.activation.cancel(arg);
    // An ARM id is Azure's; a GUID is a group's or a directory role's request (the engine found which).
    return cancelled(ctx, arg, arg.startsWith("/") ? { kind: "azure" } : {});
  }
  const { resolved } = await resolveName(ctx, arg, o);
  if (resolved.kind === "profile") {
    throw new NotFoundError(
      `'${arg}' is a profile; cancel its requests one by one with the ids \`pimtray status\` shows.`,
    );
  }
  const target = named(targetOf(resolved));
  const pending = (await ctx.engine.planes.myRequests({ target: refOf(target) })).filter(
    (r) => isPending(r.status) && r.action.toLowerCase() === "selfactivate",
  );
  if (!pending.length) throw new NotFoundError(`No pending request for ${labelOf(target)}. See \`pimtray status\`.`);
  if (pending.length > 1) {
    throw new AmbiguousError(
      `${pending.length} pending requests for ${labelOf(target)}; cancel one by its id:\n${pending.map((r) => `  ${r.id}`).join("\n")}`,
      pending.map((r) => ({ id: r.id, label: `${labelOf(target)} ${r.status}` })),
    );
  }
  const id = (pending[0] as (typeof pending)[number]).id; // one, checked above
  await ctx.engine.activation.cancel(id, target);
  return cancelled(ctx, id, { kind: target.kind ?? "group" });
}

function cancelled(ctx: CliContext, requestId: string, extra: { kind?: string }): number {
  if (ctx.out.json) ctx.out.write(JSON.stringify({ requestId, status: "Canceled", ...extra }));
  else ctx.out.write(`Request ${requestId} is canceled.`);
  return EXIT.ok;
}
