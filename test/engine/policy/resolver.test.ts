// The one resolver: precedence between sources and over settings.json, bad values and unknown keys reported and
// skipped, where each value came from, managed profiles, and PolicedSettings over a real settings file, which
// refuses changes to locked settings and never writes the policy's values into the user's file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PolicedSettings } from "../../../electron/engine/policy/policed-settings.js";
import {
  applyPolicy,
  isManagedProfile,
  managedProfileId,
  NO_POLICY,
  readManagedPolicy,
} from "../../../electron/engine/policy/policy-resolver.js";
import type { PolicySource, RawPolicy } from "../../../electron/engine/policy/policy-source.js";
import { defaultSettings, type Settings } from "../../../electron/engine/profiles/settings-schema.js";
import { FileSettingsStore, ProfileService } from "../../../electron/engine/profiles/settings-store.js";

const GROUP = "5a2c86b1-7f3e-4a8b-9c1d-2e3f4a5b6c7d";
const target = { kind: "group" as const, groupId: GROUP, accessId: "member" as const };

function source(name: string, values: RawPolicy | null, problems: string[] = [], refused = false): PolicySource {
  return { name, read: () => Promise.resolve({ values, problems, ...(refused ? { refused } : {}) }) };
}

describe("reading policy from its sources", () => {
  it("takes each key from the first source that sets it; later sources fill the gaps", async () => {
    const p = await readManagedPolicy([
      source("HKLM", { TenantId: "contoso.com", Cloud: "usgov" }),
      source("HKCU", { TenantId: "fabrikam.com", ApprovalsEnabled: true }),
    ]);
    expect(p.values).toEqual({ TenantId: "contoso.com", Cloud: "usgov", ApprovalsEnabled: true });
    expect(p.sourceOf).toEqual({ TenantId: "HKLM", Cloud: "HKLM", ApprovalsEnabled: "HKCU" });
    expect(p.sources).toEqual([
      { name: "HKLM", state: "applied", keys: ["TenantId", "Cloud"] },
      { name: "HKCU", state: "applied", keys: ["ApprovalsEnabled"] },
    ]);
    expect(p.problems).toEqual([]);
  });

  it("reports a bad value and ignores that key only: the other keys, and a later source's valid value, apply", async () => {
    const p = await readManagedPolicy([
      source("first", { TokenCache: "plaintext", Cloud: "global", DefaultLeadMinutes: [0, 5] }),
      source("second", { TokenCache: "memory" }),
    ]);
    expect(p.values).toEqual({ Cloud: "global", TokenCache: "memory" });
    expect(p.sourceOf.TokenCache).toBe("second");
    expect(p.problems).toEqual([
      "TokenCache in first is ignored: must be encrypted or memory. Fix or remove the value; the other policies apply.",
      "DefaultLeadMinutes in first is ignored: [0]: lead times are at least 1 minute. Fix or remove the value; the other policies apply.",
    ]);
  });

  it("reports unknown keys and carries on; a key differing only in case is the key", async () => {
    const p = await readManagedPolicy([source("/etc/pimtray/policy.json", { Tenant: "x", supportcontact: "Desk" })]);
    expect(p.values).toEqual({ SupportContact: "Desk" });
    expect(p.problems).toEqual([
      'Unknown policy "Tenant" in /etc/pimtray/policy.json is ignored: PIM Tray has no policy by that name (the names are listed in docs/deployment.md).',
    ]);
  });

  it("validates every key's value by the schema", async () => {
    const p = await readManagedPolicy([
      source("s", {
        TenantId: "organizations",
        ClientId: "not-a-guid",
        EnabledPlanes: [],
        UpdateFeedUrl: "http://updates.contoso.com/",
        Profiles: [
          { name: "A", targets: [target] },
          { name: "a", targets: [target] },
        ],
        JustificationTemplates: ["x".repeat(501)],
        AllowCustomEndpoints: "yes",
      }),
    ]);
    expect(p.values).toEqual({});
    const lines = p.problems.join("\n");
    for (const key of [
      "TenantId",
      "ClientId",
      "EnabledPlanes",
      "UpdateFeedUrl",
      "Profiles",
      "JustificationTemplates",
      "AllowCustomEndpoints",
    ])
      expect(lines).toContain(`${key} in s is ignored`);
    expect(lines).toContain("[1].name: a second profile is named 'a'");
    expect(lines).toContain("must be a full https:// address");
  });

  it("says how each source fared; a source that throws is reported, the others apply", async () => {
    const throwing: PolicySource = { name: "broken", read: () => Promise.reject(new Error("EIO")) };
    const p = await readManagedPolicy([
      throwing,
      source("refused", null, ["refused file"], true),
      source("absent", null),
      source("empty", { Nope: 1 }),
      source("ok", { Cloud: "china" }),
    ]);
    expect(p.sources.map((s) => [s.name, s.state])).toEqual([
      ["broken", "unreadable"],
      ["refused", "refused"],
      ["absent", "absent"],
      ["empty", "empty"],
      ["ok", "applied"],
    ]);
    expect(p.problems[0]).toBe("broken could not be read (EIO); nothing in it applies.");
    expect(p.values).toEqual({ Cloud: "china" });
  });
});

