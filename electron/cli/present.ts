import type { ActivationOutcome, Progress } from "../engine/activation/activation-service.js";
import type { AccountSummary } from "../engine/auth/auth-service.js";
import type { ResolvedConnection } from "../engine/config.js";
import { formatDuration, parseIsoDuration } from "../engine/duration.js";
import type { EligibleWithPolicy } from "../engine/eligible.js";
import type { PimTrayError } from "../engine/errors.js";
import type { AccessId, ActiveAssignment, PolicySummary, ScheduleRequest } from "../engine/graph/pim-client.js";
import type { HistoryEntry } from "../engine/history/history-log.js";
import { outcomeText } from "../engine/notify/outcome-texts.js";
import type { Profile } from "../engine/profiles/settings-schema.js";
import { groupHints, labelWithHint } from "../engine/resolve.js";
import { localTime, paint, table, terminalSafe, timeLeft, type Out } from "./output.js";

// What `pimtray` commands print: the tables and lines for people, and the JSON shapes that
// docs/cli.md documents as a contract (field names and order stay as they are).

export function progressPrinter(out: Out): (p: Progress) => void {
  return (p) => out.progress(`${p.groupName} (${p.accessId}): ${p.message}`);
}

// ---- accounts ---------------------------------------------------------------------------------

export interface WhoamiFacts {
  account: AccountSummary | null;
  otherAccounts: string[];
  connection: ResolvedConnection;
  tokenStorage: string;
}

export function whoamiJson(f: WhoamiFacts) {
  const c = f.connection;
  return {
    account: f.account,
    otherAccounts: f.otherAccounts,
    cloud: c.cloud,
    authority: c.authority,
    graphBaseUrl: c.graphBaseUrl,
    clientId: c.clientId,
    tokenStorage: f.tokenStorage,
  };
}

export function whoamiText(f: WhoamiFacts): string {
  const { account, connection: c, otherAccounts: others } = f;
  if (!account) return "Not signed in. Run `pimtray login`.";
  return [
    `${account.name ?? account.username} (${account.username})`,
    `  object id  ${account.objectId}`,
    `  tenant     ${account.tenantId}`,
    `  cloud      ${c.cloud} (${c.graphBaseUrl})`,
    `  client id  ${c.clientId}`,
    `  tokens     ${f.tokenStorage}`,
    ...(others.length ? [`  also signed in: ${others.join(", ")} (switch with pimtray login --account NAME)`] : []),
  ].join("\n");
}

// ---- activation outcomes ----------------------------------------------------------------------

