import { app, dialog, ipcMain, nativeImage, net, Notification, powerMonitor, shell } from "electron";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { AppController, type Focus } from "../app/app-controller.js";
import { registerIpc } from "../adapters/ipc.js";
import { HIDDEN_ARG, setStartAtLogin } from "../adapters/login-item.js";
import { trayIconLoader, type TrayService } from "../adapters/tray-service.js";
import { createLifecycle } from "../engine/lifecycle-wiring.js";
import type { FetchLike } from "../engine/http/http-client.js";
import { APP_ID } from "../engine/notify/notifier.js";
import { defaultConfigDir, FILES } from "../engine/paths.js";
import { updateMenuItem } from "../engine/update/update-state.js";
import { fileLogger } from "../node/file-logger.js";
import { appDiagnostics } from "./app-diagnostics.js";
import { registerAppScheme, serveRenderer } from "./app-protocol.js";
import { createAppTray } from "./app-tray.js";
import { createAppUpdates, firstCheckDelayFrom, type AppUpdates } from "./app-updates.js";
import { routeDesktopNotifications } from "./desktop-notifications.js";
import { wireEngine } from "./engine-wiring.js";
import { showFailedStart } from "./failed-start.js";
import { FocusDelivery } from "./focus-delivery.js";
import { denyAllPermissions, ORIGIN, Popup } from "./popup.js";
import { settingsRecovery } from "./settings-recovery.js";
import { StartPhase } from "./start-phase.js";
import { refusedSwitches } from "./switches.js";

// The composition root: the one place that wires Electron's capabilities (adapters) to the engine.
// Hardening: contextIsolation + sandbox, no nodeIntegration, a strict CSP, navigation and window.open
// blocked (popup.ts, app-protocol.ts), openExternal only for allow-listed https links (in the controller).

const ASSETS = join(__dirname, "..", "..", "assets");

registerAppScheme();

// Windows and Linux pass --hidden from the login item; macOS login items cannot pass arguments.
const startedHidden = () =>
  process.argv.includes(HIDDEN_ARG) ||
  (process.platform === "darwin" && app.getLoginItemSettings().wasOpenedAtLogin === true);
const demo = process.argv.includes("--demo") || process.env.PIMTRAY_DEMO === "1";
const configDir = demo ? join(defaultConfigDir(), "demo") : defaultConfigDir();
const settingsPath = join(configDir, FILES.settings);
const logger = fileLogger(join(configDir, FILES.log), Boolean(process.env.PIMTRAY_VERBOSE), (line) =>
  process.stderr.write(`${line}\n`),
);

/** Set once the lifecycle service exists: opening the popup catches up with changes made elsewhere. */
let onPopupShown: () => void = () => undefined;
/** Opening the popup reconciles only if the last full reconcile is older than this. */
const POPUP_FRESH_MS = 5000;
const popup = new Popup(() => onPopupShown());
const phase = new StartPhase();

const refused = app.isPackaged ? refusedSwitches([...process.argv, ...process.execArgv]) : [];
if (refused.length) {
  // Debugging switches would let any local program read tokens from this process's memory. The
  // fuses already disable --inspect; the Chromium ones are refused here, before anything loads.
  const why = `PIM Tray will not start with ${refused.join(", ")}. These switches let other programs on this computer read your sign-in tokens from PIM Tray's memory. Start PIM Tray without them.`;
  process.stderr.write(`${why}\n`);
  logger.error(why);
  dialog.showErrorBox("PIM Tray did not start", why);
  app.exit(1);
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // First, so a second launch always reaches this one, whether it is starting, running or failed.
  app.on("second-instance", phase.onSecondInstance);
  app.setAppUserModelId(APP_ID);
  void app
    .whenReady()
    .then(start)
    .catch((e: unknown) => startFailed(e));
}

const trayIcon = trayIconLoader({
  nativeImage,
  assetsDir: ASSETS,
  platform: process.platform,
  onMissing: (m) => logger.error(m),
});

/** Keeps the failure tray alive (a Tray that is garbage-collected disappears). */
let failureTray: TrayService | null = null;
const { openSettingsFile, resetAndRelaunch } = settingsRecovery({
  settingsPath,
  configDir,
  shell,
  app,
  logger,
  onResetFailed: (m) => failureTray?.fail(m),
});

function startFailed(e: unknown): void {
  failureTray = showFailedStart(e, {
    logPath: join(configDir, FILES.log),
    logger,
    phase,
    iconFor: trayIcon,
    openSettingsFile,
    resetAndRelaunch,
  });
}

