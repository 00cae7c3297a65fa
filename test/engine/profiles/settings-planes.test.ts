// Settings version 2: profiles that mix groups, Entra ID roles and Azure roles, planes that can be
// turned off, and the migration of a version-1 file (backed up first, nothing lost).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../../electron/engine/errors.js";
import { CURRENT_SCHEMA_VERSION } from "../../../electron/engine/profiles/settings-schema.js";
import { FileSettingsStore, ProfileService } from "../../../electron/engine/profiles/settings-store.js";

const dirs: string[] = [];
function fresh() {
  const dir = mkdtempSync(join(tmpdir(), "pimtray-settings-planes-"));
  dirs.push(dir);
  const path = join(dir, "settings.json");
  return { dir, path, store: new FileSettingsStore(path) };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const GROUP = "6c03b013-0950-5d62-8881-e9fee6d96c8a";
const SUB = "/subscriptions/4f2d0a05-0fff-50b1-9d0e-000000000001";
const role = { kind: "role", roleDefinitionId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", directoryScopeId: "/" } as const;
const azure = {
  kind: "azure",
  roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`,
  scope: `${SUB}/resourceGroups/rg-web`,
  roleName: "Contributor",
  scopeName: "rg-web",
} as const;

describe("settings version 2", () => {
  it("migrates a version-1 file: backed up first, its group profile kept as it was, every plane on", async () => {
    const { dir, path, store } = fresh();
    const v1 = {
      schemaVersion: 1,
      profiles: [{ id: "p1", name: "On-call", targets: [{ groupId: GROUP, accessId: "member", groupName: "Ops" }] }],
    };
    writeFileSync(path, JSON.stringify(v1));
    const s = await store.load();
    expect(s.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
    expect(s.planes).toEqual({ group: true, role: true, azure: true });
    expect(s.profiles[0]?.targets).toEqual([{ groupId: GROUP, accessId: "member", groupName: "Ops" }]);
    const onDisk = JSON.parse(readFileSync(path, "utf8")) as { schemaVersion: number };
    expect(onDisk.schemaVersion).toBe(2);
    const backup = readdirSync(dir).find((f) => f.includes(".before-migration-"));
    expect(JSON.parse(readFileSync(join(dir, backup ?? "missing"), "utf8"))).toEqual(v1);
  });

  it("keeps a profile that mixes a group, a directory role and an Azure role", async () => {
    const { store } = fresh();
    const profiles = new ProfileService(store);
    await profiles.add({
      name: "Mixed",
      targets: [{ groupId: GROUP, accessId: "owner" }, role, azure],
      justification: "on call",
    });
    const again = await new FileSettingsStore(fresh().path).load();
    expect(again.profiles).toEqual([]);
    const [p] = (await store.load()).profiles;
    expect(p?.targets).toEqual([{ groupId: GROUP, accessId: "owner" }, role, azure]);
  });

  it("a target with a malformed scope is refused with where it is and what to write", async () => {
    const { path, store } = fresh();
    writeFileSync(
      path,
      JSON.stringify({
        schemaVersion: 2,
        profiles: [{ id: "p1", name: "Bad", targets: [{ ...azure, scope: "rg-web" }] }],
      }),
    );
    const err = await store.load().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(/profiles\[0\]\.targets\[0\]/);
    expect((err as ConfigError).message).toMatch(/\/subscriptions\/\{id\}/);
  });

  it("a file from a newer PIM Tray is left alone", async () => {
    const { path, store } = fresh();
    writeFileSync(path, JSON.stringify({ schemaVersion: CURRENT_SCHEMA_VERSION + 1 }));
    await expect(store.load()).rejects.toThrow(/newer PIM Tray/);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ schemaVersion: CURRENT_SCHEMA_VERSION + 1 });
  });
});
