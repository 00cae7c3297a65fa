import type { ActivateInput, ActivationOutcome, Progress, Ticket, WaitFor } from "../engine/activation/activation-service.js";
import type { AccountSummary } from "../engine/auth/auth-service.js";
import { formatDuration, parseDuration, parseIsoDuration, toIsoDuration } from "../engine/duration.js";
import { AuthError, PimTrayError, UsageError } from "../engine/errors.js";
import { isPending, type AccessId, type Eligibility, type PolicySummary } from "../engine/graph/pim-client.js";
import { justificationProblem, ticketProblem } from "../engine/limits.js";
import { outcomeText } from "../engine/notify/outcome-texts.js";
import type { Profile, ProfileInput } from "../engine/profiles/settings-schema.js";
import { groupHints, labelWithHint, resolveTarget } from "../engine/resolve.js";
import type { CliContext } from "./context.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { localTime, paint, table, terminalSafe, timeLeft, type Out } from "./output.js";

// ---- option parsing ---------------------------------------------------------------------------

export function parseAs(v: string | undefined): AccessId | undefined {
  if (v === undefined) return undefined;
  const k = v.toLowerCase();
  if (k !== "member" && k !== "owner") throw new UsageError(`--as takes member or owner, not '${v}'.`);
  return k;
}

export function parseTicket(v: string | undefined): Ticket | undefined {
  if (v === undefined) return undefined;
  const i = v.indexOf(":");
  const system = i > 0 ? v.slice(0, i).trim() : "";
  const number = i > 0 ? v.slice(i + 1).trim() : "";
  if (!system || !number) throw new UsageError(`Write the ticket as SYSTEM:NUMBER, for example ServiceNow:INC0012345 (got '${v}').`);
  const tooLong = ticketProblem({ system, number });
  if (tooLong) throw new UsageError(tooLong);
  return { system, number };
}

/** --justification, refused here when too long: before sign-in, before any request. */
export function parseJustification(v: string | undefined): string | undefined {
  const tooLong = justificationProblem(v);
  if (tooLong) throw new UsageError(tooLong);
  return v;
}

export function parseStart(v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(v)) {
    throw new UsageError(`--start takes an ISO-8601 date-time such as 2026-11-27T16:00:00+01:00 (got '${v}').`);
  }
  return d;
}

/** --timeout: 30s, 5m, 2h or PT10M; unlike activation durations there is no 5-minute floor. */
export function parseTimeout(v: string | undefined, fallbackMs: number): number {
  if (v === undefined) return fallbackMs;
  const m = /^(\d+(?:\.\d+)?)\s*(s|sec|m|min|h)$/i.exec(v.trim());
  const unitMs: Record<string, number> = { s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3600_000 };
  if (m) return Math.round(Number(m[1]) * (unitMs[(m[2] ?? "s").toLowerCase()] ?? 1000));
  const iso = parseIsoDuration(v);
  if (iso === null || iso <= 0) throw new UsageError(`--timeout takes a duration such as 30s, 5m or 1h (got '${v}').`);
  return iso;
}

// ---- shared helpers ---------------------------------------------------------------------------

/** Demo mode signs in by itself; elsewhere a missing sign-in is a clear error with the fix. */
export async function requireAccount(ctx: CliContext): Promise<AccountSummary> {
  const account = await ctx.engine.auth.currentAccount();
  if (account) return account;
  if (ctx.demo) return ctx.engine.signIn({ method: "browser" });
  throw new AuthError("You are not signed in. Run `pimtray login` (or `pimtray login --device-code` without a browser).", { details: { needsSignIn: true } });
}

function progressPrinter(out: Out): (p: Progress) => void {
  return (p) => out.progress(`${p.groupName} (${p.accessId}): ${p.message}`);
}

function policyJson(p: PolicySummary) {
  return {
    known: p.known,
    maxDuration: p.maxDuration,
    maxDurationMinutes: p.maxDurationMs === null ? null : Math.round(p.maxDurationMs / 60_000),
    approvalRequired: p.approvalRequired,
    approvers: p.approvers.map((a) => a.description ?? a.id),
    mfaRequired: p.mfaRequired,
    authContext: p.authContext,
    justificationRequired: p.justificationRequired,
    ticketRequired: p.ticketRequired,
  };
}