async function start(): Promise<void> {
  if (process.platform === "darwin") app.dock?.hide();
  denyAllPermissions();
  serveRenderer();

  // Demo mode only: the emulator's launcher (and undici with it) is not loaded otherwise.
  const demoEmu = demo ? await (await import("./demo-emulator.js")).startDemoEmulator(configDir) : null;
  const { engine, settings, cache, policy } = await wireEngine({ configDir, demoEmu, logger });
  // Watching the config folder shows what `pimtray` and other processes change there within 2 s.
  const lifecycle = createLifecycle(engine, { stateDir: configDir, watchOthers: true });
  // The portal or another device changed something: nothing on this computer says so, so look when the person does.
  onPopupShown = () =>
    void lifecycle
      .refreshIfStale(POPUP_FRESH_MS)
      .catch((e: unknown) => logger.warn("could not refresh on opening the popup", e));
  /** The update service, made once the tray shows (it loads electron-updater at its first check only). */
  let updates: AppUpdates | null = null;
  // The doctor reaches the endpoints as the engine does: Chromium's network stack, or demo mode's emulator CA.
  const doctorFetch: FetchLike = demoEmu ? await demoDoctorFetch(demoEmu.caPem) : (url, init) => net.fetch(url, init);
  const diagnostics = appDiagnostics({
    engine,
    settings,
    cache,
    configDir,
    tokenCachePath: join(configDir, "msal-cache.bin"),
    fetch: doctorFetch,
    extraCaPem: demoEmu?.caPem ?? null,
    updateState: () => updates?.state() ?? null,
    logger,
  });
  const controller = new AppController(
    engine,
    lifecycle,
    {
      tokenStorage: cache,
      setStartAtLogin: (enabled) =>
        // An unsigned development build cannot register a macOS login item (as gitify notes).
        !app.isPackaged && process.platform === "darwin"
          ? Promise.resolve()
          : setStartAtLogin({ enabled, platform: process.platform, app, execPath: process.execPath }),
      openExternal: (url) => shell.openExternal(url),
      hidePopup: () => popup.window?.hide(),
      doctor: () => diagnostics.doctor(),
      exportDiagnostics: () => diagnostics.exportDiagnostics(),
    },
    logger,
  );
  const focusDelivery = new FocusDelivery((f) => popup.window?.webContents.send("app:focus", f));
  registerIpc({
    ipcMain,
    invoke: (c, p) => {
      if (c === "app:get-state") focusDelivery.listening();
      return controller.invoke(c, p);
    },
    windowContentsId: () => popup.window?.webContents.id ?? null,
    origin: ORIGIN,
    onRejected: (c, why) => logger.warn(`IPC ${c} refused: ${why}`),
  });
  controller.onPush((channel, data) => {
    if (channel === "app:focus") focusDelivery.focus(data as Focus);
    else popup.window?.webContents.send(channel, data);
  });
  const showPopup = popup.show;
  /** A notification or the tray menu: the popup opens on an item (a card, or a request to approve). */
  const showOn = (f: Focus) => {
    showPopup();
    controller.focus(f);
  };
  const { tray, onAction, showState, showUpdate } = createAppTray({
    controller,
    settings,
    iconFor: trayIcon,
    showPopup,
    openApproval: (approval) => showOn({ groupId: null, approval }),
    troubleshoot: () => showOn({ groupId: null, view: "troubleshoot" }),
    exportDiagnostics: () => exportFromTray(diagnostics.exportDiagnostics),
    onUpdate: (action) => updates?.act(action) ?? Promise.resolve(),
    resetAndRelaunch,
    logger,
  });
  routeDesktopNotifications({ lifecycle, focus: showOn, logger, platform: process.platform });
  powerMonitor.on("resume", () => {
    void lifecycle.notifyResume();
    updates?.wake();
  });
  powerMonitor.on("unlock-screen", () => void lifecycle.notifyResume());

  // The app lives in the tray: closing the popup never quits it.
  app.on("window-all-closed", () => undefined);
  app.on("before-quit", () => {
    void lifecycle.stop();
    updates?.stop();
  });

  await lifecycle.start();
  showState(await controller.state());
  // After the tray shows: a restart to update waits for any activation request of this process in flight.
  const u = createAppUpdates({
    packaged: app.isPackaged,
    policy: policy.update,
    busy: () => engine.activation.busy(),
    logger,
    firstCheckDelayMs: firstCheckDelayFrom(process.env),
  });
  updates = u;
  showUpdate(updateMenuItem(u.state()));
  u.onChange((s) => showUpdate(updateMenuItem(s)));
  if (process.env.PIMTRAY_E2E === "1") {
    // The end-to-end suite drives the app through this hook (as the menubar e2e fixture does).
    (globalThis as unknown as { __pimtray: unknown }).__pimtray = {
      showPopup,
      onAction,
      menu: () => tray,
      controller,
      updates: u,
    };
  }
  const showWhenStarted = phase.running(showPopup);
  await lifecycle.autoActivate();
  if (!startedHidden() || showWhenStarted) showPopup();
}

/** Demo mode: the doctor trusts the emulator's CA, as the engine's own fetch does (engine-wiring.ts). */
async function demoDoctorFetch(caPem: string): Promise<FetchLike> {
  const { Agent, fetch } = await import("undici");
  const dispatcher = new Agent({ connect: { ca: [...rootCertificates, caPem] } });
  return (url, init) => fetch(url, { ...init, dispatcher });
}

/** Notifications the tray shows itself, held until closed: one that is garbage-collected reports no click. */
const ownNotifications = new Set<Notification>();

function notifyFromTray(title: string, body: string, onClick?: () => void): void {
  const n = new Notification({ title, body });
  ownNotifications.add(n);
  if (onClick) n.on("click", onClick);
  n.on("close", () => ownNotifications.delete(n));
  n.on("failed", () => ownNotifications.delete(n));
  n.show();
}

/** "Export diagnostics…" from the tray: where the zip went, in a notification that opens its folder. */
async function exportFromTray(exportDiagnostics: () => Promise<string | null>): Promise<void> {
  let path: string | null;
  try {
    path = await exportDiagnostics();
  } catch (e) {
    logger.error("could not export diagnostics", e);
    notifyFromTray(
      "Diagnostics were not exported",
      `${e instanceof Error ? e.message : String(e)} Choose another folder, or run pimtray doctor --export FILE.zip.`,
    );
    return;
  }
  if (path === null) return;
  const saved = path;
  notifyFromTray(
    "Diagnostics exported",
    `Saved to ${saved}. Send this file to your IT department: tokens and secrets are scrubbed from it.`,
    () => shell.showItemInFolder(saved),
  );
}
