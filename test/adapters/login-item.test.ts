// Start at login: Electron's login item on macOS and Windows, an XDG autostart file on Linux.
import { mkdtempSync, readFileSync, existsSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { autostartPath, desktopEntry, setStartAtLogin } from "../../electron/adapters/login-item.js";

/**
 * The Exec key read back as a desktop environment reads it (Desktop Entry spec, "The Exec key"):
 * first the string escapes (\\ \s \n \t \r), then the quoting rule, then the field codes.
 */
function execArgv(entry: string): string[] {
  const line = entry.split("\n").find((l) => l.startsWith("Exec="));
  if (!line) throw new Error("no Exec line");
  const value = line
    .slice(5)
    .replace(/\\([\\snrt])/g, (_m, c: string) => ({ "\\": "\\", s: " ", n: "\n", r: "\r", t: "\t" })[c] ?? c);
  const args: string[] = [];
  let i = 0;
  while (i < value.length) {
    if (value[i] === " ") {
      i += 1;
      continue;
    }
    let arg = "";
    if (value[i] === '"') {
      for (i += 1; value[i] !== '"'; i += 1) {
        if (i >= value.length) throw new Error("unterminated quote");
        if (value[i] === "\\") {
          i += 1;
          if (!'"`$\\'.includes(value[i] ?? "")) throw new Error(`invalid escape \\${value[i]} inside quotes`);
        }
        arg += value[i];
      }
      i += 1;
    } else {
      for (; i < value.length && value[i] !== " "; i += 1) {
        if ("\"'\\><~|&;$*?#()`\t".includes(value[i] ?? ""))
          throw new Error(`reserved character ${value[i]} outside quotes`);
        arg += value[i];
      }
    }
    // Field codes: %% is a literal %, and a lone % followed by anything else would be expanded.
    args.push(
      arg.replace(/%(.)/g, (_m, c: string) => {
        if (c !== "%") throw new Error(`field code %${c} in the command`);
        return "%";
      }),
    );
  }
  return args;
}

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
    expect(desktopEntry('/opt/p"t$/pimtray', {})).toContain('Exec="/opt/p\\\\"t\\\\$/pimtray" --hidden');
    rmSync(home, { recursive: true, force: true });
  });

  it("escapes a crafted AppImage path in Exec as the Desktop Entry spec says, so it starts exactly that file", async () => {
    const home = mkdtempSync(join(tmpdir(), "pimtray-autostart-"));
    const crafted = '/home/adele/Apps/50% off "PIM" $HOME `id` a\\b %f; rm -rf ~ #.AppImage';
    const env = { XDG_CONFIG_HOME: home, APPIMAGE: crafted };
    await setStartAtLogin({
      enabled: true,
      platform: "linux",
      app: { setLoginItemSettings: vi.fn() },
      execPath: "/tmp/.mount_x/pimtray",
      env,
    });
    const text = readFileSync(autostartPath(env), "utf8");
    expect(text).toContain(
      'Exec="/home/adele/Apps/50%% off \\\\"PIM\\\\" \\\\$HOME \\\\`id\\\\` a\\\\\\\\b %%f; rm -rf ~ #.AppImage" --hidden\n',
    );
    expect(execArgv(text)).toEqual([crafted, "--hidden"]);
    rmSync(home, { recursive: true, force: true });
  });

  it("refuses a path with a line break (it would add lines to the file) and writes nothing", async () => {
    const home = mkdtempSync(join(tmpdir(), "pimtray-autostart-"));
    for (const bad of ["/tmp/x\n[Desktop Entry]\nExec=/tmp/evil", "/tmp/x\rExec=/tmp/evil", "/tmp/tab\there"]) {
      const env = { XDG_CONFIG_HOME: home, APPIMAGE: bad };
      await expect(
        setStartAtLogin({
          enabled: true,
          platform: "linux",
          app: { setLoginItemSettings: vi.fn() },
          execPath: "x",
          env,
        }),
      ).rejects.toMatchObject({ kind: "usage", message: expect.stringContaining("line break") });
      expect(existsSync(autostartPath(env))).toBe(false);
    }
    rmSync(home, { recursive: true, force: true });
  });

  it("uses Electron's login item settings on macOS and Windows", async () => {
    for (const platform of ["darwin", "win32"] as const) {
      const app = { setLoginItemSettings: vi.fn() };
      await setStartAtLogin({ enabled: true, platform, app, execPath: "x" });
      expect(app.setLoginItemSettings).toHaveBeenCalledWith({
        openAtLogin: true,
        openAsHidden: true,
        args: ["--hidden"],
      });
    }
  });
});
