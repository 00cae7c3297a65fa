import type Store from "electron-store";
import { join } from "node:path";
import { UsageError } from "../engine/errors.js";
import { FILES } from "../engine/paths.js";
import { describeIssues, settingsSchema, type Settings } from "../engine/profiles/settings-schema.js";
import { FileSettingsStore, type SettingsRepository } from "../engine/profiles/settings-store.js";

/**
 * Settings and profiles through electron-store, in the very file the CLI uses (settings.json in the
 * shared config folder). Reads go through the engine's loader first, so a damaged file is backed up
 * and reported instead of being cleared, and old versions are migrated the same way.
 */
export class ElectronStoreSettings implements SettingsRepository {
  readonly path: string;
  readonly #loader: FileSettingsStore;
  #store: Store<Settings> | null = null;

  constructor(private readonly configDir: string) {
    this.path = join(configDir, FILES.settings);
    this.#loader = new FileSettingsStore(this.path);
  }

  load(): Promise<Settings> {
    return this.#loader.load();
  }

  async update(change: (s: Settings) => Settings | void): Promise<Settings> {
    const draft = structuredClone(await this.load());
    const parsed = settingsSchema.safeParse(change(draft) ?? draft);
    if (!parsed.success) throw new UsageError(`Not saved: ${describeIssues(parsed.error)}.`);
    // Created only after a successful load: electron-store must never see (and clear) a damaged file. It is
    // imported then too: electron-store (with conf and ajv) is not needed to start the app and show the tray.
    // configFileMode: electron-store's default 0o666 becomes 0644 under a usual umask; the file names the account.
    this.#store ??= new (await import("electron-store")).default<Settings>({
      cwd: this.configDir,
      name: "settings",
      clearInvalidConfig: false,
      configFileMode: 0o600,
    });
    this.#store.store = parsed.data;
    return parsed.data;
  }
}
