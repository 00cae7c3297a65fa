// `npm run emulator` as a user runs it: a child process, its printed facts, and a clean stop.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { RawClient } from "../helpers/graph-client.js";

const dirs: string[] = [];
const children: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const c of children.splice(0)) {
    try {
      if (c.pid) process.kill(-c.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** True once nothing accepts connections on the port any more. */
async function portCloses(port: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (!open) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function signalGroup(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): void {
  if (!child.pid) throw new Error("child has no pid");
  process.kill(-child.pid, signal);
}

function run(args: string[]) {
  const dataDir = mkdtempSync(join(tmpdir(), "pimtray-emu-cli-"));
  dirs.push(dataDir);
  // Its own process group, signalled as a whole, the way a terminal delivers Ctrl+C.
  const child = spawn("npm", ["run", "--silent", "emulator", "--", "--data-dir", dataDir, ...args], {
    stdio: "pipe",
    detached: true,
  });
  children.push(child);
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const until = async (pred: (s: string) => boolean) => {
    for (let i = 0; i < 300 && !pred(out); i++) await new Promise((r) => setTimeout(r, 50));
    if (!pred(out)) throw new Error(`emulator printed: ${out}\nstderr: ${err}`);
    return out;
  };
  return { child, until, exited, dataDir, stderr: () => err };
}

describe("npm run emulator", () => {
  it("--json prints one JSON line with the documented keys, serves, and stops on SIGTERM", async () => {
    const p = run(["--json", "--port", "0"]);
    const out = await p.until((s) => s.includes("\n"));
    const lines = out.trim().split("\n");
    expect(lines).toHaveLength(1);
    const facts = JSON.parse(lines[0] ?? "");
    expect(Object.keys(facts)).toEqual(
      expect.arrayContaining(["authority", "tenantId", "graphBaseUrl", "caCertPath", "controlUrl", "users"]),
    );
    expect(facts.authority).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]{36}$/);
    expect(facts.caCertPath).toBe(join(p.dataDir, "ca.pem"));
    expect(facts.users.map((u: { userPrincipalName: string }) => u.userPrincipalName)).toContain(
      "adele@contoso.example",
    );
    const c = new RawClient(new URL(facts.authority).origin, readFileSync(facts.caCertPath, "utf8"));
    const discovery = await c.get(`/${facts.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(discovery.json.issuer).toBe(`${facts.authority}/v2.0`);
    await c.close();
    signalGroup(p.child, "SIGTERM");
    await p.exited; // npm itself dies of the signal; what matters is that the emulator stops cleanly
    expect(await portCloses(Number(new URL(facts.authority).port))).toBe(true);
    expect(p.stderr()).toBe("");
  });

  it("prints the facts for people, and stops on SIGINT", async () => {
    const p = run([]);
    const out = await p.until((s) => s.includes("Ctrl+C"));
    expect(out).toMatch(/Authority: +https:\/\/127\.0\.0\.1:\d+\//);
    expect(out).toMatch(/Graph: +https:\/\/127\.0\.0\.1:\d+\/v1\.0/);
    expect(out).toContain("Control API:");
    expect(out).toContain("Adele Vance");
    signalGroup(p.child, "SIGINT");
    await p.exited;
    await p.until((s) => s.includes("Received SIGINT; stopping."));
    expect(await portCloses(Number(/127\.0\.0\.1:(\d+)/.exec(out)?.[1]))).toBe(true);
    expect(p.stderr()).toBe("");
  });

  it("keeps its CA across restarts, so a trusted CA stays trusted", async () => {
    const a = run(["--json"]);
    await a.until((s) => s.includes("\n"));
    const firstCa = readFileSync(join(a.dataDir, "ca.pem"), "utf8");
    signalGroup(a.child, "SIGTERM");
    await a.exited;
    const dataDir = a.dataDir;
    const child = spawn("npm", ["run", "--silent", "emulator", "--", "--json", "--data-dir", dataDir], {
      stdio: "pipe",
      detached: true,
    });
    children.push(child);
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    expect(readFileSync(join(dataDir, "ca.pem"), "utf8")).toBe(firstCa);
  });

  it("refuses a bad --port with a message and exit code 2", async () => {
    const p = run(["--port", "99999"]);
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toContain("--port must be a whole number from 0 to 65535");
  });
});
