// Bundles the CLI, the emulator it starts for --demo, the tray app's main process, its preload and the popup
// with esbuild. The CLI and main carry the dependencies they load at start; the emulator's stay external.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
};

// The popup: Preact, bundled and minified for the browser; its size is reported.
const browser = {
  bundle: true,
  platform: "browser",
  format: "esm",
  target: "chrome120",
  minify: true,
  sourcemap: "linked",
  logLevel: "warning",
  jsx: "automatic",
  jsxImportSource: "preact",
};

/**
 * Parts of bundled packages PIM Tray never runs, left out of the CLI and main bundles: less code to read and
 * compile at every start (about a quarter of what the CLI compiles before its first request, measured). The
 * replacements fail loudly if ever called.
 * - zod's translations of its messages (`z.locales`): English is imported by zod's schemas themselves.
 * - jsonwebtoken (and semver, jws, lodash with it): MSAL signs client assertions with it, which only a
 *   confidential client does; PIM Tray is a public client.
 */
const unused = {
  name: "unused-parts",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) =>
      a.importer.includes("/node_modules/zod/") ? { path: "zod-locales", namespace: "unused" } : undefined,
    );
    b.onResolve({ filter: /^jsonwebtoken$/ }, () => ({ path: "jsonwebtoken", namespace: "unused" }));
    b.onLoad({ filter: /.*/, namespace: "unused" }, (a) => ({
      contents:
        a.path === "zod-locales"
          ? "export {};"
          : 'export default { sign() { throw new Error("PIM Tray is a public client: it signs no client assertion."); } };',
      loader: "js",
    }));
  },
};

// The CLI: split at its dynamic imports, so each command loads only its own chunks, and with its dependencies
// bundled, which measured faster than loading them from node_modules (docs/cli.md, "Start-up time"). Chunks sit
// beside the entry: the demo emulator is found relative to the code that starts it.
//
// Built in two passes. esbuild splits ES modules only, but Node 20 keeps no compile cache for ES modules, and
// compiling the chunks a command loads was most of `pimtray status`'s own time. So the first pass splits (ESM,
// in a folder of its own), and the second turns each chunk into CommonJS, minified, with its imports of other
// chunks as require()s (dynamic ones too: "dynamic-import" unsupported), which bin/pimtray.cjs loads through
// a V8 code cache (electron/cli/code-cache.ts). Its source maps go through the first pass's to the sources.
// Minified: V8 reads and pre-parses every byte of a chunk it has no cache for; the source maps still name every
// source, and every error class PIM Tray and MSAL test for sets its name explicitly.
const CLI_ESM = "dist/.cli-esm";
const cliSplit = {
  ...common,
  entryPoints: { pimtray: "electron/cli/pimtray.ts" },
  outdir: CLI_ESM,
  outExtension: { ".js": ".mjs" },
  splitting: true,
  metafile: true,
  packages: undefined,
  // node-notifier runs helper programs shipped in its own folder, and system-ca loads native helpers from its
  // own (the Windows and macOS stores), so both stay in node_modules.
  external: ["node-notifier", "system-ca"],
  plugins: [unused],
};

/** The second pass: every chunk of the first, as CommonJS, in dist/cli. */
async function cliCommonJs({ metafile }) {
  const chunks = Object.keys(metafile.outputs).filter((f) => f.endsWith(".mjs"));
  const result = await build({
    entryPoints: chunks,
    outdir: "dist/cli",
    outExtension: { ".js": ".cjs" },
    format: "cjs",
    platform: "node",
    target: "node20",
    bundle: true,
    minify: true,
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
    // Everything not a chunk was bundled by the first pass, or is a package left in node_modules on purpose.
    packages: "external",
    supported: { "dynamic-import": false },
    // The demo emulator's finder asks for __dirname first; import.meta is only its fallback under ESM.
    logOverride: { "empty-import-meta": "silent", "duplicate-class-member": "silent" },
    plugins: [
      {
        name: "chunks-as-commonjs",
        setup(b) {
          b.onResolve({ filter: /^\.\/[^/]+\.mjs$/ }, (a) => ({
            path: a.path.replace(/\.mjs$/, ".cjs"),
            external: true,
          }));
        },
      },
    ],
  });
  rmSync(CLI_ESM, { recursive: true, force: true });
  return result;
}

/** Chunks an earlier build left in dist/cli (their names carry a content hash) are removed. */
function removeStaleChunks({ metafile }) {
  const fresh = new Set(Object.keys(metafile.outputs).map((f) => f.replace(/^dist\/cli\//, "")));
  for (const f of readdirSync("dist/cli"))
    if (/-[A-Z0-9]{8}\.(mjs|cjs)(\.map)?$/.test(f) && !fresh.has(f)) rmSync(join("dist/cli", f));
  // The entry of the ES-module build this one replaced.
  for (const f of ["pimtray.mjs", "pimtray.mjs.map"]) rmSync(join("dist/cli", f), { force: true });
}

await Promise.all([
  build(cliSplit).then(cliCommonJs).then(removeStaleChunks),
  // What bin/pimtray.cjs loads the CLI through: small, and read as it is at every start.
  build({
    ...common,
    format: "cjs",
    entryPoints: ["electron/cli/code-cache.ts"],
    outfile: "dist/cli/code-cache.cjs",
  }),
  build({ ...common, entryPoints: ["emulator/cli.ts"], outfile: "dist/cli/emulator.mjs" }),
  build({ ...browser, entryPoints: ["renderer/main.tsx"], outfile: "dist/renderer/app.js" }),
  build({
    ...browser,
    format: "iife",
    entryPoints: ["electron/preview/bridge.ts"],
    outfile: "dist/renderer/preview-bridge.js",
  }),
  // The Electron main process (CommonJS, as Electron loads it) and the sandboxed preload, which must be
  // one self-contained file: a sandboxed preload cannot require local modules. Main carries what it needs
  // before its tray shows (MSAL, zod), which measured faster than resolving and reading them file by file
  // from node_modules (docs/cli.md, "Start-up time"). What it loads later, if at all, stays there:
  // electron-store (ESM, on the first save, and it imports electron itself), node-notifier (runs helpers
  // from its own folder), undici (demo mode only), electron-updater (a minute after start at the earliest, in a
  // packaged app only; it requires electron itself).
  build({
    ...common,
    format: "cjs",
    entryPoints: ["electron/main/main.ts"],
    outfile: "dist/electron/main.cjs",
    packages: undefined,
    external: ["electron", "electron-store", "node-notifier", "undici", "electron-updater"],
    plugins: [unused],
    logOverride: { "empty-import-meta": "silent" },
  }),
  build({
    ...common,
    packages: undefined,
    format: "cjs",
    entryPoints: ["electron/preload/preload.ts"],
    outfile: "dist/electron/preload.cjs",
    external: ["electron"],
  }),
]);
mkdirSync("dist/renderer", { recursive: true });
copyFileSync("renderer/index.html", "dist/renderer/index.html");
copyFileSync("renderer/app.css", "dist/renderer/app.css");
if (process.env.BUILD_QUIET !== "1") {
  const size = (f) => statSync(f).size;
  const gz = (f) => gzipSync(readFileSync(f)).length;
  const js = "dist/renderer/app.js";
  process.stdout.write(
    `popup bundle: ${js} ${(size(js) / 1024).toFixed(1)} KiB (${(gz(js) / 1024).toFixed(1)} KiB gzip), app.css ${(size("dist/renderer/app.css") / 1024).toFixed(1)} KiB\n`,
  );
}
