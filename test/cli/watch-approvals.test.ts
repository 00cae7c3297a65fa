// The approver's side of `pimtray watch`, as real child processes against the emulator over HTTPS: while
// "I approve requests" is off it reads no approvals at all; `pimtray approvals on` (another process) is seen
// at the watch's next look, and each new request is announced once, across a restart. Then the real
// desktop: under Xvfb with a D-Bus session and a notification daemon, dbus-monitor records the
// "Adele Vance asks for Tenant Admins (member)" notification the watch sends.
//
// The approver cadence is 5 minutes (approverPollMs, docs/lifecycle.md); these tests shorten it to 1 s with
// the test-only PIMTRAY_TEST_APPROVER_POLL_MS (electron/cli/watch.ts), as a real process's clock cannot be
// advanced.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CLI, CliHarness } from "../helpers/cli.js";
import { requestAsAdele } from "../helpers/approvals.js";
import { startTestEmulator } from "../helpers/emulator.js";

const CADENCE_MS = 1000;
const FAST = { PIMTRAY_TEST_APPROVER_POLL_MS: String(CADENCE_MS) };

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let megan: CliHarness;
const running: Array<ChildProcess & { result: Promise<unknown> }> = [];
/** Each plane's requests and instances as they were after sign-in: every test starts from them. */
const baseline = new Map<Map<string, unknown>, Set<string>>();

beforeAll(async () => {
  emu = await startTestEmulator({ settings: { provisioningDelayMs: 0 } });
  megan = new CliHarness(emu);
  await megan.login("megan");
  const e = emu.emulator;
  for (const m of [
    e.pim.requests,
    e.pim.instances,
    e.roles.requests,
    e.roles.instances,
    e.roles.approvals,
    e.armState.requests,
    e.armState.instances,
  ] as Array<Map<string, unknown>>)
    baseline.set(m, new Set(m.keys()));
}, 60_000);
afterAll(async () => {
  megan.expectNoSecrets(expect);
  megan.cleanup();
  await emu.stop();
});
beforeEach(async () => {
  for (const [m, keys] of baseline) for (const k of [...m.keys()]) if (!keys.has(k)) m.delete(k);
  emu.emulator.log.clear();
  await megan.run(["approvals", "off"]);
  rmSync(join(megan.configDir, "lifecycle-state.json"), { force: true });
});
afterEach(async () => {
  for (const c of running.splice(0)) {
    c.kill("SIGTERM");
    await c.result;
  }
});

/** Approver reads: each plane's "what waits for me" list. */
const approverReads = () =>
  emu.emulator.log
    .since(0)
    .filter(
      (r) => r.path.includes("filterByCurrentUser(on='approver')") || /asApprover\(\)/.test(JSON.stringify(r.query)),
    ).length;

interface Line {
  at: number;
  e: { type: string; approval?: { requestId: string; label: string }; approvals?: unknown };
}

function watch(args: string[]) {
  const child = megan.spawn(["watch", "--no-notify", "--no-auto-activate", ...args], FAST);
  running.push(child);
  const lines: Array<{ at: number; text: string }> = [];
  let buf = "";
  child.stdout?.on("data", (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split("\n");
    buf = parts.pop() ?? "";
    for (const text of parts) lines.push({ at: Date.now(), text });
  });
  const json = (): Line[] =>
    lines.filter((l) => l.text.startsWith("{")).map((l) => ({ at: l.at, e: JSON.parse(l.text) as Line["e"] }));
  return { child, lines, json };
}

