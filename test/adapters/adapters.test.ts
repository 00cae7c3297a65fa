// Main-process adapters with typed fakes: no Electron binary is needed to check what they do.
import { mkdtempSync, readFileSync, existsSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { TRAY_ICON_STATES, trayIconState, trayMenu, type MenuAction } from "../../electron/app/tray-model.js";
import { TrayService, type ElectronMenuItem, type TrayLike } from "../../electron/adapters/tray-service.js";
import { ElectronNotifier, type NotificationCtor, type NotificationLike } from "../../electron/adapters/electron-notifier.js";
import { autostartPath, desktopEntry, setStartAtLogin } from "../../electron/adapters/login-item.js";
import { isTrustedSender, registerIpc, type IpcEventLike } from "../../electron/adapters/ipc.js";
import { chooseTokenCache, SafeStoragePersistence, type SafeStorageLike } from "../../electron/adapters/safe-storage-persistence.js";
import { MemoryPersistence } from "../../electron/engine/auth/token-cache.js";
import { validateRequest, type AppState } from "../../electron/shared/ipc-contract.js";
import { isAllowedExternal } from "../../electron/app/app-controller.js";

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
    settings: { cloud: "global", tenant: "t", clientId: "c", leadMinutes: [10, 2], startAtLogin: false, tokenStorage: "encrypted", tokenStorageNote: "", encryptionAvailable: true },
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

describe("notification routing", () => {
  function fakeCtor(supported: boolean) {
    const shown: Array<{ options: unknown; handlers: Record<string, (...a: unknown[]) => void> }> = [];
    class N implements NotificationLike {
      handlers: Record<string, (...a: unknown[]) => void> = {};
      constructor(readonly options: unknown) {
        shown.push({ options, handlers: this.handlers });
      }
      on(event: string, l: (...a: never[]) => void) {
        this.handlers[event] = l as (...a: unknown[]) => void;
      }
      show() {}
      static isSupported() {
        return supported;
      }
    }
    return { Ctor: N as unknown as NotificationCtor, shown };
  }
  const target = { groupId: G1, accessId: "member" as const, groupName: "Finance Admins" };

  it("uses Electron's notification; a click opens the popup on the item; Renew renews", async () => {
    const { Ctor, shown } = fakeCtor(true);
    const open = vi.fn();
    const renew = vi.fn();
    const fallback = { notify: vi.fn(async () => undefined) };
    await new ElectronNotifier({ Notification: Ctor, fallback, open, renew }).notify({ id: "x", title: "Finance Admins expires in 10 min", body: "b", urgency: "critical", target, actions: [{ id: "renew", label: "Renew" }] });
    expect(shown[0]?.options).toMatchObject({ title: "Finance Admins expires in 10 min", actions: [{ type: "button", text: "Renew" }] });
    shown[0]?.handlers.click?.();
    shown[0]?.handlers.action?.({}, 0);
    expect(open).toHaveBeenCalledWith(G1);
    expect(renew).toHaveBeenCalledWith(target);
    expect(fallback.notify).not.toHaveBeenCalled();
  });

  it("falls back to node-notifier where Electron reports no support", async () => {
    const { Ctor, shown } = fakeCtor(false);
    const fallback = { notify: vi.fn(async () => undefined) };
    await new ElectronNotifier({ Notification: Ctor, fallback, open: vi.fn(), renew: vi.fn() }).notify({ id: "x", title: "t", body: "b", urgency: "normal" });
    expect(shown).toHaveLength(0);
    expect(fallback.notify).toHaveBeenCalledOnce();
  });
});

describe("start at login", () => {
  it("writes an XDG autostart file on Linux, pointing at the AppImage when there is one", async () => {
    const home = mkdtempSync(join(tmpdir(), "pimtray-autostart-"));
    const env = { XDG_CONFIG_HOME: home, APPIMAGE: "/home/adele/Apps/PIM Tray.AppImage" };
    const app = { setLoginItemSettings: vi.fn() };
    await setStartAtLogin({ enabled: true, platform: "linux", app, execPath: "/tmp/.mount_x/pimtray", env });
    const text = readFileSync(autostartPath(env), "utf8");
    expect(text).toContain('Exec="/home/adele/Apps/PIM Tray.AppImage" --hidden');
    expect(text).toMatch(/^\[Desktop Entry\]\nType=Application\nName=PIM Tray/);
    expect(statSync(autostartPath(env)).mode & 0o777).toBe(0o644);
    await setStartAtLogin({ enabled: false, platform: "linux", app, execPath: "x", env });
    expect(existsSync(autostartPath(env))).toBe(false);
    expect(app.setLoginItemSettings).not.toHaveBeenCalled();
    expect(desktopEntry('/opt/p"t$/pimtray', {})).toContain('Exec="/opt/p\\"t\\$/pimtray" --hidden');
    rmSync(home, { recursive: true, force: true });
  });

  it("uses Electron's login item settings on macOS and Windows", async () => {
    for (const platform of ["darwin", "win32"] as const) {
      const app = { setLoginItemSettings: vi.fn() };
      await setStartAtLogin({ enabled: true, platform, app, execPath: "x" });
      expect(app.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true, openAsHidden: true, args: ["--hidden"] });
    }
  });
});

