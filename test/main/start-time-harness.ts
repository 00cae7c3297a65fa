// Start-up under Node, for the start-up tests (test/cli/startup.test.ts, test/main/start-time.test.ts) and
// bench/startup-bench.ts:
//  - `loadRecorder`: a preload that writes down every module a process resolves (ES modules through a
//    resolve hook, CommonJS through Module._resolveFilename), and `sourcesLoaded` turns that list into the
//    source files behind it, reading each bundle's source map, so a dependency bundled into a chunk is seen
//    exactly as one loaded from node_modules;
//  - `electronFakeArgs`: the built composition root (dist/electron/main.cjs) under plain Node, with the
//    Electron fake of test/main (bundled to one CommonJS file) in place of `electron`. It prints "tray" when
//    main creates its Tray, and writes "@tray" to the record if there is one.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(import.meta.dirname, "..", "..");
export const TRAY_MARK = "@tray";

/** A preload (for --import) that appends each resolved module to `record`, one per line. */
export function loadRecorder(dir: string, record: string): string {
  const hooks = join(dir, "record-hooks.mjs");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";
let record = null;
export function initialize(data) {
  record = data.record;
}
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(record, r.url + "\\n");
  return r;
}
`,
  );
  const preload = join(dir, "record-preload.mjs");
  writeFileSync(
    preload,
    `import { appendFileSync, writeFileSync } from "node:fs";
import Module, { register } from "node:module";
const record = ${JSON.stringify(record)};
writeFileSync(record, "");
register(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { record } });
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const file = resolveFilename.call(this, request, ...rest);
  appendFileSync(record, file + "\\n");
  return file;
};
`,
  );
  return preload;
}

/** The lines the recorder wrote, up to `until` (a mark such as "@tray") if given. */
export function recorded(record: string, until?: string): string[] {
  const lines = readFileSync(record, "utf8").split("\n").filter(Boolean);
  const end = until === undefined ? -1 : lines.indexOf(until);
  return end < 0 ? lines : lines.slice(0, end);
}

/**
 * Every source file behind the modules recorded, relative to the repository: one of our bundles stands for
 * the sources its source map names (node_modules/undici/index.js, electron/cli/main.ts, …), any other file
 * for itself. Node's built-ins are left out.
 */
export function sourcesLoaded(lines: string[]): Set<string> {
  const sources = new Set<string>();
  for (const line of lines) {
    if (line.startsWith("node:") || !/^(file:|\/)/.test(line)) continue;
    const file = line.startsWith("file:") ? fileURLToPath(line) : line;
    const map = `${file}.map`;
    // Our bundles only: packages ship maps of their own build, which name files they do not ship.
    if (!file.includes("/node_modules/") && existsSync(map)) {
      const { sources: names } = JSON.parse(readFileSync(map, "utf8")) as { sources: string[] };
      for (const s of names) sources.add(relative(ROOT, resolve(dirname(file), s)));
    } else {
      sources.add(relative(ROOT, file));
    }
  }
  return sources;
}

/** Whether any source lies under one of the folders (relative to the repository, e.g. node_modules/undici/). */
export function loadedFrom(sources: Set<string>, folder: string): boolean {
  return [...sources].some((s) => s.startsWith(folder));
}

/**
 * The Electron fake as one CommonJS file in `dir`, and the Node arguments that put it in place of `electron`
 * (a --require preload) and mark the Tray's creation: "tray" on stdout, and `TRAY_MARK` in `record` if
 * given; `packaged` starts it as an installed build. CommonJS only, as Electron loads main: an --import preload or an import hook would send main, and
 * every package it loads, through Node's ES module loader (and a hooks thread), which makes the start it
 * measures far slower than Electron's. Nothing imports `electron` as an ES module before the tray shows
 * (electron-store does, on the first save: see `appEnv`).
 */
export async function electronFakeArgs(
  dir: string,
  record?: string,
  o: { packaged?: boolean } = {},
): Promise<string[]> {
  const fake = join(dir, "electron-fake.cjs");
  await build({
    entryPoints: [join(ROOT, "test", "main", "electron-fake.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: fake,
    logLevel: "warning",
  });
  const preload = join(dir, "electron-preload.cjs");
  writeFileSync(
    preload,
    `const { appendFileSync } = require("node:fs");
const Module = require("node:module");
const fake = ${JSON.stringify(fake)};
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === "electron" ? fake : resolveFilename.call(this, request, ...rest);
};
const record = ${JSON.stringify(record ?? null)};
// An installed build (app.isPackaged): what a user starts, with its update service.
require(fake).app.isPackaged = ${JSON.stringify(o.packaged === true)};
const trays = require(fake).recorded.trays;
const push = trays.push.bind(trays);
trays.push = (...t) => {
  if (record) appendFileSync(record, ${JSON.stringify(TRAY_MARK)} + "\\n");
  process.stdout.write("tray\\n");
  return push(...t);
};
`,
  );
  return ["--require", preload];
}

/**
 * The environment for the composition root under Node: its own config folder, no session bus (no real
 * notification on a desktop, as test/main/boot.ts), and an Electron package that never downloads a binary
 * should an ES module reach the real one (electron-store does in builds that load it at start).
 */
export function appEnv(configDir: string, scratch: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PIMTRAY_CONFIG_DIR: configDir,
    DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent",
    ELECTRON_OVERRIDE_DIST_PATH: join(scratch, "no-electron"),
  };
}

export const MAIN = join(ROOT, "dist", "electron", "main.cjs");
