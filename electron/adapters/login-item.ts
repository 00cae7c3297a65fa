import { mkdir, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { UsageError } from "../engine/errors.js";

// Start at login. Windows and macOS use Electron's login item settings; Linux uses an XDG autostart
// .desktop file, pointing at the AppImage when the app runs from one (its mount path changes).

export const HIDDEN_ARG = "--hidden";

export interface LoginItemApp {
  setLoginItemSettings(s: { openAtLogin: boolean; openAsHidden?: boolean; args?: string[] }): void;
}

export function autostartPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "autostart", "pimtray.desktop");
}

/**
 * The Exec value for `path --hidden`, escaped as the Desktop Entry spec's "The Exec key" says: the
 * path in double quotes with `"`, `` ` ``, `$` and `\` backslash-escaped, a literal `%` as `%%` (else
 * `%f` would be a field code), and then, because Exec is a string value, every backslash escaped again.
 */
export function execValue(path: string): string {
  // A line break would end the Exec line and let the path add keys of its own; other control
  // characters are not allowed in a string value at all.
  if (/[\u0000-\u001f\u007f]/.test(path)) {
    throw new UsageError(
      `Start at login was not turned on: the app's path contains a line break or another control character, which an autostart file cannot hold (${JSON.stringify(path)}). Move PIM Tray to a folder whose path has none, then turn Start at login on again.`,
    );
  }
  const quoted = `"${path.replace(/["`$\\]/g, "\\$&")}"`;
  return `${quoted} ${HIDDEN_ARG}`.replace(/%/g, "%%").replace(/\\/g, "\\\\");
}

export function desktopEntry(execPath: string, env: NodeJS.ProcessEnv = process.env): string {
  const target = env.APPIMAGE ?? execPath;
  return [
    "[Desktop Entry]",
    "Type=Application",
    "Name=PIM Tray",
    "Comment=Just-in-time activation of Entra ID PIM for Groups",
    `Exec=${execValue(target)}`,
    "Icon=pimtray",
    "Terminal=false",
    "X-GNOME-Autostart-enabled=true",
    "Categories=Utility;",
    "",
  ].join("\n");
}

export async function setStartAtLogin(o: {
  enabled: boolean;
  platform: NodeJS.Platform;
  app: LoginItemApp;
  execPath: string;
  env?: NodeJS.ProcessEnv;
}): Promise<void> {
  if (o.platform === "linux") {
    const path = autostartPath(o.env);
    if (!o.enabled) return rm(path, { force: true });
    // Built before anything is written: a path we refuse leaves no file behind.
    const entry = desktopEntry(o.execPath, o.env);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, entry, { mode: 0o644 });
    return;
  }
  o.app.setLoginItemSettings({ openAtLogin: o.enabled, openAsHidden: true, args: [HIDDEN_ARG] });
}
