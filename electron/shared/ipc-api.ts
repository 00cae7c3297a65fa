// The zod-free half of the IPC contract: the views that responses carry and the API the popup sees.
// The preload bundles only this file; the contract itself (each channel's request schema and response
// type, in one map) lives in ipc-contract.ts, used by main and imported here for types only.
import type { Channel, RequestOf, Responses } from "./ipc-contract.js";

export type { Channel, RequestOf, Responses };

// The doctor's report, as `pimtray doctor --json` prints it: the same shape as electron/engine/diagnostics/types.ts
// (this file may not import the engine; test/app/organisation.test.ts checks the two are one type).
export type CheckStatus = "ok" | "warn" | "fail" | "skip";
export interface Check {
  /** Stable id, e.g. "reach.graph". */
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found. Never a token. */
  detail: string;
  /** What to do about it; null when there is nothing to do. */
  fix: string | null;
  data?: Record<string, unknown>;
}
export interface DoctorReport {
  schemaVersion: 1;
  generatedAt: string;
  status: "ok" | "warn" | "fail";
  checks: Check[];
}

export interface PolicyView {
  /**
   * Absent once read. "loading": main has not read it yet (a list asked for with `policies: "later"`); it
   * follows in a `pim:policies-read` push. "unread": the read failed (network, service); Activate reads it again.
   * Either way the other fields say nothing yet (`known` is false).
   */
  status?: "loading" | "unread" | undefined;
  known: boolean;
  maxMinutes: number | null;
  approvalRequired: boolean;
  approvers: string[];
  mfaRequired: boolean;
  authContext: string | null;
  justificationRequired: boolean;
  ticketRequired: boolean;
}

/** PIM's three planes: PIM for Groups, Entra ID directory roles, Azure resource roles. */
export type PlaneKind = "group" | "role" | "azure";

/** What a row about a group carries (as it always did; `kind` is absent on groups). */
export interface GroupFields {
  kind?: "group";
  groupId: string;
  groupName: string;
  accessId: "member" | "owner";
}

// A group's fields, absent on a role's row: code that reads them off any row still typechecks, and reads undefined.
interface NoGroupFields {
  groupId?: undefined;
  groupName?: undefined;
  accessId?: undefined;
  groupHint?: undefined;
}

/** An Entra ID role at the directory (`/`) or an administrative unit. `scope` repeats directoryScopeId. */
export interface RoleFields extends NoGroupFields {
  kind: "role";
  roleDefinitionId: string;
  directoryScopeId: string;
  scope: string;
  roleName: string;
  /** "Directory", or the administrative unit's name. */
  scopeName: string;
}

/** An Azure role at an ARM scope (`scope` is the full ARM scope id). */
export interface AzureFields extends NoGroupFields {
  kind: "azure";
  /** The full ARM id of the role definition. */
  roleDefinitionId: string;
  scope: string;
  roleName: string;
  /** The scope's display name (subscription, resource group or resource). */
  scopeName: string;
}

/** What names a row on any plane: a group's fields, or a role's. */
export type TargetFields = GroupFields | RoleFields | AzureFields;

interface EligibleFields {
  eligibleUntil: string | null;
  policy: PolicyView;
}
export type EligibleView =
  | (GroupFields &
      EligibleFields & {
        /** Set only where another group has the same name: its description (or mail nickname) and the start of its id. */
        groupHint?: string | null | undefined;
      })
  | (RoleFields & EligibleFields)
  | (AzureFields &
      EligibleFields & {
        /** subscription, resourcegroup, resource or managementgroup: whether a narrower scope can be picked. */
        scopeType: string;
      });

interface ActiveFields {
  startDateTime: string;
  endDateTime: string | null;
  /** When PIM starts allowing deactivation (5 minutes after the start). */
  deactivatableAt: string;
}
export type ActiveView =
  | (GroupFields &
      ActiveFields & {
        /** As in EligibleView: what tells it apart from a group with the same name. */
        groupHint?: string | null | undefined;
      })
  | ((RoleFields | AzureFields) & ActiveFields);