export function outcomeJson(o: ActivationOutcome) {
  return {
    groupId: o.groupId,
    groupName: o.groupName,
    accessId: o.accessId,
    status: o.status,
    requestId: o.requestId,
    requestStatus: o.requestStatus,
    startDateTime: o.startDateTime,
    endDateTime: o.endDateTime,
    durationMinutes: o.durationMs === null ? null : Math.round(o.durationMs / 60_000),
    error: o.error ? { kind: o.error.kind, message: o.error.message } : null,
  };
}

export function describeOutcome(o: ActivationOutcome, out: Out): string {
  return outcomeText(o, {
    audience: "terminal",
    mark: (tone) => (tone === "ok" ? paint(out, "green", "✓") : tone === "bad" ? paint(out, "red", "✗") : paint(out, "yellow", "…")),
    // The name is Graph's: cleaned here too, so no colour code in it survives on a colour terminal.
    name: (n) => terminalSafe(n),
    until: (end) => `${localTime(end)} (${timeLeft(end)})`,
    startsAt: (start) => localTime(start),
  });
}

export function outcomeExitCode(o: ActivationOutcome, waited: boolean): number {
  if (o.error) return exitCodeFor(o.error.kind);
  if (o.status === "denied" || o.status === "canceled" || o.status === "failed") return EXIT.denied;
  if (waited && (o.status === "pending-approval" || o.status === "provisioning")) return EXIT.pending;
  return EXIT.ok;
}

// ---- commands ---------------------------------------------------------------------------------

export async function cmdLogin(ctx: CliContext, o: { deviceCode?: boolean; selectAccount?: boolean; account?: string }): Promise<number> {
  if (o.account) {
    // Switch to an account that is already signed in on this computer: no prompt.
    const account = await ctx.engine.switchAccount(o.account);
    if (ctx.out.json) ctx.out.write(JSON.stringify({ account }));
    else ctx.out.write(`Now using ${account.name ?? account.username} (${account.username}).`);
    return EXIT.ok;
  }
  const account = await ctx.engine.signIn({ method: o.deviceCode ? "device-code" : "browser", selectAccount: Boolean(o.selectAccount) });
  if (ctx.out.json) ctx.out.write(JSON.stringify({ account }));
  else ctx.out.write(`Signed in as ${account.name ?? account.username} (${account.username}), tenant ${account.tenantId}.`);
  return EXIT.ok;
}

export async function cmdLogout(ctx: CliContext, o: { all?: boolean }): Promise<number> {
  const removed = await ctx.engine.signOut(Boolean(o.all));
  if (ctx.out.json) ctx.out.write(JSON.stringify({ signedOut: removed.map((a) => a.username) }));
  else ctx.out.write(removed.length ? `Signed out ${removed.map((a) => a.username).join(", ")}. Its tokens were removed from this computer.` : "No account was signed in.");
  return EXIT.ok;
}

export async function cmdWhoami(ctx: CliContext): Promise<number> {
  const account = await ctx.engine.auth.currentAccount();
  const c = ctx.engine.connection;
  const others = (await ctx.engine.auth.accounts()).filter((a) => a.homeAccountId !== account?.homeAccountId).map((a) => a.username);
  if (ctx.out.json) {
    ctx.out.write(JSON.stringify({ account, otherAccounts: others, cloud: c.cloud, authority: c.authority, graphBaseUrl: c.graphBaseUrl, clientId: c.clientId, tokenStorage: ctx.engine.auth.persistenceDescription }));
  } else if (account) {
    ctx.out.write(`${account.name ?? account.username} (${account.username})\n  object id  ${account.objectId}\n  tenant     ${account.tenantId}\n  cloud      ${c.cloud} (${c.graphBaseUrl})\n  client id  ${c.clientId}\n  tokens     ${ctx.engine.auth.persistenceDescription}${others.length ? `\n  also signed in: ${others.join(", ")} (switch with pimtray login --account NAME)` : ""}`);
  } else {
    ctx.out.write("Not signed in. Run `pimtray login`.");
  }
  return account ? EXIT.ok : EXIT.auth;
}

