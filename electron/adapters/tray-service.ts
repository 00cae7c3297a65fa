import { join } from "node:path";
import type { AppState } from "../shared/ipc-contract.js";
import {
  startFailureMenu,
  startFailureTooltip,
  trayBadge,
  trayIconState,
  trayMenu,
  trayTooltip,
  type MenuAction,
  type MenuItemModel,
  type TrayIconState,
} from "../app/tray-model.js";

// The tray (Signal's SystemTrayService model): one idempotent render() that rebuilds the menu from
// state, as Linux requires, with the tray and menu made by injected factories so tests need no Electron.

export interface TrayLike {
  setImage(image: unknown): void;
  setToolTip(text: string): void;
  /** Text beside the icon: drawn on macOS only (Electron ignores it elsewhere). */
  setTitle(title: string): void;
  setContextMenu(menu: unknown): void;
  on(event: "click", listener: () => void): void;
  destroy(): void;
}

export interface ElectronMenuItem {
  id?: string;
  label?: string;
  type?: "separator" | "normal" | "checkbox";
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
}

/** What the tray needs of Electron's NativeImage. */
export interface NativeImageLike {
  isEmpty(): boolean;
  setTemplateImage(on: boolean): void;
}

/** The icon file for a state: Template images on macOS, .ico on Windows, 32 px PNG on Linux. */
export function trayIconFile(state: TrayIconState, platform: NodeJS.Platform): string {
  return platform === "darwin"
    ? `tray-${state}Template.png`
    : platform === "win32"
      ? `tray-${state}.ico`
      : `tray-${state}-32.png`;
}

/**
 * Loads tray icons. nativeImage gives an empty image, not an error, for a missing file, and the tray
 * then shows nothing at all: that is reported (a packaging fault) instead of passing unnoticed.
 */
export function trayIconLoader(o: {
  nativeImage: { createFromPath(path: string): NativeImageLike };
  assetsDir: string;
  platform: NodeJS.Platform;
  onMissing: (message: string) => void;
}): (state: TrayIconState) => NativeImageLike {
  return (state) => {
    const path = join(o.assetsDir, trayIconFile(state, o.platform));
    const image = o.nativeImage.createFromPath(path);
    if (image.isEmpty())
      o.onMissing(`The tray icon ${path} is missing or unreadable, so the tray icon is blank. Reinstall PIM Tray.`);
    if (o.platform === "darwin") image.setTemplateImage(true);
    return image;
  };
}

export interface TrayDeps {
  createTray: (icon: unknown) => TrayLike;
  buildMenu: (template: ElectronMenuItem[]) => unknown;
  iconFor: (state: TrayIconState) => unknown;
  onAction: (action: MenuAction) => void;
  /** Left click opens the popup where the platform reports clicks. */
  onClick: () => void;
  /** Where the count of requests to approve can sit beside the icon (macOS), and where only the tooltip carries it. */
  platform: NodeJS.Platform;
  now?: () => number;
}

export function toElectronTemplate(items: MenuItemModel[], onAction: (a: MenuAction) => void): ElectronMenuItem[] {
  return items.map((i) => {
    switch (i.type) {
      case "separator":
        return { type: "separator" };
      case "label":
        return { label: i.label, enabled: false };
      case "checkbox":
        return { id: i.id, label: i.label, type: "checkbox", checked: i.checked, click: () => onAction(i.action) };
      case "action":
        return { id: i.id, label: i.label, enabled: i.enabled ?? true, click: () => onAction(i.action) };
    }
  });
}

export class TrayService {
  #tray: TrayLike | null = null;
  #icon: TrayIconState | null = null;
  #state: AppState | null = null;
  #failure: string | null = null;
  #title = "";

  constructor(private readonly d: TrayDeps) {}

  get iconState(): TrayIconState | null {
    return this.#icon;
  }

  update(state: AppState): void {
    this.#state = state;
    this.render();
  }

  /** A start that failed: the tray says what is wrong and offers only what works without the engine. */
  fail(message: string): void {
    this.#failure = message;
    this.render();
  }

  render(): void {
    if (this.#failure !== null) {
      // The sign-in icon is the one that already says "needs you"; the tooltip and menu say why.
      this.#show("signin");
      this.#setTitle("");
      this.#tray?.setToolTip(startFailureTooltip(this.#failure));
      this.#tray?.setContextMenu(
        this.d.buildMenu(toElectronTemplate(startFailureMenu(this.#failure), this.d.onAction)),
      );
      return;
    }
    const s = this.#state;
    if (!s) return;
    const now = (this.d.now ?? Date.now)();
    const icon = trayIconState(s, now);
    const tray = this.#show(icon);
    this.#setTitle(trayBadge(s));
    tray.setToolTip(trayTooltip(s, now));
    tray.setContextMenu(this.d.buildMenu(toElectronTemplate(trayMenu(s, now), this.d.onAction)));
  }

  #show(icon: TrayIconState): TrayLike {
    if (!this.#tray) {
      this.#tray = this.d.createTray(this.d.iconFor(icon));
      this.#tray.on("click", this.d.onClick);
    } else if (icon !== this.#icon) {
      this.#tray.setImage(this.d.iconFor(icon));
    }
    this.#icon = icon;
    return this.#tray;
  }

  /**
   * macOS draws the count of requests to approve beside the icon ("2"). Windows and Linux trays draw no
   * text there (Electron's setTitle is macOS only): the tooltip and the menu say it instead.
   */
  #setTitle(title: string): void {
    if (this.d.platform !== "darwin" || !this.#tray || title === this.#title) return;
    this.#tray.setTitle(title);
    this.#title = title;
  }

  destroy(): void {
    this.#tray?.destroy();
    this.#tray = null;
  }
}
