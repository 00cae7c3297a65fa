// Auto-update in real Electron: the part test/update/https-feed.test.ts cannot run under Node. There,
// electron-updater's HTTP goes through Node's https; here it goes through its own ElectronHttpExecutor over
// Electron's net (Chromium's network stack, its proxy settings and trust store), and the updater is the real
// `autoUpdater` singleton, loaded by import() as the app loads it. The update service and the adapter check
// the local HTTPS feed, download and verify the update, and "off" sends the feed nothing. Linux only:
// electron-updater's Linux updater (AppImage) is the one that can run unpackaged; Squirrel.Mac needs a signed
// app and the Windows updater a signed installer. Where the Electron binary cannot be had (these machines
// download nothing) it reports itself skipped with the reason, never passed.
import { spawn } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFeed, type Feed } from "../update/feed.js";

function electronBinary(): { path: string | null; reason: string } {
  if (process.platform !== "linux")
    return {
      path: null,
      reason:
        "electron-updater's Linux updater is the one that runs unpackaged; on macOS and Windows it needs a signed build (the release workflow's)",
    };
  const pkgDir = dirname(createRequire(import.meta.url).resolve("electron/package.json"));
  const pathFile = join(pkgDir, "path.txt");
  if (!existsSync(pathFile))
    return {
      path: null,
      reason:
        "the Electron binary is not installed (node_modules/electron has no path.txt: its download is not possible on this machine); the GitHub Actions workflow runs this suite",
    };
  const exe = join(pkgDir, "dist", readFileSync(pathFile, "utf8").trim());
  return existsSync(exe)
    ? { path: exe, reason: "" }
    : { path: null, reason: `the Electron binary is missing at ${exe}` };
}

const bin = electronBinary();

/** The app: the update service and the adapter over electron-updater's own autoUpdater, in Electron's main. */
const MAIN = `
import { app, session } from "electron";
import { createUpdaterPort } from "./electron/adapters/updater.js";
import { UpdateService } from "./electron/engine/update/update-service.js";

const say = (o: unknown) => process.stdout.write(JSON.stringify(o) + "\\n");
app.whenReady().then(() => {
  // Trust the feed's local CA for the updater's session only (electron-updater's partition).
  const ca = process.env.E2E_CA_FINGERPRINT;
  session.fromPartition("electron-updater", { cache: false }).setCertificateVerifyProc((req, cb) =>
    cb(req.hostname === "127.0.0.1" && req.certificate.issuerCert?.fingerprint === ca ? 0 : -3),
  );
  const log = (m: string) => say({ log: m });
  const port = createUpdaterPort({
    logger: { debug() {}, info: log, warn: log, error: log },
    load: async () => {
      const m = await import("electron-updater");
      const u = (m.default ?? m).autoUpdater;
      u.forceDevUpdateConfig = true; // not packaged: read dev-app-update.yml
      return u;
    },
  });
  const mode = process.env.E2E_MODE === "off" ? "off" : "auto";
  const service = new UpdateService({ port, settings: { mode }, busy: () => false, firstCheckDelayMs: 0 });
  service.onChange((s) => {
    say({ state: s });
    if (s.kind === "ready" || s.kind === "error") app.quit();
  });
  service.start();
  setTimeout(() => {
    say({ final: service.state() });
    app.quit();
  }, mode === "off" ? 2000 : 20000);
});
`;

let feed: Feed;
let dir: string;
beforeAll(async () => {
  if (!bin.path) return;
  feed = await startFeed();
  dir = mkdtempSync(join(tmpdir(), "pimtray-update-e2e-"));
  await build({
    stdin: { contents: MAIN, resolveDir: process.cwd(), sourcefile: "update-e2e-main.ts", loader: "ts" },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: join(dir, "app", "main.cjs"),
    external: ["electron"],
    logLevel: "warning",
  });
  writeFileSync(
    join(dir, "app", "package.json"),
    JSON.stringify({ name: "pim-tray", version: "0.1.0", main: "main.cjs" }),
  );
  writeFileSync(
    join(dir, "app", "dev-app-update.yml"),
    `provider: generic\nurl: ${feed.url}\nupdaterCacheDirName: pimtray-e2e-updater\n`,
  );
  writeFileSync(join(dir, "PIM-Tray-0.1.0.AppImage"), "#!/bin/sh\n", { mode: 0o755 });
});
afterAll(async () => {
  if (!bin.path) return;
  await feed.stop();
  rmSync(dir, { recursive: true, force: true });
});

function runApp(mode: "auto" | "off"): Promise<Array<Record<string, unknown>>> {
  const der = new X509Certificate(feed.caPem).raw;
  return new Promise((resolve, reject) => {
    const child = spawn(bin.path ?? "", [join(dir, "app")], {
      env: {
        ...process.env,
        E2E_MODE: mode,
        E2E_CA_FINGERPRINT: `sha256/${createHash("sha256").update(der).digest("base64")}`,
        APPIMAGE: join(dir, "PIM-Tray-0.1.0.AppImage"),
        XDG_CACHE_HOME: join(dir, "cache"),
        XDG_CONFIG_HOME: join(dir, "config"),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    const timer = setTimeout(() => child.kill(), 45_000);
    child.on("error", reject);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve(
        out
          .split("\n")
          .filter((l) => l.startsWith("{"))
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      );
    });
  });
}

describe("auto-update in Electron", () => {
  it("checks the HTTPS feed through Electron's net, downloads and verifies the update, installs it on quit", async (t) => {
    if (!bin.path) return t.skip(bin.reason);
    const payload = Buffer.from("#!/bin/sh\n# PIM Tray 0.2.0\n");
    feed.publish("0.2.0", payload);
    feed.requests.length = 0;
    const lines = await runApp("auto");
    const states = lines.filter((l) => "state" in l).map((l) => l.state);
    expect(states.at(-1), JSON.stringify(lines.slice(-10))).toEqual({
      kind: "ready",
      version: "0.2.0",
      restartWhenIdle: false,
    });
    expect(feed.requests).toEqual(["/latest-linux.yml", "/PIM-Tray-0.2.0.AppImage"]);
    // "auto" installs a downloaded update when the app quits (the fixture quits once it is ready): electron-updater
    // replaced the AppImage with the verified download.
    expect(existsSync(join(dir, "PIM-Tray-0.1.0.AppImage"))).toBe(false);
    expect(readFileSync(join(dir, "PIM-Tray-0.2.0.AppImage"))).toEqual(payload);
  }, 60_000);

  it("mode off: the feed receives no request at all", async (t) => {
    if (!bin.path) return t.skip(bin.reason);
    feed.publish("0.2.0", Buffer.from("#!/bin/sh\n"));
    feed.requests.length = 0;
    const lines = await runApp("off");
    expect(lines.find((l) => "final" in l)?.final).toMatchObject({ kind: "disabled", by: "policy" });
    expect(feed.requests).toEqual([]);
  }, 60_000);
});
