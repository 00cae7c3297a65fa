// `pimtray status`'s reads (Planes.activeAndRequests): each Graph plane's active assignments and requests go in one
// $batch with that plane's token, and the answer is the same as reading each list on its own. A list Graph does not
// answer inside the batch is read on its own; later pages follow their nextLink as before.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Engine } from "../../../electron/engine/engine.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { engineAgainst } from "../../helpers/engine.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let dir: string;
let engine: Engine;

beforeAll(async () => {
  emu = await startTestEmulator();
  dir = mkdtempSync(join(tmpdir(), "pimtray-status-reads-"));
  engine = await engineAgainst(emu, dir);
  // Something to show on every plane: an active group, role and Azure role.
  const eligible = await engine.planes.eligibilities();
  for (const kind of ["group", "role", "azure"] as const) {
    const target = eligible.find((e) => (e.kind ?? "group") === kind);
    if (!target) throw new Error(`no ${kind} eligibility in the demo tenant`);
    await engine.activation.activate({ target, durationMs: 3600_000, justification: "status reads" });
  }
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await emu.stop();
});
beforeEach(async () => {
  await emu.control.clearFaults();
  await emu.control.clearRequests();
});

const paths = async () => (await emu.control.requests()).map((e) => `${e.method} ${e.path}`).sort();
/** Each record whole, in a stable order: the lists compared as sets. */
const ids = (xs: readonly object[]) => xs.map((x) => JSON.stringify(x)).sort();

describe("status's reads", () => {
  it("are one $batch per Graph plane and ARM's two, with the answer reading each list alone gives", async () => {
    const [active, requests] = await engine.planes.activeAndRequests();
    expect(await paths()).toEqual([
      "GET /arm/providers/Microsoft.Authorization/roleAssignmentScheduleInstances",
      "GET /arm/providers/Microsoft.Authorization/roleAssignmentScheduleRequests",
      "POST /v1.0/$batch",
      "POST /v1.0/$batch",
    ]);
    expect(new Set(active.map((a) => a.kind ?? "group"))).toEqual(new Set(["group", "role", "azure"]));
    await emu.control.clearRequests();
    const [alone, aloneRequests] = await Promise.all([engine.planes.activeAssignments(), engine.planes.myRequests()]);
    expect((await paths()).filter((p) => p.includes("$batch"))).toEqual([]);
    expect(ids(active)).toEqual(ids(alone));
    expect(ids(requests)).toEqual(ids(aloneRequests));
  });

  it("tells each plane's count as its number of active assignments, whichever of the two reads ends last", async () => {
    for (let i = 0; i < 3; i++) {
      const [active] = await engine.planes.activeAndRequests();
      for (const p of engine.planes.status())
        expect(p.count, p.kind).toBe(active.filter((a) => (a.kind ?? "group") === p.kind).length);
    }
  });

  it("a list Graph throttles inside the batch is read again on its own, and the answer is whole", async () => {
    const [expectedActive] = await engine.planes.activeAndRequests();
    await emu.control.clearRequests();
    await emu.control.addFaults([
      {
        kind: "status",
        status: 429,
        retryAfter: 0,
        method: "GET",
        path: "/identityGovernance/privilegedAccess/group/assignmentScheduleInstances",
        count: 1,
      },
    ]);
    const [active] = await engine.planes.activeAndRequests();
    expect(ids(active)).toEqual(ids(expectedActive));
    const log = await paths();
    expect(log.filter((p) => p === "POST /v1.0/$batch")).toHaveLength(2);
    // The throttled list, alone, after the batch.
    expect(
      log.some((p) => p.startsWith("GET /v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleInstances")),
    ).toBe(true);
  });

  it("a refused batch leaves each list to be read on its own", async () => {
    const [expectedActive, expectedRequests] = await engine.planes.activeAndRequests();
    await emu.control.clearRequests();
    await emu.control.addFaults([{ kind: "status", status: 400, method: "POST", path: "/v1.0/$batch", count: 2 }]);
    const [active, requests] = await engine.planes.activeAndRequests();
    expect(ids(active)).toEqual(ids(expectedActive));
    expect(ids(requests)).toEqual(ids(expectedRequests));
    expect((await paths()).filter((p) => p.startsWith("GET /v1.0/"))).toHaveLength(4);
  });
});
