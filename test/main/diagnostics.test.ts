// Issue 13, diagnostics in the tray app: the real composition root (electron/main/main.ts) on the Electron fake,
// against the emulator over HTTPS. Troubleshoot… opens the popup on its Troubleshoot view; the popup's checks
// (app:doctor) run over the app's own capabilities (the system proxy as Chromium resolves it, a test notification,
// the login item, the token cache, the policy, the update state); Export diagnostics… asks where to save, writes a
// real zip there (read back: its entries, and no planted token) and says where it went; a policy problem shows in
// the menu.
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CHECK_IDS } from "../../electron/engine/diagnostics/doctor.js";
import type { DoctorReport } from "../../electron/engine/diagnostics/types.js";
import { readZip } from "../engine/diagnostics/read-zip.js";
import { startTestEmulator } from "../helpers/emulator.js";
import { againstEmulator, boot, clickMenu, menuLabels, policyFile, until, type Fake } from "./boot.js";

vi.mock("electron", () => import("./electron-fake.js"));

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let fake: Fake;
let dir: string;
const dirs: string[] = [];
const out = mkdtempSync(join(tmpdir(), "pimtray-export-"));

/** Token-shaped values planted in the log: none may reach the zip. */
const JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZGVsZUBjb250b3NvLmNvbSJ9.c2lnbmF0dXJlLWJ5dGVzLWhlcmU";
const REFRESH = "0.AXoAplanted-refresh-token-value-1234567890abcdefghij";

function invoke(channel: string, payload: unknown) {
  const w = fake.recorded.windows[0];
  const h = fake.recorded.ipcHandlers.get(channel);
  if (!w || !h) throw new Error(`no popup or no handler for ${channel}`);
  return h(
    { sender: { id: w.webContents.id }, senderFrame: { url: "app://pimtray/index.html", parent: null } },
    payload,
  ) as Promise<{ ok: boolean; value?: any; error?: { message: string } }>;
}

const popup = () => {
  const w = fake.recorded.windows[0];
  if (!w) throw new Error("no popup window");
  return w;
};

beforeAll(async () => {
  // A bad value and an unknown key: reported, never fatal; the valid key still applies.
  const policy = policyFile({ UpdateMode: "sometimes", NoSuchKey: 1, SupportContact: "IT, ext. 4242" });
  dirs.push(policy.dir);
  emu = await startTestEmulator({ settings: { autoSignIn: "adele", provisioningDelayMs: 100 } });
  ({ fake, dir } = await boot({
    settings: {
      schemaVersion: 1,
      connection: {
        cloud: "global",
        tenant: emu.tenantId,
        authorityHost: emu.origin,
        graphEndpoint: emu.origin,
        armEndpoint: emu.armBaseUrl,
      },
      allowCustomEndpoints: true,
    },
    env: {
      PIMTRAY_POLICY_FILE: policy.path,
      PIMTRAY_UPDATE_FIRST_CHECK_MS: undefined,
    },
  }));
  dirs.push(dir);
  againstEmulator(fake, emu);
  await until(
    "the tray and the popup",
    () => fake.recorded.trays.length === 1 && fake.recorded.windows[0]?.shown === true,
  );
  expect((await invoke("auth:sign-in", {})).ok).toBe(true);
});
afterAll(async () => {
  fake.app.emit("before-quit");
  await new Promise((r) => setTimeout(r, 100));
  for (const d of [...dirs, out]) rmSync(d, { recursive: true, force: true });
  await emu.stop();
});