async function until<T>(what: string, get: () => T | undefined | false, ms = 10_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    const v = get();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("pimtray watch as an approver", () => {
  it("reads no approvals while 'I approve requests' is off; `pimtray approvals on` elsewhere is seen at the next look; each request is announced once", async () => {
    const w = watch(["--json"]);
    const first = await until("the snapshot", () => w.json()[0]);
    expect(first.e).toMatchObject({ type: "snapshot", approvals: { on: false, waiting: [] } });
    const made = await requestAsAdele(emu, "group");
    // Off: a few cadences pass and not one approval is read.
    await sleep(3 * CADENCE_MS);
    expect(approverReads()).toBe(0);
    expect(w.json().filter((l) => l.e.type === "approval-requested")).toEqual([]);

    const on = await megan.run(["approvals", "on"]);
    expect(on.code).toBe(0);
    const turnedOn = Date.now();
    const event = await until("the approval event", () => w.json().find((l) => l.e.type === "approval-requested"));
    expect(event.e.approval).toMatchObject({ requestId: made.id, label: "Tenant Admins (member)" });
    // The setting is read at each look, so the watch sees it within one cadence (plus the inbox read).
    expect(event.at - turnedOn).toBeLessThanOrEqual(CADENCE_MS + 3000);

    // Looks go on; the request is not announced again.
    const reads = approverReads();
    await sleep(3 * CADENCE_MS);
    expect(approverReads()).toBeGreaterThan(reads);
    expect(w.json().filter((l) => l.e.type === "approval-requested")).toHaveLength(1);
    w.child.kill("SIGTERM");
    await w.child.result;

    // A restart announces nothing again; its first line says what waits.
    const again = watch([]);
    const head = await until("the first line", () => again.lines[0]?.text);
    expect(head).toMatch(
      /Now: nothing active or pending \(megan@contoso\.example\); 1 request waits for your approval$/,
    );
    await sleep(2 * CADENCE_MS);
    expect(again.lines.some((l) => l.text.includes("Approval needed"))).toBe(false);
  }, 30_000);

  it("text: a new request is one line with its id and the sentence the notification carries", async () => {
    await megan.run(["approvals", "on"]);
    const w = watch([]);
    await until("the first line", () => w.lines[0]?.text);
    const made = await requestAsAdele(emu, "role", { duration: "PT2H" });
    const line = await until("the approval line", () => w.lines.find((l) => l.text.includes("Approval needed"))?.text);
    expect(line).toMatch(
      new RegExp(
        `Approval needed \\(${made.id}\\): Adele Vance asks for Privileged Role Administrator for 2 h: 'Quarter close'\\. Times out in `,
      ),
    );
  }, 30_000);

  it("refuses a test cadence under a second (it would flood Graph)", async () => {
    const r = await megan.run(["watch", "--no-notify"], { PIMTRAY_TEST_APPROVER_POLL_MS: "10" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("PIMTRAY_TEST_APPROVER_POLL_MS (for tests) takes whole milliseconds, at least 1000");
  });
});

const TOOLS = [
  "/usr/bin/xvfb-run",
  "/usr/bin/dbus-run-session",
  "/usr/bin/dbus-monitor",
  "/usr/lib/notification-daemon/notification-daemon",
  "/usr/bin/notify-send",
];
const missing = TOOLS.filter((t) => !existsSync(t));

describe("pimtray watch on a desktop, as an approver", () => {
  it("a new request arrives over D-Bus as 'Adele Vance asks for Tenant Admins (member)' within the approver cadence", async (t) => {
    if (missing.length)
      t.skip(
        `desktop tools missing: ${missing.join(", ")} (.ci/run installs xvfb, dbus, notification-daemon, libnotify-bin)`,
      );
    await megan.run(["approvals", "on"]);
    const work = mkdtempSync(join(tmpdir(), "pimtray-desktop-approver-"));
    t.onTestFinished(() => rmSync(work, { recursive: true, force: true }));
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
        `echo $$ > '${pidFile}'`,
        `exec '${process.execPath}' '${CLI}' watch --json --no-auto-activate`,
      ].join("\n"),
    );
    const child = spawn("xvfb-run", ["-a", "dbus-run-session", "--", "bash", script], {
      env: { ...megan.env(FAST), LANG: "en_US.UTF-8", LC_ALL: "en_US.UTF-8" },
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
        .map((l) => JSON.parse(l) as { type: string; approvals?: { on: boolean } });
    await until("the snapshot", () => events()[0], 15_000);
    expect(events()[0]).toMatchObject({ type: "snapshot", approvals: { on: true } });

    const made = await requestAsAdele(emu, "group", { duration: "PT2H" });
    const createdAt = Date.now();
    const notifications = () =>
      [
        ...readFileSync(monitorLog, "utf8").matchAll(
          /member=Notify[\s\S]*?string "([^"]*)"\s+uint32 \d+\s+string "[^"]*"\s+string "([^"]*)"\s+string "([^"]*)"/g,
        ),
      ].map((m) => ({ app: m[1], summary: m[2], body: m[3] }));
    const seen = await until("the notification", () => notifications()[0], 15_000);
    const arrivedAfter = Date.now() - createdAt;
    console.info(`approval notification over D-Bus ${arrivedAfter} ms after the request (cadence ${CADENCE_MS} ms)`);
    expect(seen).toEqual({
      app: "PIM Tray",
      summary: "Adele Vance asks for Tenant Admins (member)",
      body: expect.stringMatching(
        /^Adele Vance asks for Tenant Admins \(member\) for 2 h: 'Quarter close'\. Times out in /,
      ),
    });
    // Within the cadence, plus the inbox read, notify-send and the daemon.
    expect(arrivedAfter).toBeLessThanOrEqual(CADENCE_MS + 4000);
    const event = events().find((e) => e.type === "approval-requested") as { approval?: { requestId: string } };
    expect(event.approval?.requestId).toBe(made.id);

    process.kill(Number(readFileSync(pidFile, "utf8").trim()), "SIGTERM");
    expect(await exited).toBe(0);
    // Announced once: another look within the run did not notify again.
    expect(notifications()).toHaveLength(1);
  }, 45_000);
});
