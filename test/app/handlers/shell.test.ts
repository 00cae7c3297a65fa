// The shell handlers: the state, hiding the popup, and opening only the pages the popup links to.
import { describe, expect, it } from "vitest";
import { EXTERNAL_URLS, shellHandlers } from "../../../electron/app/handlers/shell.js";
import { PimTrayError } from "../../../electron/engine/errors.js";
import { contextOf, engineDouble, lifecycleDouble, platformDouble } from "../app-doubles.js";

function setUp() {
  const platform = platformDouble({ encryptionAvailable: false });
  return {
    platform,
    ctx: contextOf({
      engine: engineDouble().engine,
      lifecycle: lifecycleDouble({ online: false }).lifecycle,
      platform,
    }),
  };
}

describe("shell handlers", () => {
  it("answers the state as the popup sees it", async () => {
    const { ctx } = setUp();
    const s = await shellHandlers["app:get-state"](undefined, ctx);
    expect([s.needsSignIn, s.online, s.settings.tokenStorage, s.settings.leadMinutes]).toEqual([
      true,
      false,
      "memory",
      [10, 2],
    ]);
    expect(s.settings.tokenStorageNote).toContain("this desktop has no key store");
  });

  it("hides the popup", async () => {
    const { platform, ctx } = setUp();
    expect(await shellHandlers["app:hide"]({}, ctx)).toBeNull();
    expect(platform.log).toEqual(["hide"]);
  });

  it("opens a page the popup links to, and refuses any other without opening it", async () => {
    const { platform, ctx } = setUp();
    const page = EXTERNAL_URLS[0] ?? "";
    expect(await shellHandlers["shell:open-external"]({ url: page }, ctx)).toBeNull();
    await expect(shellHandlers["shell:open-external"]({ url: `${page}#more` }, ctx)).rejects.toThrow(
      new PimTrayError("usage", "PIM Tray opens only the documentation pages it links to itself."),
    );
    expect(platform.log).toEqual([`open ${page}`]);
  });
});
