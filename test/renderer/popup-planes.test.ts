// The popup on all three planes, in Debian's Chromium against the preview harness and the emulator:
// an Entra ID role and an Azure role (at a reduced scope, picked in the scope picker) activated from
// the list, the plane filter with its counts, and "Turn on Azure roles" where ARM has no consent.
import type { Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT_ID } from "../../electron/engine/config.js";
import { startPreview, type RunningPreview } from "../../electron/preview/preview-server.js";
import { ARM_SCOPES } from "../../emulator/index.js";
import { haveChromium, popupSuite, SHOTS, type PopupSuite } from "../helpers/chromium.js";

const suite = popupSuite({ autoSignIn: "adele", provisioningDelayMs: 300 });
let emu: PopupSuite["emu"];
let preview: RunningPreview;
let page: Page;

async function open(): Promise<void> {
  preview = await startPreview({ emulator: emu });
  page = await suite.browser.newPage({ viewport: { width: 420, height: 700 } });
  await page.goto(preview.url);
}

beforeEach(() => {
  emu = suite.emu;
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

const show = (plane: "all" | "group" | "role" | "azure") => page.getByTestId(`plane-${plane}`).click();
const rows = (prefix: string) => page.locator(`[data-testid^='${prefix}-']`);
const logged = async (method: string, path: RegExp) =>
  (await emu.control.requests()).filter((e) => e.method === method && path.test(e.path));

describe("popup: Entra ID roles and Azure roles", () => {
  it("lists every plane with a count per plane, and filters by plane", async () => {
    await open();
    await signIn();
    await page.getByTestId("role-Global Reader-Directory").waitFor();
    const count = async (plane: string) =>
      Number(await page.getByTestId(`plane-${plane}`).locator(".count").innerText());
    const [groups, roles, azure, all] = [
      await count("group"),
      await count("role"),
      await count("azure"),
      await count("all"),
    ];
    expect(roles).toBe(6);
    expect(azure).toBeGreaterThanOrEqual(6);
    expect(groups).toBeGreaterThan(0);
    expect(all).toBe(groups + roles + azure);
    await page.screenshot({ path: `${SHOTS}/planes-all.png` });
    await show("role");
    await expect.poll(() => rows("role").count()).toBe(6);
    expect(await rows("group").count()).toBe(0);
    expect(await rows("azure").count()).toBe(0);
    // The scope, and the policy at a glance, on each role.
    const helpdesk = page.getByTestId("role-Helpdesk Administrator-Sales");
    expect(await helpdesk.innerText()).toMatch(/Administrative unit: Sales[\s\S]*max 4 h/);
    expect(await page.getByTestId("role-Privileged Role Administrator-Directory").innerText()).toContain("approval");
    await show("azure");
    await expect.poll(() => rows("azure").count()).toBe(azure);
    expect(await page.getByTestId("azure-Contributor-rg-web").innerText()).toMatch(
      /Resource group: rg-web[\s\S]*ticket/,
    );
    await page.screenshot({ path: `${SHOTS}/planes-azure.png` });
    await show("group");
    await expect.poll(() => rows("role").count()).toBe(0);
    expect(await rows("group").count()).toBe(groups);
  });

  it("activates an Entra ID role with the policy enforced in the form, and deactivates it", async () => {
    await open();
    await signIn();
    await show("role");
    const item = page.getByTestId("role-Global Reader-Directory");
    await item.getByRole("button", { name: "Activate…" }).click();
    await item.getByLabel("Duration in minutes").fill("600");
    await item.getByRole("button", { name: "Activate", exact: true }).click();
    expect(await item.getByRole("alert").innerText()).toBe(
      "Global Reader can be active for at most 8 h. Choose 8 h or less.",
    );
    await item.getByLabel("Duration in minutes").fill("60");
    await item.getByLabel("Justification").fill("");
    await item.getByRole("button", { name: "Activate", exact: true }).click();
    expect(await item.getByRole("alert").innerText()).toContain("This role requires a justification");
    expect(await logged("POST", /roleAssignmentScheduleRequests$/)).toHaveLength(0);
    await item.getByLabel("Justification").fill("Audit review");
    await page.screenshot({ path: `${SHOTS}/role-activate-form.png` });
    await item.getByRole("button", { name: "Activate", exact: true }).click();
    await page.getByText("Global Reader is active until").first().waitFor({ timeout: 20_000 });
    const [post] = await logged("POST", /roleAssignmentScheduleRequests$/);
    expect(post?.body).toMatchObject({ action: "selfActivate", directoryScopeId: "/", justification: "Audit review" });
    await page.getByRole("tab", { name: /Active/ }).click();
    const row = page.getByTestId("active-Global Reader-Directory");
    await row.waitFor();
    expect(await row.innerText()).toContain("Directory (the whole tenant)");
    await emu.control.advanceClock(5 * 60_000 + 1000);
    await page.clock.install();
    await page.clock.fastForward("05:02");
    await page.clock.resume();
    await expect.poll(() => row.getByRole("button", { name: "Deactivate" }).isDisabled()).toBe(false);
    await row.getByRole("button", { name: "Deactivate" }).click();
    await page.getByText("Global Reader is deactivated.").first().waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId("active-Global Reader-Directory").count()).toBe(0);
  }, 60_000);

  it("activates an Azure role at a narrower scope picked in the scope picker", async () => {
    await open();
    await signIn();
    await show("azure");
    const item = page.getByTestId("azure-Contributor-rg-web");
    await item.getByRole("button", { name: "Activate…" }).click();
    const picker = item.getByLabel("Scope");
    // The eligibility's own scope first; the resources below it once ARM has listed them.
    await expect.poll(() => picker.locator("option").count()).toBeGreaterThan(1);
    expect(await picker.locator("option").first().innerText()).toBe("rg-web (the whole resource group)");
    await picker.selectOption({ label: "app-contoso-web (resource)" });
    expect(await item.innerText()).toContain("Reduced scope: only app-contoso-web, not all of rg-web.");
    await item.getByLabel("Justification").fill("Hotfix");
    await item.screenshot({ path: `${SHOTS}/azure-scope-picker.png` });
    await item.getByRole("button", { name: "Activate", exact: true }).click();
    // The policy asks for a ticket: refused here, nothing sent.
    expect(await item.getByRole("alert").innerText()).toContain("This Azure role requires a ticket");
    expect(await logged("PUT", /roleAssignmentScheduleRequests\//)).toHaveLength(0);
    await item.getByLabel("Ticket system").fill("ServiceNow");
    await item.getByLabel("Ticket number").fill("INC0042");
    await item.getByRole("button", { name: "Activate", exact: true }).click();
    await page.getByText("Contributor on app-contoso-web is active until").first().waitFor({ timeout: 20_000 });
    const [put] = await logged("PUT", /roleAssignmentScheduleRequests\//);
    expect(put?.path.toLowerCase().startsWith(`/arm${ARM_SCOPES.webApp}`.toLowerCase())).toBe(true);
    expect(put?.body).toMatchObject({
      properties: { requestType: "SelfActivate", ticketInfo: { ticketSystem: "ServiceNow", ticketNumber: "INC0042" } },
    });
    await page.getByRole("tab", { name: /Active/ }).click();
    const row = page.getByTestId("active-Contributor-app-contoso-web");
    await row.waitFor();
    expect(await row.innerText()).toContain("on app-contoso-web");
    await page.screenshot({ path: `${SHOTS}/azure-active.png` });
  }, 60_000);

  it("keeps a profile that mixes planes, and activates it", async () => {
    await open();
    await signIn();
    await page.getByTestId("role-Global Reader-Directory").waitFor();
    await page.getByRole("tab", { name: "Profiles" }).click();
    await page.getByRole("button", { name: "New profile" }).click();
    await page.getByLabel("Name").fill("Audit");
    const pick = page.locator(".picklist");
    await pick.getByText("Finance Admins").click();
    await pick.getByText("Global Reader", { exact: true }).click();
    await pick.getByText("Reader on Contoso Development", { exact: true }).click();
    await page.getByLabel("Default justification").fill("Quarterly audit");
    await page.screenshot({ path: `${SHOTS}/profile-form-planes.png` });
    await page.getByRole("button", { name: "Save profile" }).click();
    const row = page.getByTestId("profile-Audit");
    await row.waitFor();
    expect(await row.innerText()).toContain("Finance Admins, Global Reader, Reader on Contoso Development");
    const [saved] = (await preview.controller.state()).profiles;
    expect(saved?.targets.map((t) => t.kind ?? "group")).toEqual(["group", "role", "azure"]);
    expect(saved?.targets[2]).toMatchObject({ kind: "azure", roleName: "Reader", scopeName: "Contoso Development" });
    await row.getByRole("button", { name: "Activate" }).click();
    await page.getByText("Reader on Contoso Development is active until").first().waitFor({ timeout: 20_000 });
    await page.getByRole("tab", { name: /Active/ }).click();
    for (const id of [
      "active-Finance Admins-member",
      "active-Global Reader-Directory",
      "active-Reader-Contoso Development",
    ])
      await page.getByTestId(id).waitFor();
    await page.screenshot({ path: `${SHOTS}/active-planes.png` });
  }, 60_000);
});

describe("popup: Azure Resource Manager without consent", () => {
  it("shows Azure roles as needing consent, keeps the other planes, and offers Turn on Azure roles", async () => {
    await emu.control.configure({ consentNotGrantedForArm: [DEFAULT_CLIENT_ID] });
    await open();
    await signIn();
    const note = page.getByTestId("plane-note-azure");
    await note.waitFor({ timeout: 20_000 });
    expect(await note.innerText()).toMatch(/Azure roles: needs consent/);
    expect(await page.getByTestId("plane-azure").innerText()).toContain("needs consent");
    expect(Number(await page.getByTestId("plane-role").locator(".count").innerText())).toBe(6);
    expect(await rows("azure").count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/planes-arm-consent.png` });
    // Still refused: the error says so, and nothing else changes.
    await note.getByRole("button", { name: "Turn on Azure roles" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: /consent/i })
      .first()
      .waitFor({ timeout: 20_000 });
    // Once an administrator has consented, the same button turns the plane on.
    await emu.control.configure({ consentNotGrantedForArm: [] });
    await note.getByRole("button", { name: "Turn on Azure roles" }).click();
    await page.getByText("Azure roles are on.").first().waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId("plane-note-azure").count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => rows("azure").count()).toBeGreaterThan(0);
  }, 60_000);

  it("turns a plane off in Settings: its rows and its note go", async () => {
    await open();
    await signIn();
    await page.getByTestId("role-Global Reader-Directory").waitFor();
    await page.getByRole("tab", { name: "Settings" }).click();
    await page.getByLabel("Entra ID roles").uncheck();
    await expect.poll(async () => (await preview.controller.state()).settings.planes.role).toBe(false);
    await page.getByRole("tab", { name: "Groups" }).click();
    await expect.poll(() => rows("role").count()).toBe(0);
    expect(await page.getByTestId("plane-role").innerText()).toContain("off");
    expect(await rows("group").count()).toBeGreaterThan(0);
  });
});
