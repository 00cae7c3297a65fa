// The popup in Debian's Chromium, served by the preview harness: window.pimtray is backed by the
// real engine and lifecycle service against the emulator. Screenshots go to test-results/screenshots.
import type { Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startPreview, type RunningPreview } from "../../electron/preview/preview-server.js";
import { haveChromium, popupSuite, SHOTS, type PopupSuite } from "../helpers/chromium.js";

const suite = popupSuite({ autoSignIn: "adele", provisioningDelayMs: 300 });
let emu: PopupSuite["emu"];
let preview: RunningPreview;
let page: Page;

beforeEach(async () => {
  emu = suite.emu;
  preview = await startPreview({ emulator: emu });
  page = await suite.browser.newPage({ viewport: { width: 420, height: 600 } });
  await page.goto(preview.url);
});
afterEach(async () => {
  if (!haveChromium) return;
  await page.close();
  await preview.close();
});

async function signIn(): Promise<void> {
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("group-Finance Admins-member").waitFor();
}

async function openActivate(group: string, role = "member") {
  const item = page.getByTestId(`group-${group}-${role}`);
  await item.getByRole("button", { name: "Activate…" }).click();
  return item;
}

const posts = async () =>
  (await emu.control.requests()).filter((e) => e.method === "POST" && e.path.endsWith("/assignmentScheduleRequests"));

