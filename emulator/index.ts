import { EmulatorControl } from "./control-client.js";
import { Emulator, type EmulatorInfo, type EmulatorOptions } from "./server.js";

export { DEMO_DOMAIN, DEMO_GROUPS, DEMO_TENANT_ID, DEMO_USERS } from "./seed.js";
export { EmulatorControl, ControlError } from "./control-client.js";
export type { PimInstanceView, PimRequestView, SettingsPatch } from "./control-client.js";
export type { FaultRule } from "./faults.js";
export type { LoggedRequest } from "./request-log.js";
export type { EmulatorInfo, EmulatorOptions, EmulatorSettings, SeedSpec } from "./server.js";
export { Emulator, DEFAULT_SETTINGS, defaultDataDir } from "./server.js";

export interface RunningEmulator extends EmulatorInfo {
  caPem: string;
  control: EmulatorControl;
  /** The in-process emulator, for tests that need more than the control API. */
  emulator: Emulator;
  close(): Promise<void>;
}

/** Starts the emulator in this process. Use port 0 (the default) so that suites run in parallel. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = await Emulator.start(options);
  const info = emulator.info;
  const control = new EmulatorControl(info.controlUrl, emulator.tls.caCertPem);
  return {
    ...info,
    caPem: emulator.tls.caCertPem,
    control,
    emulator,
    async close() {
      await control.close();
      await emulator.close();
    },
  };
}