interface PendingFields {
  /** Graph's request id; for Azure roles, the request's full ARM id. */
  requestId: string;
  status: string;
  createdDateTime: string;
  startDateTime: string | null;
}
export type PendingViewDto = TargetFields & PendingFields;

/** A profile's target: a group (no kind), an Entra ID role or an Azure role, names optional. */
export type ProfileTargetView =
  | { kind?: "group"; groupId: string; accessId: "member" | "owner"; groupName?: string | undefined }
  | {
      kind: "role";
      roleDefinitionId: string;
      directoryScopeId: string;
      roleName?: string | undefined;
      scopeName?: string | undefined;
    }
  | {
      kind: "azure";
      roleDefinitionId: string;
      scope: string;
      roleName?: string | undefined;
      scopeName?: string | undefined;
    };

/** One plane's state, as the popup's badges show it. */
export interface PlaneStatusView {
  kind: PlaneKind;
  /** "Groups", "Entra ID roles", "Azure roles". */
  label: string;
  state: "ok" | "off" | "needs-consent" | "needs-sign-in" | "unreachable" | "error" | "not-tried";
  /** One line for people; null when all is well. */
  note: string | null;
  /** Eligibilities the plane answered with, when it answered. */
  count: number | null;
  /** A sign-in for the plane's own permissions may turn it on ("Turn on Azure roles"). */
  canTurnOn: boolean;
}

/** A scope below an Azure eligibility's scope, for a reduced-scope activation. */
export interface AzureScopeView {
  id: string;
  name: string;
  /** resourcegroup, resource, … as ARM names them. */
  type: string;
}

export interface ProfileView {
  id: string;
  name: string;
  targets: ProfileTargetView[];
  durationMinutes: number | null;
  justification: string | null;
  ticket: { system: string; number: string } | null;
  autoActivate: boolean;
  keepActive: { enabled: boolean; until?: string | undefined; maxRenewals?: number | undefined };
  notifyLeadMinutes: number[] | null;
  /** One of the organisation's profiles (managed policy): shown with a lock; it cannot be edited or deleted. */
  managed: boolean;
}

/** What the organisation's managed policy sets (docs/deployment.md): Settings and Profiles show it. */
export interface OrganisationView {
  /** The policy's problems (bad values, unknown keys, refused files, hidden profiles): one line each, with the fix. */
  problems: string[];
  /** Whom to contact about a setting the organisation locked (policy SupportContact); null when not set. */
  supportContact: string | null;
  /** The settings the organisation locked: "connection.cloud", "connection.tenant", "planes", "tokenStorage", … */
  locked: string[];
  /** Justifications the organisation offers (policy JustificationTemplates), wherever a justification is typed. */
  justificationTemplates: string[];
}

/** A request that waits for my decision, with what an approver needs to decide it. */
export type ApprovalView = TargetFields & {
  /** Graph's request id (groups, roles), or the ARM request's name (a GUID) for Azure: what approve/deny take. */
  requestId: string;
  /** "Tenant Admins (member)", "Owner on Contoso Production". */
  label: string;
  requester: { id: string; name: string; userPrincipalName: string | null };
  justification: string | null;
  ticket: { number: string; system: string | null } | null;
  /** The requested duration in minutes, when it was given. */
  durationMinutes: number | null;
  /** The requested start; null means as soon as approved. */
  startDateTime: string | null;
  createdDateTime: string;
  /** When the open stage times out. */
  expiresAt: string;
  stage: { index: number; count: number };
  /** Whether the policy asks the approver for a reason (assumed where unknown). */
  justificationRequired: boolean;
};

/** The approver's inbox as the popup and tray show it. */
export interface ApprovalsView {
  /** "I approve requests" is on. */
  enabled: boolean;
  items: ApprovalView[];
  /** Planes whose approvals could not be read, one line each naming the plane and its API. */
  notes: string[];
  /** The approver's last reason, offered again. */
  lastJustification: string | null;
  lastSyncAt: string | null;
}

