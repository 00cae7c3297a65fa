// Settings through electron-store, in the settings.json the CLI also reads.
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ElectronStoreSettings } from "../../electron/adapters/electron-settings.js";
import { FileSettingsStore } from "../../electron/engine/profiles/settings-store.js";

// electron-store asks Electron for the default folder and the app version; the app always passes its own folder.
vi.mock("electron", () => {
  const electron = {
    app: { getPath: () => tmpdir(), getVersion: () => "0.1.0" },
    ipcMain: { on: () => undefined },
    shell: {},
  };
  return { default: electron, ...electron };
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pimtray-settings-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("settings through electron-store", () => {
  it("keeps settings.json readable only by its owner after the app saves it", async () => {
    // A typical umask (022) would turn electron-store's default 0o666 into 0644.
    expect(process.umask() & 0o077).not.toBe(0o077);
    const store = new ElectronStoreSettings(dir);
    await store.update((s) => {
      s.notifications.leadMinutes = [15, 5];
    });
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    // An existing file stays owner-only too, and the CLI reads what the app wrote.
    writeFileSync(store.path, JSON.stringify({ schemaVersion: 1 }), { mode: 0o600 });
    await new ElectronStoreSettings(dir).update((s) => {
      s.startAtLogin = true;
    });
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect((await new FileSettingsStore(store.path).load()).startAtLogin).toBe(true);
  });
});