describe("IPC", () => {
  const ev = (id: number, url: string, parent: unknown = null): IpcEventLike => ({ sender: { id }, senderFrame: { url, parent } });

  it("accepts only our window's main frame on our origin", () => {
    expect(isTrustedSender(ev(7, "app://pimtray/index.html"), 7, "app://pimtray")).toBeNull();
    expect(isTrustedSender(ev(8, "app://pimtray/index.html"), 7, "app://pimtray")).toBe("not our window");
    expect(isTrustedSender(ev(7, "app://pimtray/index.html", {}), 7, "app://pimtray")).toBe("not the main frame");
    expect(isTrustedSender(ev(7, "https://evil.example/"), 7, "app://pimtray")).toBe("foreign origin https://evil.example");
    expect(isTrustedSender(ev(7, "app://pimtray/"), null, "app://pimtray")).toBe("not our window");
  });

  it("registers every channel; a refused sender never reaches the controller", async () => {
    const handlers = new Map<string, (e: IpcEventLike, p: unknown) => Promise<unknown>>();
    const invoke = vi.fn(async () => ({ ok: true as const, value: null }));
    const rejected: string[] = [];
    registerIpc({ ipcMain: { handle: (c, l) => void handlers.set(c, l), removeHandler: (c) => void handlers.delete(c) }, invoke, windowContentsId: () => 7, origin: "app://pimtray", onRejected: (c, why) => rejected.push(`${c}: ${why}`) });
    expect(handlers.has("pim:activate")).toBe(true);
    expect(await handlers.get("pim:cancel")?.(ev(9, "app://pimtray/"), { requestId: "x" })).toMatchObject({ ok: false, error: { kind: "usage" } });
    expect(invoke).not.toHaveBeenCalled();
    expect(rejected).toEqual(["pim:cancel: not our window"]);
    await handlers.get("app:get-state")?.(ev(7, "app://pimtray/index.html"), undefined);
    expect(invoke).toHaveBeenCalledWith("app:get-state", undefined);
  });

  it("rejects bad payloads with a message naming the field", () => {
    expect(validateRequest("pim:activate", { groupId: "nope", accessId: "member", durationMinutes: 60 })).toEqual({ ok: false, message: "Invalid request at 'groupId': must be an id (GUID)." });
    expect(validateRequest("pim:activate", { groupId: G1, accessId: "admin", durationMinutes: 60 }).ok).toBe(false);
    expect(validateRequest("pim:activate", { groupId: G1, accessId: "member", durationMinutes: 2 }).ok).toBe(false);
    expect(validateRequest("pim:activate", { groupId: G1, accessId: "member", durationMinutes: 60, extra: 1 }).ok).toBe(false);
    expect(validateRequest("pim:activate", { groupId: G1, accessId: "member", durationMinutes: 60 }).ok).toBe(true);
  });

  it("opens only https links to allowed hosts", () => {
    expect(isAllowedExternal("https://learn.microsoft.com/entra/id-governance/")).toBe(true);
    expect(isAllowedExternal("http://learn.microsoft.com/")).toBe(false);
    expect(isAllowedExternal("https://learn.microsoft.com.evil.example/")).toBe(false);
    expect(isAllowedExternal("file:///etc/passwd")).toBe(false);
    expect(isAllowedExternal("https://user:pw@portal.azure.com/")).toBe(false);
  });
});

describe("token cache encryption", () => {
  const fakeSafe = (available: boolean, backend = "gnome_libsecret"): SafeStorageLike => ({
    isAsyncEncryptionAvailable: async () => available,
    encryptStringAsync: async (s) => Buffer.from(`enc:${Buffer.from(s).toString("base64")}`),
    decryptStringAsync: async (b) => {
      const t = b.toString();
      if (!t.startsWith("enc:")) throw new Error("cannot decrypt");
      return { result: Buffer.from(t.slice(4), "base64").toString(), shouldReEncrypt: false };
    },
    getSelectedStorageBackend: () => backend,
  });

  it("encrypts with safeStorage when a key store exists, and never writes plain text", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pimtray-cache-"));
    const c = await chooseTokenCache({ safeStorage: fakeSafe(true), platform: "linux", preference: "encrypted", path: join(dir, "cache.bin") });
    expect(c).toMatchObject({ encrypted: true, encryptionAvailable: true });
    expect(c.persistence).toBeInstanceOf(SafeStoragePersistence);
    await c.persistence.save('{"RefreshToken":{"secret":"abc"}}');
    expect(readFileSync(join(dir, "cache.bin"), "utf8")).not.toContain("secret");
    expect(await c.persistence.load()).toBe('{"RefreshToken":{"secret":"abc"}}');
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps tokens in memory only on Linux basic_text, or when the user asks", async () => {
    const basic = await chooseTokenCache({ safeStorage: fakeSafe(true, "basic_text"), platform: "linux", preference: "encrypted", path: "/nonexistent" });
    expect(basic).toMatchObject({ encrypted: false, encryptionAvailable: false });
    expect(basic.persistence).toBeInstanceOf(MemoryPersistence);
    const asked = await chooseTokenCache({ safeStorage: fakeSafe(true), platform: "darwin", preference: "memory", path: "/nonexistent" });
    expect(asked).toMatchObject({ encrypted: false, encryptionAvailable: true });
  });

  it("treats an undecryptable cache as signed out, not as a crash", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pimtray-cache-"));
    const p = new SafeStoragePersistence(join(dir, "cache.bin"), fakeSafe(true));
    await import("node:fs").then((fs) => fs.writeFileSync(join(dir, "cache.bin"), "garbage"));
    expect(await p.load()).toBeNull();
    rmSync(dir, { recursive: true, force: true });
  });
});