function userSettings(change: (s: Settings) => void = () => undefined): Settings {
  const s = defaultSettings();
  change(s);
  return s;
}

describe("effective settings: policy > settings.json > defaults", () => {
  it("says where each value came from and what is locked", async () => {
    const policy = await readManagedPolicy([
      source("HKLM", { TenantId: "contoso.com", EnabledPlanes: ["group", "azure"], SupportContact: "Desk 4000" }),
    ]);
    const user = userSettings((s) => {
      s.connection.cloud = "usgov";
      s.connection.tenant = "fabrikam.com";
    });
    const e = applyPolicy(user, policy);
    expect(e.settings.connection.tenant).toBe("contoso.com");
    expect(e.settings.connection.cloud).toBe("usgov");
    expect(e.settings.planes).toEqual({ group: true, role: false, azure: true });
    const field = (k: string) => e.fields.find((f) => f.key === k);
    expect(field("TenantId")).toMatchObject({ origin: { kind: "policy", source: "HKLM" }, locked: true });
    expect(field("Cloud")).toMatchObject({ value: "usgov", origin: { kind: "user" }, locked: false });
    expect(field("TokenCache")).toMatchObject({ value: "encrypted", origin: { kind: "default" }, locked: false });
    expect(field("SupportContact")).toMatchObject({ value: "Desk 4000", setting: null, locked: true });
    expect(e.locked).toEqual(["connection.tenant", "planes"]);
    expect(e.supportContact).toBe("Desk 4000");
    expect(e.invalid).toBe(false);
    // The user's object is not changed.
    expect(user.connection.tenant).toBe("fabrikam.com");
  });

  it("lists the organisation's profiles first, managed and with stable ids; a user profile of the same name is hidden and reported", async () => {
    const policy = await readManagedPolicy([
      source("policy.json", { Profiles: [{ name: "Quarter close", targets: [target], duration: "PT4H" }] }),
    ]);
    const user = userSettings((s) => {
      s.profiles = [
        { id: "u1", name: "quarter CLOSE", targets: [target], autoActivate: false, keepActive: { enabled: false } },
        { id: "u2", name: "Mine", targets: [target], autoActivate: false, keepActive: { enabled: false } },
      ];
    });
    const e = applyPolicy(user, policy);
    expect(e.settings.profiles.map((p) => [p.id, p.name, isManagedProfile(p)])).toEqual([
      [managedProfileId("Quarter close"), "Quarter close", true],
      ["u2", "Mine", false],
    ]);
    expect(e.settings.profiles[0]).toMatchObject({
      duration: "PT4H",
      autoActivate: false,
      keepActive: { enabled: false },
    });
    expect(e.hiddenUserProfiles).toEqual(["quarter CLOSE"]);
    expect(e.problems[0]).toContain('Your profile "quarter CLOSE" is hidden');
    expect(e.invalid).toBe(false);
  });

  it("with no policy, everything is the user's or the default, nothing locked", () => {
    const e = applyPolicy(defaultSettings(), NO_POLICY);
    expect(e.locked).toEqual([]);
    expect(e.fields.every((f) => f.origin.kind === "default")).toBe(true);
    expect(e.update).toEqual({ mode: null, feedUrl: null });
  });

  it("a policy with problems is invalid, and its valid keys still apply", async () => {
    const e = applyPolicy(
      defaultSettings(),
      await readManagedPolicy([source("p", { Cloud: "mars", TokenCache: "memory" })]),
    );
    expect(e.invalid).toBe(true);
    expect(e.settings.tokenStorage).toBe("memory");
    expect(e.settings.connection.cloud).toBe("global");
  });
});

