// `pimtray watch` as real child processes against the emulator over HTTPS: what it says when it
// starts (point 16), and how running instances notice each other through the shared config folder
// (point 17): a `pimtray activate` in another process is reported within 2 s, with no extra polling.
import type { ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LoggedRequest } from "../../emulator/index.js";
import { CliHarness, endCliSuite, resetPim, startCliSuite, type CliSuite } from "../helpers/cli.js";

let emu: CliSuite["emu"];
let cli: CliHarness;
const running: Array<ChildProcess & { result: Promise<unknown> }> = [];

beforeAll(async () => {
  ({ emu, cli } = await startCliSuite({ provisioningDelayMs: 200 }));
});
afterAll(() => endCliSuite({ emu, cli }));
beforeEach(() => resetPim(emu));
/** Stops every watch this test started, and waits for each to exit (and stop writing to its folder). */
async function stopWatches(): Promise<void> {
  for (const c of running.splice(0)) {
    c.kill("SIGTERM");
    await c.result;
  }
}
afterEach(stopWatches);

interface WatchLine {
  time: string;
  type: string;
  target?: { groupName: string };
  active?: Array<{ groupName: string; accessId: string; endDateTime: string | null }>;
  pending?: unknown[];
  account?: { username: string } | null;
  signedIn?: boolean;
  online?: boolean;
}

