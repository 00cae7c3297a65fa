// The preview wires the engine as the tray app does: its lifecycle service keeps lifecycle-state.json
// in the preview's folder, and its events reach the notifications the app would show.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_GROUPS } from "../../emulator/index.js";
import { startPreview, type RunningPreview } from "../../electron/preview/preview-server.js";
import { startTestEmulator } from "../helpers/emulator.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let preview: RunningPreview;
const configDir = mkdtempSync(join(tmpdir(), "pimtray-preview-test-"));

beforeAll(async () => {
  emu = await startTestEmulator({ settings: { autoSignIn: "adele", provisioningDelayMs: 100 } });
  preview = await startPreview({ emulator: emu, configDir });
});
afterAll(async () => {
  await preview.close();
  await emu.stop();
  rmSync(configDir, { recursive: true, force: true });
});

async function until(what: string, pred: () => boolean, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) if (pred()) return;
  throw new Error(`timed out waiting for ${what}`);
}

describe("the preview harness", () => {
  it("routes lifecycle events to desktop notifications with stable ids, and keeps its state file", async () => {
    expect((await preview.controller.invoke("auth:sign-in", {})).ok).toBe(true);
    const eligible = await preview.controller.invoke("pim:eligible", {});
    expect(eligible.ok).toBe(true);
    const group = DEMO_GROUPS.financeAdmins;
    const r = await preview.controller.invoke("pim:activate", {
      groupId: group,
      accessId: "member",
      durationMinutes: 60,
      justification: "Preview check",
    });
    expect(r.ok).toBe(true);
    await until("the provisioned notification", () =>
      preview.notifications.some((n) => n.id === `provisioned:${group}:member`),
    );
    const n = preview.notifications.find((x) => x.id === `provisioned:${group}:member`);
    expect(n?.title).toMatch(/^Finance Admins \(member\) is active until /);
    // A notification's target is any plane's now; this one is a group.
    expect(n?.target && "groupId" in n.target ? n.target.groupId : undefined).toBe(group);
    expect(existsSync(join(configDir, "lifecycle-state.json"))).toBe(true);
  });
});
