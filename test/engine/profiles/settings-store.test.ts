import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, UsageError } from "../../../electron/engine/errors.js";
import { CURRENT_SCHEMA_VERSION } from "../../../electron/engine/profiles/settings-schema.js";
import { FileSettingsStore, MIGRATIONS, ProfileService } from "../../../electron/engine/profiles/settings-store.js";

const dirs: string[] = [];
function store() {
  const dir = mkdtempSync(join(tmpdir(), "pimtray-settings-"));
  dirs.push(dir);
  return { dir, path: join(dir, "settings.json"), store: new FileSettingsStore(join(dir, "settings.json")) };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const GROUP = "6c03b013-0950-5d62-8881-e9fee6d96c8a";

describe("settings store", () => {
  it("keeps changes made in place by the update callback", async () => {
    const { store: s } = store();
    await s.update((doc) => {
      doc.account = { homeAccountId: "a.b", username: "adele@contoso.example", method: "device-code" };
    });
    expect((await s.load()).account).toEqual({
      homeAccountId: "a.b",
      username: "adele@contoso.example",
      method: "device-code",
    });
  });

  it("writes the file readable only by its owner", async () => {
    const { store: s, path } = store();
    await s.update(() => undefined);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("backs up a corrupt file, reports it with the fix, and never overwrites it", async () => {
    const { store: s, path, dir } = store();
    writeFileSync(path, '{"schemaVersion": 1, "profiles": [');
    const err = await s.load().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/not valid JSON.*A copy is kept at .*corrupt.*\.bak/);
    expect(readFileSync(path, "utf8")).toBe('{"schemaVersion": 1, "profiles": [');
    const backups = readdirSync(dir).filter((f) => f.includes(".corrupt-"));
    expect(backups).toHaveLength(1);
    await expect(s.update(() => undefined)).rejects.toBeInstanceOf(ConfigError);
    expect(readFileSync(path, "utf8")).toBe('{"schemaVersion": 1, "profiles": [');
  });

  it("names the field and the fix for a malformed profile", async () => {
    const { store: s, path } = store();
    writeFileSync(
      path,
      JSON.stringify({
        schemaVersion: 1,
        profiles: [{ id: "1", name: "Ops", targets: [{ groupId: "not-a-guid", accessId: "member" }] }],
      }),
    );
    const err = await s.load().catch((e: unknown) => e);
    expect((err as Error).message).toContain("profiles[0].targets[0].groupId: must be a group id (a GUID)");
  });

  it("refuses a file from a newer version and leaves it untouched", async () => {
    const { store: s, path } = store();
    writeFileSync(path, JSON.stringify({ schemaVersion: 99 }));
    await expect(s.load()).rejects.toThrow(/newer PIM Tray/);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ schemaVersion: 99 });
  });

  it("migrates an older version after backing it up", async () => {
    const { store: s, path, dir } = store();
    // A hypothetical version 0 kept the lead times at the top level.
    MIGRATIONS[0] = (doc) => ({ ...doc, notifications: { leadMinutes: doc.warnMinutes }, warnMinutes: undefined });
    try {
      writeFileSync(path, JSON.stringify({ schemaVersion: 0, warnMinutes: [15, 5] }));
      const loaded = await s.load();
      expect(loaded.notifications.leadMinutes).toEqual([15, 5]);
      // Migrated step by step to the current version.
      expect(JSON.parse(readFileSync(path, "utf8")).schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
      const backups = readdirSync(dir).filter((f) => f.includes(".before-migration-"));
      expect(backups).toHaveLength(1);
      expect(JSON.parse(readFileSync(join(dir, backups[0] ?? ""), "utf8"))).toEqual({
        schemaVersion: 0,
        warnMinutes: [15, 5],
      });
    } finally {
      delete MIGRATIONS[0];
    }
  });

  it("starts from defaults when there is no file", async () => {
    const { store: s, path } = store();
    expect((await s.load()).notifications.leadMinutes).toEqual([10, 2]);
    expect(existsSync(path)).toBe(false);
  });
});

describe("profiles", () => {
  it("adds, edits, reorders and removes; names are unique case-insensitively", async () => {
    const { store: s } = store();
    const p = new ProfileService(s);
    await p.add({
      name: "Month end",
      targets: [{ groupId: GROUP, accessId: "member" }],
      duration: "PT2H",
      justification: "Close",
    });
    await p.add({ name: "Second", targets: [{ groupId: GROUP, accessId: "owner" }] });
    await expect(
      p.add({ name: "month END", targets: [{ groupId: GROUP, accessId: "member" }] }),
    ).rejects.toBeInstanceOf(UsageError);
    await p.edit("month end", { duration: "PT4H", autoActivate: true });
    expect((await p.get("Month end")).duration).toBe("PT4H");
    await p.move("Second", 0);
    expect((await p.list()).map((x) => x.name)).toEqual(["Second", "Month end"]);
    await p.remove("second");
    expect((await p.list()).map((x) => x.name)).toEqual(["Month end"]);
  });

  it("requires an end for keep-active, and a valid duration", async () => {
    const p = new ProfileService(store().store);
    await expect(
      p.add({ name: "K", targets: [{ groupId: GROUP, accessId: "member" }], keepActive: { enabled: true } }),
    ).rejects.toThrow(/keep-active needs an end/);
    await expect(
      p.add({ name: "D", targets: [{ groupId: GROUP, accessId: "member" }], duration: "PT1M" }),
    ).rejects.toThrow(/at least 5 minutes/);
    await expect(p.add({ name: "E", targets: [] })).rejects.toThrow(/at least one group/);
  });
});