/** A running `pimtray watch`, with each stdout line timestamped as it arrives. */
function watch(args: string[] = ["--json"], on: CliHarness = cli, autoActivate = false) {
  const child = on.spawn(["watch", "--no-notify", ...(autoActivate ? [] : ["--no-auto-activate"]), ...args]);
  running.push(child);
  const lines: Array<{ at: number; text: string }> = [];
  let buf = "";
  child.stdout?.on("data", (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split("\n");
    buf = parts.pop() ?? "";
    for (const text of parts) lines.push({ at: Date.now(), text });
  });
  const json = () =>
    lines.filter((l) => l.text.startsWith("{")).map((l) => ({ at: l.at, e: JSON.parse(l.text) as WatchLine }));
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

const graphGets = (since: number): LoggedRequest[] =>
  emu.emulator.log.since(since).filter((r) => r.method === "GET" && r.path.startsWith("/v1.0/"));
/** The watch's first reconcile has run when its full picture (active instances + my requests) was fetched. */
const reconciles = (since: number) =>
  graphGets(since).filter((r) => r.path.includes("/assignmentScheduleInstances/filterByCurrentUser")).length;

describe("pimtray watch: the state it starts in", () => {
  it("--json: the first line is one snapshot event with the current state", async () => {
    const act = await cli.run(["activate", "Finance Admins", "--duration", "1h", "--justification", "Quarter close"]);
    expect(act.code).toBe(0);
    const w = watch();
    const first = await until("the first line", () => w.json()[0]);
    expect(first.e).toMatchObject({
      type: "snapshot",
      signedIn: true,
      online: true,
      account: { username: "adele@contoso.example" },
      active: [{ groupName: "Finance Admins", accessId: "member", endDateTime: expect.any(String) }],
      pending: [],
    });
    expect(Date.parse(first.e.time)).not.toBeNaN();
    // Exactly one snapshot; nothing already active is announced as news.
    await new Promise((r) => setTimeout(r, 500));
    expect(w.json().map((l) => l.e.type)).toEqual(["snapshot"]);
  });

  it("text: the first line summarises what is active and pending", async () => {
    await cli.run(["activate", "Finance Admins", "--duration", "1h", "--justification", "Quarter close"]);
    await cli.run(["activate", "Tenant Admins", "--justification", "Break glass", "--no-wait"]);
    const w = watch([]);
    const first = await until("the first line", () => w.lines[0]?.text);
    expect(first).toMatch(/Now: 1 active, 1 waiting for approval/);
    const rest = await until("the detail lines", () =>
      w.lines.length >= 3 ? w.lines.slice(1, 3).map((l) => l.text) : false,
    );
    expect(rest[0]).toMatch(/Finance Admins \(member\) active until \d/);
    expect(rest[1]).toMatch(/Tenant Admins \(member\) waiting for approval/);
  });
});

describe("pimtray watch: other PIM Tray processes on this computer", () => {
  it("two watches each report an activation made by `pimtray activate` within 2 s, and neither polls more", async () => {
    const before = emu.emulator.log.lastSeq;
    const a = watch();
    const b = watch();
    // Both have taken their first picture and saved it.
    await until("both first reconciles", () => reconciles(before) >= 2);
    await new Promise((r) => setTimeout(r, 500));

    const act = await cli.run(["activate", "Finance Admins", "--duration", "1h", "--justification", "Quarter close"]);
    expect(act.code).toBe(0);
    const afterActivate = emu.emulator.log.lastSeq;
    // The change is written to history.jsonl as soon as Graph accepts the request.
    const submitted =
      emu.emulator.log.since(before).find((r) => r.method === "POST" && r.path.endsWith("/assignmentScheduleRequests"))
        ?.time ?? NaN;
    const seenA = await until("watch A to report it", () => a.json().find((l) => l.e.type === "provisioned"), 5000);
    const seenB = await until("watch B to report it", () => b.json().find((l) => l.e.type === "provisioned"), 5000);
    const lagA = seenA.at - submitted;
    const lagB = seenB.at - submitted;
    console.log(
      `provisioned reported ${lagA} ms (A) and ${lagB} ms (B) after \`pimtray activate\` submitted (the emulator provisions after 200 ms)`,
    );
    expect(seenA.e.target?.groupName).toBe("Finance Admins");
    expect(Math.max(lagA, lagB)).toBeLessThan(2000);

    // No ping-pong: once both have caught up, a few quiet seconds bring no Graph request at all,
    // though each watch rewrites lifecycle-state.json that the other watches.
    await new Promise((r) => setTimeout(r, 1000));
    const quiet = emu.emulator.log.lastSeq;
    await new Promise((r) => setTimeout(r, 3000));
    expect(graphGets(quiet).map((r) => r.path)).toEqual([]);
    // After `activate` exited, each watch reconciled at most once for its outcome line.
    expect(reconciles(afterActivate)).toBeLessThanOrEqual(2);
  });

  it("re-arms expiry warnings when another process changes a profile's lead time, without asking Graph", async () => {
    const act = await cli.run(["activate", "Finance Admins", "--duration", "30m", "--justification", "Quarter close"]);
    expect(act.code).toBe(0);
    const w = watch();
    const before = emu.emulator.log.lastSeq;
    await until("the first reconcile", () => reconciles(before) >= 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(w.json().some((l) => l.e.type === "expiring-soon")).toBe(false);
    // A 45-minute lead on a 30-minute activation: the warning is due at once.
    const add = await cli.run([
      "profile",
      "add",
      "Close",
      "--group",
      "Finance Admins",
      "--notify",
      "45",
      "--justification",
      "Quarter close",
    ]);
    expect(add.code).toBe(0);
    const saved = Date.now();
    const afterAdd = emu.emulator.log.lastSeq;
    const warned = await until("the warning", () => w.json().find((l) => l.e.type === "expiring-soon"), 5000);
    console.log(`expiry warning re-armed ${warned.at - saved} ms after \`pimtray profile add\` exited`);
    expect(warned.at - saved).toBeLessThan(2000);
    expect(warned.e).toMatchObject({ target: { groupName: "Finance Admins" }, leadMinutes: 45 });
    await new Promise((r) => setTimeout(r, 500));
    expect(graphGets(afterAdd)).toEqual([]);
    await cli.run(["profile", "remove", "Close"]);
  });

  it("runs what was waiting for a sign-in within 2 s of `pimtray login` in another terminal", async () => {
    const fresh = new CliHarness(emu);
    try {
      await fresh.login();
      const add = await fresh.run([
        "profile",
        "add",
        "Morning",
        "--group",
        "Helpdesk Operators",
        "--duration",
        "30m",
        "--justification",
        "Ticket queue",
        "--auto-activate",
      ]);
      expect(add.code).toBe(0);
      expect((await fresh.run(["logout"])).code).toBe(0);
      const w = watch(["--json"], fresh, true);
      const first = await until("the snapshot", () => w.json()[0]);
      expect(first.e).toMatchObject({ type: "snapshot", signedIn: false });
      await until("the sign-in request", () => w.json().find((l) => l.e.type === "needs-sign-in"));
      await fresh.login();
      const signedIn = Date.now();
      const submitted = await until("the auto-activation", () => w.json().find((l) => l.e.type === "submitted"), 5000);
      console.log(`auto-activation submitted ${submitted.at - signedIn} ms after \`pimtray login\` exited`);
      expect(submitted.at - signedIn).toBeLessThan(2000);
      expect(submitted.e.target?.groupName).toBe("Helpdesk Operators");
    } finally {
      // The watch writes into fresh's folder until it exits: removing the folder first races it.
      await stopWatches();
      cli.transcript.push(...fresh.transcript);
      fresh.cleanup();
    }
  });
});