describe("popup", () => {
  it("signs in, and lists eligible groups with policy badges, filtered as you type", async () => {
    await page.getByText("Sign in with your work account").waitFor();
    await page.screenshot({ path: `${SHOTS}/sign-in.png` });
    await signIn();
    await expect.poll(() => page.getByText("adele@contoso.example").count()).toBeGreaterThan(0);
    const kv = page.getByTestId("group-Key Vault Officers-member");
    expect(await kv.innerText()).toMatch(/max 2 h[\s\S]*context c1[\s\S]*justification/);
    expect(await page.getByTestId("group-Tenant Admins-member").innerText()).toContain("approval");
    await page.screenshot({ path: `${SHOTS}/groups.png` });
    await page.getByLabel("Filter groups").fill("share");
    await expect.poll(() => page.locator("[data-testid^='group-']").count()).toBe(2);
    expect(await page.locator("[data-testid^='group-']").allInnerTexts()).toEqual([
      expect.stringContaining("member"),
      expect.stringContaining("owner"),
    ]);
  });

  it("activates a group and shows it active with a live countdown", async () => {
    await signIn();
    const item = await openActivate("Finance Admins");
    await item.getByLabel("Justification").fill("Quarter close");
    await page.screenshot({ path: `${SHOTS}/activate-form.png` });
    await item.getByRole("button", { name: "Activate", exact: true }).click();
    await page.getByText("Finance Admins (member) is active until").first().waitFor();
    await page.getByRole("tab", { name: /Active/ }).click();
    const row = page.getByTestId("active-Finance Admins-member");
    const first = await row.getByTestId("countdown").innerText();
    expect(first).toMatch(/59:5\d left|1 h 00 min left/);
    await expect.poll(() => row.getByTestId("countdown").innerText(), { timeout: 5000 }).not.toBe(first);
    expect(await row.getByRole("button", { name: "Deactivate" }).isDisabled()).toBe(true);
    expect(await row.innerText()).toContain("PIM allows deactivation 5 minutes after activation");
    await page.screenshot({ path: `${SHOTS}/active.png` });
  });

  it("shows an approval as pending, then active once approved in the emulator", async () => {
    await signIn();
    const item = await openActivate("Tenant Admins");
    await item.getByLabel("Justification").fill("Break glass");
    await item.getByRole("button", { name: "Activate", exact: true }).click();
    await page.getByText("is waiting for approval").first().waitFor();
    await page.getByRole("tab", { name: /Active/ }).click();
    await page.getByTestId("pending-Tenant Admins").waitFor();
    expect(await page.getByTestId("pending-Tenant Admins").innerText()).toContain("waiting for approval");
    await page.screenshot({ path: `${SHOTS}/pending.png` });
    const [req] = await emu.control.pimRequests();
    await emu.control.approve(req?.id ?? "");
    await preview.lifecycle.refresh();
    await page.getByTestId("active-Tenant Admins-member").waitFor();
    expect(await page.getByTestId("pending-Tenant Admins").count()).toBe(0);
  });

  it("asks for a ticket where the policy requires one", async () => {
    await signIn();
    const item = await openActivate("Production Deploy");
    await item.getByLabel("Justification").fill("Release 42");
    await item.getByRole("button", { name: "Activate", exact: true }).click();
    expect(await item.getByRole("alert").innerText()).toContain("requires a ticket");
    expect(await posts()).toHaveLength(0);
    await item.getByLabel("Ticket system").fill("ServiceNow");
    await item.getByLabel("Ticket number").fill("CHG0042");
    await item.getByRole("button", { name: "Activate", exact: true }).click();
    await page.getByText("Production Deploy (member) is active until").first().waitFor();
    expect(((await posts())[0]?.body as { ticketInfo: unknown }).ticketInfo).toEqual({
      ticketSystem: "ServiceNow",
      ticketNumber: "CHG0042",
    });
  });

  it("blocks a duration over the policy with a message, sending nothing", async () => {
    await signIn();
    const item = await openActivate("Helpdesk Operators");
    await item.getByLabel("Duration in minutes").fill("90");
    await item.getByLabel("Justification").fill("x");
    await item.getByRole("button", { name: "Activate", exact: true }).click();
    expect(await item.getByRole("alert").innerText()).toBe(
      "Helpdesk Operators can be active for at most 1 h. Choose 1 h or less.",
    );
    expect(await posts()).toHaveLength(0);
    await page.screenshot({ path: `${SHOTS}/duration-blocked.png` });
  });

  it("creates, edits, activates and deletes a profile", async () => {
    await signIn();
    await page.getByRole("tab", { name: "Profiles" }).click();
    await page.getByRole("button", { name: "New profile" }).click();
    await page.getByLabel("Name").fill("Month end");
    const pick = page.locator(".picklist");
    await pick.getByText("Finance Admins").click();
    await pick.getByText("Helpdesk Operators").click();
    await page.getByLabel("Duration in minutes (empty: the policy's maximum)").fill("45");
    await page.getByLabel("Default justification").fill("Month-end close");
    await page.screenshot({ path: `${SHOTS}/profile-form.png` });
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByTestId("profile-Month end").waitFor();
    expect(await page.getByTestId("profile-Month end").innerText()).toContain(
      "Finance Admins, Helpdesk Operators · 45 min",
    );
    await page.getByTestId("profile-Month end").getByRole("button", { name: "Edit" }).click();
    await page.getByLabel("Name").fill("Month-end close");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByTestId("profile-Month-end close").waitFor();
    await page.screenshot({ path: `${SHOTS}/profiles.png` });
    // A group in a profile gets the profile's justification in its activation form.
    await page.getByRole("tab", { name: "Groups" }).click();
    const form = await openActivate("Finance Admins");
    expect(await form.getByLabel("Justification").inputValue()).toBe("Month-end close");
    await form.getByRole("button", { name: "Close" }).click();
    await page.getByRole("tab", { name: "Profiles" }).click();
    await page.getByTestId("profile-Month-end close").getByRole("button", { name: "Activate" }).click();
    await page.getByText("Helpdesk Operators (member) is active until").first().waitFor();
    expect((await emu.control.pimInstances()).length).toBe(2);
    await page.getByTestId("profile-Month-end close").getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => page.getByTestId("profile-Month-end close").count()).toBe(0);
    // The same settings file the CLI reads.
    expect((await preview.controller.state()).profiles).toEqual([]);
  });

  it("deactivates once PIM's 5-minute minimum has passed", async () => {
    await signIn();
    const item = await openActivate("Finance Admins");
    await item.getByLabel("Justification").fill("x");
    await item.getByRole("button", { name: "Activate", exact: true }).click();
    await page.getByText("Finance Admins (member) is active until").first().waitFor();
    await page.getByRole("tab", { name: /Active/ }).click();
    const row = page.getByTestId("active-Finance Admins-member");
    expect(await row.getByRole("button", { name: "Deactivate" }).isDisabled()).toBe(true);
    // Five minutes pass for the emulator and for the page.
    await emu.control.advanceClock(5 * 60_000 + 1000);
    await page.clock.install();
    await page.clock.fastForward("05:02");
    await page.clock.resume();
    await expect.poll(() => row.getByRole("button", { name: "Deactivate" }).isDisabled()).toBe(false);
    await row.getByRole("button", { name: "Deactivate" }).click();
    await page.getByText("Finance Admins (member) is deactivated.").first().waitFor();
    await expect.poll(() => page.getByTestId("active-Finance Admins-member").count()).toBe(0);
  });

  it("explains a failing service in plain words", async () => {
    await signIn();
    await emu.control.addFaults([{ kind: "status", status: 503, path: "/assignmentScheduleRequests", method: "POST" }]);
    const item = await openActivate("Finance Admins");
    await item.getByLabel("Justification").fill("x");
    await item.getByRole("button", { name: "Activate", exact: true }).click();
    const alert = item.getByRole("alert");
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.innerText()).toBe(
      "Microsoft Graph had a problem (503 ServiceNotAvailable). Try again in a moment.",
    );
    await page.screenshot({ path: `${SHOTS}/error.png` });
    await emu.control.clearFaults();
  }, 40_000);

  it("is usable from the keyboard, and shows the settings and token storage in plain words", async () => {
    await signIn();
    await page.getByRole("tab", { name: "Groups" }).focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    expect(await page.getByRole("tab", { name: "Settings" }).getAttribute("aria-selected")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Settings");
    expect(await page.getByTestId("token-note").innerText()).toContain("memory only: this desktop has no key store");
    await page.getByLabel("Start at login").check();
    await expect.poll(() => preview.platform.loginItem).toBe(true);
    await page.screenshot({ path: `${SHOTS}/settings.png` });
    await page.keyboard.press("Escape");
    await expect.poll(() => preview.platform.hidden).toBe(1);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: `${SHOTS}/settings-dark.png` });
  });
});
