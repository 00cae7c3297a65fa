import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator/index.js";

/** Starts an emulator with its own data folder; `stop` removes both. */
export async function startTestEmulator(
  options: EmulatorOptions = {},
): Promise<RunningEmulator & { dataDir: string; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "pimtray-emu-"));
  const emu = await startEmulator({ port: 0, dataDir, ...options });
  return {
    ...emu,
    dataDir,
    async stop() {
      await emu.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
