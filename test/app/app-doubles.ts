// Doubles for the app layer's tests: an engine and a lifecycle that record what the handlers ask
// of them, real settings (zod-parsed, in memory) and the real ProfileService over them.
import { vi } from "vitest";
import type { ActivationOutcome } from "../../electron/engine/activation/activation-service.js";
import { resolveConnection } from "../../electron/engine/config.js";
import type { DoctorReport } from "../../electron/engine/diagnostics/types.js";
import type { Engine } from "../../electron/engine/engine.js";
import type { Eligibility, PolicySummary } from "../../electron/engine/graph/pim-client.js";
import type { LifecycleService, Picture } from "../../electron/engine/lifecycle/lifecycle-service.js";
import {
  CURRENT_SCHEMA_VERSION,
  settingsSchema,
  type Settings,
} from "../../electron/engine/profiles/settings-schema.js";
import { ProfileService, type SettingsRepository } from "../../electron/engine/profiles/settings-store.js";
import { EligibleNames, type AppPlatform, type HandlerContext } from "../../electron/app/handlers/handler.js";
import { effectiveOf, organisationView } from "../../electron/app/organisation.js";
import { appStateView } from "../../electron/app/view-model.js";

export class MemorySettings implements SettingsRepository {
  readonly path = "memory://settings.json";
  saves = 0;
  constructor(public current: Settings = settingsSchema.parse({ schemaVersion: CURRENT_SCHEMA_VERSION })) {}
  async load(): Promise<Settings> {
    return structuredClone(this.current);
  }
  async update(change: (s: Settings) => Settings | void): Promise<Settings> {
    const s = structuredClone(this.current);
    this.current = settingsSchema.parse(change(s) ?? s);
    this.saves += 1;
    return structuredClone(this.current);
  }
}

export function eligibility(groupId: string, groupName: string, accessId: "member" | "owner" = "member"): Eligibility {
  return {
    groupId,
    groupName,
    accessId,
    startDateTime: null,
    endDateTime: null,
    groupDescription: null,
    groupMailNickname: null,
  };
}

export const KNOWN_POLICY: PolicySummary = {
  known: true,
  maxDurationMs: 8 * 3600_000,
  maxDuration: "PT8H",
  justificationRequired: true,
  ticketRequired: false,
  mfaRequired: false,
  authContext: null,
  approvalRequired: false,
  approvers: [],
};

export function outcome(
  groupId: string,
  groupName: string,
  status: ActivationOutcome["status"] = "active",
): ActivationOutcome {
  return {
    groupId,
    groupName,
    accessId: "member",
    status,
    requestId: "r-1",
    requestStatus: "Provisioned",
    startDateTime: null,
    endDateTime: null,
    durationMs: 3600_000,
    error: null,
  };
}

/** An engine whose PIM side is scripted: `eligible` is what Graph lists; every call is recorded. */
export function engineDouble(eligible: Eligibility[] = [], settings = new MemorySettings()) {
  const calls = {
    signIn: vi.fn(async (_o?: { method?: string; selectAccount?: boolean }) => ({
      homeAccountId: "h",
      username: "adele@contoso.example",
      name: "Adele Vance",
      tenantId: "t",
      objectId: "o",
    })),
    signOut: vi.fn(async () => []),
    rememberJustification: vi.fn(async (_j: string | undefined) => undefined),
    eligibilities: vi.fn(async () => eligible),
    activate: vi.fn(async (r: { target: { groupId: string; groupName: string } }, _o?: unknown) =>
      outcome(r.target.groupId, r.target.groupName),
    ),
    deactivate: vi.fn(async (t: { groupId: string; groupName: string }) =>
      outcome(t.groupId, t.groupName, "deactivated"),
    ),
    cancel: vi.fn(async (_id: string) => undefined),
  };
  const engine = {
    connection: resolveConnection({
      cloud: "global",
      tenant: "organizations",
      clientId: "14d82eec-204b-4c2f-b7e8-296a70dab67e",
    }),
    settings,
    profiles: new ProfileService(settings),
    signIn: calls.signIn,
    signOut: calls.signOut,
    rememberJustification: calls.rememberJustification,
    eligibleWithPolicies: async () =>
      (await calls.eligibilities()).map((e) => ({ eligibility: e, policy: KNOWN_POLICY })),
    pim: { eligibilities: calls.eligibilities },
    planes: { eligibilities: calls.eligibilities, status: () => [] },
    activation: { activate: calls.activate, deactivate: calls.deactivate, cancel: calls.cancel },
  };
  // The handlers use only the parts above; the rest of the engine stays out of these tests.
  return { engine: engine as unknown as Engine, calls, settings };
}

