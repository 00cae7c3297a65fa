#!/usr/bin/env node
// `npm start` / `npm run demo`: runs the Electron binary, as electron's own cli.js does, but when the
// binary is missing and cannot be fetched, says so in plain words with the fixes instead of a stack
// trace from inside the electron package. Exit codes: Electron's own, or 1 when it cannot run.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve("electron/package.json"));
const version = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version;

/** Where electron's install.js puts the binary (same rules as its getPlatformPath). */
function binaryPath() {
  const platform = process.env.ELECTRON_INSTALL_PLATFORM || process.env.npm_config_platform || process.platform;
  const rel =
    platform === "darwin" || platform === "mas"
      ? "Electron.app/Contents/MacOS/Electron"
      : platform === "win32"
        ? "electron.exe"
        : "electron";
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(pkgDir, "dist");
  return join(dist, rel);
}

/** The one line of the installer's output that says why it failed, without its stack. */
function reason(output) {
  const lines = output
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const line =
    lines.find((l) => /^(\w*Error|RequestError|HTTPError)\b|E[A-Z]{4,}|status code/.test(l)) ??
    lines.find((l) => !l.startsWith("at ")) ??
    "no output";
  // undici's "fetch failed" hides its cause; say what it means for the user.
  if (/fetch failed/.test(line)) return "could not reach the download server: fetch failed";
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

function explainAndExit(why) {
  process.stderr.write(
    [
      `PIM Tray cannot start: the Electron ${version} binary is not installed, and fetching it failed (${why}).`,
      "`npm start` and `npm run demo` need it; the CLI, the tests and the preview do not.",
      "Fixes:",
      "  npx install-electron                fetch it again (it downloads from GitHub releases)",
      "  HTTPS_PROXY=http://HOST:PORT        behind a proxy, set this and run the line above again,",
      "  ELECTRON_MIRROR=https://MIRROR/     or point it at your organisation's Electron mirror",
      "  npm run preview                     see the popup in your browser, against the demo tenant, without Electron",
      "",
    ].join("\n"),
  );
  process.exit(1);
}

let bin = binaryPath();
if (!existsSync(bin)) {
  process.stderr.write(`Fetching the Electron ${version} binary (first run)...\n`);
  // The installer is electron's own; its output is kept for the one-line reason, not shown whole.
  const r = spawnSync(process.execPath, [join(pkgDir, "install.js")], { encoding: "utf8", timeout: 10 * 60_000 });
  bin = binaryPath();
  if (r.status !== 0 || !existsSync(bin))
    explainAndExit(r.error ? r.error.message : reason(`${r.stderr ?? ""}\n${r.stdout ?? ""}`));
}

const child = spawn(bin, process.argv.slice(2), { stdio: "inherit", windowsHide: false });
child.on("error", (e) => explainAndExit(e.message));
child.on("close", (code, signal) => {
  if (code === null) {
    process.stderr.write(`Electron exited with signal ${signal}\n`);
    process.exit(1);
  }
  process.exit(code);
});
for (const signal of ["SIGINT", "SIGTERM", "SIGUSR2"]) process.on(signal, () => child.kill(signal));
