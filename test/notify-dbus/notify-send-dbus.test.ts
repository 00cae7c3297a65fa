// The notify-send notifier for real: libnotify's notify-send under Xvfb, in its own D-Bus session with
// GNOME's notification-daemon. dbus-monitor records the org.freedesktop.Notifications calls it really
// made; a person's click is a real pointer click (xdotool) on the button the daemon drew, found through
// the daemon's accessibility tree (AT-SPI), so the daemon itself emits ActionInvoked. (A signal sent
// with dbus-send is not the daemon's: libnotify ignores it, as it should.)
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { adeleAsks } from "../helpers/approvals.js";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Focus } from "../../electron/app/app-controller.js";
import type { LifecycleEvent } from "../../electron/engine/lifecycle/events.js";
import { silentLogger } from "../../electron/engine/logger.js";
import type { DesktopNotification } from "../../electron/engine/notify/notifier.js";
import { NotifySendNotifier } from "../../electron/engine/notify/notify-send.js";
import { routeDesktopNotifications } from "../../electron/main/desktop-notifications.js";
import { setFakePlatform } from "../main/electron-fake.js";

vi.mock("electron", () => import("../main/electron-fake.js"));

const run = promisify(execFile);
const DAEMON = "/usr/lib/notification-daemon/notification-daemon";
const TOOLS = [
  "/usr/bin/xvfb-run",
  "/usr/bin/dbus-run-session",
  "/usr/bin/dbus-monitor",
  "/usr/bin/dbus-send",
  DAEMON,
  "/usr/bin/notify-send",
];
/** A person's click: xdotool moves the pointer; at-spi2-core lets the test find the daemon's buttons. */
const CLICK_TOOLS = ["/usr/bin/xdotool", "/usr/libexec/at-spi-bus-launcher"];
const missing = TOOLS.filter((t) => !existsSync(t));
const missingForClicks = CLICK_TOOLS.filter((t) => !existsSync(t));

const asks = adeleAsks();
const REQ = asks.requestId;
const ASKS_TITLE = "Adele Vance asks for Tenant Admins (member)";

let work: string;
let session: ChildProcess | null = null;
/** The session's bus, display and X authority, for notify-send, dbus-send and xdotool. */
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  if (missing.length) return;
  work = mkdtempSync(join(tmpdir(), "pimtray-notify-dbus-"));
  const file = (name: string) => join(work, name);
  writeFileSync(
    file("session.sh"),
    [
      `${DAEMON} &`,
      // The Notify calls, and the replies that carry each notification's id.
      `dbus-monitor --session "interface='org.freedesktop.Notifications'" "type='method_return'" > '${file("monitor.log")}' 2>&1 &`,
      `for i in $(seq 50); do [ -s '${file("monitor.log")}' ] && break; sleep 0.1; done`,
      // The daemon owns its name before anyone may notify.
      "for i in $(seq 100); do dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner string:org.freedesktop.Notifications 2>/dev/null | grep -q true && break; sleep 0.1; done",
      `printf '%s\\n%s\\n%s\\n' "$DBUS_SESSION_BUS_ADDRESS" "$DISPLAY" "$XAUTHORITY" > '${file("env.tmp")}'`,
      `mv '${file("env.tmp")}' '${file("env")}'`,
      `while [ ! -e '${file("stop")}' ]; do sleep 0.2; done`,
    ].join("\n"),
  );
  session = spawn("xvfb-run", ["-a", "dbus-run-session", "--", "bash", file("session.sh")], {
    stdio: "ignore",
    detached: true,
  });
  for (let i = 0; i < 200 && !existsSync(file("env")); i++) await new Promise((r) => setTimeout(r, 100));
  const [bus, display, xauthority] = readFileSync(file("env"), "utf8").split("\n");
  env = {
    PATH: process.env.PATH,
    LANG: "C.UTF-8",
    DBUS_SESSION_BUS_ADDRESS: bus,
    DISPLAY: display,
    ...(xauthority ? { XAUTHORITY: xauthority } : {}),
  };
});

