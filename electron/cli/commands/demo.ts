import { join } from "node:path";
import { defaultConfigDir } from "../../engine/paths.js";
import { stopDemoEmulator } from "../../node/demo-emulator.js";
import type { GlobalOptions } from "../context.js";
import { EXIT } from "../exit-codes.js";

// `pimtray demo stop`. It needs no engine and no sign-in, so it runs without a CliContext: building
// one with --demo would start the very emulator it is asked to stop.

export async function cmdDemoStop(o: GlobalOptions): Promise<number> {
  const dir = join(o.configDir ?? process.env.PIMTRAY_CONFIG_DIR ?? defaultConfigDir(), "demo");
  const stopped = await stopDemoEmulator(dir);
  process.stdout.write(stopped ? "The demo emulator is stopped.\n" : "No demo emulator was running.\n");
  return EXIT.ok;
}
