import { join } from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import { MemoryPersistence } from "../../electron/engine/auth/token-cache.js";
import { DEFAULT_CLIENT_ID, resolveConnection } from "../../electron/engine/config.js";
import { createEngine, type Engine, type EngineOptions } from "../../electron/engine/engine.js";
import { HistoryLog } from "../../electron/engine/history/history-log.js";
import { silentLogger } from "../../electron/engine/logger.js";
import { FileSettingsStore } from "../../electron/engine/profiles/settings-store.js";
import type { RunningEmulator } from "../../emulator/index.js";

/** The connection PIM Tray resolves for an emulator (its sign-in host, Graph and ARM), as the CLI's flags give it. */
export function emulatorConnection(emu: RunningEmulator, tenant: string = emu.tenantId) {
  return resolveConnection({
    cloud: "global",
    tenant,
    clientId: DEFAULT_CLIENT_ID,
    authorityHost: emu.origin,
    graphEndpoint: emu.origin,
    armEndpoint: emu.armBaseUrl,
  });
}

/**
 * The engine against an emulator, in-process, with files in `dir`; signed in as `user` through the
 * real device-code flow unless `user` is null. Shared by tests and the benchmarks.
 */
export async function engineAgainst(
  emu: RunningEmulator,
  dir: string,
  options: { user?: string | null; tenant?: string; overrides?: Partial<EngineOptions> } = {},
): Promise<Engine> {
  const dispatcher = new Agent({ connect: { ca: emu.caPem } });
  const engine = createEngine({
    connection: emulatorConnection(emu, options.tenant),
    fetch: (url, init) => undiciFetch(url, { ...init, dispatcher }),
    persistence: new MemoryPersistence(),
    ui: { showDeviceCode: () => undefined },
    settings: new FileSettingsStore(join(dir, "settings.json")),
    history: new HistoryLog(join(dir, "history.jsonl")),
    logger: silentLogger,
    ...options.overrides,
  });
  const user = options.user === undefined ? "adele" : options.user;
  if (user) {
    await emu.control.configure({ deviceCodeAutoApprove: user, deviceCodeIntervalSeconds: 0 });
    await engine.auth.signIn({ method: "device-code" });
  }
  return engine;
}
