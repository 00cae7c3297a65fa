import { createHash } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import Module from "node:module";
import { homedir } from "node:os";
import { dirname, join, sep } from "node:path";
import { constants as vmConstants, Script } from "node:vm";

// Runs the built CLI (dist/cli/*.cjs) with a V8 code cache kept between runs, the way v8-compile-cache does for
// CommonJS. Node 20 compiles every ES module from its source at every start and has no compile cache for them
// (module.enableCompileCache arrives in Node 22), so the CLI is CommonJS, still split at its dynamic imports:
// each command loads only its own chunks, and each chunk's compiled code is read back from the cache instead
// of being parsed and compiled again. docs/cli.md ("Start-up time") has the figures.
//
// The cache is an optimisation and never a reason to fail: a missing, unreadable, corrupt or foreign cache
// means compiling from source, as Node does. V8 checks a cache against the source and its own version and
// flags and rejects one that does not fit; each file is also named by the SHA-256 of the source it was made
// from, because V8's own check of the source is its length only. Only a folder this user owns, and nobody
// else may write to, is used: compiled code read from a folder another user can write to would run as ours.

/** What happened to each chunk's cache in this run: for tests and the bench (PIMTRAY_CODE_CACHE_REPORT). */
export type CacheOutcome = "accepted" | "rejected" | "missing" | "written" | "write-failed" | "unsafe-folder" | "off";

export interface CodeCacheReport {
  folder: string | null;
  files: Record<string, CacheOutcome>;
}

/**
 * Where the compiled code is kept: PIMTRAY_CACHE_DIR; else beside a PIMTRAY_CONFIG_DIR (a test's or a portable
 * set-up's own folder); else the OS's cache folder, never the roaming or synced settings folder.
 */
export function codeCacheFolder(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const base =
    env.PIMTRAY_CACHE_DIR ??
    (env.PIMTRAY_CONFIG_DIR
      ? join(env.PIMTRAY_CONFIG_DIR, "cache")
      : platform === "win32"
        ? join(env.LOCALAPPDATA ?? join(homedir(), "AppData", "Local"), "pimtray", "Cache")
        : platform === "darwin"
          ? join(homedir(), "Library", "Caches", "pimtray")
          : join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "pimtray"));
  // Another Node (or another V8: Electron's Node carries its own) cannot use this one's code: each keeps its own
  // folder, and an upgrade leaves the old one to be removed (below).
  return join(base, `code-${process.version}-v8-${process.versions.v8}-${process.arch}`);
}

/** A folder we made, or one only we can write to. POSIX only: Windows' per-user folders carry ACLs instead. */
function safeFolder(folder: string): boolean {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (process.platform === "win32" || typeof process.getuid !== "function") return true;
    const st = statSync(folder);
    return st.uid === process.getuid() && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** A cache written this long ago is removed when a run writes others: most are an earlier build's. */
const STALE_MS = 30 * 24 * 3600_000;

/**
 * Folders of other Node versions' code beside this one (written by an earlier Node, never read again), and
 * caches an earlier build left here. A cache still in use that is removed is written again by its next run.
 */
function removeStale(folder: string): void {
  const parent = dirname(folder);
  for (const name of readdirSync(parent))
    if (name.startsWith("code-") && join(parent, name) !== folder)
      rmSync(join(parent, name), { recursive: true, force: true });
  const before = Date.now() - STALE_MS;
  for (const name of readdirSync(folder)) {
    const file = join(folder, name);
    if (name.endsWith(".v8") && statSync(file).mtimeMs < before) rmSync(file, { force: true });
  }
}

/** Written whole or not at all: a run that stops halfway leaves the old file or none, never half a cache. */
function writeAtomically(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

interface ModuleInternals {
  _compile(content: string, filename: string): unknown;
  exports: unknown;
}

/**
 * Loads `entry` (a CommonJS file) with every `.cjs` file in its folder compiled through the code cache, and
 * writes the caches a run lacked when the process exits (after the command: V8 then has compiled every
 * function the command ran, so the next run of it compiles nothing).
 */
export function runWithCodeCache(entry: string, env: NodeJS.ProcessEnv = process.env): void {
  const dir = dirname(entry) + sep;
  const report: CodeCacheReport = { folder: null, files: {} };
  const off = env.PIMTRAY_CODE_CACHE === "0";
  const folder = off ? null : codeCacheFolder(env);
  const usable = folder !== null && safeFolder(folder);
  report.folder = usable ? folder : null;
  const toWrite: Array<{ name: string; file: string; script: Script }> = [];

  const proto = Module.prototype as unknown as ModuleInternals;
  const compile = proto._compile;
  proto._compile = function (this: ModuleInternals & Module, content: string, filename: string) {
    if (!filename.startsWith(dir) || !filename.endsWith(".cjs")) return compile.call(this, content, filename);
    const name = filename.slice(dir.length);
    if (!usable) {
      report.files[name] = off ? "off" : "unsafe-folder";
      return compile.call(this, content, filename);
    }
    const file = join(folder, `${createHash("sha256").update(content).digest("hex").slice(0, 32)}.v8`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(file);
    } catch {
      // No cache yet (the first run of this build): compiled from source and written at exit.
    }
    const script = new Script(Module.wrap(content), {
      filename,
      ...(cachedData ? { cachedData } : {}),
      // The chunks' own dynamic imports are require()s (the build says so); anything else keeps Node's loader.
      importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    const outcome: CacheOutcome = !cachedData ? "missing" : script.cachedDataRejected ? "rejected" : "accepted";
    report.files[name] = outcome;
    if (outcome !== "accepted") toWrite.push({ name, file, script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (
      exports: unknown,
      require: NodeJS.Require,
      module: Module,
      filename: string,
      dirname: string,
    ) => unknown;
    return wrapper.call(this.exports, this.exports, Module.createRequire(filename), this, filename, dirname(filename));
  };

  process.once("exit", () => {
    if (folder && usable && toWrite.length) {
      for (const w of toWrite) {
        try {
          writeAtomically(w.file, w.script.createCachedData());
          report.files[w.name] = "written";
        } catch {
          // A full or read-only disk: the next run compiles from source again, as this one did.
          report.files[w.name] = "write-failed";
        }
      }
      try {
        removeStale(folder);
      } catch {
        // Old folders are only disk space; never a reason to fail the command that just ran.
      }
    }
    if (env.PIMTRAY_CODE_CACHE_REPORT) {
      try {
        writeAtomically(env.PIMTRAY_CODE_CACHE_REPORT, Buffer.from(JSON.stringify(report)));
      } catch {
        // The report is for tests and the bench, which notice its absence.
      }
    }
  });

  Module.createRequire(entry)(entry);
}
