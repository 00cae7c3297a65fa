// The popup with a large tenant (a few hundred eligibilities across groups, Entra ID roles and Azure roles), in
// Debian's Chromium against the preview harness: the list shows before its policies, which fill in (the rows on
// screen first); Activate waits for a policy still loading and still refuses a duration over it; the list renders
// only the rows near the screen, yet a filter finds any row, scrolling reaches the last, and the keyboard and
// screen readers see the whole list. Not timed: bench/popup-bench.ts measures.
import type { Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startPreview, type RunningPreview } from "../../electron/preview/preview-server.js";
import { haveChromium, popupSuite, SHOTS, type PopupSuite } from "../helpers/chromium.js";

const SETTINGS = { autoSignIn: "adele", provisioningDelayMs: 300 };
const LARGE = { kind: "large", groups: 200, roles: 60, azure: 100 } as const;
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
  await page.close();
  await preview.close();
});

/** Policy reads (Graph's and ARM's) answer this much later; everything else as fast as ever. */
const slowPolicies = (minMs: number, maxMs: number) =>
  emu.control.addFaults([{ kind: "latency", minMs, maxMs, path: "roleManagementPolicyAssignments" }]);

const rows = () => page.locator("ul.list > li.item");
const row = (testId: string) => page.getByTestId(testId);
const filter = () => page.getByLabel("Filter groups and roles");
const total = async () => Number(await page.getByTestId("plane-all").locator(".count").innerText());
const progress = () => page.getByTestId("policy-progress");
const posts = async () =>
  (await emu.control.requests()).filter((e) => e.method === "POST" && e.path.endsWith("/assignmentScheduleRequests"));

async function signIn(): Promise<void> {
  await page.getByRole("button", { name: "Sign in" }).click();
  await rows().first().waitFor();
}

