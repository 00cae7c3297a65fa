// The tray: its model (icon, tooltip, menu from state), the service that renders it, and the icon files.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { TRAY_ICON_STATES, trayIconState, trayMenu, type MenuAction } from "../../electron/app/tray-model.js";
import { trayIconLoader, TrayService, type ElectronMenuItem, type TrayLike } from "../../electron/adapters/tray-service.js";
import { type AppState } from "../../electron/shared/ipc-contract.js";
import { nativeImageDouble, TrayDouble, type NativeImageDouble } from "./electron-doubles.js";

const NOW = Date.parse("2026-11-27T13:00:00Z");
const iso = (ms: number) => new Date(NOW + ms).toISOString();
const G1 = "6c03b013-0950-5d62-8881-e9fee6d96c8a";
const G2 = "4640122e-7036-5903-9896-fe03e172c141";

function state(patch: Partial<AppState> = {}): AppState {
  return {
    account: { username: "adele@contoso.example", name: "Adele Vance", tenantId: "t" },
    needsSignIn: false,
    online: true,
    active: [],
    pending: [],
    profiles: [],
    settings: { cloud: "global", tenant: "t", clientId: "c", leadMinutes: [10, 2], startAtLogin: false, tokenStorage: "encrypted", tokenStorageNote: "", encryptionAvailable: true, customEndpoints: null },
    lastJustification: null,
    lastSyncAt: null,
    ...patch,
  };
}
const active = (groupId: string, name: string, endIn: number, startedAgo = 3600_000) => ({ groupId, groupName: name, accessId: "member" as const, startDateTime: iso(-startedAgo), endDateTime: iso(endIn), deactivatableAt: iso(-startedAgo + 5 * 60_000) });

describe("tray model", () => {
  it("picks the icon for each state", () => {
    expect(trayIconState(state({ needsSignIn: true }), NOW)).toBe("signin");
    expect(trayIconState(state(), NOW)).toBe("idle");
    expect(trayIconState(state({ active: [active(G1, "Finance Admins", 3600_000)] }), NOW)).toBe("active");
    expect(trayIconState(state({ active: [active(G1, "Finance Admins", 9 * 60_000)] }), NOW)).toBe("expiring");
    expect(trayIconState(state({ pending: [{ requestId: "r", groupId: G2, groupName: "Tenant Admins", accessId: "member", status: "PendingApproval", createdDateTime: iso(0), startDateTime: null }] }), NOW)).toBe("pending");
  });

  it("builds the menu from state: account, profiles with their state, active with Deactivate, pending with Cancel", () => {
    const s = state({
      profiles: [{ id: "p1", name: "Month end", targets: [{ groupId: G1, accessId: "member" }], durationMinutes: 60, justification: null, ticket: null, autoActivate: false, keepActive: { enabled: false }, notifyLeadMinutes: null }],
      active: [active(G1, "Finance Admins", 72 * 60_000), active("975e3fc7-84b0-5202-bb9a-21acb945364b", "SharePoint Site Admins", 50 * 60_000, 60_000)],
      pending: [{ requestId: "r1", groupId: G2, groupName: "Tenant Admins", accessId: "member", status: "PendingApproval", createdDateTime: iso(0), startDateTime: null }],
      settings: { ...state().settings, startAtLogin: true },
    });
    const labels = trayMenu(s, NOW).map((i) => (i.type === "separator" ? "---" : `${i.label}${"enabled" in i && i.enabled === false ? " [disabled]" : ""}${i.type === "checkbox" ? ` [${i.checked ? "x" : " "}]` : ""}`));
    expect(labels).toEqual([
      "adele@contoso.example",
      "---",
      "Profiles",
      "Activate Month end — active, 1 h 12 min left [disabled]",
      "---",
      "Active",
      "Deactivate Finance Admins (member) — 1 h 12 min left",
      "Deactivate SharePoint Site Admins (member) — 50 min left [disabled]",
      "---",
      "Pending",
      "Cancel Tenant Admins (member) — waiting for approval",
      "---",
      "Open PIM Tray…",
      "Start at login [x]",
      "---",
      "Quit",
    ]);
  });

  it("offers Sign in… and still Open and Quit when signed out", () => {
    const labels = trayMenu(state({ needsSignIn: true, account: null }), NOW).filter((i) => i.type !== "separator").map((i) => ("label" in i ? i.label : ""));
    expect(labels).toEqual(["Sign in…", "Open PIM Tray…", "Start at login", "Quit"]);
  });
});

