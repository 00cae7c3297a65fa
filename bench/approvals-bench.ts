// npm run bench (part 3): the approver's side, with the lifecycle service signed in as Megan (the demo
// tenant's approver on every plane), on the emulator's clock (simulated hours):
//  - requests per hour, by plane, with "I approve requests" off, on with an empty inbox, and on with one
//    request waiting on each plane (the whole lifecycle: its own reconciles plus the approver's reads)
//  - the time from a request being created (as Adele, through the control API, at a random moment) to
//    Megan's "approval-requested" event: bounded by the approver cadence (5 min), 36 samples
// Results are printed and written to bench-results/approvals.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Engine } from "../electron/engine/engine.js";
import { createLifecycle } from "../electron/engine/lifecycle-wiring.js";
import type { LifecycleService } from "../electron/engine/lifecycle/lifecycle-service.js";
import type { PlaneKind } from "../electron/engine/planes/targets.js";
import { startEmulator, type RunningEmulator } from "../emulator/index.js";
import { decideElsewhere, requestAsAdele } from "../test/helpers/approvals.js";
import { engineAgainst } from "../test/helpers/engine.js";
import { EmulatorClockForTests } from "../test/helpers/fake-clock.js";
import { quantile } from "./stats.js";

const HOUR = 3600_000;
const PLANES: PlaneKind[] = ["group", "role", "azure"];
const APPROVAL_READ = /filterByCurrentUser\(on='approver'\)|assignmentApprovals|roleAssignmentApprovals|asApprover/i;

interface Count {
  total: number;
  group: number;
  role: number;
  azure: number;
  /** Of the total, the approver's reads (inbox lists, approval stages). */
  approvals: number;
}

function count(entries: ReadonlyArray<{ path: string; query: Record<string, string> }>): Count {
  const n = (p: (e: { path: string; query: Record<string, string> }) => boolean) => entries.filter(p).length;
  return {
    total: n((e) => e.path.startsWith("/v1.0/") || e.path.startsWith("/beta/") || e.path.startsWith("/arm/")),
    group: n((e) => /^\/(v1\.0|beta)\/identityGovernance\//.test(e.path)),
    role: n((e) => /^\/(v1\.0|beta)\/roleManagement\//.test(e.path)),
    azure: n((e) => e.path.startsWith("/arm/")),
    approvals: n((e) => APPROVAL_READ.test(`${e.path} ${JSON.stringify(e.query)}`)),
  };
}

interface Run {
  engine: Engine;
  service: LifecycleService;
  clock: EmulatorClockForTests;
  events: Array<{ kind: PlaneKind; requestId: string; at: number }>;
}

async function megan(emu: RunningEmulator, dir: string, approvalsOn: boolean): Promise<Run> {
  const engine = await engineAgainst(emu, mkdtempSync(join(dir, "megan-")), {
    user: "megan",
    overrides: { sleep: async () => undefined },
  });
  await engine.settings.update((s) => {
    s.approvals.enabled = approvalsOn;
  });
  let service: LifecycleService | null = null;
  const clock = new EmulatorClockForTests(emu.emulator, () => service?.idle() ?? Promise.resolve());
  service = createLifecycle(engine, { stateDir: null, clock });
  const events: Run["events"] = [];
  service.on((e) => {
    if (e.type === "approval-requested")
      events.push({ kind: e.approval.kind, requestId: e.approval.requestId, at: clock.now() });
  });
  return { engine, service, clock, events };
}

async function simulatedHour(emu: RunningEmulator, dir: string, approvalsOn: boolean, waiting: boolean) {
  await emu.control.reset();
  await emu.control.configure({ provisioningDelayMs: 0 });
  if (waiting) for (const p of PLANES) await requestAsAdele(emu, p);
  const run = await megan(emu, dir, approvalsOn);
  await run.service.start();
  await emu.control.clearRequests();
  await run.clock.advance(HOUR);
  const c = count(await emu.control.requests());
  await run.service.stop();
  return c;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "pimtray-bench-approvals-"));
  const emu = await startEmulator({ port: 0, dataDir: join(dir, "emu") });
  try {
    process.stdout.write("Simulated hour as an approver, approvals off…\n");
    const off = await simulatedHour(emu, dir, false, false);
    process.stdout.write("Simulated hour as an approver, approvals on, nothing waiting…\n");
    const on = await simulatedHour(emu, dir, true, false);
    process.stdout.write("Simulated hour as an approver, approvals on, one request waiting on each plane…\n");
    const waiting = await simulatedHour(emu, dir, true, true);

    process.stdout.write("Request → approver event, 36 requests at random moments (simulated time)…\n");
    await emu.control.reset();
    await emu.control.configure({ provisioningDelayMs: 0 });
    const run = await megan(emu, dir, true);
    await run.service.start();
    const created = new Map<string, number>();
    const lastByPlane = new Map<PlaneKind, string>();
    for (let i = 0; i < 36; i++) {
      await run.clock.advance(Math.round(Math.random() * 6 * 60_000));
      const plane = PLANES[i % 3] as PlaneKind; // i % 3 indexes the three planes
      // Each plane's demo request can wait only once per requester at a time: the last one is denied
      // first (by another approver, through the control API; it may have been decided already).
      const last = lastByPlane.get(plane);
      if (last) await decideElsewhere(emu, plane, last, "deny").catch(() => undefined);
      const r = await requestAsAdele(emu, plane, { justification: `bench ${i}` });
      lastByPlane.set(plane, r.id);
      created.set(r.id.toLowerCase(), run.clock.now());
    }
    await run.clock.advance(10 * 60_000);
    await run.service.stop();
    const lags = run.events.flatMap((e) => {
      const at = created.get(e.requestId.toLowerCase());
      return at === undefined ? [] : [e.at - at];
    });
    const seconds = (ms: number) => Math.round(ms / 100) / 10;
    const results = {
      date: new Date().toISOString(),
      approverPollMs: 5 * 60_000,
      requestsPerHour: { approvalsOff: off, approvalsOnEmpty: on, approvalsOnOneWaitingPerPlane: waiting },
      requestToApproverEventMs: {
        samples: lags.length,
        median: quantile(lags, 0.5),
        p95: quantile(lags, 0.95),
        max: Math.max(...lags),
      },
    };
    const fmt = (c: Count) =>
      `${String(c.total).padStart(3)} (groups ${c.group}, roles ${c.role}, ARM ${c.azure}; approver reads ${c.approvals})`;
    process.stdout.write(
      [
        "",
        "Approver, requests per simulated hour (all of the lifecycle's):",
        `  approvals off:                              ${fmt(off)}`,
        `  approvals on, nothing waiting:              ${fmt(on)}`,
        `  approvals on, one request on each plane:    ${fmt(waiting)}`,
        `Request created → approver event (s, ${lags.length} samples): median ${seconds(results.requestToApproverEventMs.median)}, p95 ${seconds(results.requestToApproverEventMs.p95)}, max ${seconds(results.requestToApproverEventMs.max)}`,
        "",
      ].join("\n"),
    );
    mkdirSync("bench-results", { recursive: true });
    writeFileSync(join("bench-results", "approvals.json"), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write("Written to bench-results/approvals.json\n");
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
