import type { ActivationOutcome, Progress } from "../engine/activation/activation-service.js";
import type { AccountSummary } from "../engine/auth/auth-service.js";
import type { ResolvedConnection } from "../engine/config.js";
import { formatDuration, parseIsoDuration } from "../engine/duration.js";
import type { EligibleWithPolicy } from "../engine/eligible.js";
import type { PimTrayError } from "../engine/errors.js";
import type { PolicySummary } from "../engine/graph/pim-client.js";
import { historyLabel, type HistoryEntry } from "../engine/history/history-log.js";
import { outcomeText } from "../engine/notify/outcome-texts.js";
import type { PlaneStatus } from "../engine/planes/planes.js";
import {
  labelOf,
  nameOf,
  PLANE_LABELS,
  scopeNameOf,
  scopeOf,
  type ActiveAssignment,
  type AzureEligibility,
  type Eligibility,
  type GroupAssignment,
  type GroupEligibility,
  type GroupRequest,
  type NamedRef,
  type PlaneKind,
  type RoleEligibility,
  type ScheduleRequest,
} from "../engine/planes/targets.js";
import type { Profile, ProfileTarget } from "../engine/profiles/settings-schema.js";
import { groupHints, labelWithHint } from "../engine/resolve.js";
import { localTime, paint, table, terminalSafe, timeLeft, type Out } from "./output.js";

// What `pimtray` commands print: the tables and lines for people, and the JSON shapes that
// docs/cli.md documents as a contract (field names and order stay as they are).

