// The activation service in-process against the emulator, with a sleep that moves the emulator's
// clock instead of waiting: the 5-minute floor and --wait run for real, in milliseconds.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_GROUPS as G } from "../../../emulator/index.js";
import type { Engine } from "../../../electron/engine/engine.js";
import { PolicyError } from "../../../electron/engine/errors.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { engineAgainst } from "../../helpers/engine.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let engine: Engine;
let dir: string;
const slept: number[] = [];

beforeAll(async () => {
  emu = await startTestEmulator({
    settings: { provisioningDelayMs: 0, deviceCodeAutoApprove: "adele", deviceCodeIntervalSeconds: 0 },
  });
  dir = mkdtempSync(join(tmpdir(), "pimtray-engine-"));
  // By domain, not id: the tenant can be named either way.
  engine = await engineAgainst(emu, dir, {
    tenant: "contoso.example",
    overrides: {
      sleep: async (ms) => {
        slept.push(ms);
        emu.emulator.clock.advance(ms);
      },
    },
  });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await emu.stop();
});

describe("activation service", () => {
  it("signs in with the tenant named by its domain", async () => {
    expect((await engine.auth.currentAccount())?.tenantId).toBe(emu.tenantId);
  });

  it("deactivate --wait waits out the 5-minute floor, then revokes", async () => {
    const target = { groupId: G.financeAdmins, accessId: "member" as const, groupName: "Finance Admins" };
    expect((await engine.activation.activate({ target, justification: "x" })).status).toBe("active");
    await expect(engine.activation.deactivate(target)).rejects.toBeInstanceOf(PolicyError);
    slept.length = 0;
    const phases: string[] = [];
    const out = await engine.activation.deactivate(target, { wait: true, onProgress: (p) => phases.push(p.phase) });
    expect(out.status).toBe("deactivated");
    expect(phases).toContain("waiting-floor");
    const waited = slept.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThan(4 * 60_000);
    expect(waited).toBeLessThan(6 * 60_000);
  });

  it("follows an approval to the end with the slow schedule", async () => {
    const target = { groupId: G.tenantAdmins, accessId: "member" as const, groupName: "Tenant Admins" };
    slept.length = 0;
    let approved = false;
    const outcome = await engine.activation.activate(
      { target, justification: "x" },
      {
        waitFor: "final",
        timeoutMs: 3600_000,
        onProgress: (p) => {
          // The approver decides once the requester has been waiting a while.
          if (p.phase === "pending-approval" && slept.length === 3 && !approved) {
            approved = true;
            void emu.control
              .pimRequests()
              .then((rs) => emu.control.approve(rs.find((r) => r.status === "PendingApproval")?.id ?? ""));
          }
        },
      },
    );
    expect(outcome.status).toBe("active");
    // The tracker waits until each look is due: the schedule's delays, less the milliseconds the real clock moved.
    expect(slept.slice(0, 3).map((ms) => Math.round(ms / 100) * 100)).toEqual([5000, 10_000, 15_000]);
  });
});
