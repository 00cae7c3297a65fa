// A long eligibility list told in parts: after each page of each plane, the list so far, in plane order; the
// whole list at the end is the same as a read without parts. Against the emulator over HTTPS (paging every 10),
// with the real MSAL.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../electron/engine/engine.js";
import { targetKey, type Eligibility } from "../../../electron/engine/planes/targets.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { engineAgainst } from "../../helpers/engine.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let engine: Engine;
let dir: string;

beforeAll(async () => {
  emu = await startTestEmulator({ seed: { kind: "large", groups: 35, roles: 12, azure: 14 } });
  await emu.control.configure({ pageSize: 10 });
  dir = mkdtempSync(join(tmpdir(), "pimtray-parts-"));
  engine = await engineAgainst(emu, dir);
});
afterAll(async () => {
  await emu.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("eligibilities in parts", () => {
  it("tells a growing list after each page, each part without repeats and within the whole, then the whole", async () => {
    const parts: Eligibility[][] = [];
    const whole = await engine.planes.eligibilities((soFar) => parts.push(soFar));
    const plain = await engine.planes.eligibilities();
    expect(whole.map(targetKey)).toEqual(plain.map(targetKey));
    // Groups alone are 4 pages of 10: at least 3 parts before their last page, plus one as each plane finishes.
    expect(parts.length).toBeGreaterThanOrEqual(5);
    const all = new Set(whole.map(targetKey));
    let before = 0;
    for (const part of parts) {
      const keys = part.map(targetKey);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.every((k) => all.has(k))).toBe(true);
      expect(part.length).toBeGreaterThanOrEqual(before);
      before = part.length;
    }
    // The last part is the whole list (the last plane to finish tells it too).
    expect(parts.at(-1)?.map(targetKey).sort()).toEqual([...all].sort());
    // Groups' names come from the expansion already in the first parts: no row named by its id.
    const firstGroups = parts[0]?.filter((e) => (e.kind ?? "group") === "group") ?? [];
    expect(firstGroups.every((e) => e.kind !== "role" && e.kind !== "azure" && e.groupName !== e.groupId)).toBe(true);
  });
});
