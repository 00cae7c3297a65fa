// Choosing where tokens live, while the app runs: through the controller's settings:update channel,
// with real MSAL against the emulator and the real cache file on disk.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppTokenCache } from "../../electron/adapters/safe-storage-persistence.js";
import { AppController } from "../../electron/app/app-controller.js";
import { HistoryLog } from "../../electron/engine/history/history-log.js";
import { systemClock } from "../../electron/engine/lifecycle/clock.js";
import { FileStateStore } from "../../electron/engine/lifecycle/lifecycle-state.js";
import { LifecycleService } from "../../electron/engine/lifecycle/lifecycle-service.js";
import { silentLogger } from "../../electron/engine/logger.js";
import type { AppState } from "../../electron/shared/ipc-contract.js";
import { startTestEmulator } from "../helpers/emulator.js";
import { engineAgainst } from "../helpers/engine.js";
import { AppDouble, SafeStorageDouble } from "./electron-doubles.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let dir: string;
beforeAll(async () => {
  emu = await startTestEmulator();
  dir = mkdtempSync(join(tmpdir(), "pimtray-tokens-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await emu.stop();
});

describe("token storage chosen while the app runs", () => {
  it("Memory only deletes the cache file at once and writes none; Encrypted writes it at once; the popup says which", async () => {
    const app = new AppDouble();
    await app.whenReady();
    const safe = new SafeStorageDouble(app);
    const path = join(dir, "msal-cache.bin");
    const cache = await AppTokenCache.create({ safeStorage: safe, platform: "linux", preference: "encrypted", path });
    const engine = await engineAgainst(emu, dir, { overrides: { persistence: cache } });
    expect(existsSync(path)).toBe(true);
    const lifecycle = new LifecycleService({
      planes: engine.planes,
      activation: engine.activation,
      auth: engine.auth,
      profiles: engine.profiles,
      settings: engine.settings,
      store: new FileStateStore(join(dir, "lifecycle-state.json"), silentLogger),
      history: new HistoryLog(join(dir, "history.jsonl")),
      clock: systemClock,
      logger: silentLogger,
    });
    const platform = {
      tokenStorage: cache,
      setStartAtLogin: async () => undefined,
      openExternal: async () => undefined,
      hidePopup: () => undefined,
      // Not this suite's subject: a doctor run and an export are the diagnostics suites'.
      doctor: async () => Promise.reject(new Error("not used here")),
      exportDiagnostics: async () => null,
    };
    const controller = new AppController(engine, lifecycle, platform, silentLogger);

    const toMemory = await controller.invoke("settings:update", { tokenStorage: "memory" });
    expect(toMemory.ok).toBe(true);
    expect(existsSync(path)).toBe(false);
    const memorySettings = (toMemory as { value: AppState }).value.settings;
    expect(memorySettings.tokenStorage).toBe("memory");
    expect(memorySettings.tokenStorageNote).toContain("memory only");
    // Still signed in for this session, and using the tokens writes nothing back.
    expect((await controller.invoke("pim:eligible", undefined)).ok).toBe(true);
    expect(existsSync(path)).toBe(false);

    const toEncrypted = await controller.invoke("settings:update", { tokenStorage: "encrypted" });
    expect(toEncrypted.ok).toBe(true);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, "latin1")).not.toContain("refresh_token");
    expect((toEncrypted as { value: AppState }).value.settings).toMatchObject({
      tokenStorage: "encrypted",
      tokenStorageNote: expect.stringContaining("encrypted on disk"),
    });

    // After a restart (a new cache over the same OS key), the saved sign-in works without signing in.
    const restarted = await AppTokenCache.create({
      safeStorage: new SafeStorageDouble(app, { key: safe.key }),
      platform: "linux",
      preference: "encrypted",
      path,
    });
    const again = await engineAgainst(emu, dir, {
      user: null,
      overrides: { persistence: restarted, allowInteraction: false },
    });
    expect((await again.auth.currentAccount())?.username).toBe("adele@contoso.example");
    expect((await again.pim.eligibilities()).length).toBeGreaterThan(0);
  });

  it("Memory only chosen before this start leaves no file from an earlier one", async () => {
    const app = new AppDouble();
    await app.whenReady();
    const path = join(dir, "left-over.bin");
    writeFileSync(path, "v10 left from an encrypted session");
    const cache = await AppTokenCache.create({
      safeStorage: new SafeStorageDouble(app),
      platform: "darwin",
      preference: "memory",
      path,
    });
    expect(existsSync(path)).toBe(false);
    expect(cache).toMatchObject({ encrypted: false, encryptionAvailable: true });
  });

  it("stays memory only, and says why, where the desktop has no key store", async () => {
    const app = new AppDouble();
    await app.whenReady();
    const path = join(dir, "basic.bin");
    const cache = await AppTokenCache.create({
      safeStorage: new SafeStorageDouble(app, { backend: "basic_text" }),
      platform: "linux",
      preference: "encrypted",
      path,
    });
    await cache.save("{}");
    await cache.use("encrypted");
    expect(cache.encrypted).toBe(false);
    expect(existsSync(path)).toBe(false);
  });
});
