// npm run bench (part 2): the cost of staying informed, with the lifecycle service on the emulator.
//  - requests per hour and per plane (groups and Entra ID roles on Graph, Azure roles on ARM), idle
//    with 5 active group activations; with an active role and Azure role besides; with the Azure plane
//    turned off; with ARM unreachable (each a simulated hour on the emulator's clock)
//  - requests per hour with one approval pending, for a group and for an Azure role (simulated)
//  - the lag between an expiry and its notification, and between a warning's due time and the
//    warning (real time, with real 2-minute activations and 100–300 ms per Graph call)
// Results are printed and written to bench-results/lifecycle.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ARM_SCOPES, startEmulator, DEMO_GROUPS as G, type RunningEmulator } from "../emulator/index.js";
import { DEMO_ROLES } from "../emulator/roles/seed.js";
import type { Engine } from "../electron/engine/engine.js";
import { createLifecycle } from "../electron/engine/lifecycle-wiring.js";
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

/** Requests in the hour, by plane, and all Graph requests (groups and roles) as the groups-only bench counted them. */
interface HourCount {
  graph: number;
  group: number;
  role: number;
  azure: number;
}

function countByPlane(paths: readonly string[]): HourCount {
  const n = (p: (path: string) => boolean) => paths.filter(p).length;
  return {
    graph: n((x) => x.startsWith("/v1.0/")),
    group: n((x) => x.startsWith("/v1.0/identityGovernance/")),
    role: n((x) => x.startsWith("/v1.0/roleManagement/")),
    azure: n((x) => x.startsWith("/arm/")),
  };
}

async function simulatedHour(
  emu: RunningEmulator,
  dir: string,
  setup: (e: Engine) => Promise<void>,
  after?: () => Promise<void>,
): Promise<HourCount> {
  await emu.control.reset();
  await emu.control.configure({ provisioningDelayMs: 0 });
  await emu.control.clearFaults();
  // A folder of its own: one hour's settings (a plane turned off) must not carry into the next.
  const engine = await engineFor(emu, mkdtempSync(join(dir, "hour-")), true);
  await setup(engine);
  let service: LifecycleService | null = null;
  const clock = new EmulatorClockForTests(emu.emulator, () => service?.idle() ?? Promise.resolve());
  service = serviceFor(engine, clock);
  await service.start();
  await emu.control.clearRequests();
  await clock.advance(HOUR);
  const count = countByPlane((await emu.control.requests()).map((e) => e.path));
  await service.stop();
  await after?.();
  return count;
}

const GLOBAL_READER = { kind: "role" as const, roleDefinitionId: DEMO_ROLES.globalReader, directoryScopeId: "/" };

/** Adele's eligibility for an Azure role at a demo scope, as a target. */
async function azureTarget(e: Engine, roleName: string, scope: string) {
  const found = (await e.planes.for("azure").eligibilities()).find(
    (x) => x.roleName === roleName && x.scope.toLowerCase() === scope.toLowerCase(),
  );
  if (!found) throw new Error(`no ${roleName} eligibility at ${scope} in the demo tenant`);
  return { kind: "azure" as const, roleDefinitionId: found.roleDefinitionId, scope: found.scope };
}

const fmt = (c: HourCount) =>
  `${String(c.graph).padStart(3)} Graph (groups ${c.group}, roles ${c.role}), ARM ${c.azure}`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "pimtray-bench-lc-"));
  const emu = await startEmulator({ port: 0, dataDir: join(dir, "emu") });
  try {
    const five = [G.financeAdmins, G.helpdesk, G.sharePointAdmins, G.platformOpsEu, G.platformOpsUs];
    // The idle baseline every scenario starts from: five groups, one ending within the hour.
    const activateFive = async (e: Engine) => {
      for (const g of five)
        await e.activation.activate(
          {
            target: { groupId: g, accessId: "member" },
            justification: "bench",
            durationMs: g === G.helpdesk ? HOUR : 2 * HOUR,
          },
          { waitFor: "none" },
        );
    };
    process.stdout.write("Simulated hour, idle with 5 active activations…\n");
    const idle = await simulatedHour(emu, dir, activateFive);
    process.stdout.write("Simulated hour, idle with 5 active groups, an active role and an active Azure role…\n");
    const idleMixed = await simulatedHour(emu, dir, async (e) => {
      await activateFive(e);
      await e.activation.activate({ target: GLOBAL_READER, justification: "bench", durationMs: 2 * HOUR });
      await e.activation.activate({
        target: await azureTarget(e, "Reader", ARM_SCOPES.development),
        justification: "bench",
        durationMs: 2 * HOUR,
      });
    });
    process.stdout.write("Simulated hour, idle with 5 active groups, the Azure plane turned off…\n");
    const idleAzureOff = await simulatedHour(emu, dir, async (e) => {
      await e.settings.update((s) => {
        s.planes.azure = false;
      });
      await activateFive(e);
    });
    process.stdout.write("Simulated hour, idle with 5 active groups, ARM answering 503…\n");
    const idleArmDown = await simulatedHour(emu, dir, async (e) => {
      await activateFive(e);
      await emu.control.addFaults([{ kind: "status", status: 503, path: "/arm/" }]);
    });
    process.stdout.write("Simulated hour with one approval pending…\n");
    const approval = await simulatedHour(emu, dir, async (e) => {
      await e.activation.activate(
        { target: { groupId: G.tenantAdmins, accessId: "member" }, justification: "bench" },
        { waitFor: "none" },
      );
    });
    process.stdout.write("Simulated hour with one Azure approval pending (Owner on Contoso Production)…\n");
    const azureApproval = await simulatedHour(emu, dir, async (e) => {
      await e.activation.activate(
        { target: await azureTarget(e, "Owner", ARM_SCOPES.production), justification: "bench" },
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
      graphRequestsPerHour: { idleWith5Active: idle.graph, onePendingApproval: approval.graph },
      requestsPerHourByPlane: {
        idleWith5ActiveGroups: idle,
        idleWith5GroupsARoleAndAnAzureRoleActive: idleMixed,
        idleWith5ActiveGroupsAzureOff: idleAzureOff,
        idleWith5ActiveGroupsArmUnreachable: idleArmDown,
        oneGroupApprovalPending: approval,
        oneAzureApprovalPending: azureApproval,
      },
      expiryToNotificationMs: { samples: expiredLags, max: max(expiredLags) },
      warningDelayMs: { samples: warningLags, max: max(warningLags) },
    };
    process.stdout.write(
      [
        "",
        "Requests per simulated hour:",
        `  idle, 5 active groups:                            ${fmt(idle)}`,
        `  idle, 5 groups + a role + an Azure role active:   ${fmt(idleMixed)}`,
        `  idle, 5 active groups, Azure plane off:           ${fmt(idleAzureOff)}`,
        `  idle, 5 active groups, ARM unreachable (503):     ${fmt(idleArmDown)}`,
        `  one group approval pending:                       ${fmt(approval)}`,
        `  one Azure approval pending:                       ${fmt(azureApproval)}`,
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