describe("popup: a large tenant", () => {
  it("shows the list before the policies are read; the rows on screen are read first, then every other", async () => {
    // Every policy read is slow (the whole list would take about 20 s), the first dozen slower still.
    await slowPolicies(500, 600);
    await emu.control.addFaults([
      { kind: "latency", minMs: 1500, maxMs: 1500, count: 12, path: "roleManagementPolicyAssignments" },
    ]);
    await signIn();
    // Shown with the policies still to come: the rows say so, and so does the line above them.
    expect(await total()).toBeGreaterThan(350);
    await progress().waitFor();
    expect(await rows().first().getByTestId("policy-loading").count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/large-policies-loading.png` });
    await expect.poll(() => rows().first().innerText(), { timeout: 10_000 }).toMatch(/max \d+ h|policy unknown/);
    // Far down the list (Azure roles on generated resource groups): the rows a filter shows are read next,
    // while hundreds of others still wait.
    await filter().fill("rg-gen-");
    await expect.poll(() => rows().first().innerText(), { timeout: 10_000 }).toMatch(/max \d+ h/);
    expect(Number(/(\d+) of/.exec(await progress().innerText())?.[1])).toBeGreaterThan(100);
    // Then every other, without anyone asking.
    await emu.control.clearFaults();
    await filter().fill("");
    await progress().waitFor({ state: "detached", timeout: 60_000 });
    expect(await page.getByTestId("policy-loading").count()).toBe(0);
    await filter().fill("key vault officers");
    expect(await row("group-Key Vault Officers-member").innerText()).toMatch(/max 2 h[\s\S]*context c1/);
  }, 90_000);

  it("waits for a policy still loading before it activates, then refuses a duration over it, sending nothing", async () => {
    await slowPolicies(1500, 2000);
    await signIn();
    await filter().fill("helpdesk operators");
    const item = row("group-Helpdesk Operators-member");
    await item.getByRole("button", { name: "Activate…" }).click();
    // Its policy is still being read: the form says so and sends nothing yet.
    await item.getByTestId("policy-reading").waitFor();
    expect(await item.getByRole("button", { name: "Reading the policy…" }).isDisabled()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/large-activate-reading-policy.png` });
    await item.getByText("(at most 1 h)").waitFor({ timeout: 10_000 });
    await item.getByLabel("Duration in minutes").fill("90");
    await item.getByLabel("Justification").fill("Ticket queue");
    await item.getByRole("button", { name: "Activate", exact: true }).click();
    expect(await item.getByRole("alert").innerText()).toBe(
      "Helpdesk Operators can be active for at most 1 h. Choose 1 h or less.",
    );
    expect(await posts()).toHaveLength(0);
    // Within the policy it goes through, while the rest of the list is still being read.
    await item.getByLabel("Duration in minutes").fill("30");
    await item.getByRole("button", { name: "Activate", exact: true }).click();
    await page.getByText("Helpdesk Operators (member) is active until").first().waitFor();
    expect(await posts()).toHaveLength(1);
  }, 60_000);

  it("renders only the rows near the screen, yet a filter finds any row and scrolling reaches the last", async () => {
    await signIn();
    const n = await total();
    expect(await rows().count()).toBeLessThan(40);
    // The last generated group, far below the screen: the filter brings it.
    await filter().fill("0199");
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().getAttribute("data-testid")).toMatch(/^group-\S+ \S+ 0199-(member|owner)$/);
    await filter().fill("");
    await expect.poll(() => rows().count()).toBeLessThan(40);
    // Scrolled to the end (rows measured on the way replace estimates, so the end may move once or twice): the
    // last row of the whole list is there, and says so to a screen reader.
    const last = page.locator(`ul.list > li.item[aria-posinset="${n}"]`);
    await expect
      .poll(async () => {
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        return last.count();
      })
      .toBe(1);
    expect(await last.getAttribute("aria-setsize")).toBe(String(n));
    expect(await last.getAttribute("data-testid")).toMatch(/^azure-/);
    expect(await last.isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/large-scrolled-to-end.png` });
    // Back up, and a plane's filter still works on the long list.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByTestId("plane-role").click();
    await expect.poll(async () => (await rows().first().getAttribute("data-testid")) ?? "").toMatch(/^role-/);
    expect(await rows().first().getAttribute("aria-setsize")).toBe(
      await page.getByTestId("plane-role").locator(".count").innerText(),
    );
  }, 60_000);

  it("moves between rows with the arrow keys, Home and End (scrolling rows in), and opens one with Enter", async () => {
    await signIn();
    const n = await total();
    const focusedRow = () =>
      page.evaluate(() => {
        const li = document.activeElement?.closest("li[aria-posinset]");
        return li ? { pos: Number(li.getAttribute("aria-posinset")), tag: document.activeElement?.tagName } : null;
      });
    await rows().first().getByRole("button", { name: "Activate…" }).focus();
    await page.keyboard.press("ArrowDown");
    expect(await focusedRow()).toEqual({ pos: 2, tag: "BUTTON" });
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    expect(await focusedRow()).toEqual({ pos: 2, tag: "BUTTON" });
    await page.keyboard.press("End");
    await expect.poll(focusedRow).toEqual({ pos: n, tag: "BUTTON" });
    await page.keyboard.press("ArrowUp");
    expect(await focusedRow()).toEqual({ pos: n - 1, tag: "BUTTON" });
    await page.keyboard.press("Home");
    await expect.poll(focusedRow).toEqual({ pos: 1, tag: "BUTTON" });
    // Tab order is the page's: from the filter into the first row's button.
    await filter().focus();
    await page.keyboard.press("Tab");
    expect(await focusedRow()).toEqual({ pos: 1, tag: "BUTTON" });
    await page.keyboard.press("Enter");
    const first = rows().first();
    expect(await first.getByRole("button", { name: "Close" }).getAttribute("aria-expanded")).toBe("true");
    await first.getByLabel("Justification").waitFor();
    // Inside the form the arrow keys keep their meaning: the row stays open and focused.
    await first.getByLabel("Justification").focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");
  }, 60_000);
});

describe("popup: a large tenant's profile editor", () => {
  it("renders only the picklist rows near their box, yet scrolling reaches the last and a filter finds any", async () => {
    await signIn();
    const groups = Number(await page.getByTestId("plane-group").locator(".count").innerText());
    const azure = Number(await page.getByTestId("plane-azure").locator(".count").innerText());
    await page.getByRole("tab", { name: "Profiles" }).click();
    await page.getByRole("button", { name: "New profile" }).click();
    const box = (plane: string) => page.getByTestId(`picklist-${plane}`);
    const picks = (plane: string) => box(plane).locator("li.pick");
    // Each box (150 px high) holds a few rows, and a few around them: not hundreds.
    for (const plane of ["group", "role", "azure"]) {
      await expect.poll(() => picks(plane).count()).toBeGreaterThan(3);
      expect(await picks(plane).count()).toBeLessThan(40);
    }
    expect(await picks("group").first().getAttribute("aria-setsize")).toBe(String(groups));
    expect(await picks("group").first().getAttribute("aria-posinset")).toBe("1");
    // Scrolled to its end (measured rows replace estimates on the way): the last group is there and visible.
    const last = box("group").locator(`li.pick[aria-posinset="${groups}"]`);
    await expect
      .poll(async () => {
        await box("group").evaluate((el) => el.scrollTo(0, el.scrollHeight));
        return last.count();
      })
      .toBe(1);
    expect(await last.isVisible()).toBe(true);
    expect(await picks("group").first().getAttribute("aria-posinset")).not.toBe("1");
    expect(await picks("group").count()).toBeLessThan(40);
    await page.screenshot({ path: `${SHOTS}/large-picklist-scrolled.png` });
    // The filter narrows every box: a generated group far down the list, and the boxes with nothing for it say so.
    const filter = page.getByLabel("Filter the groups and roles to pick");
    await filter.fill("0199");
    await expect.poll(() => picks("group").count()).toBe(1);
    const found = picks("group").first();
    expect(await found.getAttribute("data-testid")).toMatch(/^pick-group-\S+ \S+ 0199-(member|owner)$/);
    expect(await found.getAttribute("aria-setsize")).toBeNull();
    expect(await picks("azure").count()).toBe(0);
    expect(await box("azure").innerText()).toContain("Nothing matches the filter.");
    // Enter in the filter does not save the profile.
    await filter.press("Enter");
    await found.getByRole("checkbox").check();
    // An Azure role on a generated resource group, picked while the filter shows the long list's far rows.
    await filter.fill("rg-gen-");
    await expect.poll(() => picks("azure").count()).toBeGreaterThan(3);
    expect(Number(await picks("azure").first().getAttribute("aria-setsize"))).toBeLessThan(azure);
    const azurePick = picks("azure").first();
    const azureLabel = (await azurePick.innerText()).trim();
    await azurePick.getByRole("checkbox").check();
    // Cleared: the picks stay picked though off screen, and the legends count them.
    await filter.fill("");
    await expect.poll(() => picks("group").first().getAttribute("aria-posinset")).toBe("1");
    expect(await box("group").locator("xpath=..").locator("legend").innerText()).toContain("1 picked");
    expect(await box("azure").locator("xpath=..").locator("legend").innerText()).toContain("1 picked");
    await page.getByLabel("Name").fill("Far rows");
    await page.getByRole("button", { name: "Save profile" }).click();
    const saved = page.getByTestId("profile-Far rows");
    await saved.waitFor();
    const text = await saved.innerText();
    expect(text).toMatch(/0199/);
    expect(text).toContain(azureLabel);
  }, 60_000);
});
