// An app state for the tray's tests: signed in, nothing active, with what each test patches in.
import type { AppState } from "../../electron/shared/ipc-contract.js";

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
