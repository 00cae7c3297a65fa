import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Agent, fetch } from "undici";
import { writeFileAtomic } from "../engine/fs-util.js";

// --demo: a background emulator with the demo tenant, shared by every client that uses the same
// demo folder, so that `activate` then `status` see the same tenant. It signs in Adele without a
// browser and needs no Azure account.
//
// Lifetime: each client (a pimtray run, the tray app) holds a lease, a file named by its pid in
// emulator-clients/, for as long as it runs. One started by the CLI stays up between runs until
// `pimtray demo stop`. One started by the tray app is told to exit once no lease holder is alive,
// so it never outlives the app unless another client still uses it; a crash counts, as the
// emulator checks the pids itself.

/** A started emulator process, whichever way it was started. */
export interface EmulatorProcess {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  onExit(listener: (code: number | null) => void): void;
  /** Stops reading the emulator's output and lets this process exit without waiting for it. */
  detach(): void;
}

/**
 * Runs the emulator's entry script. The CLI and development use a Node child process; a packaged
 * app must use Electron's utilityProcess, as its RunAsNode fuse is off.
 */
export type EmulatorLauncher = (entry: {
  script: string;
  execArgv: string[];
  args: string[];
  logPath: string;
}) => EmulatorProcess;

export const childProcessLauncher: EmulatorLauncher = ({ script, execArgv, args, logPath }) => {
  // Owner-only, like everything else in the config folder: the log holds the emulator's request lines.
  const log = openSync(logPath, "a", 0o600);
  chmodSync(logPath, 0o600); // an older log may have been created 0644
  const child = spawn(process.execPath, [...execArgv, script, ...args], {
    detached: true,
    stdio: ["ignore", "pipe", log],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
  });
  return {
    pid: child.pid,
    stdout: child.stdout,
    onExit: (l) => void child.once("exit", (code) => l(code)),
    detach: () => {
      child.stdout?.destroy();
      child.unref();
    },
  };
};

export interface DemoOptions {
  launch?: EmulatorLauncher;
  /** Ask an emulator started here to exit once no lease holder is alive (the tray app). */
  stopWhenUnused?: boolean;
}

const CLIENTS_DIR = "emulator-clients";

/** This process's lease on the shared demo emulator, released when it exits (or by release()). */
function takeLease(demoDir: string): () => void {
  const dir = join(demoDir, CLIENTS_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, String(process.pid));
  writeFileSync(file, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }), { mode: 0o600 });
  const release = () => {
    process.off("exit", release);
    rmSync(file, { force: true });
  };
  process.on("exit", release);
  return release;
}

export interface DemoEmulator {
  pid: number;
  authority: string;
  tenantId: string;
  graphBaseUrl: string;
  caCertPath: string;
  controlUrl: string;
  caPem: string;
}

interface Facts {
  authority: string;
  tenantId: string;
  graphBaseUrl: string;
  caCertPath: string;
  controlUrl: string;
}

function emulatorEntry(): { script: string; execArgv: string[] } {
  // Bundled as ESM for the CLI and as CommonJS for Electron's main process: find our folder either way.
  const here = typeof __dirname === "string" ? __dirname : dirname(fileURLToPath(import.meta.url));
  const bundled = [join(here, "emulator.mjs"), join(here, "..", "cli", "emulator.mjs")].find((f) => existsSync(f));
  if (bundled) return { script: bundled, execArgv: [] };
  // Running from source (tsx): start the emulator's TypeScript entry the same way.
  return { script: join(here, "..", "..", "emulator", "cli.ts"), execArgv: ["--import", "tsx"] };
}

async function alive(state: DemoEmulator): Promise<boolean> {
  try {
    process.kill(state.pid, 0);
  } catch {
    return false;
  }
  const dispatcher = new Agent({ connect: { ca: state.caPem } });
  try {
    const res = await fetch(`${state.controlUrl}/info`, { dispatcher, signal: AbortSignal.timeout(3000) });
    return res.ok;
  } catch {
    return false;
  } finally {
    await dispatcher.close();
  }
}

export async function ensureDemoEmulator(
  demoDir: string,
  o: DemoOptions = {},
): Promise<DemoEmulator & { release: () => void }> {
  await mkdir(demoDir, { recursive: true, mode: 0o700 });
  // The lease comes first, so an emulator that is about to exit for want of clients sees it.
  const release = takeLease(demoDir);
  try {
    return { ...(await reuseOrStart(demoDir, o)), release };
  } catch (e) {
    release();
    throw e;
  }
}

async function reuseOrStart(demoDir: string, o: DemoOptions): Promise<DemoEmulator> {
  const stateFile = join(demoDir, "emulator.json");
  if (existsSync(stateFile)) {
    try {
      const state = JSON.parse(await readFile(stateFile, "utf8")) as DemoEmulator;
      if (await alive(state)) return state;
    } catch {
      // stale or damaged state: start a fresh emulator below
    }
  }
  const { script, execArgv } = emulatorEntry();
  const args = ["--json", "--port", "0", "--data-dir", join(demoDir, "emulator"), "--auto-sign-in", "adele"];
  if (o.stopWhenUnused) args.push("--exit-when-unused", join(demoDir, CLIENTS_DIR));
  const child = (o.launch ?? childProcessLauncher)({ script, execArgv, args, logPath: join(demoDir, "emulator.log") });
  const stdout = child.stdout;
  if (!stdout) throw new Error("the demo emulator has no output pipe");
  const facts = await new Promise<Facts>((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(
      () => reject(new Error("the demo emulator did not start within 20 s; see emulator.log in the demo folder")),
      20_000,
    );
    stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf("\n");
      if (nl >= 0) {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(buf.slice(0, nl)) as Facts);
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      }
    });
    child.onExit((code) => {
      clearTimeout(timer);
      reject(new Error(`the demo emulator exited with code ${code}; see emulator.log in the demo folder`));
    });
  });
  child.detach();
  const state: DemoEmulator = { pid: child.pid ?? 0, ...facts, caPem: readFileSync(facts.caCertPath, "utf8") };
  await writeFileAtomic(stateFile, JSON.stringify(state, null, 2), 0o600);
  return state;
}

export async function stopDemoEmulator(demoDir: string): Promise<boolean> {
  const stateFile = join(demoDir, "emulator.json");
  if (!existsSync(stateFile)) return false;
  try {
    const state = JSON.parse(await readFile(stateFile, "utf8")) as DemoEmulator;
    process.kill(state.pid, "SIGTERM");
  } catch {
    // already gone
  }
  await rm(stateFile, { force: true });
  return true;
}