export async function cmdEligible(ctx: CliContext): Promise<number> {
  await requireAccount(ctx);
  const withPolicies = await ctx.engine.eligibleWithPolicies();
  const eligibilities = withPolicies.map((r) => r.eligibility);
  const policies = withPolicies.map((r) => r.policy);
  if (ctx.out.json) {
    ctx.out.write(JSON.stringify({ eligibilities: eligibilities.map((e, i) => ({ groupId: e.groupId, groupName: e.groupName, groupDescription: e.groupDescription, groupMailNickname: e.groupMailNickname, accessId: e.accessId, eligibleUntil: e.endDateTime, policy: policyJson(policies[i] as PolicySummary) })) }));
    return EXIT.ok;
  }
  if (!eligibilities.length) {
    ctx.out.write("You have no PIM for Groups eligibilities.");
    return EXIT.ok;
  }
  const yes = (b: boolean) => (b ? "yes" : "—");
  // Two groups called "Platform Ops" must not look the same: say what tells them apart.
  const hints = groupHints(eligibilities);
  const rows = eligibilities.map((e, i) => {
    const p = policies[i] as PolicySummary;
    const name = labelWithHint(e.groupName, hints.get(e.groupId));
    if (!p.known) return [name, e.accessId, "?", "?", "?", "?", "?", e.endDateTime ? localTime(e.endDateTime) : "—"];
    const verification = p.authContext ? `context ${p.authContext}` : p.mfaRequired ? "MFA" : "—";
    const approval = p.approvalRequired ? (p.approvers.map((a) => a.description).filter(Boolean).join(", ") || "yes") : "—";
    return [name, e.accessId, p.maxDurationMs ? formatDuration(p.maxDurationMs) : "—", approval, verification, yes(p.justificationRequired), yes(p.ticketRequired), e.endDateTime ? localTime(e.endDateTime) : "—"];
  });
  ctx.out.write(table(["GROUP", "ROLE", "MAX", "APPROVAL", "VERIFY", "JUSTIFY", "TICKET", "ELIGIBLE UNTIL"], rows, ctx.out));
  if (policies.some((p) => !p.known)) ctx.out.write(paint(ctx.out, "dim", "? = the policy could not be read; PIM checks it when you activate."));
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
    ctx.out.write(
      JSON.stringify({
        active: active.map((a) => ({ groupId: a.groupId, groupName: a.groupName, accessId: a.accessId, startDateTime: a.startDateTime, endDateTime: a.endDateTime, assignmentType: a.assignmentType, minutesLeft: a.endDateTime ? Math.max(0, Math.round((Date.parse(a.endDateTime) - Date.now()) / 60_000)) : null })),
        pending: pending.map((r) => ({ requestId: r.id, groupId: r.groupId, groupName: names.get(r.groupId) ?? r.groupId, accessId: r.accessId, status: r.status, createdDateTime: r.createdDateTime, startDateTime: r.startDateTime, justification: r.justification })),
      }),
    );
    return EXIT.ok;
  }
  if (active.length) {
    ctx.out.write(paint(ctx.out, "bold", "Active"));
    const hints = groupHints(active);
    ctx.out.write(table(["GROUP", "ROLE", "UNTIL", "LEFT"], active.map((a) => [labelWithHint(a.groupName, hints.get(a.groupId)), a.accessId + (a.assignmentType === "assigned" ? " (standing)" : ""), localTime(a.endDateTime), timeLeft(a.endDateTime)]), ctx.out));
  } else {
    ctx.out.write("Nothing is active.");
  }
  if (pending.length) {
    ctx.out.write(`\n${paint(ctx.out, "bold", "Pending")}`);
    ctx.out.write(table(["GROUP", "ROLE", "STATUS", "REQUESTED", "REQUEST ID"], pending.map((r) => [names.get(r.groupId) ?? r.groupId, r.accessId, r.status, localTime(r.createdDateTime), r.id]), ctx.out));
  }
  return EXIT.ok;
}

interface ActivateOptions {
  as?: string;
  duration?: string;
  justification?: string;
  ticket?: string;
  start?: string;
  wait?: boolean;
  noWait?: boolean;
  timeout?: string;
  validateOnly?: boolean;
  profile?: boolean;
  group?: boolean;
}

