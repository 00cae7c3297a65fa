// The requester's side of an approval, across processes: Adele runs `pimtray activate … --wait` (its own
// process and config folder) and waits for approval; Megan, in other processes, finds the request with
// `pimtray approvals --json` and approves it with `pimtray approve`. Adele's command sees the approval on
// its existing tracking schedule (electron/engine/activation/polling.ts: after 5, 10 and 15 s, then every
// 30 s) and exits 0 with the access active. Real processes on the real clock: the bound asserted is the
// schedule's next poll after the approval, plus 3 s for that read, the confirmation read and the exit.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APPROVAL_SCHEDULE_MS, APPROVAL_STEADY_MS } from "../../electron/engine/activation/polling.js";
import type { PlaneKind } from "../../electron/engine/planes/targets.js";
import { CliHarness } from "../helpers/cli.js";
import { startTestEmulator } from "../helpers/emulator.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let megan: CliHarness;
let adele: CliHarness;

beforeAll(async () => {
  emu = await startTestEmulator({ settings: { provisioningDelayMs: 300 } });
  megan = new CliHarness(emu);
  adele = new CliHarness(emu);
  await megan.login("megan");
  await adele.login("adele");
}, 60_000);
afterAll(async () => {
  for (const c of [megan, adele]) {
    c.expectNoSecrets(expect);
    c.cleanup();
  }
  await emu.stop();
});

/** What Adele activates on each plane: the demo targets whose policy needs Megan's approval. */
const TARGET: Record<PlaneKind, string[]> = {
  group: ["Tenant Admins"],
  role: ["Privileged Role Administrator"],
  azure: ["Owner", "--kind", "azure"],
};

/** Seconds after tracking started at which the approval schedule reads the request: 5, 15, 30, 60, 90, … */
function pollOffsetsMs(upTo: number): number[] {
  const out: number[] = [];
  let t = 0;
  for (let i = 0; t <= upTo; i++) {
    t += APPROVAL_SCHEDULE_MS[i] ?? APPROVAL_STEADY_MS;
    out.push(t);
  }
  return out;
}

async function until(what: string, check: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** Measured approval → exit times, printed once at the end for docs and reports. */
const measured: string[] = [];
afterAll(() => {
  if (measured.length) console.info(`activate --wait, approval to exit:\n  ${measured.join("\n  ")}`);
});

describe("a requester's activate --wait sees the approval within the tracking cadence", () => {
  it.each<PlaneKind>(["group", "role", "azure"])(
    "%s: Megan approves with pimtray approve; Adele's activate --wait exits 0, active",
    async (plane) => {
      const act: ChildProcess & { result: Promise<{ code: number | null; stdout: string; stderr: string }> } =
        adele.spawn(["activate", ...TARGET[plane], "--wait", "--justification", "Quarter close"]);
      let stderr = "";
      let tracking = 0;
      act.stderr?.on("data", (d: Buffer) => {
        stderr += d.toString();
        // Not a terminal: one progress line per change; the approval schedule starts as this is printed.
        if (!tracking && stderr.includes("waiting for approval")) tracking = Date.now();
      });
      await until("activate to wait for approval", () => tracking > 0, 15_000);

      const inbox = await megan.json<Array<{ requestId: string; requester: { name: string } }>>([
        "approvals",
        "--kind",
        plane,
      ]);
      const mine = inbox.body.filter((a) => a.requester.name === "Adele Vance");
      expect(mine).toHaveLength(1);
      const approve = await megan.run(["approve", mine[0]?.requestId ?? "", "--justification", "Go ahead"]);
      expect(approve.code).toBe(0);
      const approvedAt = Date.now(); // the decision has landed once `pimtray approve` has exited

      const r = await act.result;
      const exitedAt = Date.now();
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/is active until/);

      // The first scheduled read after the approval (1 s of slack for a read just before it landed).
      const next = pollOffsetsMs(approvedAt - tracking + 1000).find((t) => tracking + t > approvedAt + 1000) ?? 0;
      const bound = tracking + next + 3000;
      measured.push(
        `${plane}: approved ${((approvedAt - tracking) / 1000).toFixed(1)} s into the wait; exit ${((exitedAt - approvedAt) / 1000).toFixed(1)} s later (next scheduled read at ${next / 1000} s; bound ${((bound - approvedAt) / 1000).toFixed(1)} s)`,
      );
      expect(exitedAt).toBeLessThanOrEqual(bound);
      // Never sooner than the schedule: the command did not poll faster than documented.
      expect(exitedAt - tracking).toBeGreaterThanOrEqual((APPROVAL_SCHEDULE_MS[0] ?? 0) - 100);
    },
    60_000,
  );
});
