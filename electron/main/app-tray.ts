import { app, Menu, Tray } from "electron";
import type { AppController, FocusApproval } from "../app/app-controller.js";
import type { MenuAction, TrayState } from "../app/tray-model.js";
import { TrayService, type TrayDeps } from "../adapters/tray-service.js";
import type { Logger } from "../engine/logger.js";
import type { Settings } from "../engine/profiles/settings-schema.js";
import type { UpdateMenuItem } from "../engine/update/update-state.js";
import type { AppState } from "../shared/ipc-contract.js";
import type { UpdateAction } from "./app-updates.js";

// The running app's tray: menu actions wired to the controller, and the menu kept in step with the state
// (the app state, and the update item, which only main knows).

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
  settings: { load(): Promise<Settings> };
  iconFor: TrayDeps["iconFor"];
  showPopup: () => void;
  /** Opens the popup on a request to approve (the Approvals view, that request, with the decision asked for). */
  openApproval: (approval: FocusApproval) => void;
  /** Opens the popup on its Troubleshoot view. */
  troubleshoot: () => void;
  /** Asks where to save the diagnostics zip, writes it and says where it went. */
  exportDiagnostics: () => Promise<void>;
  /** The update item was clicked (the update service exists once the item shows). */
  onUpdate: (action: UpdateAction) => Promise<void>;
  resetAndRelaunch: () => Promise<void>;
  logger: Logger;
}

export function createAppTray({
  controller,
  settings,
  iconFor,
  showPopup,
  openApproval,
  troubleshoot,
  exportDiagnostics,
  onUpdate,
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
      case "update":
        return run(onUpdate(a.action));
      case "troubleshoot":
        return troubleshoot();
      case "export-diagnostics":
        return run(exportDiagnostics());
      case "quit":
        return app.quit();
    }
  };
  const tray = electronTray({ iconFor, onAction, onClick: showPopup });
  let state: AppState | null = null;
  let update: UpdateMenuItem | null = null;
  const render = () => {
    if (!state) return;
    const s: TrayState = { ...state, update };
    tray.update(s);
  };
  /** A new app state: the tray shows it with the update item it already had. */
  const showState = (s: AppState) => {
    state = s;
    render();
  };
  /** The update service's item changed ("Restart to update to 1.2.3"): the menu is rebuilt with it. */
  const showUpdate = (item: UpdateMenuItem | null) => {
    update = item;
    render();
  };
  controller.onPush((channel, data) => {
    if (channel === "app:state") showState(data as AppState);
  });
  // Countdowns in the menu move even when nothing else changes.
  setInterval(() => tray.render(), 60_000).unref();
  return { tray, onAction, showState, showUpdate };
}