describe("PolicedSettings over a real settings file", () => {
  const dir = mkdtempSync(join(tmpdir(), "pimtray-policed-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;

  async function setUp(values: RawPolicy, user: (s: Settings) => void = () => undefined) {
    const path = join(dir, `settings-${++n}.json`);
    writeFileSync(path, `${JSON.stringify(userSettings(user), null, 2)}\n`);
    const policy = await readManagedPolicy([source("/etc/pimtray/policy.json", values)]);
    const store = new FileSettingsStore(path);
    return {
      path,
      store,
      policed: new PolicedSettings(store, policy),
      onDisk: () => JSON.parse(readFileSync(path, "utf8")) as Settings,
    };
  }

  it("reads the effective settings and writes a change without any of the policy's values", async () => {
    const { policed, onDisk } = await setUp(
      { TenantId: "contoso.com", TokenCache: "memory", DefaultLeadMinutes: [30] },
      (s) => {
        s.connection.tenant = "fabrikam.com";
      },
    );
    expect((await policed.load()).connection.tenant).toBe("contoso.com");
    const after = await policed.update((s) => {
      s.startAtLogin = true;
    });
    expect(after.startAtLogin).toBe(true);
    expect(after.connection.tenant).toBe("contoso.com");
    const file = onDisk();
    expect(file.startAtLogin).toBe(true);
    expect(file.connection.tenant).toBe("fabrikam.com");
    expect(file.tokenStorage).toBe("encrypted");
    expect(file.notifications.leadMinutes).toEqual([10, 2]);
  });

  it("refuses a change to a locked setting, naming the policy and its source; the file is unchanged", async () => {
    const { policed, path } = await setUp({ ApprovalsEnabled: false, SupportContact: "the service desk" });
    const before = readFileSync(path, "utf8");
    await expect(
      policed.update((s) => {
        s.approvals.enabled = true;
      }),
    ).rejects.toThrow(
      '"I approve requests": set by your organisation (policy ApprovalsEnabled, /etc/pimtray/policy.json). To change it, contact the service desk. It was not changed.',
    );
    expect(readFileSync(path, "utf8")).toBe(before);
  });

  it("the organisation's profiles cannot be edited or removed; a user's profile cannot take their name", async () => {
    const { policed, onDisk } = await setUp({ Profiles: [{ name: "Ops", targets: [target] }] });
    const profiles = new ProfileService(policed);
    expect((await profiles.get("Ops")).id).toBe("managed:ops");
    await expect(profiles.edit("Ops", { justification: "mine" })).rejects.toThrow(
      'The profile "Ops" is set by your organisation (policy Profiles, /etc/pimtray/policy.json). It cannot be changed or removed',
    );
    await expect(profiles.remove("Ops")).rejects.toThrow("It cannot be changed or removed");
    await expect(profiles.add({ name: "ops", targets: [target] })).rejects.toThrow("already exists");
    const mine = await profiles.add({ name: "Mine", targets: [target] });
    // Reordering is allowed, and the organisation's profiles stay first.
    await profiles.move("Mine", 0);
    expect((await profiles.list()).map((p) => p.name)).toEqual(["Ops", "Mine"]);
    expect(onDisk().profiles.map((p) => p.id)).toEqual([mine.id]);
  });

  it("a hidden user profile stays in the file, in its place, through other changes", async () => {
    const { policed, onDisk } = await setUp({ Profiles: [{ name: "Ops", targets: [target] }] }, (s) => {
      s.profiles = [
        { id: "u1", name: "First", targets: [target], autoActivate: false, keepActive: { enabled: false } },
        { id: "u2", name: "OPS", targets: [target], autoActivate: false, keepActive: { enabled: false } },
        { id: "u3", name: "Last", targets: [target], autoActivate: false, keepActive: { enabled: false } },
      ];
    });
    await new ProfileService(policed).edit("Last", { justification: "edited" });
    expect(onDisk().profiles.map((p) => p.name)).toEqual(["First", "OPS", "Last"]);
    expect((await policed.load()).profiles.map((p) => p.name)).toEqual(["Ops", "First", "Last"]);
  });

  it("takes a policy read again: the next read applies it, and the file is not written", async () => {
    const { policed, path } = await setUp({ Cloud: "usgov" });
    const before = readFileSync(path, "utf8");
    expect((await policed.load()).connection.cloud).toBe("usgov");
    policed.replacePolicy(await readManagedPolicy([source("HKLM", { Cloud: "china" })]));
    expect((await policed.effective()).fields.find((f) => f.key === "Cloud")?.origin).toEqual({
      kind: "policy",
      source: "HKLM",
    });
    expect((await policed.load()).connection.cloud).toBe("china");
    policed.replacePolicy(NO_POLICY);
    expect((await policed.load()).connection.cloud).toBe("global");
    expect(readFileSync(path, "utf8")).toBe(before);
  });
});