describe("tray service", () => {
  function fakes() {
    const tray = { images: [] as unknown[], tooltips: [] as string[], menus: [] as ElectronMenuItem[][], clicks: [] as Array<() => void> };
    const fakeTray: TrayLike = {
      setImage: (i) => tray.images.push(i),
      setToolTip: (t) => tray.tooltips.push(t),
      setContextMenu: (m) => tray.menus.push(m as ElectronMenuItem[]),
      on: (_e, l) => tray.clicks.push(l),
      destroy: () => undefined,
    };
    const actions: MenuAction[] = [];
    const onClick = vi.fn();
    const svc = new TrayService({ createTray: (icon) => (tray.images.push(icon), fakeTray), buildMenu: (t) => t, iconFor: (s) => `icon:${s}`, onAction: (a) => actions.push(a), onClick, now: () => NOW });
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
    tray.menus.at(-1)?.find((i) => i.id === `deactivate:${G1}:member`)?.click?.();
    tray.menus.at(-1)?.find((i) => i.id === "open")?.click?.();
    expect(actions).toEqual([{ kind: "deactivate", groupId: G1, accessId: "member" }, { kind: "open" }]);
    tray.clicks[0]?.();
    expect(onClick).toHaveBeenCalledOnce();
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
      const iconFor = trayIconLoader({ nativeImage: nativeImageDouble, assetsDir: "assets", platform, onMissing: (m) => missing.push(m) });
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
    const iconFor = trayIconLoader({ nativeImage: nativeImageDouble, assetsDir: "/nonexistent/assets", platform: "linux", onMissing: (m) => missing.push(m) });
    const trays: TrayDouble[] = [];
    const svc = new TrayService({ createTray: (i) => (trays.push(new TrayDouble(i as NativeImageDouble)), trays[0] as TrayDouble), buildMenu: (t) => t, iconFor, onAction: () => undefined, onClick: () => undefined, now: () => NOW });
    svc.update(state());
    expect(trays[0]?.blank).toBe(true);
    expect(missing).toEqual(["The tray icon /nonexistent/assets/tray-idle-32.png is missing or unreadable, so the tray icon is blank. Reinstall PIM Tray."]);
    // Given a path, Electron's Tray refuses a file it cannot load.
    expect(() => trays[0]?.setImage("/nonexistent/assets/tray-idle-32.png")).toThrow("Failed to load image from path");
  });

  it("keeps a visible icon through every state change", () => {
    const iconFor = trayIconLoader({ nativeImage: nativeImageDouble, assetsDir: "assets", platform: "linux", onMissing: (m) => expect.fail(m) });
    let tray: TrayDouble | null = null;
    const svc = new TrayService({ createTray: (i) => (tray = new TrayDouble(i as NativeImageDouble)), buildMenu: (t) => t, iconFor, onAction: () => undefined, onClick: () => undefined, now: () => NOW });
    for (const s of [state({ needsSignIn: true }), state(), state({ active: [active(G1, "Finance Admins", 9 * 60_000)] }), state({ active: [active(G1, "Finance Admins", 3600_000)] })]) {
      svc.update(s);
      expect((tray as TrayDouble | null)?.blank).toBe(false);
    }
    expect((tray as TrayDouble | null)?.image.path).toBe(join("assets", "tray-active-32.png"));
  });
});
