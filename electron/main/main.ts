import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  net,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
  utilityProcess,
} from "electron";
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, normalize } from "node:path";
import { rootCertificates } from "node:tls";
import { Agent, fetch as undiciFetch } from "undici";
import { AppController } from "../app/app-controller.js";
import type { MenuAction } from "../app/tray-model.js";
import { ElectronNotifier, type NotificationCtor } from "../adapters/electron-notifier.js";
import { ElectronStoreSettings } from "../adapters/electron-settings.js";
import { registerIpc } from "../adapters/ipc.js";
import { HIDDEN_ARG, setStartAtLogin } from "../adapters/login-item.js";
import { AppTokenCache } from "../adapters/safe-storage-persistence.js";
import { trayIconLoader, TrayService } from "../adapters/tray-service.js";
import { DEFAULT_CLIENT_ID, resolveConnection } from "../engine/config.js";
import { ConfigError, PimTrayError } from "../engine/errors.js";
import { createEngine, createLifecycle } from "../engine/engine.js";
import { HistoryLog } from "../engine/history/history-log.js";
import type { FetchLike } from "../engine/http/http-client.js";
import { NodeNotifier } from "../engine/notify/node-notifier.js";
import { APP_ID } from "../engine/notify/notifier.js";
import { routeNotifications } from "../engine/notify/route.js";
import { defaultConfigDir, FILES } from "../engine/paths.js";
import { childProcessLauncher, ensureDemoEmulator, type EmulatorLauncher } from "../node/demo-emulator.js";
import { followSignInPage } from "../node/demo-sign-in.js";
import { fileLogger } from "../node/file-logger.js";
import { settingsRecovery } from "./settings-recovery.js";
import { refusedSwitches } from "./switches.js";

// The composition root: the one place that wires Electron's capabilities (adapters) to the engine.
// Hardening: contextIsolation + sandbox, no nodeIntegration, a strict CSP, navigation and
// window.open blocked, openExternal only for allow-listed https links (in the controller).

const ORIGIN = "app://pimtray";
// dist/electron/main.cjs serves dist/renderer; a run from source (tests) names the folder. An
// installed app serves only its own files, whatever the environment says.
const RENDERER_DIR = (!app.isPackaged && process.env.PIMTRAY_RENDERER_DIR) || join(__dirname, "..", "renderer");
const ASSETS = join(__dirname, "..", "..", "assets");
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

