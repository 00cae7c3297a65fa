// The tray: the service that renders the tray model (test/app/tray-model.test.ts), and the icon files.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { TRAY_ICON_STATES, type MenuAction } from "../../electron/app/tray-model.js";
import {
  trayIconLoader,
  TrayService,
  type ElectronMenuItem,
  type TrayLike,
} from "../../electron/adapters/tray-service.js";
import { active, approval, G1, NOW, state, waiting } from "../app/app-state.js";
import { nativeImageDouble, TrayDouble, type NativeImageDouble } from "./electron-doubles.js";

describe("tray service", () => {
  function fakes() {
    const tray = {
      images: [] as unknown[],
      tooltips: [] as string[],
      menus: [] as ElectronMenuItem[][],
      clicks: [] as Array<() => void>,
    };
    const fakeTray: TrayLike = {
      setImage: (i) => tray.images.push(i),
      setToolTip: (t) => tray.tooltips.push(t),
      setTitle: () => expect.fail("setTitle off macOS: Electron ignores it there"),
      setContextMenu: (m) => tray.menus.push(m as ElectronMenuItem[]),
      on: (_e, l) => tray.clicks.push(l),
      destroy: () => undefined,
    };
    const actions: MenuAction[] = [];
    const onClick = vi.fn();
    const svc = new TrayService({
      createTray: (icon) => (tray.images.push(icon), fakeTray),
      buildMenu: (t) => t,
      iconFor: (s) => `icon:${s}`,
      onAction: (a) => actions.push(a),
      onClick,
      platform: "linux",
      now: () => NOW,
    });
    return { tray, actions, svc, onClick };
  }

  it("rebuilds the menu on every state change, swaps the icon only when it changes, and routes clicks", () => {
    const { tray, actions, svc, onClick } = fakes();
    svc.update(state());
    svc.update(state());
    svc.update(state({ active: [active(G1, "Finance Admins", 3600_000)] }));
    expect(tray.images).toEqual(["icon:idle", "icon:active"]);
    expect(tray.menus).toHaveLength(3);
    expect(tray.tooltips.at(-1)).toBe("PIM Tray: 1 active · Finance Admins 1 h left");
    tray.menus
      .at(-1)
      ?.find((i) => i.id === `deactivate:${G1}:member`)
      ?.click?.();
    tray.menus
      .at(-1)
      ?.find((i) => i.id === "open")
      ?.click?.();
    expect(actions).toEqual([{ kind: "deactivate", groupId: G1, accessId: "member" }, { kind: "open" }]);
    tray.clicks[0]?.();
    expect(onClick).toHaveBeenCalledOnce();
  });
});

describe("requests to approve in the tray", () => {
  function trayOn(platform: NodeJS.Platform) {
    let tray: TrayDouble | null = null;
    const actions: MenuAction[] = [];
    const svc = new TrayService({
      createTray: (i) => (tray = new TrayDouble(i as NativeImageDouble, platform)),
      buildMenu: (t) => t,
      iconFor: trayIconLoader({
        nativeImage: nativeImageDouble,
        assetsDir: "assets",
        platform,
        onMissing: (m) => expect.fail(m),
      }),
      onAction: (a) => actions.push(a),
      onClick: () => undefined,
      platform,
      now: () => NOW,
    });
    const get = () => {
      if (!tray) throw new Error("no tray yet");
      return tray;
    };
    return { svc, get, actions };
  }
  const two = () =>
    state({ approvals: waiting([approval("group", "Tenant Admins (member)"), approval("role", "Global Reader")]) });

  it("macOS shows the count beside the icon, and clears it when none waits", () => {
    const { svc, get } = trayOn("darwin");
    svc.update(state());
    expect(get().getTitle()).toBe("");
    svc.update(two());
    expect(get().getTitle()).toBe("2");
    expect(get().tooltip).toBe("PIM Tray: 0 active · 2 requests to approve");
    svc.update(state({ approvals: waiting([approval("group", "Tenant Admins (member)")]) }));
    expect(get().getTitle()).toBe("1");
    svc.update(state({ needsSignIn: true, approvals: waiting([approval("group", "Tenant Admins (member)")]) }));
    expect(get().getTitle()).toBe("");
    svc.update(two());
    svc.fail("settings.json is damaged");
    expect(get().getTitle()).toBe("");
  });

  it("Windows and Linux draw no text beside the icon: the tooltip and the menu carry the count", () => {
    for (const platform of ["win32", "linux"] as const) {
      const { svc, get, actions } = trayOn(platform);
      svc.update(two());
      expect(get().getTitle()).toBe("");
      expect(get().tooltip).toBe("PIM Tray: 0 active · 2 requests to approve");
      const menu = get().menus.at(-1) as ElectronMenuItem[];
      expect(menu.find((i) => i.id === "approvals")?.label).toBe("2 requests to approve…");
      menu.find((i) => i.id === "approvals")?.click?.();
      expect(actions).toEqual([
        { kind: "open-approval", approval: { kind: "group", requestId: two().approvals.items[0]?.requestId } },
      ]);
      expect(get().blank).toBe(false);
    }
  });
});

