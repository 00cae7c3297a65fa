// Start at login: Electron's login item on macOS and Windows, an XDG autostart file on Linux.
import { mkdtempSync, readFileSync, existsSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { autostartPath, desktopEntry, setStartAtLogin } from "../../electron/adapters/login-item.js";

describe("start at login", () => {
  it("writes an XDG autostart file on Linux, pointing at the AppImage when there is one", async () => {
    const home = mkdtempSync(join(tmpdir(), "pimtray-autostart-"));
    const env = { XDG_CONFIG_HOME: home, APPIMAGE: "/home/adele/Apps/PIM Tray.AppImage" };
    const app = { setLoginItemSettings: vi.fn() };
    await setStartAtLogin({ enabled: true, platform: "linux", app, execPath: "/tmp/.mount_x/pimtray", env });
    const text = readFileSync(autostartPath(env), "utf8");
    expect(text).toContain('Exec="/home/adele/Apps/PIM Tray.AppImage" --hidden');
    expect(text).toMatch(/^\[Desktop Entry\]\nType=Application\nName=PIM Tray/);
    expect(statSync(autostartPath(env)).mode & 0o777).toBe(0o644);
    await setStartAtLogin({ enabled: false, platform: "linux", app, execPath: "x", env });
    expect(existsSync(autostartPath(env))).toBe(false);
    expect(app.setLoginItemSettings).not.toHaveBeenCalled();
    expect(desktopEntry('/opt/p"t$/pimtray', {})).toContain('Exec="/opt/p\\"t\\$/pimtray" --hidden');
    rmSync(home, { recursive: true, force: true });
  });

  it("uses Electron's login item settings on macOS and Windows", async () => {
    for (const platform of ["darwin", "win32"] as const) {
      const app = { setLoginItemSettings: vi.fn() };
      await setStartAtLogin({ enabled: true, platform, app, execPath: "x" });
      expect(app.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true, openAsHidden: true, args: ["--hidden"] });
    }
  });
});
