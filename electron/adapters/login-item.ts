import { mkdir, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

// Start at login. Windows and macOS use Electron's login item settings; Linux uses an XDG autostart
// .desktop file, pointing at the AppImage when the app runs from one (its mount path changes).

export const HIDDEN_ARG = "--hidden";

export interface LoginItemApp {
  setLoginItemSettings(s: { openAtLogin: boolean; openAsHidden?: boolean; args?: string[] }): void;
}

export function autostartPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "autostart", "pimtray.desktop");
}

export function desktopEntry(execPath: string, env: NodeJS.ProcessEnv = process.env): string {
  const target = env.APPIMAGE ?? execPath;
  // Desktop Entry Exec quoting: wrap in double quotes, escape the four reserved characters.
  const quoted = `"${target.replace(/(["`$\\])/g, "\\$1")}"`;
  return ["[Desktop Entry]", "Type=Application", "Name=PIM Tray", "Comment=Just-in-time activation of Entra ID PIM for Groups", `Exec=${quoted} ${HIDDEN_ARG}`, "Icon=pimtray", "Terminal=false", "X-GNOME-Autostart-enabled=true", "Categories=Utility;", ""].join("\n");
}

export async function setStartAtLogin(o: { enabled: boolean; platform: NodeJS.Platform; app: LoginItemApp; execPath: string; env?: NodeJS.ProcessEnv }): Promise<void> {
  if (o.platform === "linux") {
    const path = autostartPath(o.env);
    if (!o.enabled) return rm(path, { force: true });
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, desktopEntry(o.execPath, o.env), { mode: 0o644 });
    return;
  }
  o.app.setLoginItemSettings({ openAtLogin: o.enabled, openAsHidden: true, args: [HIDDEN_ARG] });
}
