// The approver's inbox in the real composition root (electron/main/main.ts on the fake electron
// module), against the emulator over HTTPS: Megan, with "I approve requests" on, started hidden at
// login. Adele's requests show as a count in the tray's tooltip and menu and as a notification; a
// click on it creates the popup and opens it on that request once the page listens; the menu opens
// the popup on a request; a decision takes it out of the count.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { followSignInPage } from "../../electron/node/demo-sign-in.js";
import { HIDDEN_ARG } from "../../electron/adapters/login-item.js";
import { requestAsAdele } from "../helpers/approvals.js";
import { startTestEmulator } from "../helpers/emulator.js";
import { app, FakeNotification, powerMonitor, recorded, setNetFetch, setOpenExternal } from "./electron-fake.js";

vi.mock("electron", () => import("./electron-fake.js"));

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let dir: string;
const argv = process.argv;

async function until(what: string, pred: () => boolean, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const menu = () => recorded.menus.at(-1) ?? [];
const tray = () => {
  const t = recorded.trays[0];
  if (!t) throw new Error("no tray");
  return t;
};
const popup = () => {
  const w = recorded.windows[0];
  if (!w) throw new Error("no popup window");
  return w;
};
const focusesSent = () =>
  popup()
    .webContents.sent.filter((m) => m.channel === "app:focus")
    .map((m) => m.data);

/** Calls an IPC handler the way the popup's main frame would. */
function invoke(channel: string, payload: unknown) {
  const h = recorded.ipcHandlers.get(channel);
  if (!h) throw new Error(`no handler for ${channel}`);
  return h(
    { sender: { id: popup().webContents.id }, senderFrame: { url: "app://pimtray/index.html", parent: null } },
    payload,
  ) as Promise<{ ok: boolean; value?: any; error?: { message: string } }>;
}

beforeAll(async () => {
  emu = await startTestEmulator({ settings: { autoSignIn: "megan" } });
  dir = mkdtempSync(join(tmpdir(), "pimtray-main-approvals-"));
  writeFileSync(
    join(dir, "settings.json"),
    JSON.stringify({
      schemaVersion: 1,
      connection: {
        cloud: "global",
        tenant: emu.tenantId,
        authorityHost: emu.origin,
        graphEndpoint: emu.origin,
        armEndpoint: emu.armBaseUrl,
      },
      allowCustomEndpoints: true,
      approvals: { enabled: true },
    }),
  );
  process.env.PIMTRAY_CONFIG_DIR = dir;
  process.env.PIMTRAY_RENDERER_DIR = join(process.cwd(), "dist", "renderer");
  const dispatcher = new Agent({ connect: { ca: emu.caPem } });
  setNetFetch((url, init) => undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>);
  setOpenExternal((url) => followSignInPage(url, emu.caPem));
  // Started at login: the tray only, no popup until someone asks for it. main reads its arguments
  // when it has started, so they stay until then.
  process.argv = [...argv, HIDDEN_ARG];
  await import("../../electron/main/main.js");
  await until("the tray", () => recorded.trays.length === 1 && menu().some((i) => i.id === "sign-in"));
});
afterAll(async () => {
  process.argv = argv;
  app.emit("before-quit");
  await new Promise((r) => setTimeout(r, 200));
  rmSync(dir, { recursive: true, force: true });
  await emu.stop();
});

describe("the approver's inbox in the tray app", () => {
  it("shows the count in the tooltip and the menu once a request waits, and notifies it", async () => {
    expect(recorded.windows).toHaveLength(0);
    menu()
      .find((i) => i.id === "sign-in")
      ?.click?.();
    await until("Megan signed in", () => menu().some((i) => i.label === "megan@contoso.example"));
    expect(tray().tooltip).not.toContain("to approve");

    await requestAsAdele(emu, "group");
    // The inbox's next look (every 5 min, and on resume): resume brings it now.
    powerMonitor.emit("resume");
    await until("the count in the tooltip", () => tray().tooltip.includes("1 request to approve"));
    // (The second line is the custom endpoints' warning: the test's emulator is one.)
    expect(tray().tooltip.split("\n")[0]).toBe("PIM Tray: 0 active · 1 request to approve");
    expect(menu().find((i) => i.id === "approvals")?.label).toBe("1 request to approve…");
    expect(menu().some((i) => i.label === "Adele Vance: Tenant Admins (member)…")).toBe(true);
    // The macOS title beside the icon stays empty on this platform, as Electron's does.
    expect(tray().title).toBe("");
    await until("the notification", () =>
      recorded.notifications.some((n) => n.title === "Adele Vance asks for Tenant Admins (member)"),
    );
    // Linux: Electron shows no buttons, so none were asked for.
    expect(recorded.notifications.find((n) => n.title.startsWith("Adele Vance asks"))?.buttons).toEqual([]);
  });

  it("a click on the notification creates the popup and opens it on the request once the page listens", async () => {
    const n = FakeNotification.instances.find((x) => x.options.title === "Adele Vance asks for Tenant Admins (member)");
    n?.userClick();
    expect(popup().shown).toBe(true);
    // The page is still loading: a push now would be lost.
    expect(focusesSent()).toEqual([]);
    // The page subscribes to pushes as it asks for the state.
    const s = await invoke("app:get-state", undefined);
    const item = s.value.approvals.items[0] as { requestId: string };
    expect(focusesSent()).toEqual([
      { groupId: null, approval: { kind: "group", requestId: item.requestId, decision: null } },
    ]);
  });

  it("'2 requests to approve…' and each request in the menu open the popup on a request", async () => {
    await requestAsAdele(emu, "role");
    await invoke("approvals:list", { refresh: true });
    await until("two waiting", () => tray().tooltip.includes("2 requests to approve"));
    const state = await invoke("app:get-state", undefined);
    const items = state.value.approvals.items as Array<{ kind?: string; requestId: string; label: string }>;
    const role = items.find((a) => a.kind === "role");
    if (!role) throw new Error("no role request in the inbox");
    popup().hide();
    const before = focusesSent().length;
    menu()
      .find((i) => i.id === `approval:role:${role.requestId}`)
      ?.click?.();
    expect(popup().shown).toBe(true);
    menu()
      .find((i) => i.id === "approvals")
      ?.click?.();
    const first = items[0];
    expect(focusesSent().slice(before)).toEqual([
      { groupId: null, approval: { kind: "role", requestId: role.requestId, decision: null } },
      { groupId: null, approval: { kind: first?.kind ?? "group", requestId: first?.requestId, decision: null } },
    ]);
  });

  it("a decision takes the request out of the count at once", async () => {
    const state = await invoke("app:get-state", undefined);
    const group = (state.value.approvals.items as Array<{ kind?: string; requestId: string }>).find((a) => !a.kind);
    const decided = await invoke("approvals:decide", {
      kind: "group",
      requestId: group?.requestId,
      decision: "Deny",
      justification: "Not this quarter",
    });
    expect(decided.ok).toBe(true);
    await until("one left", () => tray().tooltip.includes("1 request to approve"));
    expect(menu().find((i) => i.id === "approvals")?.label).toBe("1 request to approve…");
  });
});
