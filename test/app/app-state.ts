// An app state for the tray's tests: signed in, nothing active, with what each test patches in.
import { createHash } from "node:crypto";
import type { AppState, ApprovalView, PlaneKind } from "../../electron/shared/ipc-contract.js";

export const NOW = Date.parse("2026-11-27T13:00:00Z");
export const iso = (ms: number) => new Date(NOW + ms).toISOString();
export const G1 = "6c03b013-0950-5d62-8881-e9fee6d96c8a";
export const G2 = "4640122e-7036-5903-9896-fe03e172c141";

export function state(patch: Partial<AppState> = {}): AppState {
  return {
    account: { username: "adele@contoso.example", name: "Adele Vance", tenantId: "t" },
    needsSignIn: false,
    online: true,
    active: [],
    pending: [],
    profiles: [],
    planes: [],
    approvals: { enabled: false, items: [], notes: [], lastJustification: null, lastSyncAt: null },
    settings: {
      cloud: "global",
      tenant: "t",
      clientId: "c",
      leadMinutes: [10, 2],
      startAtLogin: false,
      tokenStorage: "encrypted",
      tokenStorageNote: "",
      encryptionAvailable: true,
      customEndpoints: null,
      planes: { group: true, role: true, azure: true },
    },
    lastJustification: null,
    lastSyncAt: null,
    organisation: { problems: [], supportContact: null, locked: [], justificationTemplates: [] },
    ...patch,
  };
}
export const active = (groupId: string, name: string, endIn: number, startedAgo = 3600_000) => ({
  groupId,
  groupName: name,
  accessId: "member" as const,
  startDateTime: iso(-startedAgo),
  endDateTime: iso(endIn),
  deactivatableAt: iso(-startedAgo + 5 * 60_000),
});

/** A GUID that is the same for the same text, so a test can name an item twice. */
const guidOf = (text: string) =>
  createHash("sha1")
    .update(text)
    .digest("hex")
    .slice(0, 32)
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");

/** A request that waits for my approval, on any plane, labelled as the inbox labels it. */
export function approval(kind: PlaneKind, label: string, requester = "Adele Vance"): ApprovalView {
  const target =
    kind === "group"
      ? {
          groupId: guidOf(`g:${label}`),
          groupName: label.replace(/ \((member|owner)\)$/, ""),
          accessId: "member" as const,
        }
      : kind === "role"
        ? {
            kind,
            roleDefinitionId: guidOf(`r:${label}`),
            directoryScopeId: "/",
            scope: "/",
            roleName: label,
            scopeName: "Directory",
          }
        : {
            kind,
            roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${guidOf(`a:${label}`)}`,
            scope: "/subscriptions/1",
            roleName: label.split(" on ")[0] ?? label,
            scopeName: label.split(" on ")[1] ?? "Production",
          };
  return {
    ...target,
    requestId: guidOf(`${kind}:${label}:${requester}`),
    label,
    requester: { id: guidOf(requester), name: requester, userPrincipalName: null },
    justification: "Quarter close",
    ticket: null,
    durationMinutes: 120,
    startDateTime: null,
    createdDateTime: iso(-60_000),
    expiresAt: iso(24 * 3600_000),
    stage: { index: 1, count: 1 },
    justificationRequired: true,
  };
}

/** The inbox with "I approve requests" on and these requests in it. */
export function waiting(items: ApprovalView[]): AppState["approvals"] {
  return { enabled: true, items, notes: [], lastJustification: null, lastSyncAt: iso(0) };
}
