// npm run bench (part 4): start-up time. `pimtray` (bin/pimtray.cjs over dist/cli: `npm run build` first) against
// bare `node -e 0`, measured in the same run and interleaved, so a busy machine slows every figure alike:
//  - `pimtray --version` and `pimtray --help`: goal within 2× of bare node;
//  - `pimtray status` against the emulator, signed in with a warm token cache: goal within 2× of bare
//    node plus one round trip (one HTTPS request to the emulator's Graph endpoint on a new connection,
//    measured here too, as the CLI starts without a connection);
//  - the tray app's start to the tray shown: the built composition root (dist/electron/main.cjs, as Electron
//    loads it) under Node, with the Electron fake of test/main in place of `electron`
//    (test/main/start-time-harness.ts), signed out, from spawn to the Tray being created.
// Every figure is ≥ 30 samples (BENCH_STARTUP_SAMPLES) with its median, p95 and max, and its ratio to bare
// node. Results are printed and written to bench-results/startup.json.
// BENCH_STARTUP_ROOT measures the build in another checkout (its dist/, with node_modules reachable from
// there): an earlier commit, or another way of bundling, against the same emulator and the same baseline.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import { startEmulator, type RunningEmulator } from "../emulator/index.js";
import { appEnv, electronFakeArgs } from "../test/main/start-time-harness.js";
import { round1, stats as statsOf, type Stats } from "./stats.js";

const SAMPLES = Math.max(30, Number(process.env.BENCH_STARTUP_SAMPLES ?? 30));
const WARM_UP = 3;
const ROOT = resolve(import.meta.dirname, "..");
const BUILD = resolve(process.env.BENCH_STARTUP_ROOT ?? ROOT);
/** `pimtray` as npm installs it: bin/pimtray.cjs, which runs the built CLI. */
const CLI = ["pimtray.cjs", "pimtray.mjs"].map((f) => join(BUILD, "bin", f)).find(existsSync) ?? "";
/** The built CLI's entry: CommonJS chunks since the code cache; ES modules in builds before it (BENCH_STARTUP_ROOT). */
const BUILT_CLI = ["pimtray.cjs", "pimtray.mjs"].map((f) => join(BUILD, "dist", "cli", f)).find(existsSync) ?? "";
const MAIN = join(BUILD, "dist", "electron", "main.cjs");

const stats = (xs: number[]): Stats => statsOf(xs, round1);
const now = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * Spawn to exit of a process, in ms; its exit code must be 0. Asynchronous, so the emulator in this
 * process answers the child meanwhile.
 */
function timeRun(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done, fail) => {
    const t0 = now();
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => {
      const ms = now() - t0;
      if (code === 0) done(ms);
      else fail(new Error(`node ${args.join(" ")} exited ${code}: ${stderr.slice(0, 500)}`));
    });
  });
}

/** Spawn to the first line on stdout that starts with `marker`; the process is then ended. */
function timeUntil(args: string[], env: NodeJS.ProcessEnv, marker: string): Promise<number> {
  return new Promise((done, fail) => {
    const t0 = now();
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let settled = false;
    const timer = setTimeout(() => finish(new Error(`no "${marker}" within 30 s: ${err.slice(0, 500)}`)), 30_000);
    function finish(result: number | Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill();
      if (typeof result === "number") done(result);
      else fail(result);
    }
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.split("\n").some((l) => l.startsWith(marker))) finish(now() - t0);
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", (e) => finish(e));
    child.on("close", (code) => finish(new Error(`exited ${code} before "${marker}": ${err.slice(0, 500)}`)));
  });
}

/** One HTTPS request to the Graph endpoint on a new connection (the CLI starts without one). */
async function roundTrip(emu: RunningEmulator): Promise<number> {
  const dispatcher = new Agent({ connect: { ca: emu.caPem } });
  try {
    const t0 = now();
    const res = await undiciFetch(`${emu.origin}/v1.0/me`, { dispatcher });
    await res.arrayBuffer();
    return now() - t0;
  } finally {
    await dispatcher.close();
  }
}

async function signedIn(emu: RunningEmulator, env: NodeJS.ProcessEnv): Promise<void> {
  await emu.control.configure({ deviceCodeAutoApprove: "adele", deviceCodeIntervalSeconds: 0 });
  await timeRun([CLI, "login", "--device-code"], env);
  // The first status mints the Entra ID role and Azure tokens silently; MSAL may lose one of two tokens minted
  // at once (each silent request reloads the cache file while the other writes it), which a second status
  // mints alone: the cache is warm after it.
  await timeRun([CLI, "status"], env);
  await timeRun([CLI, "status"], env);
}

