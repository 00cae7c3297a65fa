import { app, BrowserWindow, screen, session } from "electron";
import { join } from "node:path";

// The popup window and its hardening: contextIsolation + sandbox, no nodeIntegration, navigation,
// window.open and webviews refused, and no permission granted to anything it loads.

export const ORIGIN = "app://pimtray";

/**
 * The popup needs no camera, microphone, location, notifications API, USB, HID or serial device:
 * deny every request and every check (Electron's security checklist, item 5). Needs a ready app.
 */
export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
}

function createPopupWindow(): BrowserWindow {
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

/** The one popup, created on first show (a window needs a ready app) and kept for the app's life. */
export class Popup {
  #win: BrowserWindow | null = null;

  /** @param onShown runs after every show: opening the popup catches up with changes made elsewhere. */
  constructor(private readonly onShown: () => void) {}

  /** The window, or null before the first show. */
  get window(): BrowserWindow | null {
    return this.#win;
  }

  readonly show = (): void => {
    const win = (this.#win ??= createPopupWindow());
    // Near the tray: bottom-right on Windows/Linux, top-right on macOS.
    const area = screen.getDisplayNearestPoint(screen.getCursorScreenPoint()).workArea;
    const [w, h] = win.getSize();
    win.setPosition(
      Math.round(area.x + area.width - (w ?? 420) - 8),
      Math.round(process.platform === "darwin" ? area.y + 8 : area.y + area.height - (h ?? 600) - 8),
    );
    win.show();
    win.focus();
    this.onShown();
  };
}
