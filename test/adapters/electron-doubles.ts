// Test doubles for the Electron APIs the adapters use. Each one is as strict as the real API where
// a kinder double would hide a bug (issue 8): safeStorage's ciphertext is binary and differs on every
// call, and it throws before the app is ready; an image of a missing file is empty; a notification
// reports `show` or `failed` after show(), and `click` only when the user clicks.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import type { SafeStorageLike } from "../../electron/adapters/safe-storage-persistence.js";

/** The app, as far as safeStorage cares: it is usable only once whenReady() has resolved. */
export class AppDouble {
  #ready = false;
  get isReady(): boolean {
    return this.#ready;
  }
  whenReady(): Promise<void> {
    // Electron resolves whenReady on a later tick, never synchronously.
    return new Promise((resolve) =>
      setImmediate(() => {
        this.#ready = true;
        resolve();
      }),
    );
  }
}

// Chromium's OSCrypt prefixes its ciphertext with a version tag ("v10"/"v11"); the rest is binary.
const PREFIX = Buffer.from("v10");
const DECRYPT_ERROR = "Error while decrypting the ciphertext provided to safeStorage.decryptString.";

/**
 * safeStorage with AES-256-GCM and a random IV: the output has every byte value and differs on each
 * call, like the real key-store-backed cipher. Two doubles made with the same key are "the same OS
 * account"; a different key is another account or a reset key store.
 */
export class SafeStorageDouble implements SafeStorageLike {
  readonly key: Buffer;
  constructor(
    private readonly app: AppDouble,
    private readonly o: { available?: boolean; backend?: string; key?: Buffer; shouldReEncrypt?: boolean } = {},
  ) {
    this.key = o.key ?? randomBytes(32);
  }

  #ready(): void {
    if (!this.app.isReady) throw new Error("safeStorage cannot be used before app is ready");
  }

  async isAsyncEncryptionAvailable(): Promise<boolean> {
    this.#ready();
    return this.o.available ?? true;
  }

  async encryptStringAsync(plain: string): Promise<Buffer> {
    this.#ready();
    if (this.o.available === false) throw new Error("Encryption is not available.");
    const iv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
    return Buffer.concat([PREFIX, iv, c.getAuthTag(), body]);
  }

  async decryptStringAsync(cipher: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    this.#ready();
    if (!Buffer.isBuffer(cipher)) throw new TypeError("Expected the first argument of decryptString() to be a buffer");
    if (cipher.length < PREFIX.length + 28 || !cipher.subarray(0, PREFIX.length).equals(PREFIX))
      throw new Error(`${DECRYPT_ERROR} Ciphertext does not appear to be encrypted.`);
    const iv = cipher.subarray(3, 15);
    const tag = cipher.subarray(15, 31);
    const d = createDecipheriv("aes-256-gcm", this.key, iv);
    d.setAuthTag(tag);
    try {
      const plain = Buffer.concat([d.update(cipher.subarray(31)), d.final()]);
      return { result: plain.toString("utf8"), shouldReEncrypt: this.o.shouldReEncrypt ?? false };
    } catch (e) {
      throw new Error(`${DECRYPT_ERROR} Decryption failed.`, { cause: e });
    }
  }

  getSelectedStorageBackend(): string {
    this.#ready();
    return this.o.backend ?? "gnome_libsecret";
  }
}

/** An image as nativeImage.createFromPath makes it: a missing or unreadable file gives an empty image, not an error. */
export class NativeImageDouble {
  readonly #bytes: Buffer | null;
  template = false;
  constructor(readonly path: string) {
    let bytes: Buffer | null = null;
    try {
      bytes = readFileSync(path);
    } catch {
      bytes = null;
    }
    const png = bytes?.subarray(1, 4).toString() === "PNG";
    const ico = bytes !== null && bytes.length > 6 && bytes.readUInt16LE(0) === 0 && bytes.readUInt16LE(2) === 1;
    this.#bytes = png || ico ? bytes : null;
  }
  isEmpty(): boolean {
    return this.#bytes === null;
  }
  setTemplateImage(on: boolean): void {
    this.template = on;
  }
}

export const nativeImageDouble = { createFromPath: (path: string) => new NativeImageDouble(path) };

/**
 * A tray. Given a path it loads it and throws when that fails, as Electron does ("Failed to load
 * image from path"); given an empty image it shows a blank icon, which `blank` records. Text beside
 * the icon (setTitle) shows on macOS only: elsewhere Electron ignores it and getTitle() stays "".
 */
export class TrayDouble extends EventEmitter {
  image: NativeImageDouble;
  tooltip = "";
  menus: unknown[] = [];
  destroyed = false;
  #title = "";
  constructor(
    image: NativeImageDouble | string,
    readonly platform: NodeJS.Platform = "linux",
  ) {
    super();
    this.image = TrayDouble.#load(image);
  }
  setTitle(title: string): void {
    if (this.platform === "darwin") this.#title = title;
  }
  /** What the menu bar shows beside the icon. */
  getTitle(): string {
    return this.#title;
  }
  static #load(image: NativeImageDouble | string): NativeImageDouble {
    if (typeof image !== "string") return image;
    const loaded = new NativeImageDouble(image);
    if (loaded.isEmpty()) throw new Error(`Failed to load image from path '${image}'`);
    return loaded;
  }
  get blank(): boolean {
    return this.image.isEmpty();
  }
  setImage(image: NativeImageDouble | string): void {
    this.image = TrayDouble.#load(image);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: unknown): void {
    this.menus.push(menu);
  }
  destroy(): void {
    this.destroyed = true;
  }
}

type NotificationOptions = {
  title: string;
  body: string;
  urgency?: string;
  actions?: Array<{ type: "button"; text: string }>;
  silent?: boolean;
};

/**
 * Electron's Notification. show() returns at once; the OS answers later with `show`, or `failed`
 * (Windows reports an error string). `click` and `action` come only from the user, and buttons
 * exist only where Electron shows them (Windows and macOS; on Linux libnotify gets none).
 */
export function notificationDouble(o: { supported?: boolean; fails?: string; platform?: NodeJS.Platform } = {}) {
  const made: NotificationDouble[] = [];
  class NotificationDouble extends EventEmitter {
    shown = false;
    constructor(readonly options: NotificationOptions) {
      super();
      made.push(this);
    }
    static isSupported(): boolean {
      return o.supported ?? true;
    }
    show(): void {
      setImmediate(() => {
        if (o.fails !== undefined) {
          this.emit("failed", { sender: this }, o.fails);
          return;
        }
        this.shown = true;
        this.emit("show", { sender: this });
      });
    }
    close(): void {
      this.emit("close", { sender: this });
    }
    /** The user clicks the notification's body. */
    userClicks(): void {
      if (!this.shown) throw new Error("a notification that was never shown cannot be clicked");
      this.emit("click", { sender: this });
    }
    /** The buttons the person sees. */
    get buttons(): string[] {
      const platform = o.platform ?? "darwin";
      return platform === "darwin" || platform === "win32" ? (this.options.actions ?? []).map((a) => a.text) : [];
    }
    /** The user presses the action button at `index` (Windows, macOS). */
    userActs(index: number): void {
      if (!this.shown) throw new Error("a notification that was never shown cannot be acted on");
      if (index >= this.buttons.length)
        throw new Error(`no button ${index}: the notification shows ${this.buttons.length}`);
      this.emit("action", { sender: this }, index);
    }
  }
  return { Notification: NotificationDouble, made };
}
