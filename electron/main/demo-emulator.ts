import { app, utilityProcess } from "electron";
import { createWriteStream } from "node:fs";
import { childProcessLauncher, ensureDemoEmulator, type EmulatorLauncher } from "../node/demo-emulator.js";

// Demo mode's emulator, shared with other demo clients and released when the app quits.

/** Electron's utilityProcess in the launcher shape demo.ts expects; its stderr goes to emulator.log. */
const utilityLauncher: EmulatorLauncher = ({ script, execArgv, args, logPath }) => {
  const child = utilityProcess.fork(script, args, {
    execArgv,
    stdio: ["ignore", "pipe", "pipe"],
    serviceName: "PIM Tray demo emulator",
  });
  child.stderr?.pipe(createWriteStream(logPath, { flags: "a", mode: 0o600 }));
  return {
    pid: child.pid,
    stdout: child.stdout,
    onExit: (l) => void child.once("exit", (code) => l(code)),
    // Electron ends utility processes with the app; nothing to let go of but the output.
    detach: () => child.stdout?.removeAllListeners("data"),
  };
};

export type AppDemoEmulator = Awaited<ReturnType<typeof ensureDemoEmulator>>;

/** Reuses or starts the emulator for this config folder and holds a lease on it until the app quits. */
export async function startDemoEmulator(configDir: string): Promise<AppDemoEmulator> {
  // A packaged app cannot run Node as a child (the RunAsNode fuse is off): it uses a utility process.
  const emulator = await ensureDemoEmulator(configDir, {
    launch: app.isPackaged ? utilityLauncher : childProcessLauncher,
    stopWhenUnused: true,
  });
  app.on("will-quit", emulator.release);
  return emulator;
}
