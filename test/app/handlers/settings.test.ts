// The settings handler: what is switched on the platform, what is saved, and in which order.
import { describe, expect, it } from "vitest";
import { settingsHandlers } from "../../../electron/app/handlers/settings.js";
import { contextOf, engineDouble, lifecycleDouble, platformDouble } from "../app-doubles.js";

const CLIENT = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

function setUp(o: { failSwitch?: boolean } = {}) {
  const e = engineDouble();
  const platform = platformDouble(o);
  return { e, platform, ctx: contextOf({ engine: e.engine, lifecycle: lifecycleDouble().lifecycle, platform }) };
}

describe("settings handler", () => {
  it("saves what was sent and leaves the rest", async () => {
    const { e, platform, ctx } = setUp();
    await settingsHandlers["settings:update"](
      { leadMinutes: [30, 5], startAtLogin: true, cloud: "usgov", tenant: " contoso.com ", clientId: CLIENT },
      ctx,
    );
    expect(platform.log).toEqual(["start at login true"]);
    const s = e.settings.current;
    expect([s.notifications.leadMinutes, s.startAtLogin, s.tokenStorage, s.connection]).toEqual([
      [30, 5],
      true,
      "encrypted",
      { cloud: "usgov", tenant: "contoso.com", clientId: CLIENT },
    ]);
  });

  it("treats a blank tenant as any work account and a blank client id as the default one", async () => {
    const { e, ctx } = setUp();
    await settingsHandlers["settings:update"]({ tenant: "contoso.com", clientId: CLIENT }, ctx);
    await settingsHandlers["settings:update"]({ tenant: "  ", clientId: "" }, ctx);
    expect(e.settings.current.connection).toEqual({ cloud: "global", tenant: "organizations" });
  });

  it("switches the token cache before saving the choice, and saves nothing when the switch fails", async () => {
    const ok = setUp();
    await settingsHandlers["settings:update"]({ tokenStorage: "memory" }, ok.ctx);
    expect(ok.platform.log).toEqual(["token storage memory"]);
    expect(ok.e.settings.current.tokenStorage).toBe("memory");

    const failing = setUp({ failSwitch: true });
    await expect(
      settingsHandlers["settings:update"]({ tokenStorage: "memory", leadMinutes: [20] }, failing.ctx),
    ).rejects.toThrow("the key store refused");
    expect(failing.e.settings.saves).toBe(0);
    expect(failing.e.settings.current.tokenStorage).toBe("encrypted");
  });
});
