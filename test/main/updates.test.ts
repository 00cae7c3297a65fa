// Issue 13, auto-update in the tray app: the real composition root (electron/main/main.ts) on the Electron fake,
// with electron-updater's module replaced as `electron` is (electron-updater-fake.ts: electron-updater's events,
// in its order), against the emulator over HTTPS. A packaged app checks, downloads in the background and offers
// "Restart to update to X.Y.Z"; a restart asked while an activation request is in flight waits for it; policy
// UpdateMode off never loads the updater nor asks it anything; a development run offers no updates at all.
import { rmSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { DoctorReport } from "../../electron/engine/diagnostics/types.js";
import { DEMO_GROUPS } from "../../emulator/index.js";
import { startTestEmulator } from "../helpers/emulator.js";
import {
  againstEmulator,
  boot,
  clickMenu,
  menuLabels,
  policyFile,
  until,
  type Fake,
  type UpdaterFake,
} from "./boot.js";

vi.mock("electron", () => import("./electron-fake.js"));

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
const dirs: string[] = [];
let running: Fake | null = null;

beforeAll(async () => {
  // Slow enough that an activation is still in flight when the restart is asked for.
  emu = await startTestEmulator({ settings: { autoSignIn: "adele", provisioningDelayMs: 2500 } });
});
afterEach(async () => {
  // Quit the launch, so its lifecycle and update timers stop before the next one.
  running?.app.emit("before-quit");
  running = null;
  await new Promise((r) => setTimeout(r, 50));
});
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await emu.stop();
});

/** One launch against the emulator: packaged unless said otherwise, with the policy file given. */
function policy(values: object): string {
  const { path, dir } = policyFile(values);
  dirs.push(dir);
  return path;
}

async function launch(o: { packaged?: boolean; policy?: object; checkAtOnce?: boolean } = {}) {
  const { fake, dir } = await boot({
    packaged: o.packaged ?? true,
    settings: {
      schemaVersion: 1,
      connection: { cloud: "global", tenant: emu.tenantId, authorityHost: emu.origin, graphEndpoint: emu.origin },
      allowCustomEndpoints: true,
    },
    env: {
      PIMTRAY_POLICY_FILE: o.policy ? policy(o.policy) : undefined,
      // The first check at once instead of a minute after start.
      PIMTRAY_UPDATE_FIRST_CHECK_MS: o.checkAtOnce ? "0" : undefined,
    },
  });
  dirs.push(dir);
  running = fake;
  againstEmulator(fake, emu);
  // Not started at login: the popup opens once the start is done.
  await until(
    "the tray and the popup",
    () => fake.recorded.trays.length === 1 && fake.recorded.windows[0]?.shown === true,
  );
  // The same module main's adapter gets when it imports electron-updater (boot mocks it for this launch).
  const updaterModule: UpdaterFake = await import("./electron-updater-fake.js");
  return { fake, updater: updaterModule };
}

function invoke(fake: Fake, channel: string, payload: unknown) {
  const w = fake.recorded.windows[0];
  const h = fake.recorded.ipcHandlers.get(channel);
  if (!w || !h) throw new Error(`no popup or no handler for ${channel}`);
  return h(
    { sender: { id: w.webContents.id }, senderFrame: { url: "app://pimtray/index.html", parent: null } },
    payload,
  ) as Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>;
}

/**
 * Activates a group from the popup and returns once PIM has the request, while it provisions (2.5 s): an activation
 * request in flight. The promise is the popup's answer.
 */
async function activationInFlight(fake: Fake, groupId: string, justification: string) {
  const before = emu.emulator.log.lastSeq;
  const answer = invoke(fake, "pim:activate", { groupId, accessId: "member", durationMinutes: 60, justification });
  await until("the request submitted", () =>
    emu.emulator.log.since(before).some((r) => r.method === "POST" && r.path.includes("assignmentScheduleRequests")),
  );
  return { answer };
}

const hasLabel = (fake: Fake, label: string) => menuLabels(fake).some((l) => l.startsWith(label));

