// Issue 8 point 2 (a start that fails must be visible) and point 3 (custom endpoints only with
// allowCustomEndpoints): the real main.ts, launched with settings a user could really have.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { validateRequest } from "../../electron/shared/ipc-contract.js";
import { startTestEmulator } from "../helpers/emulator.js";
import { boot, clickMenu, menuLabels, until, type Fake } from "./boot.js";

vi.mock("electron", () => import("./electron-fake.js"));

const dirs: string[] = [];
let emu: Awaited<ReturnType<typeof startTestEmulator>>;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await emu.stop();
});

async function launch(settings: string | object): Promise<{ fake: Fake; dir: string }> {
  const r = await boot({ settings });
  dirs.push(r.dir);
  await until("a tray", () => r.fake.recorded.trays.length === 1);
  return r;
}

describe("a start that fails", () => {
  it("shows a tray in an error state for a tenant the connection refuses, with Open settings, Reset connection settings (backup first) and Quit", async () => {
    const original = { schemaVersion: 1, connection: { cloud: "global", tenant: "contoso" }, profiles: [] };
    const { fake, dir } = await launch(original);
    const tray = fake.recorded.trays[0];
    expect(tray?.tooltip).toMatch(/^PIM Tray could not start: .*tenant/);
    expect(fake.recorded.emptyTrayImages).toEqual([]);
    const labels = menuLabels(fake);
    expect(labels[0]).toBe("PIM Tray could not start");
    expect(labels.join(" ")).toContain("connection.tenant");
    expect(labels.filter((l) => ["Open settings", "Reset connection settings", "Quit"].includes(l))).toEqual([
      "Open settings",
      "Reset connection settings",
      "Quit",
    ]);
    expect(fake.recorded.windows).toHaveLength(0); // no popup half-wired to a missing engine

    // The second-instance handler is the first thing registered, before the app is ready, so a second
    // launch reaches this one and is told why, instead of silently doing nothing.
    expect(fake.recorded.appListeners[0]).toEqual({ event: "second-instance", ready: false });
    fake.app.emit("second-instance");
    expect(fake.recorded.errorBoxes.at(-1)?.content).toContain("tenant");

    clickMenu(fake, "open-settings");
    await until("settings.json to be opened", () => fake.recorded.openedPaths.includes(join(dir, "settings.json")));

    clickMenu(fake, "reset-connection");
    await until("a relaunch", () => fake.recorded.relaunched && fake.recorded.quit);
    const backups = readdirSync(dir).filter((f) => f.startsWith("settings.json.before-reset-"));
    expect(backups).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, backups[0] ?? ""), "utf8"))).toEqual(original);
    expect(JSON.parse(readFileSync(join(dir, "settings.json"), "utf8")).connection).toEqual({
      cloud: "global",
      tenant: "organizations",
    });
  });

  it("shows the error tray for a damaged settings.json, and Quit quits", async () => {
    const { fake } = await launch('{"schemaVersion": 1, "connection": ');
    expect(fake.recorded.trays[0]?.tooltip).toMatch(/^PIM Tray could not start: .*not valid JSON/);
    clickMenu(fake, "quit");
    expect(fake.recorded.quit).toBe(true);
  });

  it("the IPC contract refuses the same tenant the connection would, so Settings cannot save one", () => {
    const bad = validateRequest("settings:update", { tenant: "contoso" });
    expect(bad).toMatchObject({ ok: false, message: expect.stringContaining("tenant id") });
    expect(validateRequest("settings:update", { tenant: "contoso.onmicrosoft.com" }).ok).toBe(true);
    expect(validateRequest("settings:update", { tenant: "" }).ok).toBe(true);
  });
});

describe("custom endpoints in settings.json", () => {
  it("are not used without allowCustomEndpoints: the tray says why and nothing is sent there", async () => {
    const fetched: string[] = [];
    const r = await boot({
      settings: {
        schemaVersion: 1,
        connection: { cloud: "global", tenant: emu.tenantId, authorityHost: emu.origin, graphEndpoint: emu.origin },
      },
    });
    dirs.push(r.dir);
    r.fake.setNetFetch(async (url) => {
      fetched.push(url);
      throw new Error("no request may leave in this test");
    });
    await until("a tray", () => r.fake.recorded.trays.length === 1);
    expect(r.fake.recorded.trays[0]?.tooltip).toMatch(
      /^PIM Tray could not start: settings\.json names custom endpoints/,
    );
    expect(menuLabels(r.fake).join(" ")).toContain('"allowCustomEndpoints": true');
    expect(r.fake.recorded.ipcHandlers.size).toBe(0);
    expect(fetched).toEqual([]);
    expect(existsSync(join(r.dir, "msal-cache.bin"))).toBe(false);
  });
});
