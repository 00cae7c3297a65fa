import { dialog } from "electron";

// Starting, then either running or failed with the reason: what a second launch acts on.

type Phase =
  | { kind: "starting"; showWhenStarted: boolean }
  | { kind: "running"; showPopup: () => void }
  | { kind: "failed"; message: string };

export class StartPhase {
  #phase: Phase = { kind: "starting", showWhenStarted: false };

  /** A second launch: show the popup, say why the start failed, or show the popup once started. */
  readonly onSecondInstance = (): void => {
    const phase = this.#phase;
    if (phase.kind === "running") phase.showPopup();
    else if (phase.kind === "failed")
      dialog.showErrorBox(
        "PIM Tray could not start",
        `${phase.message}\n\nUse the tray menu to open or reset the settings.`,
      );
    else phase.showWhenStarted = true;
  };

  /** @returns whether a second launch asked for the popup while the app was starting. */
  running(showPopup: () => void): boolean {
    const showWhenStarted = this.#phase.kind === "starting" && this.#phase.showWhenStarted;
    this.#phase = { kind: "running", showPopup };
    return showWhenStarted;
  }

  failed(message: string): void {
    this.#phase = { kind: "failed", message };
  }
}