describe("diagnostics in the tray app", () => {
  it("shows a policy problem as a line of the menu that points to Troubleshoot…", async () => {
    await until("the policy line", () => menuLabels(fake).some((l) => l.includes("policy has")));
    const lines = fake.recorded.menus.at(-1)?.filter((i) => i.label && !i.click) ?? [];
    const text = lines.map((i) => i.label).join(" ");
    expect(text).toContain("⚠ Your organisation's policy has 2 problems: ");
    expect(text).toContain("UpdateMode");
    expect(text).toContain("(and 1 more); see Troubleshoot…");
    // A line, not an action: Troubleshoot… is the item to click.
    expect(lines.filter((i) => i.label?.includes("policy has"))[0]).toMatchObject({ enabled: false });
    expect(menuLabels(fake)).toContain("Troubleshoot…");
  });

  it("Troubleshoot… opens the popup on its Troubleshoot view", async () => {
    popup().hide();
    // The page listens (it asked for the state), so the focus goes at once.
    await invoke("app:get-state", undefined);
    const sent = popup().webContents.sent.length;
    clickMenu(fake, "troubleshoot");
    expect(popup().shown).toBe(true);
    await until("the focus", () =>
      popup()
        .webContents.sent.slice(sent)
        .some((m) => m.channel === "app:focus"),
    );
    const focus = popup()
      .webContents.sent.slice(sent)
      .filter((m) => m.channel === "app:focus")
      .map((m) => m.data);
    expect(focus).toEqual([{ groupId: null, view: "troubleshoot" }]);
  });

  it("the popup's checks run over the app's capabilities: system proxy, test notification, login item, policy, updates", async () => {
    fake.setResolveProxy(() => "PROXY 127.0.0.1:9; DIRECT");
    const notes = fake.recorded.notifications.length;
    const r = await invoke("app:doctor", undefined);
    fake.setResolveProxy(() => "DIRECT");
    expect(r.ok, r.error?.message).toBe(true);
    const report = r.value as DoctorReport;
    const check = (id: string) => {
      const c = report.checks.find((x) => x.id === id);
      if (!c) throw new Error(`no check ${id} in ${report.checks.map((x) => x.id).join(", ")}`);
      return c;
    };
    // Every check, in the order pimtray doctor shows them.
    expect(report.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    // The proxy Chromium resolved for each endpoint (credentials would be removed), asked of the session.
    expect(fake.recorded.proxyLookups).toContain(emu.origin);
    expect(check("proxy").detail).toContain("http://127.0.0.1:9 (from the system's proxy settings)");
    for (const id of ["reach.signin", "reach.graph", "reach.arm"]) expect(check(id).status, id).toBe("ok");
    expect(check("reach.graph").detail).toContain("through the proxy http://127.0.0.1:9");
    expect(check("versions").detail).toContain("PIM Tray 0.1.0");
    // No key store on this Linux fake (basic_text): tokens in memory only, never plain text on disk.
    expect(check("token-cache")).toMatchObject({ status: "ok", data: { kind: "memory" } });
    expect(check("account").detail).toContain("Signed in as adele@contoso.example");
    expect(check("policy")).toMatchObject({ status: "warn" });
    expect(check("policy").detail).toContain("UpdateMode");
    expect(check("policy").detail).toContain("NoSuchKey");
    expect(check("notifications")).toMatchObject({
      status: "ok",
      data: { backend: "Electron Notification", testShown: true },
    });
    expect(fake.recorded.notifications.slice(notes).map((n) => n.title)).toEqual(["PIM Tray test notification"]);
    expect(check("autostart")).toMatchObject({ status: "ok", data: { supported: true, enabled: false } });
    // A development run: the update check says it cannot update itself, and how to update.
    expect(check("update").detail).toContain("cannot update itself");
  });

  it("says so when the test notification does not show", async () => {
    fake.FakeNotification.failWith = "notifications are turned off for PIM Tray";
    try {
      const r = await invoke("app:doctor", undefined);
      const n = (r.value as DoctorReport).checks.find((c) => c.id === "notifications");
      expect(n).toMatchObject({ status: "warn", data: { testShown: false } });
      expect(n?.detail).toContain("the test notification did not show");
    } finally {
      fake.FakeNotification.failWith = null;
    }
  });

  it("Export diagnostics… asks where, writes a zip there with the report, settings, policy and logs, no planted token, and says where it went", async () => {
    appendFileSync(
      join(dir, "pimtray.log"),
      `2026-12-06T10:00:00.000Z WARN planted: Authorization: Bearer ${JWT} refresh_token=${REFRESH}\n`,
    );
    const zip = join(out, "support.zip");
    fake.setSaveDialogAnswer(zip);
    const notes = fake.recorded.notifications.length;
    clickMenu(fake, "export-diagnostics");
    await until("the notification", () =>
      fake.recorded.notifications.slice(notes).some((n) => n.title === "Diagnostics exported"),
    );
    const dialog = fake.recorded.saveDialogs.at(-1);
    expect(dialog?.defaultPath).toMatch(/[/\\]pimtray-diagnostics-\d{8}-\d{4}\.zip$/);
    const note = fake.recorded.notifications.slice(notes).find((n) => n.title === "Diagnostics exported");
    expect(note?.body).toContain(`Saved to ${zip}.`);
    // The export runs the checks without a test notification: nothing else popped up.
    expect(fake.recorded.notifications.slice(notes).map((n) => n.title)).toEqual(["Diagnostics exported"]);
    // A click on it shows the file in its folder.
    fake.FakeNotification.instances.find((n) => n.options.title === "Diagnostics exported")?.userClick();
    expect(fake.recorded.shownInFolder).toContain(zip);

    const entries = readZip(zip);
    expect([...entries.keys()].sort()).toEqual(
      ["README.txt", "doctor.json", "doctor.txt", "logs/pimtray.log", "policy.json", "settings.json"].sort(),
    );
    const report = JSON.parse(entries.get("doctor.json") ?? "{}") as DoctorReport;
    expect(report.checks.find((c) => c.id === "account")?.detail).toContain("adele@contoso.example");
    expect(JSON.parse(entries.get("settings.json") ?? "{}")).toMatchObject({ connection: { tenant: emu.tenantId } });
    expect(entries.get("policy.json")).toContain("NoSuchKey");
    expect(entries.get("logs/pimtray.log")).toContain("planted:");
    const all = [...entries.values()].join("\n");
    expect(all).not.toContain(JWT);
    expect(all).not.toContain(REFRESH);
    expect(all).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{5,}/);
    // An archiver reads it too, where one is installed.
    let unzip = "";
    try {
      unzip = execFileSync("unzip", ["-l", zip], { encoding: "utf8" });
    } catch {
      // no unzip here: the reader above is the check
    }
    if (unzip) expect(unzip).toContain("logs/pimtray.log");
  });

  it("says in a notification when the zip cannot be written, and what to do", async () => {
    fake.setSaveDialogAnswer(join(out, "no-such-folder", "support.zip"));
    const notes = fake.recorded.notifications.length;
    clickMenu(fake, "export-diagnostics");
    await until("the notification", () => fake.recorded.notifications.length > notes);
    const note = fake.recorded.notifications.at(-1);
    expect(note?.title).toBe("Diagnostics were not exported");
    expect(note?.body).toContain(
      `The diagnostics could not be written to ${join(out, "no-such-folder", "support.zip")} (ENOENT)`,
    );
    expect(note?.body).toContain(". Choose another folder");
  });

  it("writes nothing when the person cancels the save dialog", async () => {
    fake.setSaveDialogAnswer(null);
    const r = await invoke("app:export-diagnostics", undefined);
    expect(r).toMatchObject({ ok: true, value: { path: null } });
    const notes = fake.recorded.notifications.length;
    clickMenu(fake, "export-diagnostics");
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.recorded.notifications.length).toBe(notes);
    expect(existsSync(join(out, "pimtray-diagnostics.zip"))).toBe(false);
  });
});