async function resolveName(ctx: CliContext, name: string, o: { as?: string; profile?: boolean; group?: boolean }) {
  if (o.profile && o.group) throw new UsageError("Use --profile or --group, not both.");
  const as = parseAs(o.as);
  const profiles = ctx.settings.profiles;
  // Only a profile name avoids the Graph call; everything else needs the eligibility list.
  const quick = profiles.find((p) => p.name.toLowerCase() === name.trim().toLowerCase());
  if (quick && o.profile) return { resolved: { kind: "profile" as const, profile: quick }, eligibilities: [] as Eligibility[] };
  const eligibilities = await ctx.engine.pim.eligibilities();
  return { resolved: resolveTarget(name, eligibilities, profiles, { as, prefer: o.profile ? "profile" : o.group ? "group" : undefined }), eligibilities };
}

function profileInputs(profile: Profile, o: ActivateOptions, names: Map<string, string>): ActivateInput[] {
  const durationMs = o.duration ? parseDuration(o.duration) : profile.duration ? (parseIsoDuration(profile.duration) ?? undefined) : undefined;
  const ticket = parseTicket(o.ticket) ?? profile.ticket;
  const startAt = parseStart(o.start);
  return profile.targets.map((t) => ({
    target: { groupId: t.groupId, accessId: t.accessId, groupName: names.get(t.groupId) ?? t.groupName ?? t.groupId },
    ...(durationMs ? { durationMs } : {}),
    ...((o.justification ?? profile.justification) ? { justification: o.justification ?? profile.justification } : {}),
    ...(ticket ? { ticket } : {}),
    ...(startAt ? { startAt } : {}),
    ...(o.validateOnly ? { validateOnly: true } : {}),
  }));
}

export async function cmdActivate(ctx: CliContext, name: string, o: ActivateOptions): Promise<number> {
  // Validate every option before any request is sent.
  const durationMs = o.duration ? parseDuration(o.duration) : undefined;
  const ticket = parseTicket(o.ticket);
  parseJustification(o.justification);
  const startAt = parseStart(o.start);
  parseAs(o.as);
  if (o.wait && o.noWait) throw new UsageError("Use --wait or --no-wait, not both.");
  const waitFor: WaitFor = o.wait ? "final" : o.noWait ? "none" : "provisioned";
  const timeoutMs = parseTimeout(o.timeout, o.wait ? 15 * 60_000 : 60_000);
  await requireAccount(ctx);
  const { resolved, eligibilities } = await resolveName(ctx, name, o);
  const names = new Map(eligibilities.map((e) => [e.groupId, e.groupName]));
  const inputs: ActivateInput[] =
    resolved.kind === "profile"
      ? profileInputs(resolved.profile, o, names)
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
    ctx.out.write(JSON.stringify({ ...(resolved.kind === "profile" ? { profile: resolved.profile.name } : {}), outcomes: outcomes.map(outcomeJson) }));
  } else {
    for (const x of outcomes) ctx.out.write(describeOutcome(x, ctx.out));
  }
  return Math.max(...codes);
}