/** What a decision did. */
export interface DecisionView {
  requestId: string;
  decision: "Approve" | "Deny";
  /** "Approved Tenant Admins (member) for Adele Vance." */
  message: string;
  /** What the request became when the plane said at once (Provisioned, Denied, or PendingApproval for a next stage). */
  requestStatus: string | null;
}

export interface AppState {
  account: { username: string; name: string | null; tenantId: string } | null;
  needsSignIn: boolean;
  online: boolean;
  active: ActiveView[];
  pending: PendingViewDto[];
  profiles: ProfileView[];
  /** Each plane's latest state, in plane order (groups, Entra ID roles, Azure roles). */
  planes: PlaneStatusView[];
  /** What waits for my approval. */
  approvals: ApprovalsView;
  settings: {
    cloud: string;
    tenant: string;
    clientId: string;
    leadMinutes: number[];
    startAtLogin: boolean;
    tokenStorage: "encrypted" | "memory";
    /** Plain words about where tokens are, e.g. "memory only: this Linux desktop has no key store". */
    tokenStorageNote: string;
    encryptionAvailable: boolean;
    /** Set when settings.json (with allowCustomEndpoints) or demo mode sends sign-in and Graph elsewhere than Microsoft's cloud. */
    customEndpoints: { authorityHost: string; graphEndpoint: string } | null;
    /** Which planes are on. */
    planes: Record<PlaneKind, boolean>;
  };
  lastJustification: string | null;
  lastSyncAt: string | null;
  /** Managed policy: what is locked, its problems, its templates and support contact. */
  organisation: OrganisationView;
}

/** Where "Export diagnostics…" wrote the zip; null when the person cancelled the save dialog. */
export interface ExportView {
  path: string | null;
}

export type OutcomeView = TargetFields & {
  status: string;
  requestId: string | null;
  endDateTime: string | null;
  startDateTime: string | null;
  message: string;
  error: { kind: string; message: string } | null;
};

/** The deactivate request for an active item: a group named as it always was, a role by its target. */
export function deactivateRequestOf(a: ActiveView): RequestOf<"pim:deactivate"> {
  switch (a.kind) {
    case "role":
      return { target: { kind: "role", roleDefinitionId: a.roleDefinitionId, directoryScopeId: a.directoryScopeId } };
    case "azure":
      return { target: { kind: "azure", roleDefinitionId: a.roleDefinitionId, scope: a.scope } };
    default:
      return { groupId: a.groupId, accessId: a.accessId };
  }
}

/** What crosses the bridge: errors travel as data, in plain words, never as stack traces. */
export type Result<T> =
  { ok: true; value: T } | { ok: false; error: { kind: string; message: string; adminConsentUrl?: string } };

/** A row's policy, by the row's target key (`targetKey`). */
export interface RowPolicy {
  key: string;
  policy: PolicyView;
}

/** Policies main has read for the rows of the last list. */
export interface PoliciesPush {
  policies: RowPolicy[];
  /** How many of the list's policies are still to be read. */
  remaining: number;
}

/** Main → renderer pushes. */
export interface Pushes {
  "app:state": AppState;
  "app:event": { type: string; title: string; body: string; groupId: string | null };
  /**
   * A notification was clicked: show this item (a request to approve: with the decision its action asked for).
   * `view: "troubleshoot"` (the tray's Troubleshoot… item) opens the Troubleshoot view, which runs the checks.
   */
  "app:focus": {
    groupId: string | null;
    approval?: { kind: PlaneKind; requestId: string; decision: "Approve" | "Deny" | null } | undefined;
    view?: "troubleshoot" | undefined;
  };
  /** Policies of the list's rows as main reads them, after `pim:eligible` with `policies: "later"`. */
  "pim:policies-read": PoliciesPush;
  /**
   * The rest of a long list, after `pim:eligible` with `policies: "later"` answered with its first part: the
   * whole list so far each time, then complete. `error`: the read failed after a part was shown.
   */
  "pim:eligible-rows": EligibleRowsPush;
}
export type PushChannel = keyof Pushes;

export interface EligibleRowsPush {
  rows: EligibleView[];
  complete: boolean;
  error?: string | undefined;
}

