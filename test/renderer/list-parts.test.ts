// A long eligibility list arrives in parts: the popup shows the first pages at once, says more is on its way, and
// takes in the rest as main reads it, with nothing lost or shown twice. In Debian's Chromium against the preview
// harness (the real AppController and engine) and the emulator over HTTPS; the emulator pages every 20 items and
// answers each eligibility page slowly, so the parts are there to see.
import type { Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startPreview, type RunningPreview } from "../../electron/preview/preview-server.js";
import { haveChromium, popupSuite, type PopupSuite } from "../helpers/chromium.js";

const SETTINGS = { autoSignIn: "adele", pageSize: 20 };
const LARGE = { kind: "large", groups: 120, roles: 30, azure: 40 } as const;
const suite = popupSuite(SETTINGS);
let emu: PopupSuite["emu"];
let preview: RunningPreview;
let page: Page;

beforeEach(async () => {
  emu = suite.emu;
  await emu.control.reset(LARGE);
  await emu.control.configure(SETTINGS);
  preview = await startPreview({ emulator: emu });
  page = await suite.browser.newPage({ viewport: { width: 420, height: 600 } });
  await page.goto(preview.url);
});
afterEach(async () => {
  if (!haveChromium) return;
  await emu.control.clearFaults();
  await page.close();
  await preview.close();
});

const total = async () => Number(await page.getByTestId("plane-all").locator(".count").innerText());
const arriving = () => page.getByTestId("rows-progress");

describe("popup: a long list in parts", () => {
  it("shows the first pages, says more is coming, then holds every eligibility exactly once", async () => {
    // Each page of groups' eligibilities answers 400 ms later: 7 pages are about 3 s.
    await emu.control.addFaults([{ kind: "latency", minMs: 400, path: "group/eligibilityScheduleInstances" }]);
    await page.getByRole("button", { name: "Sign in" }).click();
    await arriving().waitFor({ timeout: 15_000 });
    const early = await total();
    expect(early).toBeGreaterThan(0);
    expect(await page.locator("ul.list > li.item").count()).toBeGreaterThan(0);
    await arriving().waitFor({ state: "detached", timeout: 30_000 });
    const all = await total();
    expect(all).toBeGreaterThan(early);
    // Every plane's rows, each once: the count per plane adds up, and no row key repeats.
    const perPlane = await Promise.all(
      ["group", "role", "azure"].map(async (k) =>
        Number(await page.getByTestId(`plane-${k}`).locator(".count").innerText()),
      ),
    );
    expect(perPlane.reduce((a, b) => a + b, 0)).toBe(all);
    expect(perPlane[0]).toBeGreaterThanOrEqual(120);
  }, 60_000);
});
