// A typed stand-in for the `electron` module, enough to run the real composition root (main.ts) under
// Node (Fiddle's practice of mocking electron in main-process tests). It records what main asked of
// Electron so tests can check the wiring: windows, tray, menus, IPC handlers, protocol, notifications.
import { EventEmitter } from "node:events";

export const recorded = {
  schemes: [] as unknown[],
  protocolHandlers: new Map<string, (req: Request) => Promise<Response>>(),
  windows: [] as FakeBrowserWindow[],
  trays: [] as FakeTray[],
  menus: [] as Array<Array<{ id?: string; label?: string; enabled?: boolean; click?: () => void }>>,
  ipcHandlers: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
  notifications: [] as Array<{ title: string; body: string }>,
  opened: [] as string[],
  loginItems: [] as unknown[],
  appUserModelId: null as string | null,
  dockHidden: false,
  quit: false,
};

export let openExternalImpl: (url: string) => Promise<void> = async () => undefined;
export function setOpenExternal(fn: (url: string) => Promise<void>): void {
  openExternalImpl = fn;
}
export let fetchImpl: (url: string, init: RequestInit) => Promise<Response> = (url, init) => fetch(url, init);
export function setNetFetch(fn: typeof fetchImpl): void {
  fetchImpl = fn;
}

class FakeWebContents extends EventEmitter {
  static nextId = 1;
  id = FakeWebContents.nextId++;
  sent: Array<{ channel: string; data: unknown }> = [];
  windowOpenHandler: (() => { action: string }) | null = null;
  mainFrame = { url: "app://pimtray/index.html", parent: null };
  send(channel: string, data: unknown) {
    this.sent.push({ channel, data });
  }
  setWindowOpenHandler(h: () => { action: string }) {
    this.windowOpenHandler = h;
  }
  isDevToolsOpened() {
    return false;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  webContents = new FakeWebContents();
  shown = false;
  url: string | null = null;
  constructor(readonly options: { webPreferences?: Record<string, unknown>; skipTaskbar?: boolean; width?: number; height?: number }) {
    super();
    recorded.windows.push(this);
  }
  async loadURL(url: string) {
    this.url = url;
  }
  getSize() {
    return [this.options.width ?? 420, this.options.height ?? 600];
  }
  setPosition() {}
  show() {
    this.shown = true;
  }
  hide() {
    this.shown = false;
  }
  focus() {}
}

export class FakeTray extends EventEmitter {
  tooltip = "";
  image: unknown;
  constructor(image: unknown) {
    super();
    this.image = image;
    recorded.trays.push(this);
  }
  setImage(i: unknown) {
    this.image = i;
  }
  setToolTip(t: string) {
    this.tooltip = t;
  }
  setContextMenu(m: unknown) {
    recorded.menus.push(m as (typeof recorded.menus)[number]);
  }
  destroy() {}
}

class FakeNotification extends EventEmitter {
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  static isSupported() {
    return true;
  }
  show() {
    recorded.notifications.push({ title: this.options.title, body: this.options.body });
  }
}

const appEmitter = new EventEmitter();
export const app = Object.assign(appEmitter, {
  isPackaged: false,
  requestSingleInstanceLock: () => true,
  setAppUserModelId: (id: string) => {
    recorded.appUserModelId = id;
  },
  whenReady: () => Promise.resolve(),
  quit: () => {
    recorded.quit = true;
  },
  dock: {
    hide: () => {
      recorded.dockHidden = true;
    },
  },
  getLoginItemSettings: () => ({ wasOpenedAtLogin: false }),
  getPath: (_name: string) => process.env.PIMTRAY_CONFIG_DIR ?? "/tmp",
  getVersion: () => "0.1.0",
  getName: () => "PIM Tray",
  setLoginItemSettings: (s: unknown) => recorded.loginItems.push(s),
});

export const protocol = {
  registerSchemesAsPrivileged: (s: unknown) => recorded.schemes.push(s),
  handle: (scheme: string, h: (req: Request) => Promise<Response>) => recorded.protocolHandlers.set(scheme, h),
};
export const ipcMain = {
  on: () => undefined,
  handle: (c: string, l: (e: unknown, p: unknown) => Promise<unknown>) => recorded.ipcHandlers.set(c, l),
  removeHandler: (c: string) => recorded.ipcHandlers.delete(c),
};
export const Menu = { buildFromTemplate: (t: unknown) => t };
export const nativeImage = { createFromPath: (p: string) => ({ path: p, setTemplateImage: () => undefined }) };
export const net = { fetch: (url: string, init: RequestInit) => fetchImpl(url, init) };
export const powerMonitor = new EventEmitter();
export const safeStorage = {
  isAsyncEncryptionAvailable: async () => false,
  encryptStringAsync: async (s: string) => Buffer.from(s),
  decryptStringAsync: async (b: Buffer) => ({ result: b.toString(), shouldReEncrypt: false }),
  getSelectedStorageBackend: () => "basic_text",
};
export const screen = {
  getCursorScreenPoint: () => ({ x: 0, y: 0 }),
  getDisplayNearestPoint: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
};
export const shell = {
  openExternal: (url: string) => {
    recorded.opened.push(url);
    return openExternalImpl(url);
  },
};
export const BrowserWindow = FakeBrowserWindow;
export const Tray = FakeTray;
export const Notification = FakeNotification;
export const contextBridge = { exposeInMainWorld: () => undefined };
export const ipcRenderer = { invoke: async () => undefined, on: () => undefined, removeListener: () => undefined };
export default { app, protocol, ipcMain, Menu, nativeImage, net, powerMonitor, safeStorage, screen, shell, BrowserWindow, Tray, Notification };
