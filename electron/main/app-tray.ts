import { app, Menu, Tray } from "electron";
import type { AppController, FocusApproval } from "../app/app-controller.js";
import type { MenuAction } from "../app/tray-model.js";
import type { ElectronStoreSettings } from "../adapters/electron-settings.js";
import { TrayService, type TrayDeps } from "../adapters/tray-service.js";
import type { Logger } from "../engine/logger.js";

// The running app's tray: menu actions wired to the controller, and the menu kept in step with the state.

/** A TrayService on Electron's Tray and Menu. */
export function electronTray(d: Pick<TrayDeps, "iconFor" | "onAction" | "onClick">): TrayService {
  return new TrayService({
    createTray: (i) => new Tray(i as Electron.NativeImage),
    buildMenu: (t) => Menu.buildFromTemplate(t),
    platform: process.platform,
    ...d,
  });
}

export interface AppTrayDeps {
  controller: AppController;
  settings: ElectronStoreSettings;
  iconFor: TrayDeps["iconFor"];
  showPopup: () => void;
  /** Opens the popup on a request to approve (the Approvals view, that request, with the decision asked for). */
  openApproval: (approval: FocusApproval) => void;
  resetAndRelaunch: () => Promise<void>;
  logger: Logger;
}

export function createAppTray({
  controller,
  settings,
  iconFor,
  showPopup,
  openApproval,
  resetAndRelaunch,
  logger,
}: AppTrayDeps) {
  const onAction = (a: MenuAction) => {
    const run = (p: Promise<unknown>) => void p.catch((e: unknown) => logger.error("tray action failed", e));
    switch (a.kind) {
      case "sign-in":
        return run(controller.invoke("auth:sign-in", {}));
      case "open":
        return showPopup();
      case "open-approval":
        // The popup opens on that request; a null decision means "show it" (the person chooses there).
        return openApproval({ ...a.approval, decision: null });
      case "activate-profile":
        return run(controller.invoke("profiles:activate", { id: a.profileId }));
      case "deactivate": {
        const { kind: _action, ...request } = a;
        return run(controller.invoke("pim:deactivate", request));
      }
      case "cancel":
        return run(controller.invoke("pim:cancel", { requestId: a.requestId }));
      case "toggle-start-at-login":
        return run(
          settings.load().then((cur) => controller.invoke("settings:update", { startAtLogin: !cur.startAtLogin })),
        );
      case "open-settings":
        return showPopup();
      case "reset-connection":
        return run(resetAndRelaunch());
      case "quit":
        return app.quit();
    }
  };
  const tray = electronTray({ iconFor, onAction, onClick: showPopup });
  controller.onPush((channel, data) => {
    if (channel === "app:state") tray.update(data as Awaited<ReturnType<AppController["state"]>>);
  });
  // Countdowns in the menu move even when nothing else changes.
  setInterval(() => tray.render(), 60_000).unref();
  return { tray, onAction };
}