afterAll(() => {
  if (missing.length) return;
  writeFileSync(join(work, "stop"), "");
  try {
    // Whatever happened, leave no Xvfb, D-Bus, daemon or notify-send behind.
    if (session?.pid) process.kill(-session.pid, "SIGKILL");
  } catch {
    // already gone
  }
  setFakePlatform(process.platform);
  rmSync(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
});

interface NotifyCall {
  app: string;
  summary: string;
  body: string;
  actions: string[];
  /** The daemon's id for it, from its reply. */
  id: number | null;
}

/** The Notify calls dbus-monitor saw so far. */
function notifyCalls(): NotifyCall[] {
  const log = readFileSync(join(work, "monitor.log"), "utf8");
  // One message per block: a header line, then its indented arguments.
  const blocks = log.split(/\n(?=\S)/);
  return blocks
    .filter((b) => / member=Notify$/m.test(b.split("\n")[0] ?? ""))
    .map((b) => {
      const lines = b.split("\n");
      const head = lines[0] ?? "";
      const strings = (from: number, to: number) =>
        lines
          .slice(from, to)
          .map((l) => /^\s+string "(.*)"$/.exec(l)?.[1])
          .filter((s): s is string => s !== undefined);
      const open = lines.findIndex((l) => l.trim() === "array [");
      const close = lines.findIndex((l, i) => i > open && l.trim() === "]");
      const [app = "", , summary = "", body = ""] = strings(1, open);
      const sender = / sender=(\S+)/.exec(head)?.[1];
      const serial = / serial=(\d+)/.exec(head)?.[1];
      const reply = blocks.find(
        (r) =>
          r.startsWith("method return") && r.includes(`destination=${sender} `) && r.includes(`reply_serial=${serial}`),
      );
      const id = reply ? Number(/uint32 (\d+)/.exec(reply)?.[1]) : null;
      return { app, summary, body, actions: strings(open + 1, close), id };
    });
}

async function until<T>(what: string, get: () => T | undefined | null | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An accessible object of the daemon's, as AT-SPI names it. */
interface Node {
  dest: string;
  path: string;
  role: string;
  name: string;
  children: Node[];
}

async function a11yCall(bus: string, dest: string, path: string, method: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(
    "dbus-send",
    [`--bus=${bus}`, "--print-reply", `--dest=${dest}`, path, method, ...args],
    {
      env,
    },
  );
  return stdout;
}

async function a11yTree(bus: string, dest: string, path: string, depth = 0): Promise<Node> {
  const [kids, role, name] = await Promise.all([
    a11yCall(bus, dest, path, "org.a11y.atspi.Accessible.GetChildren"),
    a11yCall(bus, dest, path, "org.a11y.atspi.Accessible.GetRoleName"),
    a11yCall(bus, dest, path, "org.freedesktop.DBus.Properties.Get", "string:org.a11y.atspi.Accessible", "string:Name"),
  ]);
  const refs = [...kids.matchAll(/string "([^"]*)"\s+object path "([^"]*)"/g)].map((m) => [m[1] ?? "", m[2] ?? ""]);
  return {
    dest,
    path,
    role: /string "([^"]*)"/.exec(role)?.[1] ?? "",
    name: /string "(.*)"/.exec(name)?.[1] ?? "",
    children: depth > 12 ? [] : await Promise.all(refs.map(([d, p]) => a11yTree(bus, d ?? "", p ?? "", depth + 1))),
  };
}

const flat = (n: Node): Node[] => [n, ...n.children.flatMap(flat)];

/**
 * Clicks, with the pointer, what the daemon drew for the notification titled `title`: the button
 * labelled `button`, or (null) the notification's own text, which a daemon reports as "default".
 */
