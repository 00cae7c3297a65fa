// The Electron end-to-end suite: launches the real app (Playwright _electron) against the emulator,
// opens the tray menu through the test hook, opens the popup and activates. It needs the Electron
// binary; where it cannot be had (these machines download nothing), it reports itself skipped with
// the reason, never passed.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { _electron as electron } from "playwright-core";
import { describe, expect, it } from "vitest";
import { startTestEmulator } from "../helpers/emulator.js";

/** The Electron executable, if its binary is installed; never triggers a download. */
function electronBinary(): { path: string | null; reason: string } {
  const pkgDir = dirname(createRequire(import.meta.url).resolve("electron/package.json"));
  const pathFile = join(pkgDir, "path.txt");
  if (!existsSync(pathFile))
    return {
      path: null,
      reason:
        "the Electron binary is not installed (node_modules/electron has no path.txt: its download is not possible on this machine); the GitHub Actions workflow runs this suite",
    };
  const exe = join(pkgDir, "dist", readFileSync(pathFile, "utf8").trim());
  return existsSync(exe)
    ? { path: exe, reason: "" }
    : { path: null, reason: `the Electron binary is missing at ${exe}` };
}

const bin = electronBinary();

describe("PIM Tray in Electron", () => {
  it("starts in the tray, opens the popup from the menu, and activates a group", async (t) => {
    if (!bin.path) return t.skip(bin.reason);
    const emu = await startTestEmulator({
      settings: { autoSignIn: "adele", deviceCodeAutoApprove: "adele", provisioningDelayMs: 200 },
    });
    const configDir = mkdtempSync(join(tmpdir(), "pimtray-e2e-"));
    const app = await electron.launch({
      executablePath: bin.path,
      args: ["."],
      env: {
        ...process.env,
        PIMTRAY_E2E: "1",
        PIMTRAY_CONFIG_DIR: configDir,
        NODE_EXTRA_CA_CERTS: emu.caCertPath,
      } as Record<string, string>,
    });
    try {
      const w = await app.firstWindow();
      await app.evaluate(() =>
        (globalThis as unknown as { __pimtray: { onAction: (a: unknown) => void } }).__pimtray.onAction({
          kind: "open",
        }),
      );
      await w.getByRole("button", { name: "Sign in" }).click();
      const item = w.getByTestId("group-Finance Admins-member");
      await item.getByRole("button", { name: "Activate…" }).click();
      await item.getByLabel("Justification").fill("e2e");
      await item.getByRole("button", { name: "Activate", exact: true }).click();
      await w.getByText("Finance Admins (member) is active until").first().waitFor();
      expect((await emu.control.pimInstances()).length).toBe(1);
    } finally {
      await app.close();
      rmSync(configDir, { recursive: true, force: true });
      await emu.stop();
    }
  }, 120_000);

  // What the doubles in test/adapters cannot prove (docs/architecture.md): the OS key store really
  // encrypts the token cache so a relaunch stays signed in, and the page sees only the contract.
  it("stays signed in after a relaunch (real safeStorage), and the page has no Node", async (t) => {
    if (!bin.path) return t.skip(bin.reason);
    const emu = await startTestEmulator({ settings: { autoSignIn: "adele" } });
    const configDir = mkdtempSync(join(tmpdir(), "pimtray-e2e-"));
    const launch = () =>
      electron.launch({
        executablePath: bin.path as string,
        args: ["."],
        env: {
          ...process.env,
          PIMTRAY_E2E: "1",
          PIMTRAY_CONFIG_DIR: configDir,
          NODE_EXTRA_CA_CERTS: emu.caCertPath,
        } as Record<string, string>,
      });
    type Hook = {
      __pimtray: {
        controller: { state(): Promise<{ account: { username: string } | null; settings: { tokenStorage: string } }> };
      };
    };
    try {
      const first = await launch();
      const w = await first.firstWindow();
      expect(await w.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe("undefined");
      expect(
        await w.evaluate(() => Object.keys((globalThis as unknown as { pimtray: object }).pimtray).length),
      ).toBeGreaterThan(0);
      await w.getByRole("button", { name: "Sign in" }).click();
      await w.getByTestId("group-Finance Admins-member").waitFor();
      const encrypted = await first.evaluate(
        async () => (await (globalThis as unknown as Hook).__pimtray.controller.state()).settings.tokenStorage,
      );
      await first.close();
      if (encrypted !== "encrypted")
        return t.skip("this desktop has no key store, so tokens are memory only by design");
      expect(readFileSync(join(configDir, "msal-cache.bin")).toString("latin1")).not.toContain("refresh_token");
      const second = await launch();
      try {
        await second.firstWindow();
        const account = await second.evaluate(
          async () => (await (globalThis as unknown as Hook).__pimtray.controller.state()).account,
        );
        expect(account?.username).toBe("adele@contoso.example");
      } finally {
        await second.close();
      }
    } finally {
      rmSync(configDir, { recursive: true, force: true });
      await emu.stop();
    }
  }, 120_000);
});
