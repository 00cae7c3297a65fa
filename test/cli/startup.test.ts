// Issue 12, "Fast start": each `pimtray` command loads what it needs and nothing else. Every module the
// built CLI resolves is recorded (test/main/start-time-harness.ts) and traced back through the bundles'
// source maps to the files and packages behind it, so a dependency bundled into a chunk counts exactly as
// one loaded from node_modules. Nothing here is timed: the speed is measured by bench/startup-bench.ts.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endCliSuite, startCliSuite, type CliSuite } from "../helpers/cli.js";
import { loadedFrom, loadRecorder, recorded, sourcesLoaded } from "../main/start-time-harness.js";

let suite: CliSuite;
let dir: string;
let runs = 0;

beforeAll(async () => {
  suite = await startCliSuite({});
  dir = mkdtempSync(join(tmpdir(), "pimtray-startup-"));
  // A first status mints the Entra ID role and Azure tokens; MSAL may lose one of two tokens minted at once
  // (each silent request reloads the cache file while the other writes it), which a second status mints
  // alone: later runs start with a warm cache.
  for (let i = 0; i < 2; i++) {
    const first = await suite.cli.run(["status"]);
    if (first.code !== 0) throw new Error(`status failed: ${first.stderr}`);
  }
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await endCliSuite(suite);
});

/** Runs pimtray with the recorder; its output and the sources it loaded. */
async function traced(args: string[], env: Record<string, string> = {}) {
  const run = join(dir, `run-${++runs}`);
  mkdirSync(run);
  const record = join(run, "loaded.txt");
  const preload = loadRecorder(run, record);
  const r = await suite.cli.run(args, { NODE_OPTIONS: `--import=${preload}`, ...env });
  return { ...r, sources: sourcesLoaded(recorded(record)) };
}

const LAZY = {
  msal: "node_modules/@azure/msal-node/",
  undici: "node_modules/undici/",
  nodeNotifier: "node_modules/node-notifier/",
  electronStore: "node_modules/electron-store/",
  zod: "node_modules/zod/",
  emulator: "emulator/",
  engine: "electron/engine/engine.ts",
};

describe("pimtray --version and --help", () => {
  for (const flag of ["--version", "--help"]) {
    it(`${flag} loads commander and the command line's shape, and nothing of the engine`, async () => {
      const r = await traced([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(flag === "--version" ? "0.1.0" : "Usage: pimtray");
      // What it must load: the recorder sees bundled sources (a check that cannot pass by seeing nothing).
      expect(loadedFrom(r.sources, "node_modules/commander/")).toBe(true);
      expect(loadedFrom(r.sources, "electron/cli/main.ts")).toBe(true);
      for (const [name, folder] of Object.entries(LAZY)) expect(loadedFrom(r.sources, folder), name).toBe(false);
    });
  }
});

describe("pimtray status, signed in", () => {
  it("loads the engine, and neither MSAL (its tokens are in the cache), undici, node-notifier, electron-store nor the emulator", async () => {
    await suite.emu.control.clearRequests();
    const r = await traced(["status", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty("active");
    // The three planes' tokens were read from the cache file without MSAL (electron/engine/auth/warm-token.ts).
    expect(loadedFrom(r.sources, LAZY.msal)).toBe(false);
    expect(loadedFrom(r.sources, "electron/engine/auth/warm-token.ts")).toBe(true);
    expect(loadedFrom(r.sources, LAZY.engine)).toBe(true);
    for (const name of ["undici", "nodeNotifier", "electronStore", "emulator"] as const)
      expect(loadedFrom(r.sources, LAZY[name]), name).toBe(false);
    // One command's module, not the others'.
    expect(loadedFrom(r.sources, "electron/cli/commands/pim.ts")).toBe(true);
    for (const other of ["activate", "approvals", "profiles"])
      expect(loadedFrom(r.sources, `electron/cli/commands/${other}.ts`), other).toBe(false);
    expect(loadedFrom(r.sources, "electron/cli/watch.ts")).toBe(false);
    // The sign-in host's metadata was kept by the run before (test/cli/startup-metadata.test.ts): no request
    // goes to the sign-in host, only the reads of the three planes: each Graph plane's two lists in one $batch
    // (its own token), and ARM's two.
    const log = await suite.emu.control.requests();
    expect(log.filter((e) => e.path.endsWith("/.well-known/openid-configuration"))).toHaveLength(0);
    expect(log.map((e) => `${e.method} ${e.path}`).sort()).toEqual([
      "GET /arm/providers/Microsoft.Authorization/roleAssignmentScheduleInstances",
      "GET /arm/providers/Microsoft.Authorization/roleAssignmentScheduleRequests",
      "POST /v1.0/$batch",
      "POST /v1.0/$batch",
    ]);
  });

  it("without the kept metadata, loads MSAL, which reads it once for the three planes' tokens, not once each", async () => {
    rmSync(join(suite.cli.configDir, "authority-metadata.json"));
    await suite.emu.control.clearRequests();
    const r = await traced(["status", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    // The tenant the cached tokens are for is not known without the kept issuer: MSAL decides.
    expect(loadedFrom(r.sources, LAZY.msal)).toBe(true);
    const log = await suite.emu.control.requests();
    expect(log.filter((e) => e.path.endsWith("/.well-known/openid-configuration"))).toHaveLength(1);
    expect(log.filter((e) => e.path.startsWith("/arm/") || e.path.startsWith("/v1.0/"))).toHaveLength(4);
  });

  it("loads undici when a proxy is configured, and reaches the emulator through it (NO_PROXY: directly)", async () => {
    const r = await traced(["status", "--json"], { HTTPS_PROXY: "http://127.0.0.1:9", NO_PROXY: "127.0.0.1" });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty("active");
    expect(loadedFrom(r.sources, LAZY.undici)).toBe(true);
  });

  it("reads the history without loading an HTTP client", async () => {
    const r = await traced(["history"]);
    expect(r.code).toBe(0);
    expect(loadedFrom(r.sources, LAZY.undici)).toBe(false);
    expect(loadedFrom(r.sources, LAZY.nodeNotifier)).toBe(false);
  });
});
