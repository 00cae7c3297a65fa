// Issue 8 point 13: the demo emulator must not outlive the app that started it, unless another client
// still uses it. Real processes: each client is its own Node process, the emulator is a real child,
// and "the app is gone" is a real exit or a SIGKILL.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, fetch } from "undici";
import { afterAll, describe, expect, it } from "vitest";
import { stopDemoEmulator } from "../../electron/node/demo-emulator.js";

const dirs: string[] = [];
const clients: ChildProcess[] = [];
const emulators = new Set<number>();

function demoDir(): string {
  const d = mkdtempSync(join(tmpdir(), "pimtray-demo-life-"));
  dirs.push(d);
  return d;
}

interface Got {
  pid: number;
  controlUrl: string;
  caPem: string;
}

async function client(dir: string, mode: "app" | "cli"): Promise<{ proc: ChildProcess; got: Got }> {
  const proc = spawn(process.execPath, ["--import", "tsx", join(__dirname, "fixtures", "demo-client.ts"), dir, mode], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  clients.push(proc);
  const got = await new Promise<Got>((resolve, reject) => {
    let buf = "";
    proc.stdout?.on("data", (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf("\n");
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)) as Got);
    });
    proc.once("exit", (code) => reject(new Error(`the demo client exited with ${code}`)));
  });
  emulators.add(got.pid);
  return { proc, got };
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function answers(got: Got): Promise<boolean> {
  const dispatcher = new Agent({ connect: { ca: got.caPem } });
  try {
    return (await fetch(`${got.controlUrl}/info`, { dispatcher, signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  } finally {
    await dispatcher.close();
  }
}

async function ended(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise((r) => proc.once("exit", r));
}

async function until(what: string, pred: () => boolean, ms: number): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (pred()) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

afterAll(() => {
  for (const c of clients) c.kill("SIGKILL");
  for (const pid of emulators) if (running(pid)) process.kill(pid, "SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("the demo emulator's lifetime", () => {
  it("stops once the app that started it is gone, even when the app crashed", async () => {
    const dir = demoDir();
    const app = await client(dir, "app");
    expect(await answers(app.got)).toBe(true);
    app.proc.kill("SIGKILL");
    await ended(app.proc);
    const ms = await until("the emulator to stop", () => !running(app.got.pid), 5_000);
    console.log(`emulator stopped ${ms} ms after the app was killed`);
  }, 40_000);

  it("keeps serving while another client still uses it, and stops after the last one", async () => {
    const dir = demoDir();
    const app = await client(dir, "app");
    const other = await client(dir, "cli");
    expect(other.got.pid).toBe(app.got.pid); // one shared emulator
    app.proc.kill("SIGTERM");
    await ended(app.proc);
    await new Promise((r) => setTimeout(r, 1_500)); // three lease checks
    expect(await answers(app.got)).toBe(true);
    other.proc.kill("SIGTERM");
    await ended(other.proc);
    await until("the emulator to stop after the last client", () => !running(app.got.pid), 5_000);
  }, 40_000);

  it("one started by a pimtray run stays up between runs until `pimtray demo stop`", async () => {
    const dir = demoDir();
    const run = await client(dir, "cli");
    run.proc.kill("SIGTERM");
    await ended(run.proc);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await answers(run.got)).toBe(true);
    expect(await stopDemoEmulator(dir)).toBe(true);
    await until("demo stop to end it", () => !running(run.got.pid), 5_000);
  }, 40_000);
});
