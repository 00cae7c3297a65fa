// The zod-free half of the IPC contract: the views that responses carry and the API the popup sees.
// The preload bundles only this file; the contract itself (each channel's request schema and response
// type, in one map) lives in ipc-contract.ts, used by main and imported here for types only.
import type { Channel, RequestOf, Responses } from "./ipc-contract.js";

export type { Channel, RequestOf, Responses };

export interface PolicyView {
  known: boolean;
  maxMinutes: number | null;
  approvalRequired: boolean;
  approvers: string[];
  mfaRequired: boolean;
  authContext: string | null;
  justificationRequired: boolean;
  ticketRequired: boolean;
}

export interface EligibleView {
  groupId: string;
  groupName: string;
  /** Set only where another group has the same name: its description (or mail nickname) and the start of its id. */
  groupHint?: string | null | undefined;
  accessId: "member" | "owner";
  eligibleUntil: string | null;
  policy: PolicyView;
}

export interface ActiveView {
  groupId: string;
  groupName: string;
  /** As in EligibleView: what tells it apart from a group with the same name. */
  groupHint?: string | null | undefined;
  accessId: "member" | "owner";
  startDateTime: string;
  endDateTime: string | null;
  /** When PIM starts allowing deactivation (5 minutes after the start). */
  deactivatableAt: string;
}

export interface PendingViewDto {
  requestId: string;
  groupId: string;
  groupName: string;
  accessId: "member" | "owner";
  status: string;
  createdDateTime: string;
  startDateTime: string | null;
}

export interface ProfileView {
  id: string;
  name: string;
  targets: Array<{ groupId: string; accessId: "member" | "owner"; groupName?: string | undefined }>;
  durationMinutes: number | null;
  justification: string | null;
  ticket: { system: string; number: string } | null;
  autoActivate: boolean;
  keepActive: { enabled: boolean; until?: string | undefined; maxRenewals?: number | undefined };
  notifyLeadMinutes: number[] | null;
}

export interface AppState {
  account: { username: string; name: string | null; tenantId: string } | null;
  needsSignIn: boolean;
  online: boolean;
  active: ActiveView[];
  pending: PendingViewDto[];
  profiles: ProfileView[];
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
  };
  lastJustification: string | null;
  lastSyncAt: string | null;
}

export interface OutcomeView {
  groupId: string;
  groupName: string;
  accessId: "member" | "owner";
  status: string;
  requestId: string | null;
  endDateTime: string | null;
  startDateTime: string | null;
  message: string;
  error: { kind: string; message: string } | null;
}

/** What crosses the bridge: errors travel as data, in plain words, never as stack traces. */
export type Result<T> =
  { ok: true; value: T } | { ok: false; error: { kind: string; message: string; adminConsentUrl?: string } };

/** Main → renderer pushes. */
export interface Pushes {
  "app:state": AppState;
  "app:event": { type: string; title: string; body: string; groupId: string | null };
  /** A notification was clicked: show this item. */
  "app:focus": { groupId: string | null };
}
export type PushChannel = keyof Pushes;

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
    activate: (p: RequestOf<"pim:activate">) => call("pim:activate", p),
    deactivate: (p: RequestOf<"pim:deactivate">) => call("pim:deactivate", p),
    cancel: (p: RequestOf<"pim:cancel">) => call("pim:cancel", p),
    saveProfile: (p: RequestOf<"profiles:save">) => call("profiles:save", p),
    deleteProfile: (p: RequestOf<"profiles:delete">) => call("profiles:delete", p),
    reorderProfiles: (p: RequestOf<"profiles:reorder">) => call("profiles:reorder", p),
    activateProfile: (p: RequestOf<"profiles:activate">) => call("profiles:activate", p),
    updateSettings: (p: RequestOf<"settings:update">) => call("settings:update", p),
    openExternal: (p: RequestOf<"shell:open-external">) => call("shell:open-external", p),
    /** Escape in the popup: back to the tray. */
    hide: () => call("app:hide"),
    onState: (l: (s: AppState) => void) => t.subscribe("app:state", l),
    onEvent: (l: (e: Pushes["app:event"]) => void) => t.subscribe("app:event", l),
    onFocus: (l: (e: Pushes["app:focus"]) => void) => t.subscribe("app:focus", l),
  };
}

export type PimTrayApi = ReturnType<typeof createApi>;
