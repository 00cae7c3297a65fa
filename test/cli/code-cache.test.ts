// The built CLI keeps V8's compiled code between runs (electron/cli/code-cache.ts): the first run of a command
// writes the caches of the chunks it loaded, later runs read them back instead of compiling, and a cache that
// does not fit (corrupt, from another build, in a folder others may write to) is never used. Each run writes
// what happened to every chunk to PIMTRAY_CODE_CACHE_REPORT. The speed itself is measured by
// bench/startup-bench.ts.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CodeCacheReport } from "../../electron/cli/code-cache.js";
import { endCliSuite, startCliSuite, type CliSuite } from "../helpers/cli.js";

let suite: CliSuite;
let work: string;
let runs = 0;

beforeAll(async () => {
  suite = await startCliSuite({});
  work = mkdtempSync(join(tmpdir(), "pimtray-code-cache-"));
});
afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await endCliSuite(suite);
});

/** Runs pimtray with its cache in `cacheDir`; its output and the report of what each chunk's cache did. */
async function run(args: string[], cacheDir: string, env: Record<string, string> = {}) {
  const report = join(work, `report-${++runs}.json`);
  const r = await suite.cli.run(args, { PIMTRAY_CACHE_DIR: cacheDir, PIMTRAY_CODE_CACHE_REPORT: report, ...env });
  return { ...r, report: JSON.parse(readFileSync(report, "utf8")) as CodeCacheReport };
}

const outcomes = (r: CodeCacheReport) => new Set(Object.values(r.files));
const cacheFiles = (r: CodeCacheReport) => (r.folder ? readdirSync(r.folder).filter((f) => f.endsWith(".v8")) : []);

describe("the CLI's code cache", () => {
  it("is written by a command's first run and read back, whole, by the next; the output is the same", async () => {
    const dir = join(work, "fresh");
    // The other planes' tokens minted first (that run loads MSAL), so both runs below load the same chunks.
    await run(["status", "--json"], join(work, "warm-up"), { PIMTRAY_CODE_CACHE: "0" });
    const first = await run(["status", "--json"], dir);
    expect(first.code, first.stderr).toBe(0);
    // The entry and the engine's chunks, each written once: nothing was there to read.
    expect(Object.keys(first.report.files)).toContain("pimtray.cjs");
    expect(Object.keys(first.report.files).length).toBeGreaterThan(3);
    expect(outcomes(first.report)).toEqual(new Set(["written"]));
    expect(cacheFiles(first.report)).toHaveLength(Object.keys(first.report.files).length);

    const second = await run(["status", "--json"], dir);
    expect(second.code, second.stderr).toBe(0);
    expect(outcomes(second.report)).toEqual(new Set(["accepted"]));
    expect(Object.keys(second.report.files).sort()).toEqual(Object.keys(first.report.files).sort());
    expect(JSON.parse(second.stdout)).toEqual(JSON.parse(first.stdout));
  });

  it("keeps each command's own chunks: --version loads less than status, and status adds its own", async () => {
    const dir = join(work, "by-command");
    const version = await run(["--version"], dir);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe("0.1.0");
    const status = await run(["status", "--json"], dir);
    expect(status.code, status.stderr).toBe(0);
    // What --version cached is read back; what only status loads is compiled and written.
    for (const name of Object.keys(version.report.files)) expect(status.report.files[name], name).toBe("accepted");
    expect(Object.values(status.report.files).filter((o) => o === "written").length).toBeGreaterThan(0);
  });

  it("a corrupt cache is rejected by V8, the command still runs, and the file is written again", async () => {
    const dir = join(work, "corrupt");
    const first = await run(["--version"], dir);
    expect(first.report.folder).not.toBeNull();
    const folder = first.report.folder as string; // checked just above
    for (const f of cacheFiles(first.report))
      writeFileSync(join(folder, f), Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3]));
    const spoiled = await run(["--version"], dir);
    expect(spoiled.code).toBe(0);
    expect(spoiled.stdout.trim()).toBe("0.1.0");
    expect(outcomes(spoiled.report)).toEqual(new Set(["written"]));
    const again = await run(["--version"], dir);
    expect(outcomes(again.report)).toEqual(new Set(["accepted"]));
  });

  it("is owner-only, and a folder others may write to is never read or written", async () => {
    const dir = join(work, "modes");
    const first = await run(["--version"], dir);
    const folder = first.report.folder as string; // a fresh folder under our temp dir is ours
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    for (const f of cacheFiles(first.report)) expect(statSync(join(folder, f)).mode & 0o777).toBe(0o600);

    chmodSync(folder, 0o777);
    const shared = await run(["--version"], dir);
    expect(shared.code).toBe(0);
    expect(shared.stdout.trim()).toBe("0.1.0");
    expect(shared.report.folder).toBeNull();
    expect(outcomes(shared.report)).toEqual(new Set(["unsafe-folder"]));
  });

  it("an earlier Node's folder is removed once this one's caches are written", async () => {
    const dir = join(work, "upgrade");
    const old = join(dir, "code-v18.0.0-v8-10.2-x64");
    mkdirSync(old, { recursive: true, mode: 0o700 });
    writeFileSync(join(old, "0123.v8"), "compiled by an older Node");
    const r = await run(["--version"], dir);
    expect(r.code).toBe(0);
    expect(outcomes(r.report)).toEqual(new Set(["written"]));
    expect(readdirSync(dir)).toEqual([basename(r.report.folder as string)]); // written: the folder was usable
  });

  it("PIMTRAY_CODE_CACHE=0 turns it off: nothing is read or written", async () => {
    const dir = join(work, "off");
    const r = await run(["--version"], dir, { PIMTRAY_CODE_CACHE: "0" });
    expect(r.code).toBe(0);
    expect(outcomes(r.report)).toEqual(new Set(["off"]));
    expect(() => readdirSync(dir)).toThrow();
  });

  it("lives beside PIMTRAY_CONFIG_DIR when no cache folder is given, in a folder for this Node only", async () => {
    const report = join(work, `report-${++runs}.json`);
    const r = await suite.cli.run(["--version"], { PIMTRAY_CODE_CACHE_REPORT: report });
    expect(r.code).toBe(0);
    const { folder } = JSON.parse(readFileSync(report, "utf8")) as CodeCacheReport;
    expect(folder).toBe(
      join(suite.cli.configDir, "cache", `code-${process.version}-v8-${process.versions.v8}-${process.arch}`),
    );
  });
});
