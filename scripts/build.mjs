// Bundles the CLI (and the emulator it starts for --demo) with esbuild. Dependencies stay external:
// they are loaded from node_modules, as installed by npm.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, statSync } from "node:fs";
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

await Promise.all([
  build({ ...common, entryPoints: ["electron/cli/pimtray.ts"], outfile: "dist/cli/pimtray.mjs" }),
  build({ ...common, entryPoints: ["emulator/cli.ts"], outfile: "dist/cli/emulator.mjs" }),
  build({ ...browser, entryPoints: ["renderer/main.tsx"], outfile: "dist/renderer/app.js" }),
  build({
    ...browser,
    format: "iife",
    entryPoints: ["electron/preview/bridge.ts"],
    outfile: "dist/renderer/preview-bridge.js",
  }),
  // The Electron main process (CommonJS, as Electron loads it) and the sandboxed preload, which must be
  // one self-contained file: a sandboxed preload cannot require local modules.
  build({
    ...common,
    format: "cjs",
    entryPoints: ["electron/main/main.ts"],
    outfile: "dist/electron/main.cjs",
    external: ["electron"],
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