async function main(): Promise<void> {
  for (const f of [BUILT_CLI, MAIN])
    if (!f || !existsSync(f)) throw new Error(`${f || "dist/cli/pimtray.cjs"} is missing: run npm run build first`);
  const work = mkdtempSync(join(tmpdir(), "pimtray-startup-"));
  const emu = await startEmulator({ port: 0, dataDir: join(work, "emulator") });
  try {
    const cliEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_EXTRA_CA_CERTS: emu.caCertPath,
      PIMTRAY_AUTHORITY_HOST: emu.origin,
      PIMTRAY_GRAPH_ENDPOINT: emu.origin,
      PIMTRAY_ARM_ENDPOINT: emu.armBaseUrl,
      PIMTRAY_TENANT: emu.tenantId,
      PIMTRAY_CONFIG_DIR: join(work, "cli"),
      NO_COLOR: "1",
    };
    await signedIn(emu, cliEnv);
    await emu.control.clearRequests();
    await timeRun([CLI, "status"], cliEnv);
    const statusRequests = (await emu.control.requests()).map((r) => `${r.method} ${r.path}`);

    // The app starts signed out, in a folder of its own: nothing before its tray needs the network.
    const appDir = join(work, "app");
    mkdirSync(appDir);
    const electron = await electronFakeArgs(work);

    const figures: Record<string, () => Promise<number>> = {
      node: () => timeRun(["-e", "0"], cliEnv),
      version: () => timeRun([CLI, "--version"], cliEnv),
      help: () => timeRun([CLI, "--help"], cliEnv),
      status: () => timeRun([CLI, "status"], cliEnv),
      roundTrip: () => roundTrip(emu),
      appToTray: () => timeUntil([...electron, MAIN], appEnv(appDir, work), "tray"),
    };
    const names = Object.keys(figures);
    const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (let i = 0; i < WARM_UP + SAMPLES; i++) {
      // Interleaved, in a rotating order: drift on a shared machine falls on every figure alike.
      for (let j = 0; j < names.length; j++) {
        const name = names[(i + j) % names.length] ?? "node";
        const figure = figures[name];
        if (!figure) continue;
        const ms = await figure();
        if (i >= WARM_UP) samples[name]?.push(ms);
      }
    }
    const s = Object.fromEntries(names.map((n) => [n, stats(samples[n] ?? [])])) as Record<string, Stats>;
    const node = s.node?.median ?? NaN;
    const rtt = s.roundTrip?.median ?? NaN;
    const ratio = (x: number, to: number) => Math.round((x / to) * 100) / 100;
    const result = {
      date: new Date().toISOString(),
      node: process.version,
      build: BUILD,
      samples: SAMPLES,
      figures: s,
      ratios: {
        versionToNode: ratio(s.version?.median ?? NaN, node),
        helpToNode: ratio(s.help?.median ?? NaN, node),
        statusToNode: ratio(s.status?.median ?? NaN, node),
        statusToNodePlusRoundTrip: ratio(s.status?.median ?? NaN, node + rtt),
        appToTrayToNode: ratio(s.appToTray?.median ?? NaN, node),
      },
      statusRequests,
    };
    const rows: Array<[string, string]> = [
      ["node", "bare `node -e 0`"],
      ["version", "`pimtray --version`"],
      ["help", "`pimtray --help`"],
      ["status", "`pimtray status` (warm cache)"],
      ["roundTrip", "one round trip (new HTTPS connection)"],
      ["appToTray", "app start → tray shown"],
    ];
    process.stdout.write(`Start-up, ${SAMPLES} samples each (ms):\n`);
    process.stdout.write(
      `${"figure".padEnd(40)} ${"median".padStart(7)} ${"p95".padStart(7)} ${"max".padStart(7)}  × node\n`,
    );
    for (const [k, label] of rows) {
      const f = s[k];
      if (!f) continue;
      process.stdout.write(
        `${label.padEnd(40)} ${f.median.toFixed(0).padStart(7)} ${f.p95.toFixed(0).padStart(7)} ${f.max.toFixed(0).padStart(7)}  ${ratio(f.median, node).toFixed(2)}\n`,
      );
    }
    process.stdout.write(
      `status against node + one round trip (${(node + rtt).toFixed(0)} ms): ${result.ratios.statusToNodePlusRoundTrip.toFixed(2)}× (goal ≤ 2)\n`,
    );
    process.stdout.write(`requests per warm status: ${statusRequests.length}\n`);
    mkdirSync(join(ROOT, "bench-results"), { recursive: true });
    writeFileSync(join(ROOT, "bench-results", "startup.json"), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await emu.close();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