export function progressPrinter(out: Out): (p: Progress) => void {
  return (p) => out.progress(`${labelOf(p)}: ${p.message}`);
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
    armBaseUrl: c.armBaseUrl,
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
    `  azure      ${c.armBaseUrl ?? "off (no Azure Resource Manager endpoint for this connection)"}`,
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

/**
 * A target's fields in JSON: groups keep theirs (groupId, groupName, accessId) and gain kind, name,
 * scope and scopeName; roles and Azure roles carry the role definition's id beside them.
 */
export function targetJson(t: NamedRef) {
  switch (t.kind) {
    case "role":
    case "azure":
      return {
        kind: t.kind,
        name: t.roleName,
        scope: scopeOf(t),
        scopeName: t.scopeName,
        roleDefinitionId: t.roleDefinitionId,
      };
    default:
      return {
        groupId: t.groupId,
        groupName: t.groupName,
        accessId: t.accessId,
        kind: "group" as PlaneKind,
        name: t.groupName,
        scope: t.groupId,
        scopeName: t.groupName,
      };
  }
}

export function outcomeJson(o: ActivationOutcome) {
  return {
    ...targetJson(o),
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
  target: NamedRef;
  outcome?: ActivationOutcome;
  error?: PimTrayError;
}

export function deactivateJson(results: DeactivateResult[]) {
  return {
    outcomes: results.map((r) => ({
      ...targetJson(r.target),
      status: r.outcome ? "deactivated" : r.error ? "failed" : "not-active",
      requestId: r.outcome?.requestId ?? null,
      error: r.error ? { kind: r.error.kind, message: r.error.message, ...r.error.details } : null,
    })),
  };
}

// ---- eligible and status ----------------------------------------------------------------------

const isRoleElig = (e: Eligibility): e is RoleEligibility => e.kind === "role";
const isAzureElig = (e: Eligibility): e is AzureEligibility => e.kind === "azure";
const isGroupElig = (e: Eligibility): e is GroupEligibility => e.kind !== "role" && e.kind !== "azure";

/** One eligibility in JSON; a group's item keeps every field it always had. */
function eligibilityJson(e: Eligibility, policy: PolicySummary) {
  switch (e.kind) {
    case "role":
      return {
        kind: "role" as const,
        name: e.roleName,
        scope: e.directoryScopeId,
        scopeName: e.directoryScopeId === "/" ? "Directory" : e.scopeName,
        roleDefinitionId: e.roleDefinitionId,
        eligibleUntil: e.endDateTime,
        policy: policyJson(policy),
      };
    case "azure":
      return {
        kind: "azure" as const,
        name: e.roleName,
        scope: e.scope,
        scopeName: e.scopeName,
        scopeType: e.scopeType,
        roleDefinitionId: e.roleDefinitionId,
        eligibilityScheduleId: e.eligibilityScheduleId,
        eligibleUntil: e.endDateTime,
        policy: policyJson(policy),
      };
    default:
      return {
        kind: "group" as const,
        name: e.groupName,
        scope: e.groupId,
        scopeName: e.groupName,
        groupId: e.groupId,
        groupName: e.groupName,
        groupDescription: e.groupDescription,
        groupMailNickname: e.groupMailNickname,
        accessId: e.accessId,
        eligibleUntil: e.endDateTime,
        policy: policyJson(policy),
      };
  }
}

export function planesJson(planes: PlaneStatus[]) {
  return planes.map((p) => ({ kind: p.kind, state: p.state, note: p.note, count: p.count }));
}

export function eligibleJson(rows: EligibleWithPolicy[], planes: PlaneStatus[] = []) {
  return {
    eligibilities: rows.map(({ eligibility: e, policy }) => eligibilityJson(e, policy)),
    planes: planesJson(planes),
  };
}

/** MAX, APPROVAL, VERIFY, JUSTIFY and TICKET: the policy in five cells, the same on every plane. */
function policyCells(p: PolicySummary): string[] {
  const yes = (b: boolean) => (b ? "yes" : "—");
  if (!p.known) return ["?", "?", "?", "?", "?"];
  const verification = p.authContext ? `context ${p.authContext}` : p.mfaRequired ? "MFA" : "—";
  const approval = p.approvalRequired
    ? p.approvers
        .map((a) => a.description)
        .filter(Boolean)
        .join(", ") || "yes"
    : "—";
  const max = p.maxDurationMs ? formatDuration(p.maxDurationMs) : "—";
  return [max, approval, verification, yes(p.justificationRequired), yes(p.ticketRequired)];
}

const POLICY_HEADERS = ["MAX", "APPROVAL", "VERIFY", "JUSTIFY", "TICKET", "ELIGIBLE UNTIL"];

/** The groups' table, as it always was. */
export function eligibleTable(rows: EligibleWithPolicy[], out: Out): string {
  const groups = rows.filter((r): r is { eligibility: GroupEligibility; policy: PolicySummary } =>
    isGroupElig(r.eligibility),
  );
  // Two groups called "Platform Ops" must not look the same: say what tells them apart.
  const hints = groupHints(groups.map((r) => r.eligibility));
  const cells = groups.map(({ eligibility: e, policy: p }) => {
    const name = labelWithHint(e.groupName, hints.get(e.groupId));
    const until = e.endDateTime ? localTime(e.endDateTime) : "—";
    return [name, e.accessId, ...policyCells(p), until];
  });
  return table(["GROUP", "ROLE", ...POLICY_HEADERS], cells, out);
}

/** The Entra ID roles' and Azure roles' tables, each under its heading; empty planes print nothing. */
export function roleTables(rows: EligibleWithPolicy[], out: Out): string[] {
  const blocks: string[] = [];
  const until = (e: Eligibility) => (e.endDateTime ? localTime(e.endDateTime) : "—");
  const roles = rows.filter((r) => isRoleElig(r.eligibility));
  if (roles.length) {
    const cells = roles.map(({ eligibility: e, policy }) => {
      const r = e as RoleEligibility;
      return [r.roleName, r.directoryScopeId === "/" ? "Directory" : r.scopeName, ...policyCells(policy), until(e)];
    });
    blocks.push(
      `\n${paint(out, "bold", PLANE_LABELS.role.many)}`,
      table(["ROLE", "SCOPE", ...POLICY_HEADERS], cells, out),
    );
  }
  const azure = rows.filter((r) => isAzureElig(r.eligibility));
  if (azure.length) {
    const cells = azure.map(({ eligibility: e, policy }) => {
      const a = e as AzureEligibility;
      return [a.roleName, a.scopeName, a.scopeType, ...policyCells(policy), until(e)];
    });
    blocks.push(
      `\n${paint(out, "bold", PLANE_LABELS.azure.many)}`,
      table(["ROLE", "SCOPE", "TYPE", ...POLICY_HEADERS], cells, out),
    );
  }
  return blocks;
}

/** Names for records that carry only ids (requests): from the eligibilities and active assignments. */
export interface Names {
  groups: Map<string, string>;
  /** Role definition id (lower-case) → its name. */
  roles: Map<string, string>;
  /** Scope id (lower-case) → its name. */
  scopes: Map<string, string>;
}

export function namesFrom(records: ReadonlyArray<Eligibility | ActiveAssignment>): Names {
  const n: Names = { groups: new Map(), roles: new Map(), scopes: new Map() };
  for (const r of records) {
    if (r.kind === "role" || r.kind === "azure") {
      n.roles.set(r.roleDefinitionId.toLowerCase(), r.roleName);
      n.scopes.set(scopeOf(r).toLowerCase(), r.scopeName);
    } else n.groups.set(r.groupId, r.groupName);
  }
  return n;
}

/** A request with the best names at hand. */
export function namedRequest(r: ScheduleRequest, names: Names): NamedRef {
  switch (r.kind) {
    case "role":
    case "azure": {
      const scope = scopeOf(r);
      const roleName = names.roles.get(r.roleDefinitionId.toLowerCase()) ?? r.roleDefinitionId.split("/").pop() ?? "";
      const scopeName =
        scope === "/" ? "Directory" : (names.scopes.get(scope.toLowerCase()) ?? scope.split("/").pop() ?? scope);
      return r.kind === "role"
        ? {
            kind: "role",
            roleDefinitionId: r.roleDefinitionId,
            directoryScopeId: r.directoryScopeId,
            roleName,
            scopeName,
          }
        : { kind: "azure", roleDefinitionId: r.roleDefinitionId, scope: r.scope, roleName, scopeName };
    }
    default:
      return { groupId: r.groupId, accessId: r.accessId, groupName: names.groups.get(r.groupId) ?? r.groupId };
  }
}

const minutesLeft = (end: string | null) =>
  end ? Math.max(0, Math.round((Date.parse(end) - Date.now()) / 60_000)) : null;

export function statusJson(
  active: ActiveAssignment[],
  pending: ScheduleRequest[],
  names: Names,
  planes: PlaneStatus[] = [],
) {
  const item = (a: ActiveAssignment) => ({
    ...targetJson(a),
    startDateTime: a.startDateTime,
    endDateTime: a.endDateTime,
    assignmentType: a.assignmentType,
    minutesLeft: minutesLeft(a.endDateTime),
  });
  // A role's or Azure role's standing assignment was not activated and cannot be deactivated: it is
  // listed apart, as the lifecycle keeps it apart. Groups' keep their place in `active`, as before.
  const standing = (a: ActiveAssignment) => !isGroupRecord(a) && a.assignmentType === "assigned";
  return {
    active: active.filter((a) => !standing(a)).map(item),
    standing: active.filter(standing).map(item),
    pending: pending.map((r) => ({
      requestId: r.id,
      ...targetJson(namedRequest(r, names)),
      status: r.status,
      createdDateTime: r.createdDateTime,
      startDateTime: r.startDateTime,
      justification: r.justification,
    })),
    planes: planesJson(planes),
  };
}

const isGroupRecord = <T extends { kind?: PlaneKind | undefined }>(t: T) => t.kind !== "role" && t.kind !== "azure";

/** The status report as blocks, each written on its own; the groups' tables are as they always were. */
export function statusBlocks(active: ActiveAssignment[], pending: ScheduleRequest[], names: Names, out: Out): string[] {
  const blocks: string[] = [];
  const groupActive = active.filter((a): a is GroupAssignment => isGroupRecord(a));
  const roleActive = active.filter((a) => !isGroupRecord(a));
  if (groupActive.length) {
    const hints = groupHints(groupActive);
    const rows = groupActive.map((a) => [
      labelWithHint(a.groupName, hints.get(a.groupId)),
      a.accessId + (a.assignmentType === "assigned" ? " (standing)" : ""),
      localTime(a.endDateTime),
      timeLeft(a.endDateTime),
    ]);
    blocks.push(paint(out, "bold", "Active"), table(["GROUP", "ROLE", "UNTIL", "LEFT"], rows, out));
  }
  if (roleActive.length) {
    const rows = roleActive.map((a) => [
      PLANE_LABELS[a.kind === "role" ? "role" : "azure"].one,
      nameOf(a) + (a.assignmentType === "assigned" ? " (standing)" : ""),
      scopeNameOf(a),
      a.endDateTime ? localTime(a.endDateTime) : "permanent",
      a.endDateTime ? timeLeft(a.endDateTime) : "—",
    ]);
    blocks.push(
      `${groupActive.length ? "\n" : ""}${paint(out, "bold", "Active roles")}`,
      table(["PLANE", "ROLE", "SCOPE", "UNTIL", "LEFT"], rows, out),
    );
  }
  if (!active.length) blocks.push("Nothing is active.");
  const groupPending = pending.filter((r): r is GroupRequest => isGroupRecord(r));
  const rolePending = pending.filter((r) => !isGroupRecord(r));
  if (groupPending.length) {
    const rows = groupPending.map((r) => [
      names.groups.get(r.groupId) ?? r.groupId,
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
  if (rolePending.length) {
    const rows = rolePending.map((r) => {
      const n = namedRequest(r, names);
      return [
        PLANE_LABELS[n.kind === "azure" ? "azure" : "role"].one,
        nameOf(n),
        scopeNameOf(n),
        r.status,
        localTime(r.createdDateTime),
        r.id,
      ];
    });
    blocks.push(
      `\n${paint(out, "bold", "Pending roles")}`,
      table(["PLANE", "ROLE", "SCOPE", "STATUS", "REQUESTED", "REQUEST ID"], rows, out),
    );
  }
  return blocks;
}

/** One line per plane that is not ok and has something to say (a plane turned off in settings does not). */
export function planeNotes(planes: PlaneStatus[], kind?: PlaneKind): string[] {
  return planes.filter((p) => p.state !== "ok" && p.note && (!kind || p.kind === kind)).map((p) => p.note ?? "");
}

// ---- history ----------------------------------------------------------------------------------

export function historyTable(entries: HistoryEntry[], out: Out): string {
  const rows = entries.map((e) => [
    localTime(e.time),
    e.action,
    e.kind === "role" || e.kind === "azure" ? historyLabel(e) : (e.groupName ?? e.groupId ?? "?"),
    e.kind === "role" || e.kind === "azure" ? PLANE_LABELS[e.kind].one : (e.accessId ?? "?"),
    e.durationMs ? formatDuration(e.durationMs) : "—",
    e.status,
    e.requestId ?? "—",
  ]);
  return table(["TIME", "ACTION", "GROUP", "ROLE", "DURATION", "STATUS", "REQUEST ID"], rows, out);
}

// ---- profiles ---------------------------------------------------------------------------------

/** A profile target as people read it: "Platform Ops (owner)", "Global Reader", "Contributor on rg-web". */
export function profileTargetLabel(t: ProfileTarget): string {
  switch (t.kind) {
    case "role": {
      const role = t.roleName ?? t.roleDefinitionId;
      return t.directoryScopeId === "/" ? role : `${role} on ${t.scopeName ?? t.directoryScopeId}`;
    }
    case "azure":
      return `${t.roleName ?? t.roleDefinitionId.split("/").pop()} on ${t.scopeName ?? t.scope}`;
    default:
      return `${t.groupName ?? t.groupId}${t.accessId === "owner" ? " (owner)" : ""}`;
  }
}

export function profilesTable(profiles: Profile[], out: Out): string {
  const rows = profiles.map((p) => [
    p.name,
    p.targets.map(profileTargetLabel).join(", "),
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

function profileTargetLine(t: ProfileTarget): string {
  switch (t.kind) {
    case "role":
      return `  role           ${profileTargetLabel(t)}  ${t.roleDefinitionId} at ${t.directoryScopeId}`;
    case "azure":
      return `  azure role     ${profileTargetLabel(t)}  ${t.scope}`;
    default:
      return `  group          ${t.groupName ?? t.groupId} (${t.accessId})  ${t.groupId}`;
  }
}

/** `profile show`; `leadMinutes` is the app-wide default for a profile without its own warnings. */
export function profileDetails(p: Profile, leadMinutes: number[], out: Out): string {
  const k = p.keepActive;
  const keepActive = k.enabled
    ? `yes${k.until ? `, until ${k.until}` : ""}${k.maxRenewals ? `, at most ${k.maxRenewals} renewals` : ""}`
    : "no";
  return [
    paint(out, "bold", p.name),
    ...p.targets.map(profileTargetLine),
    `  duration       ${p.duration ? formatDuration(parseIsoDuration(p.duration) ?? 0) : "the policy's maximum"}`,
    `  justification  ${p.justification ?? "—"}`,
    `  ticket         ${p.ticket ? `${p.ticket.system}:${p.ticket.number}` : "—"}`,
    `  at login       ${p.autoActivate ? "activate automatically" : "no"}`,
    `  keep active    ${keepActive}`,
    `  notify         ${(p.notifyLeadMinutes ?? leadMinutes).map((m) => `${m} min`).join(", ")} before expiry`,
  ].join("\n");
}
