// What a second launch gets while this one is starting, running or failed.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { recorded } from "./electron-fake.js";
import { StartPhase } from "../../electron/main/start-phase.js";

vi.mock("electron", () => import("./electron-fake.js"));

beforeEach(() => {
  recorded.errorBoxes.length = 0;
});

describe("StartPhase", () => {
  it("remembers a second launch during start-up, so the popup shows once running", () => {
    const phase = new StartPhase();
    phase.onSecondInstance();
    expect(phase.running(() => undefined)).toBe(true);
    expect(recorded.errorBoxes).toEqual([]);
  });

  it("does not ask for the popup when no second launch came during start-up", () => {
    expect(new StartPhase().running(() => undefined)).toBe(false);
  });

  it("shows the popup on a second launch once running", () => {
    const phase = new StartPhase();
    const show = vi.fn();
    phase.running(show);
    phase.onSecondInstance();
    expect(show).toHaveBeenCalledOnce();
  });

  it("says why the start failed on a second launch, and where to go from there", () => {
    const phase = new StartPhase();
    phase.failed("settings.json is damaged");
    phase.onSecondInstance();
    expect(recorded.errorBoxes).toEqual([
      {
        title: "PIM Tray could not start",
        content: "settings.json is damaged\n\nUse the tray menu to open or reset the settings.",
      },
    ]);
  });
});