describe("icons", () => {
  const dims = (f: string) => {
    const b = readFileSync(join("assets", f));
    expect(b.subarray(1, 4).toString()).toBe("PNG");
    return [b.readUInt32BE(16), b.readUInt32BE(20)];
  };
  it("has every state at 16 and 32 px with @2x, macOS Template images and a Windows .ico", () => {
    for (const s of TRAY_ICON_STATES) {
      expect(dims(`tray-${s}.png`)).toEqual([16, 16]);
      expect(dims(`tray-${s}@2x.png`)).toEqual([32, 32]);
      expect(dims(`tray-${s}-32.png`)).toEqual([32, 32]);
      expect(dims(`tray-${s}-32@2x.png`)).toEqual([64, 64]);
      expect(dims(`tray-${s}Template.png`)).toEqual([16, 16]);
      expect(dims(`tray-${s}Template@2x.png`)).toEqual([32, 32]);
      const ico = readFileSync(join("assets", `tray-${s}.ico`));
      expect(ico.readUInt16LE(2)).toBe(1);
      expect(ico.readUInt16LE(4)).toBe(3);
    }
  });
});

describe("tray icons as Electron loads them", () => {
  it("gives a real (non-empty) image for every state on every platform, as Template images on macOS", () => {
    const missing: string[] = [];
    for (const platform of ["darwin", "win32", "linux"] as const) {
      const iconFor = trayIconLoader({
        nativeImage: nativeImageDouble,
        assetsDir: "assets",
        platform,
        onMissing: (m) => missing.push(m),
      });
      for (const s of TRAY_ICON_STATES) {
        const image = iconFor(s) as NativeImageDouble;
        expect(image.isEmpty(), `${platform} ${s}`).toBe(false);
        expect(image.template).toBe(platform === "darwin");
      }
    }
    expect(missing).toEqual([]);
  });

  it("reports a missing icon file instead of showing a blank tray without a word", () => {
    const missing: string[] = [];
    const iconFor = trayIconLoader({
      nativeImage: nativeImageDouble,
      assetsDir: "/nonexistent/assets",
      platform: "linux",
      onMissing: (m) => missing.push(m),
    });
    const trays: TrayDouble[] = [];
    const svc = new TrayService({
      createTray: (i) => (trays.push(new TrayDouble(i as NativeImageDouble)), trays[0] as TrayDouble),
      buildMenu: (t) => t,
      iconFor,
      onAction: () => undefined,
      onClick: () => undefined,
      platform: "linux",
      now: () => NOW,
    });
    svc.update(state());
    expect(trays[0]?.blank).toBe(true);
    expect(missing).toEqual([
      "The tray icon /nonexistent/assets/tray-idle-32.png is missing or unreadable, so the tray icon is blank. Reinstall PIM Tray.",
    ]);
    // Given a path, Electron's Tray refuses a file it cannot load.
    expect(() => trays[0]?.setImage("/nonexistent/assets/tray-idle-32.png")).toThrow("Failed to load image from path");
  });

  it("keeps a visible icon through every state change", () => {
    const iconFor = trayIconLoader({
      nativeImage: nativeImageDouble,
      assetsDir: "assets",
      platform: "linux",
      onMissing: (m) => expect.fail(m),
    });
    let tray: TrayDouble | null = null;
    const svc = new TrayService({
      createTray: (i) => (tray = new TrayDouble(i as NativeImageDouble)),
      buildMenu: (t) => t,
      iconFor,
      onAction: () => undefined,
      onClick: () => undefined,
      platform: "linux",
      now: () => NOW,
    });
    for (const s of [
      state({ needsSignIn: true }),
      state(),
      state({ active: [active(G1, "Finance Admins", 9 * 60_000)] }),
      state({ active: [active(G1, "Finance Admins", 3600_000)] }),
    ]) {
      svc.update(s);
      expect((tray as TrayDouble | null)?.blank).toBe(false);
    }
    expect((tray as TrayDouble | null)?.image.path).toBe(join("assets", "tray-active-32.png"));
  });
});
