import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import { AppController, notificationFocus, type AppPlatform, type Focus } from "../app/app-controller.js";
import { MemoryPersistence } from "../engine/auth/token-cache.js";
import { DEFAULT_CLIENT_ID, resolveConnection } from "../engine/config.js";
import { createEngine } from "../engine/engine.js";
import { createLifecycle } from "../engine/lifecycle-wiring.js";
import { HistoryLog } from "../engine/history/history-log.js";
import type { LifecycleService } from "../engine/lifecycle/lifecycle-service.js";
import { silentLogger, type Logger } from "../engine/logger.js";
import type { DesktopNotification } from "../engine/notify/notifier.js";
import { routeNotifications } from "../engine/notify/route.js";
import { FILES } from "../engine/paths.js";
import { FileSettingsStore } from "../engine/profiles/settings-store.js";
import { PolicedSettings } from "../engine/policy/policed-settings.js";
import { readManagedPolicy } from "../engine/policy/policy-resolver.js";
import type { PolicySource } from "../engine/policy/policy-source.js";
import { followSignInPage } from "../node/demo-sign-in.js";
import { startEmulator, type RunningEmulator, type SeedSpec } from "../../emulator/index.js";
import { previewDiagnostics } from "./preview-doctor.js";

// The preview harness: the popup in a plain browser, with window.pimtray backed by the real engine
// and lifecycle service against the emulator. Used by the renderer tests and for screenshots.

/** What the preview needs of an emulator: its facts and control API (it may run in another process). */
export type PreviewEmulator = Omit<RunningEmulator, "emulator">;

export interface PreviewOptions {
  /** An emulator to use (in this process or another); by default the preview starts its own with the demo tenant. */
  emulator?: PreviewEmulator;
  /**
   * Who "Sign in" signs in as, on the demo tenant: "adele" (the default for the preview's own
   * emulator; she requests access) or "megan" (she approves Adele's requests on every plane). Given
   * with `emulator`, that emulator's automatic sign-in is set to this user.
   */
  signInAs?: string;
  /** The tenant of the preview's own emulator: the demo tenant unless a large one is asked for. */
  seed?: SeedSpec;
  configDir?: string;
  rendererDir?: string;
  logger?: Logger;
  /**
   * Managed policy, in precedence order (fakes, or a LinuxPolicyFile over a temp file): what the tray app reads
   * from the registry, managed preferences or /etc/pimtray/policy.json. None by default: the computer's own policy
   * is never read by the preview.
   */
  policy?: PolicySource[];
  /** "Export diagnostics…"'s save dialog: where the zip goes, or null (cancelled). Default: a new temp folder. */
  saveDiagnosticsAs?: () => Promise<string | null>;
}

export interface RunningPreview {
  url: string;
  emulator: PreviewEmulator;
  controller: AppController;
  lifecycle: LifecycleService;
  /** settings.json with managed policy applied; `replacePolicy` stands for Group Policy changing it while running. */
  settings: PolicedSettings;
  configDir: string;
  /** What the popup asked of the platform: start at login, pages opened, hides, doctor runs, zips written. */
  platform: AppPlatform & {
    loginItem: boolean;
    opened: string[];
    hidden: number;
    doctorRuns: number;
    exports: string[];
  };
  /**
   * The desktop notifications the tray app would show on Windows and macOS (with their Approve… and
   * Deny… buttons), in order: a browser page cannot show them.
   */
  notifications: DesktopNotification[];
  /**
   * What the tray app does when the person clicks a notification (`actionId` null) or one of its
   * buttons ("approve", "deny", "renew"): the page gets the same app:focus push. Returns that push, or
   * null when the click focuses nothing (Renew renews when the access expires instead).
   */
  clickNotification(n: DesktopNotification, actionId?: string | null): Focus | null;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".js": "text/javascript",
  ".css": "text/css",
  ".html": "text/html; charset=utf-8",
  ".map": "application/json",
};

/** A demo user by id, user principal name or its part before the @ (as the emulator's sign-in finds them). */
export function demoUser(
  emu: Pick<RunningEmulator, "users">,
  name: string,
): RunningEmulator["users"][number] | undefined {
  const k = name.toLowerCase();
  return emu.users.find(
    (u) =>
      u.id === k || u.userPrincipalName.toLowerCase() === k || u.userPrincipalName.toLowerCase().split("@")[0] === k,
  );
}