export interface Transport {
  invoke<C extends Channel>(channel: C, payload: RequestOf<C> | undefined): Promise<Result<Responses[C]>>;
  subscribe<P extends PushChannel>(channel: P, listener: (data: Pushes[P]) => void): () => void;
}

/** Thrown in the renderer when main answers with an error; `message` is for people. */
export class BridgeError extends Error {
  constructor(
    readonly kind: string,
    message: string,
    /** With kind "consent": where an administrator grants consent for this tenant and client. */
    readonly adminConsentUrl?: string,
  ) {
    super(message);
  }
}

/** The API the popup sees as window.pimtray. Preload builds it over IPC; the preview harness over HTTP. */
export function createApi(t: Transport) {
  const call = async <C extends Channel>(c: C, p?: RequestOf<C>): Promise<Responses[C]> => {
    const r = await t.invoke(c, p);
    if (!r.ok) throw new BridgeError(r.error.kind, r.error.message, r.error.adminConsentUrl);
    return r.value;
  };
  return {
    getState: () => call("app:get-state"),
    signIn: (p: RequestOf<"auth:sign-in"> = {}) => call("auth:sign-in", p),
    signOut: () => call("auth:sign-out"),
    eligible: (p: RequestOf<"pim:eligible"> = {}) => call("pim:eligible", p),
    /** Rows' policies (by target key), read ahead of the rest: the rows on screen, the row Activate checks. */
    policies: (p: RequestOf<"pim:policies">) => call("pim:policies", p),
    activate: (p: RequestOf<"pim:activate">) => call("pim:activate", p),
    deactivate: (p: RequestOf<"pim:deactivate">) => call("pim:deactivate", p),
    cancel: (p: RequestOf<"pim:cancel">) => call("pim:cancel", p),
    planes: () => call("pim:planes"),
    azureScopes: (p: RequestOf<"pim:azure-scopes">) => call("pim:azure-scopes", p),
    turnOnPlane: (p: RequestOf<"auth:turn-on-plane">) => call("auth:turn-on-plane", p),
    saveProfile: (p: RequestOf<"profiles:save">) => call("profiles:save", p),
    deleteProfile: (p: RequestOf<"profiles:delete">) => call("profiles:delete", p),
    reorderProfiles: (p: RequestOf<"profiles:reorder">) => call("profiles:reorder", p),
    activateProfile: (p: RequestOf<"profiles:activate">) => call("profiles:activate", p),
    updateSettings: (p: RequestOf<"settings:update">) => call("settings:update", p),
    /** The approver's inbox; `refresh` reads it from the planes first. */
    approvals: (p: RequestOf<"approvals:list"> = {}) => call("approvals:list", p),
    decide: (p: RequestOf<"approvals:decide">) => call("approvals:decide", p),
    /** "I approve requests": on reads the inbox at once, off stops every approval read. */
    setApprovals: (p: RequestOf<"approvals:set-enabled">) => call("approvals:set-enabled", p),
    openExternal: (p: RequestOf<"shell:open-external">) => call("shell:open-external", p),
    /** Escape in the popup: back to the tray. */
    hide: () => call("app:hide"),
    /** Troubleshoot: the doctor's checks as the app sees them. */
    doctor: () => call("app:doctor"),
    /** "Export diagnostics…": asks where, writes the zip; `path` null when the person cancelled. */
    exportDiagnostics: () => call("app:export-diagnostics"),
    onState: (l: (s: AppState) => void) => t.subscribe("app:state", l),
    onEvent: (l: (e: Pushes["app:event"]) => void) => t.subscribe("app:event", l),
    onFocus: (l: (e: Pushes["app:focus"]) => void) => t.subscribe("app:focus", l),
    onPolicies: (l: (e: Pushes["pim:policies-read"]) => void) => t.subscribe("pim:policies-read", l),
    onEligibleRows: (l: (e: Pushes["pim:eligible-rows"]) => void) => t.subscribe("pim:eligible-rows", l),
  };
}

export type PimTrayApi = ReturnType<typeof createApi>;
