import type { ActivationOutcome } from "../engine/activation/activation-service.js";
import { askFacts, requesterName } from "../engine/approvals/approval-facts.js";
import type { PendingApproval } from "../engine/approvals/approval-types.js";
import type { ResolvedConnection } from "../engine/config.js";
import { parseIsoDuration } from "../engine/duration.js";
import type { EligibleWithPolicy } from "../engine/eligible.js";
import type { PolicySummary } from "../engine/graph/pim-client.js";
import { UNKNOWN_POLICY } from "../engine/graph/policy-summary.js";
import type { ApprovalsPicture } from "../engine/lifecycle/events.js";
import type { Picture } from "../engine/lifecycle/lifecycle-service.js";
import type { PlaneStatus } from "../engine/planes/planes.js";
import {
  fallbackNames,
  PLANE_KINDS,
  PLANE_LABELS,
  refOf,
  type ActiveAssignment,
  type Eligibility,
  type NamedRef,
  type PlaneKind,
  type RoleNames,
  type ScheduleRequest,
} from "../engine/planes/targets.js";
import { outcomeText } from "../engine/notify/outcome-texts.js";
import type { Profile, Settings } from "../engine/profiles/settings-schema.js";
import { groupHints } from "../engine/resolve.js";
import type {
  ActiveView,
  AppState,
  ApprovalsView,
  ApprovalView,
  EligibleView,
  OrganisationView,
  OutcomeView,
  PendingViewDto,
  PlaneStatusView,
  PolicyView,
  ProfileView,
  TargetFields,
} from "../shared/ipc-contract.js";
import { namedOnly } from "./plane-targets.js";

// The engine's objects as the popup and the tray see them: plain data, minutes instead of ISO
// durations, words instead of flags. Pure functions; the handlers and the controller call them.

/** Where the token cache is, as the app state reports it. */
export interface TokenStorageFacts {
  readonly encryptionAvailable: boolean;
  readonly encrypted: boolean;
}

export function policyView(p: PolicySummary): PolicyView {
  return {
    known: p.known,
    maxMinutes: p.maxDurationMs === null ? null : Math.round(p.maxDurationMs / 60_000),
    approvalRequired: p.approvalRequired,
    approvers: p.approvers.map((a) => a.description ?? "an approver"),
    mfaRequired: p.mfaRequired,
    authContext: p.authContext,
    justificationRequired: p.justificationRequired,
    ticketRequired: p.ticketRequired,
  };
}

/**
 * The picture's rows on every plane. The lifecycle's picture may still hold groups only; either way
 * its rows are these. A pending request carries the names the lifecycle knows for it.
 */
export interface PictureRows {
  active: readonly ActiveAssignment[];
  pending: ReadonlyArray<ScheduleRequest & Partial<RoleNames & { groupName: string; target: NamedRef }>>;
}

/**
 * A row's target fields: a group's as they always were; a role's with `scope` beside its own
 * fields (the directory scope id, or the ARM scope id), so every non-group row has one.
 */
export function targetFields(n: NamedRef): TargetFields {
  const t = namedOnly(n);
  switch (t.kind) {
    case "role":
      return { ...t, scope: t.directoryScopeId };
    case "azure":
      return t;
    default:
      return { groupId: t.groupId, groupName: t.groupName, accessId: t.accessId };
  }
}

/** A pending request's names: the lifecycle's, else its ids. */
export function pendingNames(r: PictureRows["pending"][number]): NamedRef {
  if (r.target) return namedOnly(r.target);
  const ids = fallbackNames(refOf(r));
  switch (ids.kind) {
    case "role":
    case "azure":
      return { ...ids, roleName: r.roleName ?? ids.roleName, scopeName: r.scopeName ?? ids.scopeName };
    default:
      return { ...ids, groupName: r.groupName ?? ids.groupName };
  }
}

export function eligibleViews(rows: readonly EligibleWithPolicy[]): EligibleView[] {
  const policies = new Map(rows.map((r) => [r.eligibility, policyView(r.policy)]));
  return eligibleListViews(
    rows.map((r) => r.eligibility),
    (e) => policies.get(e) ?? policyView(UNKNOWN_POLICY),
  );
}

/** The list's rows, each with the policy `policyOf` gives it (read, or still loading). */
export function eligibleListViews(
  list: readonly Eligibility[],
  policyOf: (e: Eligibility) => PolicyView,
): EligibleView[] {
  const hints = groupHints(list.flatMap((e) => (e.kind === "role" || e.kind === "azure" ? [] : [e])));
  return list.map((e): EligibleView => {
    const common = { eligibleUntil: e.endDateTime, policy: policyOf(e) };
    switch (e.kind) {
      case "role":
        return {
          ...common,
          kind: "role",
          roleDefinitionId: e.roleDefinitionId,
          directoryScopeId: e.directoryScopeId,
          scope: e.directoryScopeId,
          roleName: e.roleName,
          scopeName: e.scopeName,
        };
      case "azure":
        return {
          ...common,
          kind: "azure",
          roleDefinitionId: e.roleDefinitionId,
          scope: e.scope,
          roleName: e.roleName,
          scopeName: e.scopeName,
          scopeType: e.scopeType,
        };
      default:
        return {
          groupId: e.groupId,
          groupName: e.groupName,
          groupHint: hints.get(e.groupId) ?? null,
          accessId: e.accessId,
          ...common,
        };
    }
  });
}

export function outcomeView(o: ActivationOutcome): OutcomeView {
  return {
    ...targetFields(o),
    status: o.status,
    requestId: o.requestId,
    endDateTime: o.endDateTime,
    startDateTime: o.startDateTime,
    message: outcomeText(o),
    error: o.error ? { kind: o.error.kind, message: o.error.message } : null,
  };
}