export async function startPreview(o: PreviewOptions = {}): Promise<RunningPreview> {
  const ownEmulator = !o.emulator;
  const emu: PreviewEmulator =
    o.emulator ??
    (await startEmulator({
      port: 0,
      dataDir: mkdtempSync(join(tmpdir(), "pimtray-preview-emu-")),
      ...(o.seed ? { seed: o.seed } : {}),
      settings: { autoSignIn: o.signInAs ?? "adele" },
    }));
  if (o.signInAs && !demoUser(emu, o.signInAs)) {
    if (ownEmulator) await emu.close();
    const names = emu.users.map((u) => u.userPrincipalName.split("@")[0]).join(", ");
    throw new Error(`The demo tenant has no user '${o.signInAs}'. Sign in as one of: ${names}.`);
  }
  if (o.emulator && o.signInAs) await o.emulator.control.configure({ autoSignIn: o.signInAs });
  const configDir = o.configDir ?? mkdtempSync(join(tmpdir(), "pimtray-preview-"));
  const logger = o.logger ?? silentLogger;
  const rendererDir = o.rendererDir ?? join(process.cwd(), "dist", "renderer");
  const settings = new PolicedSettings(
    new FileSettingsStore(join(configDir, FILES.settings)),
    await readManagedPolicy(o.policy ?? []),
  );
  const persistence = new MemoryPersistence();
  const history = new HistoryLog(join(configDir, FILES.history));
  const dispatcher = new Agent({ connect: { ca: emu.caPem } });
  const engine = createEngine({
    connection: resolveConnection({
      cloud: "global",
      tenant: emu.tenantId,
      clientId: DEFAULT_CLIENT_ID,
      authorityHost: emu.origin,
      graphEndpoint: emu.origin,
      armEndpoint: emu.armBaseUrl,
    }),
    fetch: (url, init) => undiciFetch(url, { ...init, dispatcher }),
    persistence,
    ui: { openBrowser: (url) => followSignInPage(url, emu.caPem) },
    settings,
    history,
    logger,
    planesEnabled: async () => (await settings.load()).planes,
  });
  // The preview has its own config folder: no other process writes there, so nothing to watch.
  const lifecycle = createLifecycle(engine, { stateDir: configDir });
  const notifications: DesktopNotification[] = [];
  routeNotifications(
    lifecycle,
    {
      notify: async (n) => {
        notifications.push(n);
        logger.info(`notification: ${n.title}. ${n.body}`);
      },
    },
    // As the tray app on Windows and macOS, where notifications show their buttons.
    { logger, offerRenew: true, offerApprovalActions: true },
  );
  const diagnostics = previewDiagnostics({
    engine,
    settings,
    persistence,
    caPem: emu.caPem,
    configDir,
    saveAs: o.saveDiagnosticsAs,
  });
  const platform = {
    loginItem: false,
    doctorRuns: 0,
    exports: [] as string[],
    opened: [] as string[],
    hidden: 0,
    hidePopup() {
      platform.hidden += 1;
    },
    // The preview keeps tokens in memory, as a desktop without a key store does.
    tokenStorage: { encryptionAvailable: false, encrypted: false, use: async () => undefined },
    async setStartAtLogin(enabled: boolean) {
      platform.loginItem = enabled;
    },
    async openExternal(url: string) {
      platform.opened.push(url);
    },
    doctor() {
      platform.doctorRuns += 1;
      return diagnostics.doctor();
    },
    async exportDiagnostics() {
      const path = await diagnostics.exportDiagnostics();
      if (path) platform.exports.push(path);
      return path;
    },
  };
  const controller = new AppController(engine, lifecycle, platform, logger);
  const streams = new Set<ServerResponse>();
  controller.onPush((channel, data) => {
    for (const s of streams) s.write(`data: ${JSON.stringify({ channel, data })}\n\n`);
  });

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    try {
      if (req.method === "POST" && url.pathname === "/rpc") {
        let body = "";
        for await (const chunk of req) body += chunk as string;
        const { channel, payload } = JSON.parse(body) as { channel: unknown; payload: unknown };
        const result = await controller.invoke(channel, payload);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(result));
        return;
      }
      if (url.pathname === "/events") {
        res.writeHead(200, {
          "content-type": "text/event-stream",
          "cache-control": "no-store",
          connection: "keep-alive",
        });
        res.write(": connected\n\n");
        streams.add(res);
        req.on("close", () => streams.delete(res));
        return;
      }
      const file = url.pathname === "/" ? "index.html" : url.pathname.slice(1);
      if (!/^[\w.-]+$/.test(file)) throw new Error("bad path");
      let body = readFileSync(join(rendererDir, file));
      if (file === "index.html") {
        // The bridge stands where the preload would: before the app's script.
        body = Buffer.from(
          body
            .toString("utf8")
            .replace(
              '<script type="module" src="./app.js"></script>',
              '<script src="./preview-bridge.js"></script><script type="module" src="./app.js"></script>',
            ),
        );
      }
      res.writeHead(200, { "content-type": TYPES[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await lifecycle.start();
  return {
    url: `http://127.0.0.1:${port}/`,
    emulator: emu,
    controller,
    lifecycle,
    settings,
    configDir,
    platform,
    notifications,
    clickNotification(n, actionId = null) {
      if (actionId === "renew" && n.target) lifecycle.renewWhenExpired(n.target);
      const f = notificationFocus(n, actionId);
      if (f) controller.focus(f);
      return f;
    },
    async close() {
      controller.close();
      await lifecycle.stop();
      for (const s of streams) s.end();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await dispatcher.close();
      await diagnostics.close();
      if (ownEmulator) await emu.close();
    },
  };
}
