// One real desktop test: `pimtray watch` under Xvfb with a D-Bus session and a notification daemon.
// dbus-monitor records the org.freedesktop.Notifications.Notify calls the agent really made.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clockTime } from "../../electron/engine/notify/texts.js";
import { CLI, CliHarness } from "../helpers/cli.js";
import { startTestEmulator } from "../helpers/emulator.js";

const TOOLS = [
  "/usr/bin/xvfb-run",
  "/usr/bin/dbus-run-session",
  "/usr/bin/dbus-monitor",
  "/usr/lib/notification-daemon/notification-daemon",
  "/usr/bin/notify-send",
];
const missing = TOOLS.filter((t) => !existsSync(t));

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let cli: CliHarness;
let work: string;

beforeAll(async () => {
  if (missing.length) return;
  emu = await startTestEmulator({ settings: { provisioningDelayMs: 200 } });
  cli = new CliHarness(emu);
  work = mkdtempSync(join(tmpdir(), "pimtray-desktop-"));
  await cli.login();
  const add = await cli.run([
    "profile",
    "add",
    "Morning",
    "--group",
    "Finance Admins",
    "--duration",
    "5m",
    "--justification",
    "Daily checks",
    "--auto-activate",
  ]);
  if (add.code !== 0) throw new Error(add.stderr);
});
afterAll(async () => {
  if (missing.length) return;
  rmSync(work, { recursive: true, force: true });
  cli.cleanup();
  await emu.stop();
});

describe("pimtray watch on a desktop", () => {
  it("auto-activates at start and sends the notifications a person sees, then stops cleanly", async (t) => {
    if (missing.length)
      t.skip(
        `desktop tools missing: ${missing.join(", ")} (.ci/run installs xvfb, dbus, notification-daemon, libnotify-bin)`,
      );
    const monitorLog = join(work, "notify.log");
    const script = join(work, "session.sh");
    const pidFile = join(work, "watch.pid");
    writeFileSync(
      script,
      [
        "/usr/lib/notification-daemon/notification-daemon &",
        // dbus-monitor must be listening before the agent speaks.
        `dbus-monitor --session "interface='org.freedesktop.Notifications',member='Notify'" > '${monitorLog}' 2>&1 &`,
        `for i in $(seq 50); do [ -s '${monitorLog}' ] && break; sleep 0.1; done`,
        "sleep 0.5",
        // exec keeps this pid, so the test can signal the agent alone, as a service manager would.
        `echo $$ > '${pidFile}'`,
        `exec '${process.execPath}' '${CLI}' watch --json`,
      ].join("\n"),
    );
    const child = spawn("xvfb-run", ["-a", "dbus-run-session", "--", "bash", script], {
      env: { ...cli.env(), LANG: "en_US.UTF-8", LC_ALL: "en_US.UTF-8" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    // Whatever happens below, leave no Xvfb, D-Bus or agent process behind.
    t.onTestFinished(() => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const events = () =>
      stdout
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as { type: string; endDateTime?: string; target?: { groupName: string } });
    for (let i = 0; i < 300 && !events().some((e) => e.type === "expiring-soon"); i++)
      await new Promise((r) => setTimeout(r, 100));
    // Let the last notification reach the daemon before stopping.
    for (let i = 0; i < 50 && (readFileSync(monitorLog, "utf8").match(/member=Notify/g) ?? []).length < 2; i++)
      await new Promise((r) => setTimeout(r, 100));
    process.kill(Number(readFileSync(pidFile, "utf8").trim()), "SIGTERM");
    const code = await exited; // xvfb-run and dbus-run-session pass on the agent's exit code

    const seen = events();
    // First the state it started in (nothing active), then what happened.
    expect(seen.map((e) => e.type)).toEqual(["snapshot", "submitted", "provisioned", "expiring-soon"]);
    const end = seen.find((e) => e.type === "provisioned")?.endDateTime ?? "";
    const monitor = readFileSync(monitorLog, "utf8");
    const summaries = [
      ...monitor.matchAll(/member=Notify[\s\S]*?string "([^"]*)"\s+uint32 \d+\s+string "[^"]*"\s+string "([^"]*)"/g),
    ].map((m) => ({ app: m[1], summary: m[2] }));
    expect(summaries).toEqual([
      { app: "PIM Tray", summary: `Finance Admins (member) is active until ${clockTime(end, "en-US")}` },
      { app: "PIM Tray", summary: expect.stringMatching(/^Finance Admins expires in [45] min$/) },
    ]);
    expect(code).toBe(0);
    // Stopped cleanly: the state file is whole and records what was announced.
    const state = JSON.parse(readFileSync(join(cli.configDir, "lifecycle-state.json"), "utf8")) as {
      announced: Record<string, number>;
    };
    expect(Object.keys(state.announced).some((k) => k.startsWith("prov:"))).toBe(true);
  });
});