async function click(title: string, button: string | null): Promise<void> {
  const { stdout } = await run(
    "dbus-send",
    ["--session", "--print-reply=literal", "--dest=org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus.GetAddress"],
    { env },
  );
  const bus = stdout.trim();
  const target = await (async () => {
    const end = Date.now() + 10_000;
    for (;;) {
      const root = await a11yTree(bus, "org.a11y.atspi.Registry", "/org/a11y/atspi/accessible/root");
      const bubble = flat(root)
        .filter((n) => n.role === "alert")
        .find((a) => flat(a).some((n) => n.role === "label" && n.name === title));
      const found =
        bubble &&
        flat(bubble).find((n) =>
          button ? n.role === "push button" && n.name === button : n.role === "label" && n.name === title,
        );
      if (found) return found;
      if (Date.now() > end) throw new Error(`no "${button ?? title}" on screen for "${title}"`);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const extents = await a11yCall(bus, target.dest, target.path, "org.a11y.atspi.Component.GetExtents", "uint32:0");
  const [x = 0, y = 0, w = 0, h = 0] = [...extents.matchAll(/int32 (-?\d+)/g)].map((m) => Number(m[1]));
  expect(w * h).toBeGreaterThan(0);
  await run("xdotool", ["mousemove", String(x + Math.floor(w / 2)), String(y + Math.floor(h / 2)), "click", "1"], {
    env,
  });
}

describe("notify-send on a real desktop", () => {
  it("asks the daemon for Approve…, Deny… and the click, with the title as given; a close is a dismissal", async (t) => {
    if (missing.length)
      t.skip(
        `desktop tools missing: ${missing.join(", ")} (.ci/run installs xvfb, dbus, notification-daemon, libnotify-bin)`,
      );
    const actions: string[] = [];
    const dismissed: string[] = [];
    const fellBack: DesktopNotification[] = [];
    const notifier = new NotifySendNotifier({
      logger: silentLogger,
      fallback: { notify: async (n) => void fellBack.push(n) },
      env,
      onAction: (_n, a) => actions.push(a),
      onDismissed: (n) => dismissed.push(n.id),
    });
    t.onTestFinished(() => notifier.close());
    const marker = join(work, "ran");
    const title = `Eve "O'Brien" $(touch ${marker}) \`touch ${marker}\` asks for Tenant Admins`;
    const n: DesktopNotification = {
      id: `approval-requested:group:${REQ}`,
      title,
      body: `For 2 h: <a href="https://evil.example/">approve here</a> & $(touch ${marker})`,
      urgency: "normal",
      approval: { kind: "group", requestId: REQ },
      actions: [
        { id: "approve", label: "Approve…" },
        { id: "deny", label: "Deny…" },
      ],
    };
    await notifier.notify(n);
    const call = await until("the Notify call", () => notifyCalls().find((c) => c.summary === title && c.id !== null));
    expect(call).toEqual({
      app: "PIM Tray",
      summary: title,
      body: `For 2 h: &lt;a href="https://evil.example/"&gt;approve here&lt;/a&gt; &amp; $(touch ${marker})`,
      actions: ["approve", "Approve…", "deny", "Deny…", "default", "Open"],
      id: expect.any(Number),
    });
    expect(notifier.waiting).toBe(1);
    // The daemon closes it (as when it is dismissed): notify-send ends without a choice.
    await run(
      "dbus-send",
      [
        "--session",
        "--print-reply",
        "--dest=org.freedesktop.Notifications",
        "/org/freedesktop/Notifications",
        "org.freedesktop.Notifications.CloseNotification",
        `uint32:${call.id}`,
      ],
      { env },
    );
    await until("the dismissal", () => dismissed.length === 1);
    expect(actions).toEqual([]);
    expect(fellBack).toEqual([]);
    expect(notifier.waiting).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it("the tray app: Approve…, Deny… and a click on a request to approve open the popup on it", async (t) => {
    if (missing.length) t.skip(`desktop tools missing: ${missing.join(", ")}`);
    if (missingForClicks.length)
      t.skip(
        `no way to click here: ${missingForClicks.join(", ")} missing (apt-get install xdotool at-spi2-core); the Notify call is checked above`,
      );
    setFakePlatform("linux");
    const listeners = new Set<(e: LifecycleEvent) => void>();
    const focused: Focus[] = [];
    const route = routeDesktopNotifications({
      lifecycle: {
        on: (l) => (listeners.add(l), () => listeners.delete(l)),
        renewWhenExpired: () => expect.fail("nothing to renew"),
      },
      focus: (f) => focused.push(f),
      logger: silentLogger,
      platform: "linux",
      env,
    });
    t.onTestFinished(() => route.close());
    const before = notifyCalls().length;
    for (const [i, [button, decision]] of (
      [
        ["Approve…", "Approve"],
        ["Deny…", "Deny"],
        [null, null],
      ] as const
    ).entries()) {
      for (const l of listeners) l({ type: "approval-requested", approval: asks });
      await route.settled();
      await until("the Notify call", () => notifyCalls().length === before + i + 1);
      expect(notifyCalls().at(-1)?.actions).toEqual(["approve", "Approve…", "deny", "Deny…", "default", "Open"]);
      await click(ASKS_TITLE, button);
      await until(`the popup on the request (${button ?? "a click"})`, () => focused.length === i + 1);
      expect(focused[i]).toEqual({ groupId: null, approval: { kind: "group", requestId: REQ, decision } });
    }
  });
});
