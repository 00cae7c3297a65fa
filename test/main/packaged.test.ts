// Issue 8 points 4 and 13: what an installed (packaged) PIM Tray does differently from a development
// run. `app.isPackaged` is the switch, as in Electron.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestEmulator } from "../helpers/emulator.js";
import { boot, until } from "./boot.js";

vi.mock("electron", () => import("./electron-fake.js"));

const dirs: string[] = [];
let emu: Awaited<ReturnType<typeof startTestEmulator>>;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await emu.stop();
});

describe("a packaged build", () => {
  for (const flag of [
    "--remote-debugging-port=9222",
    "--inspect=9229",
    "--inspect-brk",
    "--js-flags=--allow-natives-syntax",
  ]) {
    it(`refuses to start with ${flag.split("=")[0]}: it says why and quits`, async () => {
      const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
      try {
        const { fake, dir } = await boot({ packaged: true, argv: [flag] });
        dirs.push(dir);
        await new Promise((r) => setTimeout(r, 100));
        expect(fake.recorded.exitCode).toBe(1);
        expect(fake.recorded.errorBoxes[0]?.content).toContain(`PIM Tray will not start with ${flag.split("=")[0]}`);
        expect(fake.recorded.errorBoxes[0]?.content).toContain("read your sign-in tokens");
        expect(stderr.mock.calls.map((c) => String(c[0])).join("")).toContain(flag.split("=")[0]);
        expect(fake.recorded.trays).toHaveLength(0);
        expect(fake.recorded.windows).toHaveLength(0);
      } finally {
        stderr.mockRestore();
      }
    });
  }

  it("serves only its own popup files, whatever PIMTRAY_RENDERER_DIR says", async () => {
    const evil = mkdtempSync(join(tmpdir(), "pimtray-evil-"));
    dirs.push(evil);
    writeFileSync(join(evil, "index.html"), "<script>steal()</script>");
    const { fake, dir } = await boot({
      packaged: true,
      env: { PIMTRAY_RENDERER_DIR: evil },
      settings: {
        schemaVersion: 1,
        connection: { cloud: "global", tenant: emu.tenantId, authorityHost: emu.origin, graphEndpoint: emu.origin },
        allowCustomEndpoints: true,
      },
    });
    dirs.push(dir);
    await until("the app protocol", () => fake.recorded.protocolHandlers.has("app"));
    const page = await fake.recorded.protocolHandlers.get("app")?.(new Request("app://pimtray/index.html"));
    expect(await page?.text()).not.toContain("steal()");
    await until("the popup", () => fake.recorded.windows.length === 1);
    expect(fake.recorded.windows[0]?.options.webPreferences?.devTools).toBe(false);
  });

  it("--demo starts the emulator as a utility process, which stops when the app quits", async () => {
    const { fake, dir } = await boot({ packaged: true, argv: ["--demo"], env: { PIMTRAY_RENDERER_DIR: undefined } });
    dirs.push(dir);
    await until("the tray", () => fake.recorded.trays.length === 1, 60_000);
    expect(fake.recorded.forks).toHaveLength(1);
    const emulator = fake.recorded.forks[0];
    expect(emulator?.modulePath).toMatch(/emulator[/\\](cli\.ts|emulator\.mjs)$|emulator\.mjs$/);
    const pid = emulator?.pid ?? 0;
    expect(pid).toBeGreaterThan(0);
    expect(fake.recorded.trays[0]?.tooltip).toMatch(/^PIM Tray/);
    fake.app.emit("will-quit");
    await until("the demo emulator to stop", () => emulator?.pid === undefined, 10_000);
  }, 90_000);
});
