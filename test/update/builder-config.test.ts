// electron-builder.yml, as electron-builder 26 itself loads and validates it (its own getConfig and schema),
// holds what auto-update needs: a GitHub Releases feed (so app-update.yml and latest*.yml are written), the
// targets electron-updater can update (NSIS with a block map, dmg with the zip beside it, AppImage), and a
// Windows publisher name, without which electron-updater 6 would run an installer whose signature it never
// checked. Building itself needs the Electron binary: the release workflow does that.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { configuredPublisherName } from "../../scripts/signing-check.mjs";

const require = createRequire(import.meta.url);

interface Config {
  publish?: Array<Record<string, unknown>>;
  win?: { target?: unknown; signtoolOptions?: { publisherName?: string }; verifyUpdateCodeSignature?: boolean };
  nsis?: { differentialPackage?: boolean; oneClick?: boolean };
  mac?: { target?: unknown; hardenedRuntime?: boolean; notarize?: boolean };
  linux?: { target?: unknown };
  electronFuses?: Record<string, boolean>;
}
const { getConfig, validateConfiguration } = require("app-builder-lib/out/util/config/config.js") as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<Config>;
  validateConfiguration(config: Config, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = require("builder-util") as { DebugLogger: new (enabled: boolean) => unknown };

const load = () => getConfig(process.cwd(), null, null);

describe("electron-builder.yml", () => {
  it("passes electron-builder's own schema", async () => {
    const config = await load();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // …which is strict: a misspelt option fails it.
    await expect(
      validateConfiguration({ ...config, nsis: { differentialPackages: true } as never }, new DebugLogger(false)),
    ).rejects.toThrow(/configuration\.nsis/);
  });

  it("publishes to GitHub Releases, as a draft, with no token in the file", async () => {
    const { publish } = await load();
    expect(publish).toEqual([{ provider: "github", releaseType: "draft" }]);
  });

  it("builds only targets electron-updater can update, with their block maps", async () => {
    const c = await load();
    expect(c.win?.target).toBe("nsis"); // not Squirrel.Windows, not MSI
    expect(c.nsis?.differentialPackage).toBe(true);
    expect(c.mac?.target).toEqual(["dmg", "zip"]); // latest-mac.yml names the zip
    expect(c.linux?.target).toEqual(["AppImage", "deb"]);
  });

  it("names the Windows publisher that downloaded installers are verified against, and does not turn that off", async () => {
    const c = await load();
    expect(c.win?.signtoolOptions?.publisherName).toBe("PIM Tray contributors");
    expect(c.win?.verifyUpdateCodeSignature).not.toBe(false);
    // scripts/signing-check.mjs reports the same name.
    expect(configuredPublisherName()).toBe(c.win?.signtoolOptions?.publisherName);
  });

  it("leaves notarisation to the secrets (not turned off) and keeps the hardened runtime and the fuses", async () => {
    const c = await load();
    expect(c.mac?.notarize).not.toBe(false);
    expect(c.mac?.hardenedRuntime).toBe(true);
    expect(c.electronFuses).toMatchObject({ runAsNode: false, onlyLoadAppFromAsar: true });
  });
});
