// The popup in Debian's Chromium through the preview harness (real engine, real MSAL, emulator over
// HTTPS): two groups called "Platform Ops" are told apart, and a tenant without consent is explained.
import type { Browser, Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startPreview, type RunningPreview } from "../../electron/preview/preview-server.js";
import { DEMO_GROUPS as G } from "../../emulator/index.js";
import { haveChromium, popupSuite, SHOTS, type PopupSuite } from "../helpers/chromium.js";

const DEFAULT_CLIENT = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

const suite = popupSuite({ autoSignIn: "adele", provisioningDelayMs: 300 });
let emu: PopupSuite["emu"];
let browser: Browser;
let preview: RunningPreview;
let page: Page;

beforeEach(() => {
  ({ emu, browser } = suite);
});
afterEach(async () => {
  if (!haveChromium) return;
  await page.close();
  await preview.close();
});

async function open(): Promise<void> {
  preview = await startPreview({ emulator: emu });
  page = await browser.newPage({ viewport: { width: 420, height: 600 } });
  await page.goto(preview.url);
}

describe("popup: groups with the same name", () => {
  it("shows each Platform Ops row with its description and the start of its id, in the list and the profile picker", async () => {
    await open();
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("group-Finance Admins-member").waitFor();
    const rows = page.locator("li.item").filter({ hasText: "Platform Ops" });
    await expect.poll(() => rows.count()).toBe(2);
    const texts = await rows.allInnerTexts();
    expect(texts[0]).not.toBe(texts[1]);
    expect(texts.some((t) => t.includes("Platform operations (EU)") && t.includes(G.platformOpsEu.slice(0, 8)))).toBe(
      true,
    );
    expect(texts.some((t) => t.includes("Platform operations (US)") && t.includes(G.platformOpsUs.slice(0, 8)))).toBe(
      true,
    );
    // A unique name stays as it was.
    expect(await page.getByTestId("group-Finance Admins-member").innerText()).not.toContain(
      G.financeAdmins.slice(0, 8),
    );
    await rows.first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/same-name-groups.png` });

    await page.getByRole("tab", { name: "Profiles" }).click();
    await page.getByRole("button", { name: "New profile" }).click();
    const picks = page.locator(".picklist label").filter({ hasText: "Platform Ops" });
    await expect.poll(() => picks.count()).toBe(2);
    const pickTexts = await picks.allInnerTexts();
    expect(pickTexts.some((t) => t.includes("Platform operations (EU)"))).toBe(true);
    expect(pickTexts.some((t) => t.includes("Platform operations (US)"))).toBe(true);
  });
});

describe("popup: a tenant that has not consented", () => {
  it("sign-in ends with what to ask an administrator for: the admin-consent URL and the own-registration docs", async () => {
    await emu.control.configure({ consentNotGrantedFor: [DEFAULT_CLIENT] });
    await open();
    await page.getByRole("button", { name: "Sign in" }).click();
    // In the sign-in panel itself, not a toast that disappears after a few seconds.
    const panel = page.getByRole("region", { name: "Sign in" }).getByRole("alert");
    await panel.waitFor({ timeout: 20_000 });
    const text = await panel.innerText();
    expect(text).toContain("administrator");
    expect(text).toContain("docs/cli.md");
    expect(text).toContain("PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup");
    const url = `${emu.origin}/${emu.tenantId}/adminconsent?client_id=${DEFAULT_CLIENT}`;
    expect(await panel.getByRole("textbox", { name: "Admin-consent address" }).inputValue()).toBe(url);
    await panel.getByRole("button", { name: "Copy address" }).waitFor();
    expect(await page.getByRole("button", { name: "Sign in" }).isEnabled()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/consent-required.png` });
  });
});
