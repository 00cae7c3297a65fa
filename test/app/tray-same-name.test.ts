// The tray menu built from the real app controller's state (engine against the emulator over
// HTTPS): two active groups called "Platform Ops" get menu items a person can tell apart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trayMenu } from "../../electron/app/tray-model.js";
import { startPreview, type RunningPreview } from "../../electron/preview/preview-server.js";
import { DEMO_GROUPS as G } from "../../emulator/index.js";
import { startTestEmulator } from "../helpers/emulator.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let preview: RunningPreview;

beforeAll(async () => {
  emu = await startTestEmulator({ settings: { autoSignIn: "adele", provisioningDelayMs: 100 } });
  preview = await startPreview({ emulator: emu });
});
afterAll(async () => {
  await preview.close();
  await emu.stop();
});

describe("tray menu", () => {
  it("names each active Platform Ops with its description and id start", async () => {
    const c = preview.controller;
    const signIn = await c.invoke("auth:sign-in", {});
    expect(signIn.ok).toBe(true);
    for (const groupId of [G.platformOpsEu, G.platformOpsUs]) {
      const r = await c.invoke("pim:activate", {
        groupId,
        accessId: "member",
        durationMinutes: 60,
        justification: "test",
      });
      expect(r.ok).toBe(true);
    }
    await expect.poll(async () => (await c.state()).active.length, { timeout: 10_000 }).toBe(2);
    const labels = trayMenu(await c.state(), Date.now())
      .flatMap((i) => ("label" in i && typeof i.label === "string" ? [i.label] : []))
      .filter((l) => l.startsWith("Deactivate Platform Ops"));
    expect(labels).toHaveLength(2);
    expect(labels[0]).not.toBe(labels[1]);
    expect(labels.some((l) => l.includes("Platform operations (EU)") && l.includes(G.platformOpsEu.slice(0, 8)))).toBe(
      true,
    );
    expect(labels.some((l) => l.includes("Platform operations (US)") && l.includes(G.platformOpsUs.slice(0, 8)))).toBe(
      true,
    );
  });
});
