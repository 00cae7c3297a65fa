import type { ActivateInput, ActivationOutcome } from "../../engine/activation/activation-service.js";
import { parseIsoDuration } from "../../engine/duration.js";
import { PimTrayError } from "../../engine/errors.js";
import type { Eligibility } from "../../engine/graph/pim-client.js";
import type { Profile } from "../../engine/profiles/settings-schema.js";
import { resolveTarget } from "../../engine/resolve.js";
import type { CliContext } from "../context.js";
import { EXIT, exitCodeFor, outcomeExitCode } from "../exit-codes.js";
import { paint } from "../output.js";
import {
  parseActivateOptions,
  parseAs,
  parseNameKind,
  type ActivateOptions,
  type ParsedActivateOptions,
} from "../parse.js";
import { deactivateJson, describeOutcome, outcomeJson, progressPrinter, type DeactivateResult } from "../present.js";
import { requireAccount } from "./auth.js";

// `pimtray activate`, `deactivate` and `cancel`: a group or every group of a profile.

async function resolveName(ctx: CliContext, name: string, o: { as?: string; profile?: boolean; group?: boolean }) {
  const prefer = parseNameKind(o);
  const as = parseAs(o.as);
  const profiles = ctx.settings.profiles;
  // Only a profile name avoids the Graph call; everything else needs the eligibility list.
  const quick = profiles.find((p) => p.name.toLowerCase() === name.trim().toLowerCase());
  if (quick && o.profile) {
    return { resolved: { kind: "profile" as const, profile: quick }, eligibilities: [] as Eligibility[] };
  }
  const eligibilities = await ctx.engine.pim.eligibilities();
  return { resolved: resolveTarget(name, eligibilities, profiles, { as, prefer }), eligibilities };
}

/** One input per profile group; options given on the command line win over the profile's own. */
function profileInputs(
  profile: Profile,
  o: ActivateOptions,
  parsed: ParsedActivateOptions,
  names: Map<string, string>,
): ActivateInput[] {
  const durationMs =
    parsed.durationMs ?? (profile.duration ? (parseIsoDuration(profile.duration) ?? undefined) : undefined);
  const ticket = parsed.ticket ?? profile.ticket;
  const justification = o.justification ?? profile.justification;
  return profile.targets.map((t) => ({
    target: { groupId: t.groupId, accessId: t.accessId, groupName: names.get(t.groupId) ?? t.groupName ?? t.groupId },
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
  const names = new Map(eligibilities.map((e) => [e.groupId, e.groupName]));
  const inputs: ActivateInput[] =
    resolved.kind === "profile"
      ? profileInputs(resolved.profile, o, parsed, names)
      : [
          {
            target: { groupId: resolved.groupId, accessId: resolved.accessId, groupName: resolved.groupName },
            ...(durationMs ? { durationMs } : {}),
            ...(o.justification ? { justification: o.justification } : {}),
            ...(ticket ? { ticket } : {}),
            ...(startAt ? { startAt } : {}),
            ...(o.validateOnly ? { validateOnly: true } : {}),
          },
        ];
  const track = { waitFor, timeoutMs, onProgress: progressPrinter(ctx.out) };
  let outcomes: ActivationOutcome[];
  if (inputs.length === 1 && resolved.kind === "group") {
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
  o: { as?: string; wait?: boolean; profile?: boolean; group?: boolean },
): Promise<number> {
  await requireAccount(ctx);
  const { resolved, eligibilities } = await resolveName(ctx, name, o);
  const names = new Map(eligibilities.map((e) => [e.groupId, e.groupName]));
  const targets =
    resolved.kind === "profile"
      ? resolved.profile.targets.map((t) => ({
          groupId: t.groupId,
          accessId: t.accessId,
          groupName: names.get(t.groupId) ?? t.groupName ?? t.groupId,
        }))
      : [{ groupId: resolved.groupId, accessId: resolved.accessId, groupName: resolved.groupName }];
  const results: DeactivateResult[] = [];
  for (const target of targets) {
    try {
      const track = { wait: Boolean(o.wait), onProgress: progressPrinter(ctx.out) };
      results.push({ target, outcome: await ctx.engine.activation.deactivate(target, track) });
    } catch (e) {
      if (!(e instanceof PimTrayError)) throw e;
      // For a profile, a group that is not active is simply skipped.
      if (resolved.kind === "profile" && e.kind === "not-found") results.push({ target });
      else results.push({ target, error: e });
    }
  }
  ctx.out.clearProgress();
  if (ctx.out.json) {
    ctx.out.write(JSON.stringify(deactivateJson(results)));
  } else {
    for (const r of results) {
      if (r.outcome) ctx.out.write(describeOutcome(r.outcome, ctx.out));
      else if (r.error) ctx.out.error(`${paint(ctx.out, "red", "✗")} ${r.error.message}`);
      else ctx.out.write(`${r.target.groupName} (${r.target.accessId}) was not active.`);
    }
  }
  return Math.max(EXIT.ok, ...results.map((r) => (r.error ? exitCodeFor(r.error.kind) : EXIT.ok)));
}

export async function cmdCancel(ctx: CliContext, requestId: string): Promise<number> {
  await requireAccount(ctx);
  await ctx.engine.activation.cancel(requestId);
  if (ctx.out.json) ctx.out.write(JSON.stringify({ requestId, status: "Canceled" }));
  else ctx.out.write(`Request ${requestId} is canceled.`);
  return EXIT.ok;
}
