import type { ActivationOutcome } from "../engine/activation/activation-service.js";
import type { ResolvedConnection } from "../engine/config.js";
import { parseIsoDuration } from "../engine/duration.js";
import type { EligibleWithPolicy } from "../engine/eligible.js";
import type { PolicySummary } from "../engine/graph/pim-client.js";
import type { Picture } from "../engine/lifecycle/lifecycle-service.js";
import { outcomeText } from "../engine/notify/outcome-texts.js";
import type { Profile, Settings } from "../engine/profiles/settings-schema.js";
import { groupHints } from "../engine/resolve.js";
import type { AppState, EligibleView, OutcomeView, PolicyView, ProfileView } from "../shared/ipc-contract.js";

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

export function eligibleViews(rows: readonly EligibleWithPolicy[]): EligibleView[] {
  const hints = groupHints(rows.map((r) => r.eligibility));
  return rows.map(({ eligibility: e, policy }) => ({
    groupId: e.groupId,
    groupName: e.groupName,
    groupHint: hints.get(e.groupId) ?? null,
    accessId: e.accessId,
    eligibleUntil: e.endDateTime,
    policy: policyView(policy),
  }));
}

export function outcomeView(o: ActivationOutcome): OutcomeView {
  return {
    groupId: o.groupId,
    groupName: o.groupName,
    accessId: o.accessId,
    status: o.status,
    requestId: o.requestId,
    endDateTime: o.endDateTime,
    startDateTime: o.startDateTime,
    message: outcomeText(o),
    error: o.error ? { kind: o.error.kind, message: o.error.message } : null,
  };
}

export function profileView(p: Profile): ProfileView {
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
  };
}

function tokenStorageNote(tokens: TokenStorageFacts): string {
  if (tokens.encrypted)
    return "Tokens are encrypted on disk with your operating system's key store: you stay signed in after a restart.";
  if (!tokens.encryptionAvailable) {
    return "Tokens are kept in memory only: this desktop has no key store (such as GNOME Keyring or KWallet), so nothing is written to disk. You sign in again after a restart.";
  }
  return "Tokens are kept in memory only, as you chose: nothing is on disk, and you sign in again after a restart.";
}

/** Everything the popup and the tray show, from the lifecycle's picture and the saved settings. */
export function appStateView(pic: Picture, s: Settings, c: ResolvedConnection, tokens: TokenStorageFacts): AppState {
  const activeHints = groupHints(pic.active);
  return {
    account: pic.account
      ? { username: pic.account.username, name: pic.account.name, tenantId: pic.account.tenantId }
      : null,
    needsSignIn: pic.needsSignIn || !pic.account,
    online: pic.online,
    active: pic.active.map((a) => ({
      groupId: a.groupId,
      groupName: a.groupName,
      groupHint: activeHints.get(a.groupId) ?? null,
      accessId: a.accessId,
      startDateTime: a.startDateTime,
      endDateTime: a.endDateTime,
      deactivatableAt: new Date(Date.parse(a.startDateTime) + 5 * 60_000).toISOString(),
    })),
    pending: pic.pending.map((r) => ({
      requestId: r.id,
      groupId: r.groupId,
      groupName: r.groupName,
      accessId: r.accessId,
      status: r.status,
      createdDateTime: r.createdDateTime,
      startDateTime: r.startDateTime,
    })),
    profiles: s.profiles.map(profileView),
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
    },
    lastJustification: s.lastJustification ?? null,
    lastSyncAt: pic.lastSyncAt ? new Date(pic.lastSyncAt).toISOString() : null,
  };
}
