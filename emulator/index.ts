import { EmulatorControl } from "./control-client.js";
import { Emulator } from "./server.js";
import type { EmulatorInfo, EmulatorOptions } from "./settings.js";

export { DEMO_APPROVER_GROUPS, DEMO_DOMAIN, DEMO_GROUPS, DEMO_TENANT_ID, DEMO_USERS } from "./seed.js";
export { DEMO_ADMINISTRATIVE_UNITS, DEMO_ROLES } from "./roles/seed.js";
export { ARM_ELIGIBILITIES, ARM_ROLES, ARM_SCOPES, ARM_SUBSCRIPTIONS } from "./arm/seed.js";
export { EmulatorControl, ControlError } from "./control-client.js";
export { demoApprovalRequest, type DemoApproval, type DemoApprovalOptions } from "./demo-approvals.js";
export type { PimInstanceView, PimRequestView, SettingsPatch } from "./control-client.js";
export type { ControlRequest, ControlRequestResult } from "./control-requests.js";
export type { FaultRule } from "./faults.js";
export type { LoggedRequest } from "./request-log.js";
export type { EmulatorInfo, EmulatorOptions, EmulatorSettings, SeedSpec } from "./settings.js";
export { Emulator } from "./server.js";
export { DEFAULT_SETTINGS, defaultDataDir } from "./settings.js";

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
