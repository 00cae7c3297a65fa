// The engine's objects as the popup sees them (app/view-model.ts).
import { describe, expect, it } from "vitest";
import { appStateView, eligibleViews, profileView } from "../../electron/app/view-model.js";
import { resolveConnection } from "../../electron/engine/config.js";
import type { Picture } from "../../electron/engine/lifecycle/lifecycle-service.js";
import { CURRENT_SCHEMA_VERSION, settingsSchema } from "../../electron/engine/profiles/settings-schema.js";
import { eligibility, KNOWN_POLICY } from "./app-doubles.js";
import { G1, G2 } from "./app-state.js";

const CLIENT = "14d82eec-204b-4c2f-b7e8-296a70dab67e";
const settings = settingsSchema.parse({
  schemaVersion: CURRENT_SCHEMA_VERSION,
  lastJustification: "month end",
  profiles: [{ id: "p1", name: "Month end", targets: [{ groupId: G1, accessId: "member" }], duration: "PT1H30M" }],
});
const picture: Picture = {
  account: { homeAccountId: "h", username: "adele@contoso.example", name: "Adele Vance", tenantId: "t", objectId: "o" },
  active: [
    {
      groupId: G1,
      groupName: "Finance Admins",
      accessId: "member",
      startDateTime: "2026-11-27T12:00:00.000Z",
      endDateTime: "2026-11-27T14:00:00.000Z",
      assignmentType: "activated",
      groupDescription: null,
      groupMailNickname: null,
    },
  ],
  standing: [],
  pending: [
    {
      id: "r1",
      action: "selfActivate",
      groupId: G2,
      groupName: "Tenant Admins",
      target: { groupId: G2, accessId: "owner", groupName: "Tenant Admins" },
      label: "Tenant Admins (owner)",
      accessId: "owner",
      status: "PendingApproval",
      justification: "audit",
      createdDateTime: "2026-11-27T12:30:00.000Z",
      startDateTime: null,
      duration: "PT1H",
      approvalId: "a1",
    },
  ],
  online: true,
  needsSignIn: false,
  lastSyncAt: Date.parse("2026-11-27T12:59:00Z"),
  approvals: { on: false, items: [], planes: [], lastSyncAt: null },
};

describe("appStateView", () => {
  it("maps the picture and settings: deactivation 5 minutes after the start, profiles in minutes, the last sync as ISO", () => {
    const s = appStateView(
      picture,
      settings,
      resolveConnection({ cloud: "global", tenant: "organizations", clientId: CLIENT }),
      { encryptionAvailable: true, encrypted: true },
    );
    expect(s.account).toEqual({ username: "adele@contoso.example", name: "Adele Vance", tenantId: "t" });
    expect(s.needsSignIn).toBe(false);
    expect(s.active[0]).toMatchObject({ groupId: G1, groupHint: null, deactivatableAt: "2026-11-27T12:05:00.000Z" });
    expect(s.pending).toEqual([
      {
        requestId: "r1",
        groupId: G2,
        groupName: "Tenant Admins",
        accessId: "owner",
        status: "PendingApproval",
        createdDateTime: "2026-11-27T12:30:00.000Z",
        startDateTime: null,
      },
    ]);
    expect(s.profiles[0]).toMatchObject({
      id: "p1",
      durationMinutes: 90,
      justification: null,
      notifyLeadMinutes: null,
    });
    expect([s.lastJustification, s.lastSyncAt]).toEqual(["month end", "2026-11-27T12:59:00.000Z"]);
    expect(s.settings).toMatchObject({
      cloud: "global",
      tenant: "organizations",
      clientId: CLIENT,
      tokenStorage: "encrypted",
      customEndpoints: null,
    });
  });

  it("needs sign-in without an account, and shows custom endpoints by origin", () => {
    const c = resolveConnection({
      cloud: "global",
      tenant: "organizations",
      clientId: CLIENT,
      authorityHost: "https://login.contoso.example:8443/x",
      graphEndpoint: "https://graph.contoso.example/v1.0",
    });
    const s = appStateView({ ...picture, account: null }, settings, c, { encryptionAvailable: true, encrypted: true });
    expect(s.needsSignIn).toBe(true);
    expect(s.settings.customEndpoints?.authorityHost).toBe("https://login.contoso.example:8443");
  });

  it("says where tokens really are, in three different sentences", () => {
    const c = resolveConnection({ cloud: "global", tenant: "organizations", clientId: CLIENT });
    const notes = [
      { encryptionAvailable: true, encrypted: true },
      { encryptionAvailable: false, encrypted: false },
      { encryptionAvailable: true, encrypted: false },
    ].map((t) => appStateView(picture, settings, c, t).settings);
    expect(notes.map((n) => n.tokenStorage)).toEqual(["encrypted", "memory", "memory"]);
    expect(notes[0]?.tokenStorageNote).toContain("encrypted on disk");
    expect(notes[1]?.tokenStorageNote).toContain("no key store");
    expect(notes[2]?.tokenStorageNote).toContain("as you chose");
  });
});

describe("eligibleViews and profileView", () => {
  it("tells groups with the same name apart, and leaves a unique name alone", () => {
    const eu = { ...eligibility(G1, "Platform Ops"), groupDescription: "Platform operations (EU)" };
    const us = { ...eligibility(G2, "Platform Ops"), groupDescription: "Platform operations (US)" };
    const other = eligibility("975e3fc7-84b0-5202-bb9a-21acb945364b", "Finance Admins");
    const views = eligibleViews(
      [eu, us, other].map((e) => ({
        eligibility: e,
        policy: { ...KNOWN_POLICY, approvers: [{ id: "a", description: null, kind: "user" as const }] },
      })),
    );
    expect(views[0]?.groupHint).toContain("Platform operations (EU)");
    expect(views[1]?.groupHint).toContain("Platform operations (US)");
    expect(views[2]?.groupHint).toBeNull();
    expect(views[0]?.policy).toMatchObject({ maxMinutes: 480, approvers: ["an approver"] });
  });

  it("gives a profile without a duration none, rather than zero minutes", () => {
    const p = settingsSchema.parse({
      schemaVersion: CURRENT_SCHEMA_VERSION,
      profiles: [{ id: "p2", name: "Quick", targets: [{ groupId: G1, accessId: "owner" }] }],
    }).profiles[0];
    expect(p && profileView(p)).toMatchObject({ durationMinutes: null, ticket: null, keepActive: { enabled: false } });
  });
});
