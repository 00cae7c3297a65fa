// The real composition root (electron/main/main.ts) under Node, with a typed fake of the electron
// module, against the emulator: the wiring is exercised end to end without an Electron binary.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { followSignInPage } from "../../electron/node/demo-sign-in.js";
import { FileSettingsStore } from "../../electron/engine/profiles/settings-store.js";
import { CHANNELS } from "../../electron/shared/ipc-contract.js";
import { startTestEmulator } from "../helpers/emulator.js";
import { app, powerMonitor, recorded, setNetFetch, setOpenExternal } from "./electron-fake.js";

vi.mock("electron", () => import("./electron-fake.js"));

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let dir: string;
const G = "6c03b013-0950-5d62-8881-e9fee6d96c8a"; // Finance Admins

async function until(what: string, pred: () => boolean, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function popup() {
  const w = recorded.windows[0];
  if (!w) throw new Error("no popup window");
  return w;
}

/** Calls an IPC handler the way the popup's main frame would. */
function invoke(
  channel: string,
  payload: unknown,
  sender: { id: number; url: string } = { id: popup().webContents.id, url: "app://pimtray/index.html" },
) {
  const h = recorded.ipcHandlers.get(channel);
  if (!h) throw new Error(`no handler for ${channel}`);
  return h({ sender: { id: sender.id }, senderFrame: { url: sender.url, parent: null } }, payload) as Promise<{
    ok: boolean;
    value?: any;
    error?: { message: string };
  }>;
}

beforeAll(async () => {
  emu = await startTestEmulator({ settings: { autoSignIn: "adele", provisioningDelayMs: 100 } });
  dir = mkdtempSync(join(tmpdir(), "pimtray-main-"));
  writeFileSync(
    join(dir, "settings.json"),
    JSON.stringify({
      schemaVersion: 1,
      connection: { cloud: "global", tenant: emu.tenantId, authorityHost: emu.origin, graphEndpoint: emu.origin },
      allowCustomEndpoints: true,
    }),
  );
  process.env.PIMTRAY_CONFIG_DIR = dir;
  process.env.PIMTRAY_RENDERER_DIR = join(process.cwd(), "dist", "renderer");
  const dispatcher = new Agent({ connect: { ca: emu.caPem } });
  setNetFetch((url, init) => undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>);
  setOpenExternal((url) => followSignInPage(url, emu.caPem));
  await import("../../electron/main/main.js");
  await until("the tray and the popup", () => recorded.trays.length === 1 && recorded.windows[0]?.shown === true);
});
afterAll(async () => {
  app.emit("before-quit");
  await new Promise((r) => setTimeout(r, 200));
  rmSync(dir, { recursive: true, force: true });
  await emu.stop();
});

describe("the composition root", () => {
  it("sets up a hardened popup, the app protocol and the app id", async () => {
    const w = popup();
    expect(w.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(w.options.skipTaskbar).toBe(true);
    expect(w.url).toBe("app://pimtray/index.html");
    const prevent = vi.fn();
    w.webContents.emit("will-navigate", { preventDefault: prevent }, "https://evil.example/");
    expect(prevent).toHaveBeenCalled();
    expect(w.webContents.windowOpenHandler?.()).toEqual({ action: "deny" });
    expect(recorded.appUserModelId).toBe("dev.pimtray.app");
    const serve = recorded.protocolHandlers.get("app");
    const page = await serve?.(new Request("app://pimtray/index.html"));
    expect(page?.status).toBe(200);
    expect(page?.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect((await serve?.(new Request("app://pimtray/..%2F..%2Fpackage.json")))?.status).toBe(404);
  });

  it("denies every permission request and check, and every device, on the session", () => {
    const h = recorded.permissionHandlers;
    expect(h.request && h.check && h.device).toBeTruthy();
    for (const permission of [
      "media",
      "geolocation",
      "notifications",
      "clipboard-read",
      "openExternal",
      "fullscreen",
    ]) {
      const granted = vi.fn();
      h.request?.({}, permission, granted, { requestingUrl: "app://pimtray/index.html" });
      expect(granted).toHaveBeenCalledWith(false);
      expect(h.check?.({}, permission, "app://pimtray", {})).toBe(false);
    }
    expect(h.device?.({ deviceType: "usb", origin: "app://pimtray", device: {} })).toBe(false);
  });

  it("shows a real tray icon, not an empty image", () => {
    expect(recorded.trays[0]?.image).toBeDefined();
    expect(recorded.emptyTrayImages).toEqual([]);
  });

  it("shows the custom endpoints it was allowed to use, with a warning, in the tooltip, the menu and Settings", async () => {
    const host = new URL(emu.origin).host;
    expect(recorded.trays[0]?.tooltip).toContain(`⚠ Custom endpoints: sign-in ${host}, Graph ${host}`);
    expect(recorded.menus.at(-1)?.[0]?.label).toContain("⚠ Custom endpoints");
    const state = await invoke("app:get-state", undefined);
    expect(state.value.settings.customEndpoints).toEqual({
      authorityHost: emu.origin,
      graphEndpoint: `${emu.origin}/v1.0`,
    });
  });

  it("registers every IPC channel behind the sender check", async () => {
    expect([...recorded.ipcHandlers.keys()].sort()).toEqual([...CHANNELS].sort());
    const refused = await invoke("app:get-state", undefined, { id: 999, url: "app://pimtray/index.html" });
    expect(refused.ok).toBe(false);
    const foreign = await invoke("app:get-state", undefined, {
      id: popup().webContents.id,
      url: "https://evil.example/",
    });
    expect(foreign.ok).toBe(false);
    const bad = await invoke("pim:activate", { groupId: "x" });
    expect(bad).toMatchObject({ ok: false, error: { message: expect.stringContaining("groupId") } });
  });

  it("signs in through the browser flow, activates, and updates the tray, the popup and notifications", async () => {
    expect(recorded.menus.at(-1)?.map((i) => i.label)).toContain("Sign in…");
    const signed = await invoke("auth:sign-in", {});
    expect(signed.ok).toBe(true);
    expect(signed.value.account.username).toBe("adele@contoso.example");
    expect(recorded.opened[0]).toContain("/oauth2/v2.0/authorize");
    // electron-store wrote the very settings.json the CLI reads, valid for the CLI's own loader.
    const forCli = await new FileSettingsStore(join(dir, "settings.json")).load();
    expect(forCli.account?.username).toBe("adele@contoso.example");
    expect(forCli.connection.authorityHost).toBe(emu.origin);
    const out = await invoke("pim:activate", {
      groupId: G,
      accessId: "member",
      durationMinutes: 60,
      justification: "Quarter close",
    });
    expect(out).toMatchObject({ ok: true, value: { status: "active", groupName: "Finance Admins" } });
    await until("the tray menu to show the activation", () =>
      (recorded.menus.at(-1) ?? []).some((i) => i.label?.startsWith("Deactivate Finance Admins (member)")),
    );
    await until("a desktop notification", () =>
      recorded.notifications.some((n) => n.title.startsWith("Finance Admins (member) is active until")),
    );
    expect(popup().webContents.sent.some((m) => m.channel === "app:state")).toBe(true);
    expect(recorded.trays[0]?.tooltip).toMatch(/^PIM Tray: 1 active/);
    // The tray's own items work too.
    recorded.menus
      .at(-1)
      ?.find((i) => i.id === "open")
      ?.click?.();
    expect(popup().shown).toBe(true);
  });

  it("the popup cannot make the app open a web page that is not on its exact list", async () => {
    // Recorded only: nothing may be fetched from the internet.
    setOpenExternal(async () => undefined);
    try {
      const before = recorded.opened.length;
      const r = await invoke("shell:open-external", { url: "https://github.com/attacker/phish" });
      expect(recorded.opened.slice(before)).toEqual([]);
      expect(r.ok).toBe(false);
    } finally {
      setOpenExternal((url) => followSignInPage(url, emu.caPem));
    }
  });

  it("reconciles on resume without trouble", async () => {
    powerMonitor.emit("resume");
    powerMonitor.emit("unlock-screen");
    await new Promise((r) => setTimeout(r, 300));
    const state = await invoke("app:get-state", undefined);
    expect(state.value.active.map((a: { groupName: string }) => a.groupName)).toEqual(["Finance Admins"]);
    expect(state.value.settings.tokenStorageNote).toContain("no key store");
  });
});
