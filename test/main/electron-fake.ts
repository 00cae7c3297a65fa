// A typed stand-in for the `electron` module, enough to run the real composition root (main.ts) under
// Node (Fiddle's practice of mocking electron in main-process tests). It records what main asked of
// Electron so tests can check the wiring: windows, tray, menus, IPC handlers, protocol, notifications.
//
// Where the real API is less kind than a naive double, this one is unkind in the same way, so a bug
// that only shows in Electron fails a test here too:
// - safeStorage throws before app.whenReady() and its ciphertext is binary (AES-256-GCM, random IV);
// - nativeImage.createFromPath gives an empty image for a missing file, and a Tray with an empty image
//   shows nothing (recorded in `recorded.emptyTrayImages`);
// - Notification emits `show` after show(), `click` only on a user click, `failed` when the OS refuses;
// - utilityProcess.fork runs a real child process and refuses before ready;
// - dialog.showSaveDialog takes an optional window first and answers { canceled, filePath }, filePath "" when
//   cancelled; session.defaultSession.resolveProxy answers Chromium's PAC-style string ("DIRECT",
//   "PROXY host:port; DIRECT"), and neither works before ready.
import { fork as forkChild, type ChildProcess } from "node:child_process";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import type { Readable } from "node:stream";

export const recorded = {
  schemes: [] as unknown[],
  protocolHandlers: new Map<string, (req: Request) => Promise<Response>>(),
  windows: [] as FakeBrowserWindow[],
  trays: [] as FakeTray[],
  menus: [] as Array<Array<{ id?: string; label?: string; enabled?: boolean; click?: () => void }>>,
  ipcHandlers: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
  notifications: [] as Array<{ title: string; body: string; buttons: string[] }>,
  opened: [] as string[],
  openedPaths: [] as string[],
  loginItems: [] as unknown[],
  appUserModelId: null as string | null,
  dockHidden: false,
  quit: false,
  exitCode: null as number | null,
  relaunched: false,
  errorBoxes: [] as Array<{ title: string; content: string }>,
  /** Image paths a Tray was given that load as empty images: the real tray would show nothing. */
  emptyTrayImages: [] as string[],
  /** app.on(...) registrations in order, with whether the app was ready then. */
  appListeners: [] as Array<{ event: string; ready: boolean }>,
  permissionHandlers: {
    request: null as
      null | ((wc: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void),
    check: null as null | ((wc: unknown, permission: string, origin: string, details: unknown) => boolean),
    device: null as null | ((details: unknown) => boolean),
  },
  forks: [] as FakeUtilityProcess[],
  /** The options of each save dialog shown. */
  saveDialogs: [] as Array<{ title?: string; defaultPath?: string; filters?: unknown }>,
  /** URLs whose proxy was asked of the session. */
  proxyLookups: [] as string[],
  shownInFolder: [] as string[],
};

/** What the person does in the next save dialogs: a path, or null to cancel. */
let saveAnswer: string | null = null;
export function setSaveDialogAnswer(path: string | null): void {
  saveAnswer = path;
}
/** What Chromium resolves as the proxy for a URL ("DIRECT" by default, as with no proxy configured). */
let resolveProxyImpl: (url: string) => string = () => "DIRECT";
export function setResolveProxy(fn: (url: string) => string): void {
  resolveProxyImpl = fn;
}

export let openExternalImpl: (url: string) => Promise<void> = async () => undefined;
export function setOpenExternal(fn: (url: string) => Promise<void>): void {
  openExternalImpl = fn;
}
export let fetchImpl: (url: string, init: RequestInit) => Promise<Response> = (url, init) => fetch(url, init);
export function setNetFetch(fn: typeof fetchImpl): void {
  fetchImpl = fn;
}

let ready = false;

/** The OS this Electron runs on: the tray's title and the notifications' buttons show only on some. */
export let fakePlatform: NodeJS.Platform = process.platform;
export function setFakePlatform(p: NodeJS.Platform): void {
  fakePlatform = p;
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
  constructor(
    readonly options: {
      webPreferences?: Record<string, unknown>;
      skipTaskbar?: boolean;
      width?: number;
      height?: number;
    },
  ) {
    super();
    if (!ready) throw new Error("Cannot create BrowserWindow before app is ready");
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

/** nativeImage: a missing or unreadable file gives an empty image, never an error (as in Electron). */
export class FakeNativeImage {
  readonly #empty: boolean;
  constructor(readonly path: string) {
    this.#empty = !existsSync(path);
  }
  isEmpty() {
    return this.#empty;
  }
  setTemplateImage() {}
}

function checkTrayImage(image: unknown): void {
  if (!(image instanceof FakeNativeImage))
    throw new TypeError(
      "Error processing argument at index 0, conversion failure from an image that is not a NativeImage",
    );
  if (image.isEmpty()) recorded.emptyTrayImages.push(image.path);
}

export class FakeTray extends EventEmitter {
  tooltip = "";
  /** Text beside the icon: macOS only; Electron ignores setTitle elsewhere. */
  title = "";
  image: unknown;
  destroyed = false;
  constructor(image: unknown) {
    super();
    if (!ready) throw new Error("Cannot create Tray before app is ready");
    checkTrayImage(image);
    this.image = image;
    recorded.trays.push(this);
  }
  setImage(i: unknown) {
    checkTrayImage(i);
    this.image = i;
  }
  setToolTip(t: string) {
    this.tooltip = t;
  }
  setTitle(t: string) {
    if (fakePlatform === "darwin") this.title = t;
  }
  setContextMenu(m: unknown) {
    recorded.menus.push(m as (typeof recorded.menus)[number]);
  }
  destroy() {
    this.destroyed = true;
  }
}

/**
 * Electron's Notification: `show` after show(), `failed` instead when the OS refuses, `click` on a user
 * click, `action` on a button, and buttons only where Electron shows them (Windows, macOS).
 */
export class FakeNotification extends EventEmitter {
  static failWith: string | null = null;
  static instances: FakeNotification[] = [];
  shown = false;
  constructor(readonly options: { title: string; body: string; actions?: Array<{ type: "button"; text: string }> }) {
    super();
    FakeNotification.instances.push(this);
  }
  /** The buttons the person sees. */
  get buttons(): string[] {
    return fakePlatform === "darwin" || fakePlatform === "win32" ? (this.options.actions ?? []).map((a) => a.text) : [];
  }
  static isSupported() {
    return true;
  }
  show() {
    const failure = FakeNotification.failWith;
    setImmediate(() => {
      if (failure) {
        this.emit("failed", { preventDefault: () => undefined }, failure);
        return;
      }
      recorded.notifications.push({ title: this.options.title, body: this.options.body, buttons: this.buttons });
      this.shown = true;
      this.emit("show", { preventDefault: () => undefined });
    });
  }
  /** The user clicks the shown notification. */
  userClick() {
    if (!this.shown) throw new Error("a notification that was never shown cannot be clicked");
    this.emit("click", { preventDefault: () => undefined });
  }
  /** The user presses the button at `index`. */
  userAct(index: number) {
    if (!this.shown) throw new Error("a notification that was never shown cannot be acted on");
    if (index >= this.buttons.length)
      throw new Error(`no button ${index}: the notification shows ${this.buttons.length}`);
    this.emit("action", { preventDefault: () => undefined }, index);
  }
  close() {
    this.emit("close", { preventDefault: () => undefined });
  }
}

const appEmitter = new EventEmitter();
const appOn = appEmitter.on.bind(appEmitter);
export const app = Object.assign(appEmitter, {
  isPackaged: false,
  on: (event: string, listener: (...args: unknown[]) => void) => {
    recorded.appListeners.push({ event, ready });
    appOn(event, listener);
    return appEmitter;
  },
  requestSingleInstanceLock: () => true,
  setAppUserModelId: (id: string) => {
    recorded.appUserModelId = id;
  },
  isReady: () => ready,
  whenReady: () =>
    new Promise<void>((resolve) =>
      setImmediate(() => {
        ready = true;
        resolve();
      }),
    ),
  quit: () => {
    recorded.quit = true;
  },
  exit: (code = 0) => {
    recorded.exitCode = code;
    recorded.quit = true;
  },
  relaunch: () => {
    recorded.relaunched = true;
  },
  dock: {
    hide: () => {
      recorded.dockHidden = true;
    },
  },
  // As Electron: openAtLogin is what was last set (false until then).
  getLoginItemSettings: () => ({
    wasOpenedAtLogin: false,
    openAtLogin: (recorded.loginItems.at(-1) as { openAtLogin?: boolean } | undefined)?.openAtLogin ?? false,
  }),
  getPath: (_name: string) => process.env.PIMTRAY_CONFIG_DIR ?? "/tmp",
  getVersion: () => "0.1.0",
  getName: () => "PIM Tray",
  setLoginItemSettings: (s: unknown) => recorded.loginItems.push(s),
});

export const protocol = {
  registerSchemesAsPrivileged: (s: unknown) => {
    if (ready) throw new Error("protocol.registerSchemesAsPrivileged should be called before app is ready");
    recorded.schemes.push(s);
  },
  handle: (scheme: string, h: (req: Request) => Promise<Response>) => {
    if (recorded.protocolHandlers.has(scheme)) throw new Error(`The scheme '${scheme}' is already handled`);
    recorded.protocolHandlers.set(scheme, h);
  },
};
export const ipcMain = {
  on: () => undefined,
  handle: (c: string, l: (e: unknown, p: unknown) => Promise<unknown>) => recorded.ipcHandlers.set(c, l),
  removeHandler: (c: string) => recorded.ipcHandlers.delete(c),
};
export const Menu = { buildFromTemplate: (t: unknown) => t };
export const nativeImage = { createFromPath: (p: string) => new FakeNativeImage(p) };
export const net = { fetch: (url: string, init: RequestInit) => fetchImpl(url, init) };
export const powerMonitor = new EventEmitter();

// safeStorage: AES-256-GCM under a per-process key, iv | tag | ciphertext, as opaque and binary as the
// real one. Foreign or damaged data fails authentication and throws, as Electron's decrypt does.
const safeKey = randomBytes(32);
let backend = "basic_text";
export function setSafeStorageBackend(name: string): void {
  backend = name;
}
function assertReady(): void {
  if (!ready) throw new Error("safeStorage cannot be used before app is ready");
}
export const safeStorage = {
  isAsyncEncryptionAvailable: async () => {
    assertReady();
    return true;
  },
  encryptStringAsync: async (s: string) => {
    assertReady();
    const iv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", safeKey, iv);
    const body = Buffer.concat([c.update(s, "utf8"), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  },
  decryptStringAsync: async (b: Buffer) => {
    assertReady();
    if (!Buffer.isBuffer(b) || b.length < 28)
      throw new Error(
        "Error while decrypting the ciphertext provided to safeStorage.decryptString. Ciphertext does not appear to be encrypted.",
      );
    try {
      const d = createDecipheriv("aes-256-gcm", safeKey, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return { result: Buffer.concat([d.update(b.subarray(28)), d.final()]).toString("utf8"), shouldReEncrypt: false };
    } catch (e) {
      throw new Error("Error while decrypting the ciphertext provided to safeStorage.decryptString.", { cause: e });
    }
  },
  getSelectedStorageBackend: () => {
    assertReady();
    return backend;
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (h: typeof recorded.permissionHandlers.request) => {
      recorded.permissionHandlers.request = h;
    },
    setPermissionCheckHandler: (h: typeof recorded.permissionHandlers.check) => {
      recorded.permissionHandlers.check = h;
    },
    setDevicePermissionHandler: (h: typeof recorded.permissionHandlers.device) => {
      recorded.permissionHandlers.device = h;
    },
    resolveProxy: async (url: string): Promise<string> => {
      if (!ready) throw new Error("session.defaultSession is not available before app is ready");
      recorded.proxyLookups.push(url);
      return resolveProxyImpl(url);
    },
  },
};

/** utilityProcess.fork: a real Node child running the module, with Electron's option names and events. */
export class FakeUtilityProcess extends EventEmitter {
  readonly #child: ChildProcess;
  pid: number | undefined;
  stdout: Readable | null;
  stderr: Readable | null;
  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: {
      env?: NodeJS.ProcessEnv;
      execArgv?: string[];
      cwd?: string;
      stdio?: string | string[];
      serviceName?: string;
    },
  ) {
    super();
    const stdio =
      typeof options.stdio === "string"
        ? ["ignore", options.stdio, options.stdio]
        : (options.stdio ?? ["ignore", "inherit", "inherit"]);
    if (stdio[0] !== "ignore") throw new Error("stdin must be 'ignore' for a utility process");
    this.#child = forkChild(modulePath, args, {
      env: options.env ?? process.env,
      execArgv: options.execArgv ?? [],
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: [stdio[0], stdio[1], stdio[2], "ipc"] as ["ignore", "pipe", "pipe", "ipc"],
    });
    this.pid = this.#child.pid;
    this.stdout = this.#child.stdout;
    this.stderr = this.#child.stderr;
    this.#child.once("spawn", () => this.emit("spawn"));
    this.#child.once("exit", (code, signal) => {
      this.pid = undefined;
      this.emit("exit", code ?? (signal ? 1 : 0));
    });
  }
  kill(): boolean {
    return this.#child.kill("SIGTERM");
  }
  postMessage(message: unknown): void {
    this.#child.send(message as object);
  }
}
export const utilityProcess = {
  fork: (
    modulePath: string,
    args: string[] = [],
    options: ConstructorParameters<typeof FakeUtilityProcess>[2] = {},
  ) => {
    if (!ready) throw new Error("utilityProcess cannot be created before app is ready.");
    const p = new FakeUtilityProcess(modulePath, args, options);
    recorded.forks.push(p);
    return p;
  },
};

type SaveDialogOptions = { title?: string; defaultPath?: string; filters?: unknown; buttonLabel?: string };
export const dialog = {
  showErrorBox: (title: string, content: string) => {
    recorded.errorBoxes.push({ title, content });
  },
  /** Electron's signature: an optional parent window, then the options. */
  showSaveDialog: async (
    windowOrOptions: FakeBrowserWindow | SaveDialogOptions,
    maybeOptions?: SaveDialogOptions,
  ): Promise<{ canceled: boolean; filePath: string }> => {
    if (!ready) throw new Error("dialog.showSaveDialog cannot be used before app is ready");
    const options = windowOrOptions instanceof FakeBrowserWindow ? (maybeOptions ?? {}) : windowOrOptions;
    recorded.saveDialogs.push(options);
    await new Promise((r) => setImmediate(r));
    return saveAnswer === null ? { canceled: true, filePath: "" } : { canceled: false, filePath: saveAnswer };
  },
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
  /** Resolves to an error message, or "" on success (Electron's contract). */
  openPath: async (path: string) => {
    recorded.openedPaths.push(path);
    return existsSync(path) ? "" : `Failed to open path: ${path}`;
  },
  showItemInFolder: (path: string) => {
    recorded.openedPaths.push(path);
    recorded.shownInFolder.push(path);
  },
};
export const BrowserWindow = FakeBrowserWindow;
export const Tray = FakeTray;
export const Notification = FakeNotification;
export const contextBridge = { exposeInMainWorld: () => undefined };
export const ipcRenderer = { invoke: async () => undefined, on: () => undefined, removeListener: () => undefined };
export default {
  app,
  protocol,
  ipcMain,
  Menu,
  nativeImage,
  net,
  powerMonitor,
  safeStorage,
  session,
  utilityProcess,
  dialog,
  screen,
  shell,
  BrowserWindow,
  Tray,
  Notification,
};