export function policyJson(p: PolicySummary) {
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

/** The outcome line: the engine's one outcome text, with a terminal's marks and times. */
export function describeOutcome(o: ActivationOutcome, out: Out): string {
  return outcomeText(o, {
    audience: "terminal",
    mark: (tone) =>
      tone === "ok" ? paint(out, "green", "✓") : tone === "bad" ? paint(out, "red", "✗") : paint(out, "yellow", "…"),
    // The name is Graph's: cleaned here too, so no colour code in it survives on a colour terminal.
    name: (n) => terminalSafe(n),
    until: (end) => `${localTime(end)} (${timeLeft(end)})`,
    startsAt: (start) => localTime(start),
  });
}

export interface DeactivateResult {
  target: { groupId: string; groupName: string; accessId: AccessId };
  outcome?: ActivationOutcome;
  error?: PimTrayError;
}

export function deactivateJson(results: DeactivateResult[]) {
  return {
    outcomes: results.map((r) => ({
      groupId: r.target.groupId,
      groupName: r.target.groupName,
      accessId: r.target.accessId,
      status: r.outcome ? "deactivated" : r.error ? "failed" : "not-active",
      requestId: r.outcome?.requestId ?? null,
      error: r.error ? { kind: r.error.kind, message: r.error.message, ...r.error.details } : null,
    })),
  };
}

// ---- eligible and status ----------------------------------------------------------------------

export function eligibleJson(rows: EligibleWithPolicy[]) {
  return {
    eligibilities: rows.map(({ eligibility: e, policy }) => ({
      groupId: e.groupId,
      groupName: e.groupName,
      groupDescription: e.groupDescription,
      groupMailNickname: e.groupMailNickname,
      accessId: e.accessId,
      eligibleUntil: e.endDateTime,
      policy: policyJson(policy),
    })),
  };
}

export function eligibleTable(rows: EligibleWithPolicy[], out: Out): string {
  const yes = (b: boolean) => (b ? "yes" : "—");
  // Two groups called "Platform Ops" must not look the same: say what tells them apart.
  const hints = groupHints(rows.map((r) => r.eligibility));
  const cells = rows.map(({ eligibility: e, policy: p }) => {
    const name = labelWithHint(e.groupName, hints.get(e.groupId));
    const until = e.endDateTime ? localTime(e.endDateTime) : "—";
    if (!p.known) return [name, e.accessId, "?", "?", "?", "?", "?", until];
    const verification = p.authContext ? `context ${p.authContext}` : p.mfaRequired ? "MFA" : "—";
    const approval = p.approvalRequired
      ? p.approvers
          .map((a) => a.description)
          .filter(Boolean)
          .join(", ") || "yes"
      : "—";
    const max = p.maxDurationMs ? formatDuration(p.maxDurationMs) : "—";
    return [name, e.accessId, max, approval, verification, yes(p.justificationRequired), yes(p.ticketRequired), until];
  });
  return table(["GROUP", "ROLE", "MAX", "APPROVAL", "VERIFY", "JUSTIFY", "TICKET", "ELIGIBLE UNTIL"], cells, out);
}

export function statusJson(active: ActiveAssignment[], pending: ScheduleRequest[], names: Map<string, string>) {
  return {
    active: active.map((a) => ({
      groupId: a.groupId,
      groupName: a.groupName,
      accessId: a.accessId,
      startDateTime: a.startDateTime,
      endDateTime: a.endDateTime,
      assignmentType: a.assignmentType,
      minutesLeft: a.endDateTime ? Math.max(0, Math.round((Date.parse(a.endDateTime) - Date.now()) / 60_000)) : null,
    })),
    pending: pending.map((r) => ({
      requestId: r.id,
      groupId: r.groupId,
      groupName: names.get(r.groupId) ?? r.groupId,
      accessId: r.accessId,
      status: r.status,
      createdDateTime: r.createdDateTime,
      startDateTime: r.startDateTime,
      justification: r.justification,
    })),
  };
}

/** The status report as blocks, each written on its own. */
export function statusBlocks(
  active: ActiveAssignment[],
  pending: ScheduleRequest[],
  names: Map<string, string>,
  out: Out,
): string[] {
  const blocks: string[] = [];
  if (active.length) {
    const hints = groupHints(active);
    const rows = active.map((a) => [
      labelWithHint(a.groupName, hints.get(a.groupId)),
      a.accessId + (a.assignmentType === "assigned" ? " (standing)" : ""),
      localTime(a.endDateTime),
      timeLeft(a.endDateTime),
    ]);
    blocks.push(paint(out, "bold", "Active"), table(["GROUP", "ROLE", "UNTIL", "LEFT"], rows, out));
  } else {
    blocks.push("Nothing is active.");
  }
  if (pending.length) {
    const rows = pending.map((r) => [
      names.get(r.groupId) ?? r.groupId,
      r.accessId,
      r.status,
      localTime(r.createdDateTime),
      r.id,
    ]);
    blocks.push(
      `\n${paint(out, "bold", "Pending")}`,
      table(["GROUP", "ROLE", "STATUS", "REQUESTED", "REQUEST ID"], rows, out),
    );
  }
  return blocks;
}

// ---- history ----------------------------------------------------------------------------------

export function historyTable(entries: HistoryEntry[], out: Out): string {
  const rows = entries.map((e) => [
    localTime(e.time),
    e.action,
    e.groupName,
    e.accessId,
    e.durationMs ? formatDuration(e.durationMs) : "—",
    e.status,
    e.requestId ?? "—",
  ]);
  return table(["TIME", "ACTION", "GROUP", "ROLE", "DURATION", "STATUS", "REQUEST ID"], rows, out);
}

// ---- profiles ---------------------------------------------------------------------------------

export function profilesTable(profiles: Profile[], out: Out): string {
  const rows = profiles.map((p) => [
    p.name,
    p.targets.map((t) => `${t.groupName ?? t.groupId}${t.accessId === "owner" ? " (owner)" : ""}`).join(", "),
    p.duration ? formatDuration(parseIsoDuration(p.duration) ?? 0) : "policy max",
    p.autoActivate ? "yes" : "—",
    p.keepActive.enabled
      ? [
          p.keepActive.until ? `until ${p.keepActive.until}` : "",
          p.keepActive.maxRenewals ? `${p.keepActive.maxRenewals} renewals` : "",
        ]
          .filter(Boolean)
          .join(", ")
      : "—",
  ]);
  return table(["NAME", "GROUPS", "DURATION", "AT LOGIN", "KEEP ACTIVE"], rows, out);
}

/** `profile show`; `leadMinutes` is the app-wide default for a profile without its own warnings. */
export function profileDetails(p: Profile, leadMinutes: number[], out: Out): string {
  const k = p.keepActive;
  const keepActive = k.enabled
    ? `yes${k.until ? `, until ${k.until}` : ""}${k.maxRenewals ? `, at most ${k.maxRenewals} renewals` : ""}`
    : "no";
  return [
    paint(out, "bold", p.name),
    ...p.targets.map((t) => `  group          ${t.groupName ?? t.groupId} (${t.accessId})  ${t.groupId}`),
    `  duration       ${p.duration ? formatDuration(parseIsoDuration(p.duration) ?? 0) : "the policy's maximum"}`,
    `  justification  ${p.justification ?? "—"}`,
    `  ticket         ${p.ticket ? `${p.ticket.system}:${p.ticket.number}` : "—"}`,
    `  at login       ${p.autoActivate ? "activate automatically" : "no"}`,
    `  keep active    ${keepActive}`,
    `  notify         ${(p.notifyLeadMinutes ?? leadMinutes).map((m) => `${m} min`).join(", ")} before expiry`,
  ].join("\n");
}