export function lifecycleDouble(picture: Partial<Picture> = {}) {
  const pic: Picture = {
    account: null,
    active: [],
    standing: [],
    pending: [],
    online: true,
    needsSignIn: false,
    lastSyncAt: null,
    approvals: { on: false, items: [], planes: [], lastSyncAt: null },
    ...picture,
  };
  const calls = {
    refresh: vi.fn(async (_reason?: string) => undefined),
    signedIn: vi.fn(async () => undefined),
    activateProfile: vi.fn(
      async (p: { targets: Array<{ groupId: string; groupName?: string | undefined }> }, _o?: unknown) =>
        p.targets.map((t) => outcome(t.groupId, t.groupName ?? t.groupId)),
    ),
  };
  const stateListeners: Array<(p: Picture) => void> = [];
  const lifecycle = {
    picture: pic,
    refresh: calls.refresh,
    signedIn: calls.signedIn,
    activateProfile: calls.activateProfile,
    onState: (l: (p: Picture) => void) => (stateListeners.push(l), () => undefined),
    on: () => () => undefined,
  };
  // As for the engine: only what the controller and handlers call.
  return {
    lifecycle: lifecycle as unknown as LifecycleService,
    calls,
    tellState: () => stateListeners.forEach((l) => l(pic)),
  };
}

/** A small doctor report: one check of each status, as `pimtray doctor --json` prints them. */
export const DOCTOR_REPORT: DoctorReport = {
  schemaVersion: 1,
  generatedAt: "2026-01-01T00:00:00.000Z",
  status: "fail",
  checks: [
    { id: "config.settings", title: "Settings file", status: "ok", detail: "Read and valid.", fix: null },
    {
      id: "reach.graph",
      title: "Microsoft Graph reachable",
      status: "fail",
      detail: "The connection was refused.",
      fix: "Check the proxy.",
    },
  ],
};

export function platformDouble(
  o: {
    encryptionAvailable?: boolean;
    failSwitch?: boolean;
    doctor?: DoctorReport;
    /** Where the export goes; null = the person cancelled the save dialog. */
    exportTo?: string | null;
  } = {},
) {
  const log: string[] = [];
  const platform: AppPlatform & { log: string[] } = {
    log,
    tokenStorage: {
      encryptionAvailable: o.encryptionAvailable ?? true,
      encrypted: o.encryptionAvailable ?? true,
      use: async (p) => {
        log.push(`token storage ${p}`);
        if (o.failSwitch) throw new Error("the key store refused");
      },
    },
    setStartAtLogin: async (enabled) => void log.push(`start at login ${enabled}`),
    openExternal: async (url) => void log.push(`open ${url}`),
    hidePopup: () => void log.push("hide"),
    doctor: async () => (log.push("doctor"), structuredClone(o.doctor ?? DOCTOR_REPORT)),
    exportDiagnostics: async () => {
      log.push("export diagnostics");
      return o.exportTo === undefined ? "/tmp/pimtray-diagnostics.zip" : o.exportTo;
    },
  };
  return platform;
}

/** A handler context over the doubles, with the state built as the controller builds it. */
export function contextOf(parts: {
  engine: Engine;
  lifecycle: LifecycleService;
  platform?: AppPlatform;
}): HandlerContext {
  const platform = parts.platform ?? platformDouble();
  return {
    engine: parts.engine,
    lifecycle: parts.lifecycle,
    platform,
    eligibleNames: new EligibleNames(),
    state: async () => {
      const effective = await effectiveOf(parts.engine.settings);
      return appStateView(
        parts.lifecycle.picture,
        effective.settings,
        parts.engine.connection,
        platform.tokenStorage,
        undefined,
        organisationView(effective),
      );
    },
  };
}
