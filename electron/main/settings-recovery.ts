import { existsSync } from "node:fs";
import type { Logger } from "../engine/logger.js";
import { PimTrayError } from "../engine/errors.js";
import { resetConnectionSettings } from "../engine/profiles/settings-reset.js";

// The way out of a start that failed on settings.json: open it, or reset its connection part. Both
// work without the engine, which may be what could not start.

export interface RecoveryDeps {
  settingsPath: string;
  configDir: string;
  shell: { openPath(path: string): Promise<string>; showItemInFolder(path: string): void };
  app: { relaunch(): void; quit(): void };
  logger: Logger;
  /** Says why a reset failed, where the person looks (the failure tray). */
  onResetFailed: (message: string) => void;
}

export function settingsRecovery(d: RecoveryDeps) {
  return {
    /**
     * "Open settings" without the engine: the popup needs a running engine, so settings.json opens in
     * the user's editor for .json files; if none is registered, its folder opens instead.
     */
    async openSettingsFile(): Promise<void> {
      const target = existsSync(d.settingsPath) ? d.settingsPath : d.configDir;
      const problem = await d.shell.openPath(target);
      if (problem) {
        d.logger.warn(`could not open ${target}: ${problem}`);
        d.shell.showItemInFolder(target);
      }
    },

    async resetAndRelaunch(): Promise<void> {
      try {
        const { backup } = await resetConnectionSettings(d.settingsPath);
        d.logger.info(`connection settings reset${backup ? `; the old file is kept at ${backup}` : ""}`);
        d.app.relaunch();
        d.app.quit();
      } catch (e) {
        d.logger.error("resetting the connection settings failed", e);
        d.onResetFailed(
          e instanceof PimTrayError
            ? e.message
            : `Could not reset ${d.settingsPath}. Move the file away by hand, then start PIM Tray again.`,
        );
      }
    },
  };
}