export function activeViews(active: PictureRows["active"]): ActiveView[] {
  const hints = groupHints(active.flatMap((a) => (a.kind === "role" || a.kind === "azure" ? [] : [a])));
  return active.map((a): ActiveView => {
    const times = {
      startDateTime: a.startDateTime,
      endDateTime: a.endDateTime,
      deactivatableAt: new Date(Date.parse(a.startDateTime) + 5 * 60_000).toISOString(),
    };
    if (a.kind === "role" || a.kind === "azure") return { ...targetFields(a), ...times } as ActiveView;
    return {
      groupId: a.groupId,
      groupName: a.groupName,
      groupHint: hints.get(a.groupId) ?? null,
      accessId: a.accessId,
      ...times,
    };
  });
}

export function pendingViews(pending: PictureRows["pending"]): PendingViewDto[] {
  return pending.map((r) => ({
    requestId: r.id,
    ...targetFields(pendingNames(r)),
    status: r.status,
    createdDateTime: r.createdDateTime,
    startDateTime: r.startDateTime,
  }));
}

/**
 * Each plane's state for the badges. A plane turned off in settings reads "off" at once, before the
 * next read of the planes would say so.
 */
export function planeStatusViews(
  status: readonly PlaneStatus[],
  enabled?: Readonly<Record<PlaneKind, boolean>>,
): PlaneStatusView[] {
  return status
    .map((p): PlaneStatus => (enabled && !enabled[p.kind] ? { ...p, state: "off", note: null, count: null } : p))
    .map((p) => ({
      kind: p.kind,
      label: PLANE_LABELS[p.kind].many,
      state: p.state,
      note: p.note,
      count: p.count,
      canTurnOn: p.kind !== "group" && (p.state === "needs-consent" || p.state === "needs-sign-in"),
    }));
}

/** Before any read of the planes: every plane not tried yet. */
const NOT_TRIED: PlaneStatus[] = PLANE_KINDS.map((kind) => ({ kind, state: "not-tried", note: null, count: null }));

export function profileView(p: Profile & { managed?: true }): ProfileView {
  return {
    id: p.id,
    name: p.name,
    targets: p.targets,
    durationMinutes: p.duration ? Math.round((parseIsoDuration(p.duration) ?? 0) / 60_000) : null,
    justification: p.justification ?? null,
    ticket: p.ticket ?? null,
    autoActivate: p.autoActivate,
    keepActive: p.keepActive,
    notifyLeadMinutes: p.notifyLeadMinutes ?? null,
    managed: p.managed === true,
  };
}

/** No managed policy: nothing locked, no problems. */
export const NO_ORGANISATION: OrganisationView = {
  problems: [],
  supportContact: null,
  locked: [],
  justificationTemplates: [],
};

function tokenStorageNote(tokens: TokenStorageFacts): string {
  if (tokens.encrypted)
    return "Tokens are encrypted on disk with your operating system's key store: you stay signed in after a restart.";
  if (!tokens.encryptionAvailable) {
    return "Tokens are kept in memory only: this desktop has no key store (such as GNOME Keyring or KWallet), so nothing is written to disk. You sign in again after a restart.";
  }
  return "Tokens are kept in memory only, as you chose: nothing is on disk, and you sign in again after a restart.";
}

/** The approver's inbox from the lifecycle's picture; failing planes become one note each. */
export function approvalsView(a: ApprovalsPicture, s: Settings): ApprovalsView {
  return {
    enabled: s.approvals.enabled,
    items: a.items.map(approvalView),
    notes: a.planes.flatMap((p) => (p.state === "error" && p.note ? [p.note] : [])),
    lastJustification: s.approvals.lastJustification ?? null,
    lastSyncAt: a.lastSyncAt ? new Date(a.lastSyncAt).toISOString() : null,
  };
}

export function approvalView(a: PendingApproval): ApprovalView {
  return {
    ...targetFields(a.target),
    requestId: a.requestId,
    label: a.label,
    requester: {
      id: a.requester.id,
      name: requesterName(a),
      userPrincipalName: a.requester.userPrincipalName,
    },
    ...askFacts(a),
  };
}

/** Everything the popup and the tray show, from the lifecycle's picture and the saved settings. */
export function appStateView(
  pic: Picture,
  s: Settings,
  c: ResolvedConnection,
  tokens: TokenStorageFacts,
  planes: readonly PlaneStatus[] = NOT_TRIED,
  organisation: OrganisationView = NO_ORGANISATION,
): AppState {
  const rows: PictureRows = pic;
  return {
    account: pic.account
      ? { username: pic.account.username, name: pic.account.name, tenantId: pic.account.tenantId }
      : null,
    needsSignIn: pic.needsSignIn || !pic.account,
    online: pic.online,
    active: activeViews(rows.active),
    pending: pendingViews(rows.pending),
    profiles: s.profiles.map(profileView),
    planes: planeStatusViews(planes, s.planes),
    approvals: approvalsView(pic.approvals, s),
    settings: {
      cloud: c.cloud,
      tenant: c.tenant,
      clientId: c.clientId,
      leadMinutes: s.notifications.leadMinutes,
      startAtLogin: s.startAtLogin,
      // What is really the case, not only what was asked for.
      tokenStorage: tokens.encrypted ? "encrypted" : "memory",
      encryptionAvailable: tokens.encryptionAvailable,
      customEndpoints: c.custom ? { authorityHost: new URL(c.authority).origin, graphEndpoint: c.graphBaseUrl } : null,
      tokenStorageNote: tokenStorageNote(tokens),
      planes: { ...s.planes },
    },
    lastJustification: s.lastJustification ?? null,
    lastSyncAt: pic.lastSyncAt ? new Date(pic.lastSyncAt).toISOString() : null,
    organisation,
  };
}