protocol.registerSchemesAsPrivileged([
  { scheme: "app", privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

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

let win: BrowserWindow | null = null;
/** Set once the lifecycle service exists: opening the popup catches up with changes made elsewhere. */
let onPopupShown: () => void = () => undefined;
/** Opening the popup reconciles only if the last full reconcile is older than this. */
const POPUP_FRESH_MS = 5000;
/** Starting, then either running or failed with the reason (what a second launch and the tray act on). */
let phase:
  | { kind: "starting"; showWhenStarted: boolean }
  | { kind: "running"; showPopup: () => void }
  | { kind: "failed"; message: string } = { kind: "starting", showWhenStarted: false };

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
  app.on("second-instance", onSecondInstance);
  app.setAppUserModelId(APP_ID);
  void app
    .whenReady()
    .then(start)
    .catch((e: unknown) => startFailed(e));
}

function onSecondInstance(): void {
  if (phase.kind === "running") phase.showPopup();
  else if (phase.kind === "failed")
    dialog.showErrorBox(
      "PIM Tray could not start",
      `${phase.message}\n\nUse the tray menu to open or reset the settings.`,
    );
  else phase.showWhenStarted = true;
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

/** Any error during start-up: a tray in an error state that says what is wrong and how to get out. */
function startFailed(e: unknown): void {
  const message =
    e instanceof PimTrayError
      ? e.message
      : `Something went wrong while starting. The details are in ${join(configDir, FILES.log)}; "Reset connection settings" often helps.`;
  logger.error("PIM Tray could not start", e);
  phase = { kind: "failed", message };
  try {
    failureTray = new TrayService({
      createTray: (i) => new Tray(i as Electron.NativeImage),
      buildMenu: (t) => Menu.buildFromTemplate(t),
      iconFor: trayIcon,
      onAction: (a) => {
        if (a.kind === "open-settings") void openSettingsFile();
        else if (a.kind === "reset-connection") void resetAndRelaunch();
        else if (a.kind === "quit") app.quit();
      },
      onClick: () => undefined,
    });
    failureTray.fail(message);
  } catch (trayError) {
    // Not even a tray: say so where it can be seen and give the single-instance lock back.
    logger.error("the error tray could not be shown", trayError);
    dialog.showErrorBox("PIM Tray could not start", message);
    app.exit(1);
  }
}

function createPopup(): BrowserWindow {
  const w = new BrowserWindow({
    width: 420,
    height: 600,
    show: false,
    frame: false,
    resizable: false,
    skipTaskbar: true,
    fullscreenable: false,
    webPreferences: {
      preload: join(__dirname, "preload.cjs"),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  w.webContents.on("will-navigate", (e) => e.preventDefault());
  w.webContents.setWindowOpenHandler(() => ({ action: "deny" }));
  w.webContents.on("will-attach-webview", (e) => e.preventDefault());
  w.on("blur", () => {
    if (!w.webContents.isDevToolsOpened()) w.hide();
  });
  void w.loadURL(`${ORIGIN}/index.html`);
  return w;
}

function showPopup(): void {
  win ??= createPopup();
  // Near the tray: bottom-right on Windows/Linux, top-right on macOS.
  const area = screen.getDisplayNearestPoint(screen.getCursorScreenPoint()).workArea;
  const [w, h] = win.getSize();
  win.setPosition(
    Math.round(area.x + area.width - (w ?? 420) - 8),
    Math.round(process.platform === "darwin" ? area.y + 8 : area.y + area.height - (h ?? 600) - 8),
  );
  win.show();
  win.focus();
  onPopupShown();
}

async function start(): Promise<void> {
  if (process.platform === "darwin") app.dock?.hide();
  // The popup needs no camera, microphone, location, notifications API, USB, HID or serial device:
  // deny every request and every check (Electron's security checklist, item 5).
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);

  protocol.handle("app", async (request) => {
    const url = new URL(request.url);
    const file = normalize(join(RENDERER_DIR, url.pathname === "/" ? "index.html" : url.pathname));
    if (!file.startsWith(RENDERER_DIR)) return new Response("not found", { status: 404 });
    const type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css" : "text/html";
    try {
      return new Response(await readFile(file), { headers: { "content-type": type, "content-security-policy": CSP } });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });

  // A packaged app cannot run Node as a child (the RunAsNode fuse is off): it uses a utility process.
  const demoEmu = demo
    ? await ensureDemoEmulator(configDir, {
        launch: app.isPackaged ? utilityLauncher : childProcessLauncher,
        stopWhenUnused: true,
      })
    : null;
  if (demoEmu) app.on("will-quit", demoEmu.release);
  const settings = new ElectronStoreSettings(configDir);
  const s = await settings.load();
  const customEndpoints = [
    s.connection.authorityHost && `sign-in at ${s.connection.authorityHost}`,
    s.connection.graphEndpoint && `Graph at ${s.connection.graphEndpoint}`,
  ].filter(Boolean);
  if (!demoEmu && customEndpoints.length && !s.allowCustomEndpoints) {
    // Tokens minted silently from the protected refresh token would go to these hosts: one edited
    // line in a file must not be enough for that.
    throw new ConfigError(
      `settings.json names custom endpoints (${customEndpoints.join(", ")}). PIM Tray would send your tokens there, so it uses them only when "allowCustomEndpoints": true is set as well. If you did not add them, choose Reset connection settings.`,
    );
  }
  const cache = await AppTokenCache.create({
    safeStorage,
    platform: process.platform,
    preference: s.tokenStorage,
    path: join(configDir, "msal-cache.bin"),
  });
  // net.fetch uses the system proxy and the OS trust store; demo mode trusts the emulator's own CA.
  const fetch: FetchLike = demoEmu
    ? (() => {
        const dispatcher = new Agent({ connect: { ca: [...rootCertificates, demoEmu.caPem] } });
        return (url, init) => undiciFetch(url, { ...init, dispatcher });
      })()
    : (url, init) => net.fetch(url, init);
  const connection = resolveConnection({
    cloud: s.connection.cloud,
    tenant: demoEmu ? demoEmu.tenantId : s.connection.tenant,
    clientId: s.connection.clientId ?? DEFAULT_CLIENT_ID,
    authorityHost: demoEmu ? new URL(demoEmu.authority).origin : s.connection.authorityHost,
    graphEndpoint: demoEmu ? new URL(demoEmu.graphBaseUrl).origin : s.connection.graphEndpoint,
  });
  const history = new HistoryLog(join(configDir, FILES.history));
  const engine = createEngine({
    connection,
    fetch,
    persistence: cache,
    ui: { openBrowser: demoEmu ? (url) => followSignInPage(url, demoEmu.caPem) : (url) => shell.openExternal(url) },
    settings,
    history,
    logger,
    account: s.account,
  });
  // Watching the config folder shows what `pimtray` and other processes change there within 2 s.
  const lifecycle = createLifecycle(engine, { stateDir: configDir, watchOthers: true });
  // The portal or another device changed something: nothing on this computer says so, so look when the person does.
  onPopupShown = () =>
    void lifecycle
      .refreshIfStale(POPUP_FRESH_MS)
      .catch((e: unknown) => logger.warn("could not refresh on opening the popup", e));
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
      hidePopup: () => win?.hide(),
    },
    logger,
  );
  registerIpc({
    ipcMain,
    invoke: (c, p) => controller.invoke(c, p),
    windowContentsId: () => win?.webContents.id ?? null,
    origin: ORIGIN,
    onRejected: (c, why) => logger.warn(`IPC ${c} refused: ${why}`),
  });
  controller.onPush((channel, data) => win?.webContents.send(channel, data));

  const onAction = (a: MenuAction) => {
    const run = (p: Promise<unknown>) => void p.catch((e: unknown) => logger.error("tray action failed", e));
    switch (a.kind) {
      case "sign-in":
        return run(controller.invoke("auth:sign-in", {}));
      case "open":
        return showPopup();
      case "activate-profile":
        return run(controller.invoke("profiles:activate", { id: a.profileId }));
      case "deactivate":
        return run(controller.invoke("pim:deactivate", { groupId: a.groupId, accessId: a.accessId }));
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
  const tray = new TrayService({
    createTray: (i) => new Tray(i as Electron.NativeImage),
    buildMenu: (t) => Menu.buildFromTemplate(t),
    iconFor: trayIcon,
    onAction,
    onClick: showPopup,
  });
  controller.onPush((channel, data) => {
    if (channel === "app:state") tray.update(data as Awaited<ReturnType<AppController["state"]>>);
  });
  // Countdowns in the menu move even when nothing else changes.
  setInterval(() => tray.render(), 60_000).unref();

  const notifier = new ElectronNotifier({
    Notification: Notification as unknown as NotificationCtor,
    fallback: new NodeNotifier(logger),
    open: (groupId) => {
      showPopup();
      controller.focus(groupId);
    },
    renew: (t) => lifecycle.renewWhenExpired(t),
    onFailed: (why) =>
      logger.warn(`a desktop notification could not be shown (${why}); showing it through the fallback`),
  });
  routeNotifications(lifecycle, notifier, { logger, offerRenew: true });
  powerMonitor.on("resume", () => void lifecycle.notifyResume());
  powerMonitor.on("unlock-screen", () => void lifecycle.notifyResume());

  // The app lives in the tray: closing the popup never quits it.
  app.on("window-all-closed", () => undefined);
  app.on("before-quit", () => void lifecycle.stop());

  await lifecycle.start();
  tray.update(await controller.state());
  if (process.env.PIMTRAY_E2E === "1") {
    // The end-to-end suite drives the app through this hook (as the menubar e2e fixture does).
    (globalThis as unknown as { __pimtray: unknown }).__pimtray = { showPopup, onAction, menu: () => tray, controller };
  }
  const showWhenStarted = phase.kind === "starting" && phase.showWhenStarted;
  phase = { kind: "running", showPopup };
  await lifecycle.autoActivate();
  if (!startedHidden() || showWhenStarted) showPopup();
}

/** Electron's utilityProcess in the launcher shape demo.ts expects; its stderr goes to emulator.log. */
const utilityLauncher: EmulatorLauncher = ({ script, execArgv, args, logPath }) => {
  const child = utilityProcess.fork(script, args, {
    execArgv,
    stdio: ["ignore", "pipe", "pipe"],
    serviceName: "PIM Tray demo emulator",
  });
  child.stderr?.pipe(createWriteStream(logPath, { flags: "a", mode: 0o600 }));
  return {
    pid: child.pid,
    stdout: child.stdout,
    onExit: (l) => void child.once("exit", (code) => l(code)),
    // Electron ends utility processes with the app; nothing to let go of but the output.
    detach: () => child.stdout?.removeAllListeners("data"),
  };
};