describe("auto-update in the tray app", () => {
  it("checks when asked, downloads in the background and offers Restart to update to X.Y.Z", async () => {
    const { fake, updater } = await launch();
    // Nothing loaded electron-updater at start: the first check is a minute away.
    expect(updater.accesses).toBe(0);
    expect(menuLabels(fake)).toContain("Check for updates");
    updater.updater.latest = "1.2.3";
    clickMenu(fake, "update");
    await until("Restart to update", () => hasLabel(fake, "Restart to update to 1.2.3"));
    expect(updater.accesses).toBe(1);
    expect(updater.updater.checks).toBe(1);
    // The adapter set electron-updater up for "auto": background download, install on quit, no downgrades.
    expect(updater.updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true, allowDowngrade: false });
    expect(updater.updater.installs).toEqual([]);
    // Troubleshoot… tells the same state.
    const doctor = await invoke(fake, "app:doctor", undefined);
    expect((doctor.value as DoctorReport).checks.find((c) => c.id === "update")).toMatchObject({
      status: "ok",
      data: { state: "ready to install", availableVersion: "1.2.3" },
    });
    // The menu shows it where the update item sits: after Start at login, before Troubleshoot….
    const labels = menuLabels(fake);
    expect(labels.indexOf("Restart to update to 1.2.3")).toBeGreaterThan(labels.indexOf("Start at login"));
    expect(labels.indexOf("Restart to update to 1.2.3")).toBeLessThan(labels.indexOf("Troubleshoot…"));
    clickMenu(fake, "update");
    await until("the install", () => updater.updater.installs.length === 1);
    // Silent, then the new version starts; electron-updater quits the app to install.
    expect(updater.updater.installs).toEqual([[true, true]]);
    expect(fake.recorded.quit).toBe(true);
  });

  it("does not restart while an activation is in flight: the menu says it restarts once the activation finishes", async () => {
    const { fake, updater } = await launch();
    const signed = await invoke(fake, "auth:sign-in", {});
    expect(signed.ok).toBe(true);
    updater.updater.latest = "1.2.3";
    clickMenu(fake, "update");
    await until("Restart to update", () => hasLabel(fake, "Restart to update to 1.2.3"));
    // Provisioning takes 2.5 s: the request is in flight until PIM says it is active.
    const activation = (await activationInFlight(fake, DEMO_GROUPS.financeAdmins, "Quarter close")).answer;
    clickMenu(fake, "update");
    await until("the waiting restart in the menu", () =>
      hasLabel(fake, "Restarting to update to 1.2.3 once the activation finishes"),
    );
    expect(updater.updater.installs).toEqual([]);
    expect(fake.recorded.quit).toBe(false);
    const done = await activation;
    expect(done).toMatchObject({ ok: true, value: { status: "active" } });
    // Then it restarts, as the person asked, without being asked again.
    await until("the install once the activation finished", () => updater.updater.installs.length === 1);
    expect(fake.recorded.quit).toBe(true);
  });

  it("a waiting restart can be cancelled from the menu", async () => {
    const { fake, updater } = await launch();
    await invoke(fake, "auth:sign-in", {});
    updater.updater.latest = "1.2.4";
    clickMenu(fake, "update");
    await until("Restart to update", () => hasLabel(fake, "Restart to update to 1.2.4"));
    const activation = (await activationInFlight(fake, DEMO_GROUPS.helpdesk, "Ticket queue")).answer;
    clickMenu(fake, "update");
    await until("the waiting restart", () => hasLabel(fake, "Restarting to update to 1.2.4"));
    clickMenu(fake, "update");
    await until("Restart offered again", () => hasLabel(fake, "Restart to update to 1.2.4"));
    expect(await activation).toMatchObject({ ok: true, value: { status: "active" } });
    // Longer than the service's look for an idle moment (1 s): nothing restarts after a cancel.
    await new Promise((r) => setTimeout(r, 1500));
    expect(updater.updater.installs).toEqual([]);
  });

  it("policy UpdateMode off: the updater is never loaded nor asked to check, and the menu says who manages updates", async () => {
    // The control: the same launch without the policy checks at once.
    const control = await launch({ checkAtOnce: true });
    await until("the first check", () => control.updater.updater.checks === 1);
    running?.app.emit("before-quit");

    const { fake, updater } = await launch({ policy: { UpdateMode: "off" }, checkAtOnce: true });
    expect(menuLabels(fake)).toContain("Updates are managed by your organisation");
    expect(
      fake.recorded.menus.at(-1)?.find((i) => i.label === "Updates are managed by your organisation"),
    ).toMatchObject({ enabled: false });
    // Waking from sleep asks for an overdue check in other modes; here nothing.
    fake.powerMonitor.emit("resume");
    await new Promise((r) => setTimeout(r, 500));
    expect(updater.accesses).toBe(0);
    expect(updater.updater.checks).toBe(0);
    expect(menuLabels(fake)).not.toContain("Check for updates");
  });

  it("policy UpdateMode manual and UpdateFeedUrl: no check until asked, the organisation's feed, a download only when asked", async () => {
    const feed = "https://updates.contoso.example/pimtray/";
    const { fake, updater } = await launch({
      policy: { UpdateMode: "manual", UpdateFeedUrl: feed },
      checkAtOnce: true,
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(updater.updater.checks).toBe(0);
    updater.updater.latest = "1.3.0";
    clickMenu(fake, "update");
    await until("Restart to update", () => hasLabel(fake, "Restart to update to 1.3.0"));
    expect(updater.updater.feeds).toEqual([{ provider: "generic", url: feed }]);
    expect(updater.updater).toMatchObject({ autoDownload: false, autoInstallOnAppQuit: false });
  });

  it("a development run (not packaged) offers no update and never loads the updater", async () => {
    const { fake, updater } = await launch({ packaged: false, checkAtOnce: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(menuLabels(fake).some((l) => /update/i.test(l))).toBe(false);
    expect(updater.accesses).toBe(0);
  });
});
