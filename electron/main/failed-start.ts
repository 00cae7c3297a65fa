import { app, dialog } from "electron";
import type { TrayDeps, TrayService } from "../adapters/tray-service.js";
import { PimTrayError } from "../engine/errors.js";
import type { Logger } from "../engine/logger.js";
import { electronTray } from "./app-tray.js";
import type { StartPhase } from "./start-phase.js";

// Any error during start-up: a tray in an error state that says what is wrong and how to get out.

export interface FailedStartDeps {
  logPath: string;
  logger: Logger;
  phase: StartPhase;
  iconFor: TrayDeps["iconFor"];
  openSettingsFile: () => Promise<void>;
  resetAndRelaunch: () => Promise<void>;
}

/** @returns the failure tray, which the caller keeps alive (a Tray that is garbage-collected disappears). */
export function showFailedStart(e: unknown, d: FailedStartDeps): TrayService | null {
  const message =
    e instanceof PimTrayError
      ? e.message
      : `Something went wrong while starting. The details are in ${d.logPath}; "Reset connection settings" often helps.`;
  d.logger.error("PIM Tray could not start", e);
  d.phase.failed(message);
  try {
    const tray = electronTray({
      iconFor: d.iconFor,
      onAction: (a) => {
        if (a.kind === "open-settings") void d.openSettingsFile();
        else if (a.kind === "reset-connection") void d.resetAndRelaunch();
        else if (a.kind === "quit") app.quit();
      },
      onClick: () => undefined,
    });
    tray.fail(message);
    return tray;
  } catch (trayError) {
    // Not even a tray: say so where it can be seen and give the single-instance lock back.
    d.logger.error("the error tray could not be shown", trayError);
    dialog.showErrorBox("PIM Tray could not start", message);
    app.exit(1);
    return null;
  }
}
