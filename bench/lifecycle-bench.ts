// npm run bench (part 2): the cost of staying informed, with the lifecycle service on the emulator.
//  - Graph requests per hour, idle with 5 active activations (a simulated hour on the emulator's clock)
//  - Graph requests per hour with one approval pending (simulated)
//  - the lag between an expiry and its notification, and between a warning's due time and the
//    warning (real time, with real 2-minute activations and 100–300 ms per Graph call)
// Results are printed and written to bench-results/lifecycle.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, DEMO_GROUPS as G, type RunningEmulator } from "../emulator/index.js";
import { createLifecycle, type Engine } from "../electron/engine/engine.js";
import { systemClock, type Clock } from "../electron/engine/lifecycle/clock.js";
import type { LifecycleEvent } from "../electron/engine/lifecycle/events.js";
import type { LifecycleService } from "../electron/engine/lifecycle/lifecycle-service.js";
import { engineAgainst } from "../test/helpers/engine.js";
import { EmulatorClockForTests } from "../test/helpers/fake-clock.js";

const HOUR = 3600_000;

function engineFor(emu: RunningEmulator, dir: string, simulated: boolean): Promise<Engine> {
  // Simulated runs skip HTTP retry waits: the service's own schedule runs on the emulator's clock.
  return engineAgainst(emu, dir, simulated ? { overrides: { sleep: async () => undefined } } : {});
}

function serviceFor(engine: Engine, clock: Clock): LifecycleService {
  return createLifecycle(engine, { stateDir: null, clock });
}

async function simulatedHour(emu: RunningEmulator, dir: string, setup: (e: Engine) => Promise<void>): Promise<number> {
  await emu.control.reset();
  await emu.control.configure({ provisioningDelayMs: 0 });
  const engine = await engineFor(emu, dir, true);
  await setup(engine);
  let service: LifecycleService | null = null;
  const clock = new EmulatorClockForTests(emu.emulator, () => service?.idle() ?? Promise.resolve());
  service = serviceFor(engine, clock);
  await service.start();
  await emu.control.clearRequests();
  await clock.advance(HOUR);
  const count = (await emu.control.requests()).filter((e) => e.path.startsWith("/v1.0/")).length;
  await service.stop();
  return count;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "pimtray-bench-lc-"));
  const emu = await startEmulator({ port: 0, dataDir: join(dir, "emu") });
  try {
    const five = [G.financeAdmins, G.helpdesk, G.sharePointAdmins, G.platformOpsEu, G.platformOpsUs];
    process.stdout.write("Simulated hour, idle with 5 active activations…\n");
    const idle = await simulatedHour(emu, dir, async (e) => {
      for (const g of five)
        await e.activation.activate(
          {
            target: { groupId: g, accessId: "member" },
            justification: "bench",
            durationMs: g === G.helpdesk ? HOUR : 2 * HOUR,
          },
          { waitFor: "none" },
        );
    });
    process.stdout.write("Simulated hour with one approval pending…\n");
    const approval = await simulatedHour(emu, dir, async (e) => {
      await e.activation.activate(
        { target: { groupId: G.tenantAdmins, accessId: "member" }, justification: "bench" },
        { waitFor: "none" },
      );
    });

    process.stdout.write("Real time: three 2-minute activations, 1-minute warning, 100–300 ms per Graph call…\n");
    await emu.control.reset();
    await emu.control.configure({ provisioningDelayMs: 0 });
    await emu.control.addFaults([{ kind: "latency", minMs: 100, maxMs: 300, path: "/v1.0/" }]);
    const engine = await engineFor(emu, dir, false);
    await engine.settings.update((s) => {
      s.notifications.leadMinutes = [1];
    });
    const service = serviceFor(engine, systemClock);
    const seen: Array<{ e: LifecycleEvent; at: number }> = [];
    service.on((e) => seen.push({ e, at: Date.now() }));
    await service.start();
    const three = [G.financeAdmins, G.helpdesk, G.sharePointAdmins];
    for (const g of three)
      await engine.activation.activate({
        target: { groupId: g, accessId: "member" },
        justification: "bench",
        durationMs: 2 * 60_000,
      });
    await service.refresh();
    const deadline = Date.now() + 4 * 60_000;
    while (seen.filter((s) => s.e.type === "expired").length < three.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    await service.stop();
    const expiredLags = seen
      .filter((s) => s.e.type === "expired")
      .map((s) => s.at - Date.parse((s.e as { endDateTime: string }).endDateTime));
    const warningLags = seen
      .filter((s) => s.e.type === "expiring-soon")
      .map((s) => s.at - (Date.parse((s.e as { endDateTime: string }).endDateTime) - 60_000));
    const max = (xs: number[]) => (xs.length ? Math.max(...xs) : NaN);
    const results = {
      date: new Date().toISOString(),
      graphRequestsPerHour: { idleWith5Active: idle, onePendingApproval: approval },
      expiryToNotificationMs: { samples: expiredLags, max: max(expiredLags) },
      warningDelayMs: { samples: warningLags, max: max(warningLags) },
    };
    process.stdout.write(
      [
        "",
        `Graph requests per hour, idle with 5 active:        ${idle}`,
        `Graph requests per hour, one approval pending:      ${approval}`,
        `Expiry to "expired" notification (ms):               ${expiredLags.map((x) => Math.round(x)).join(", ")} (max ${Math.round(max(expiredLags))})`,
        `Warning due to warning shown (ms):                   ${warningLags.map((x) => Math.round(x)).join(", ")} (max ${Math.round(max(warningLags))})`,
        "",
      ].join("\n"),
    );
    mkdirSync("bench-results", { recursive: true });
    writeFileSync(join("bench-results", "lifecycle.json"), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write("Written to bench-results/lifecycle.json\n");
  } finally {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
