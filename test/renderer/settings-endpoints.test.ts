// Issue 8 point 3: where sign-in and Graph requests go is visible in Settings, with a warning, when
// they are not Microsoft's. The preview harness runs against the emulator, i.e. custom endpoints.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPreview, type RunningPreview } from "../../electron/preview/preview-server.js";
import { haveChromium, launchChromium } from "../helpers/chromium.js";
import { startTestEmulator } from "../helpers/emulator.js";

const have = haveChromium;

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let preview: RunningPreview;
let browser: Browser;

beforeAll(async () => {
  if (!have) return;
  emu = await startTestEmulator({ settings: { autoSignIn: "adele" } });
  preview = await startPreview({ emulator: emu });
  browser = await launchChromium();
});
afterAll(async () => {
  if (!have) return;
  await browser.close();
  await preview.close();
  await emu.stop();
});

describe("Settings", () => {
  it.skipIf(!have)(
    "warns that custom endpoints are in use and names both hosts",
    async () => {
      const page = await browser.newPage({ viewport: { width: 420, height: 600 } });
      await page.goto(preview.url);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("tab", { name: "Settings" }).click();
      const warning = page.getByTestId("custom-endpoints");
      const text = await warning.innerText();
      expect(text).toContain(`sign-in goes to ${emu.origin}`);
      expect(text).toContain(`Graph requests, with your tokens, to ${emu.origin}/v1.0`);
      expect(await warning.getAttribute("role")).toBe("alert");
      await page.close();
    },
    40_000,
  );
});
