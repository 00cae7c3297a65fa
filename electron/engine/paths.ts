import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The folder the CLI and the tray app share for settings.json, history.jsonl and the CLI's token
 * cache. It matches Electron's app.getPath("userData") for the app name "PIM Tray" lower-cased, so
 * both front ends find the same files without configuration.
 */
export function defaultConfigDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.PIMTRAY_CONFIG_DIR) return env.PIMTRAY_CONFIG_DIR;
  if (platform === "win32") return join(env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "pimtray");
  if (platform === "darwin") return join(homedir(), "Library", "Application Support", "pimtray");
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "pimtray");
}

export const FILES = {
  settings: "settings.json",
  history: "history.jsonl",
  tokenCache: "msal-cache.json",
  log: "pimtray.log",
  /** What the lifecycle service knows between runs (announced warnings, keep-active chains). */
  lifecycleState: "lifecycle-state.json",
} as const;
