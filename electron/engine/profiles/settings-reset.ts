import { readFile } from "node:fs/promises";
import { ConfigError } from "../errors.js";
import { backupFile, writeFileAtomic } from "../fs-util.js";
import { defaultSettings, settingsSchema, type Settings } from "./settings-schema.js";

/**
 * "Reset connection settings" from the tray after a failed start: the file is copied aside first,
 * then the connection (cloud, tenant, client id, custom endpoints) goes back to the defaults. Profiles
 * and the rest are kept when they are valid; a file that does not parse at all starts afresh, and
 * the copy keeps everything it had.
 */
export async function resetConnectionSettings(path: string): Promise<{ backup: string | null; settings: Settings }> {
  let text: string | null;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT")
      throw new ConfigError(`Could not read ${path}: ${(e as Error).message}. Check the file's permissions.`, {
        cause: e,
      });
    text = null;
  }
  const backup = text === null ? null : await backupFile(path, "before-reset");
  let settings = defaultSettings();
  if (text !== null) {
    try {
      const doc = JSON.parse(text) as unknown;
      if (doc && typeof doc === "object" && !Array.isArray(doc)) {
        const { connection: _dropped, allowCustomEndpoints: _alsoDropped, ...rest } = doc as Record<string, unknown>;
        const parsed = settingsSchema.safeParse({ ...rest, schemaVersion: settings.schemaVersion });
        if (parsed.success) settings = parsed.data;
      }
    } catch {
      // Not JSON at all: the defaults below, and the backup keeps the old text.
    }
  }
  // The account belonged to the old connection; signing in again picks the tenant.
  settings.account = null;
  await writeFileAtomic(path, `${JSON.stringify(settings, null, 2)}\n`, 0o600);
  return { backup, settings };
}