export async function cmdDeactivate(ctx: CliContext, name: string, o: { as?: string; wait?: boolean; profile?: boolean; group?: boolean }): Promise<number> {
  await requireAccount(ctx);
  const { resolved, eligibilities } = await resolveName(ctx, name, o);
  const names = new Map(eligibilities.map((e) => [e.groupId, e.groupName]));
  const targets =
    resolved.kind === "profile"
      ? resolved.profile.targets.map((t) => ({ groupId: t.groupId, accessId: t.accessId, groupName: names.get(t.groupId) ?? t.groupName ?? t.groupId }))
      : [{ groupId: resolved.groupId, accessId: resolved.accessId, groupName: resolved.groupName }];
  const results: Array<{ outcome?: ActivationOutcome; error?: PimTrayError; target: (typeof targets)[number] }> = [];
  for (const target of targets) {
    try {
      results.push({ target, outcome: await ctx.engine.activation.deactivate(target, { wait: Boolean(o.wait), onProgress: progressPrinter(ctx.out) }) });
    } catch (e) {
      if (!(e instanceof PimTrayError)) throw e;
      // For a profile, a group that is not active is simply skipped.
      if (resolved.kind === "profile" && e.kind === "not-found") results.push({ target });
      else results.push({ target, error: e });
    }
  }
  ctx.out.clearProgress();
  if (ctx.out.json) {
    ctx.out.write(JSON.stringify({ outcomes: results.map((r) => ({ groupId: r.target.groupId, groupName: r.target.groupName, accessId: r.target.accessId, status: r.outcome ? "deactivated" : r.error ? "failed" : "not-active", requestId: r.outcome?.requestId ?? null, error: r.error ? { kind: r.error.kind, message: r.error.message, ...r.error.details } : null })) }));
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

export async function cmdHistory(ctx: CliContext, o: { limit?: string }): Promise<number> {
  const limit = o.limit ? Number(o.limit) : 20;
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError("--limit takes a whole number, at least 1.");
  const { entries, skipped } = await ctx.history.read(limit);
  if (ctx.out.json) {
    ctx.out.write(JSON.stringify({ entries, skippedLines: skipped }));
    return EXIT.ok;
  }
  if (!entries.length) ctx.out.write("No activations recorded yet.");
  else {
    ctx.out.write(table(["TIME", "ACTION", "GROUP", "ROLE", "DURATION", "STATUS", "REQUEST ID"], entries.map((e) => [localTime(e.time), e.action, e.groupName, e.accessId, e.durationMs ? formatDuration(e.durationMs) : "—", e.status, e.requestId ?? "—"]), ctx.out));
  }
  if (skipped) ctx.out.error(`${skipped} damaged line(s) in ${ctx.history.path} were skipped.`);
  return EXIT.ok;
}

// ---- profiles ---------------------------------------------------------------------------------

export interface ProfileOptions {
  group?: string[];
  as?: string;
  duration?: string;
  justification?: string;
  ticket?: string;
  autoActivate?: boolean;
  keepActiveUntil?: string;
  keepActiveRenewals?: string;
  notify?: string;
  name?: string;
}

async function profileTargets(ctx: CliContext, groups: string[], as: AccessId | undefined): Promise<ProfileInput["targets"]> {
  await requireAccount(ctx);
  const eligibilities = await ctx.engine.pim.eligibilities();
  return groups.map((g) => {
    const m = /^(.*):(member|owner)$/i.exec(g);
    const name = m ? (m[1] ?? "") : g;
    const role = m ? parseAs(m[2]) : as;
    const r = resolveTarget(name, eligibilities, [], { as: role, prefer: "group" });
    if (r.kind !== "group") throw new UsageError(`'${g}' is not a group.`);
    return { groupId: r.groupId, accessId: r.accessId, groupName: r.groupName };
  });
}

function profileFields(o: ProfileOptions): Partial<ProfileInput> {
  const out: Partial<ProfileInput> = {};
  if (o.duration) out.duration = toIsoDuration(parseDuration(o.duration));
  if (o.justification !== undefined) out.justification = parseJustification(o.justification);
  if (o.ticket !== undefined) out.ticket = parseTicket(o.ticket);
  if (o.autoActivate !== undefined) out.autoActivate = o.autoActivate;
  if (o.keepActiveUntil !== undefined || o.keepActiveRenewals !== undefined) {
    const renewals = o.keepActiveRenewals !== undefined ? Number(o.keepActiveRenewals) : undefined;
    if (renewals !== undefined && (!Number.isInteger(renewals) || renewals < 1)) throw new UsageError("--keep-active-renewals takes a whole number, at least 1.");
    out.keepActive = { enabled: true, ...(o.keepActiveUntil ? { until: o.keepActiveUntil } : {}), ...(renewals ? { maxRenewals: renewals } : {}) };
  }
  if (o.notify !== undefined) {
    const minutes = o.notify.split(",").map((s) => Number(s.trim()));
    if (minutes.some((n) => !Number.isInteger(n) || n < 1)) throw new UsageError("--notify takes minutes before expiry, such as 10,2.");
    out.notifyLeadMinutes = minutes;
  }
  return out;
}

function profileJson(p: Profile) {
  return p;
}

export async function cmdProfile(ctx: CliContext, action: string, name: string | undefined, o: ProfileOptions): Promise<number> {
  const svc = ctx.engine.profiles;
  const need = (): string => {
    if (!name) throw new UsageError(`\`pimtray profile ${action}\` needs a profile name.`);
    return name;
  };
  switch (action) {
    case "list": {
      const profiles = await svc.list();
      if (ctx.out.json) ctx.out.write(JSON.stringify({ profiles: profiles.map(profileJson) }));
      else if (!profiles.length) ctx.out.write("No profiles yet. Create one: pimtray profile add NAME --group GROUP [--group GROUP…] --justification TEXT");
      else
        ctx.out.write(
          table(
            ["NAME", "GROUPS", "DURATION", "AT LOGIN", "KEEP ACTIVE"],
            profiles.map((p) => [
              p.name,
              p.targets.map((t) => `${t.groupName ?? t.groupId}${t.accessId === "owner" ? " (owner)" : ""}`).join(", "),
              p.duration ? formatDuration(parseIsoDuration(p.duration) ?? 0) : "policy max",
              p.autoActivate ? "yes" : "—",
              p.keepActive.enabled ? [p.keepActive.until ? `until ${p.keepActive.until}` : "", p.keepActive.maxRenewals ? `${p.keepActive.maxRenewals} renewals` : ""].filter(Boolean).join(", ") : "—",
            ]),
            ctx.out,
          ),
        );
      return EXIT.ok;
    }
    case "show": {
      const p = await svc.get(need());
      if (ctx.out.json) ctx.out.write(JSON.stringify({ profile: profileJson(p) }));
      else {
        ctx.out.write(
          [
            paint(ctx.out, "bold", p.name),
            ...p.targets.map((t) => `  group          ${t.groupName ?? t.groupId} (${t.accessId})  ${t.groupId}`),
            `  duration       ${p.duration ? formatDuration(parseIsoDuration(p.duration) ?? 0) : "the policy's maximum"}`,
            `  justification  ${p.justification ?? "—"}`,
            `  ticket         ${p.ticket ? `${p.ticket.system}:${p.ticket.number}` : "—"}`,
            `  at login       ${p.autoActivate ? "activate automatically" : "no"}`,
            `  keep active    ${p.keepActive.enabled ? `yes${p.keepActive.until ? `, until ${p.keepActive.until}` : ""}${p.keepActive.maxRenewals ? `, at most ${p.keepActive.maxRenewals} renewals` : ""}` : "no"}`,
            `  notify         ${(p.notifyLeadMinutes ?? ctx.settings.notifications.leadMinutes).map((m) => `${m} min`).join(", ")} before expiry`,
          ].join("\n"),
        );
      }
      return EXIT.ok;
    }
    case "add": {
      const n = need();
      if (!o.group?.length) throw new UsageError("A profile needs at least one group: add --group NAME (repeat it for more groups; NAME:owner for ownership).");
      const fields = profileFields(o);
      const targets = await profileTargets(ctx, o.group, parseAs(o.as));
      const p = await svc.add({ name: n, targets, ...fields });
      if (ctx.out.json) ctx.out.write(JSON.stringify({ profile: profileJson(p) }));
      else ctx.out.write(`Profile '${p.name}' saved with ${p.targets.length} group${p.targets.length === 1 ? "" : "s"}. Activate it with: pimtray activate "${p.name}"`);
      return EXIT.ok;
    }
    case "edit": {
      const n = need();
      const fields = profileFields(o);
      if (o.name) fields.name = o.name;
      if (o.group?.length) fields.targets = await profileTargets(ctx, o.group, parseAs(o.as));
      if (!Object.keys(fields).length) throw new UsageError("Nothing to change: give the options to update, e.g. --duration 2h or --group NAME.");
      const p = await svc.edit(n, fields);
      if (ctx.out.json) ctx.out.write(JSON.stringify({ profile: profileJson(p) }));
      else ctx.out.write(`Profile '${p.name}' updated.`);
      return EXIT.ok;
    }
    case "remove": {
      const p = await svc.remove(need());
      if (ctx.out.json) ctx.out.write(JSON.stringify({ removed: p.name }));
      else ctx.out.write(`Profile '${p.name}' removed.`);
      return EXIT.ok;
    }
    default:
      throw new UsageError(`Unknown profile action '${action}'. Use list, show, add, edit or remove.`);
  }
}
