// The approver's inbox in the popup, in Debian's Chromium against the preview harness: the real engine and
// lifecycle, signed in as Megan (who approves Adele's requests on every plane) against the emulator. Adele's
// requests are made through the emulator's control API, as if from her own PIM Tray.
import type { Locator, Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startPreview, type RunningPreview } from "../../electron/preview/preview-server.js";
import { APPROVAL_LABELS, decideElsewhere, requestAsAdele, requestDemoApproval } from "../helpers/approvals.js";
import { haveChromium, popupSuite, SHOTS, type PopupSuite } from "../helpers/chromium.js";

const suite = popupSuite({ autoSignIn: "megan", provisioningDelayMs: 0 });
let emu: PopupSuite["emu"];
let preview: RunningPreview | undefined;
let page: Page | undefined;

beforeEach(() => {
  emu = suite.emu;
});
afterEach(async () => {
  if (!haveChromium) return;
  await page?.close();
  await preview?.close();
  page = undefined;
  preview = undefined;
});

/** The preview and a page on it, signed in as Megan; "I approve requests" turned on through the real handler. */
async function open(
  o: { approvals?: boolean; dark?: boolean; tall?: boolean } = {},
): Promise<{ p: Page; pv: RunningPreview }> {
  const pv = (preview ??= await startPreview({ emulator: emu, signInAs: "megan" }));
  const p = await suite.browser.newPage({
    // The tray popup's size; `tall: false` makes a list of three overflow, to see the scrolling.
    viewport: { width: 420, height: o.tall === false ? 560 : 760 },
    colorScheme: o.dark ? "dark" : "light",
  });
  page = p;
  await p.goto(pv.url);
  await p.getByRole("button", { name: "Sign in" }).click();
  await p.getByText("megan@contoso.example").first().waitFor();
  if (o.approvals !== false) {
    const r = await pv.controller.invoke("approvals:set-enabled", { enabled: true });
    expect(r.ok).toBe(true);
  }
  return { p, pv };
}

const approvalsTab = (p: Page) => p.getByRole("tab", { name: /^Approvals/ });
const item = (p: Page, requestId: string) => p.getByTestId(`approval-${requestId}`);
const justification = (i: Locator) => i.getByRole("textbox", { name: /Your justification/ });
/** Requests to Graph or ARM that record a decision (a stage PATCH, an ARM stage PUT, the beta role approval step). */
const decisions = async () =>
  (await emu.control.requests()).filter(
    (e) => (e.method === "PATCH" || e.method === "PUT") && /[Aa]pprovals\//.test(e.path),
  );

/** Any read of an approver's inbox or of an approval, on any plane. */
const approvalReads = async () =>
  (await emu.control.requests()).filter(
    (e) => /on='approver'|[Aa]pprovals/.test(e.path) || /asApprover/.test(e.query["$filter"] ?? ""),
  );

async function openTab(p: Page, count: number): Promise<void> {
  await expect.poll(() => approvalsTab(p).innerText(), { timeout: 20_000 }).toBe(`Approvals ${count}`);
  await approvalsTab(p).click();
}

describe("popup: the approver's inbox", () => {
  it("shows each request with its context on every plane", async () => {
    const group = await requestAsAdele(emu, "group", { justification: "Quarter close", duration: "PT2H" });
    const role = await requestAsAdele(emu, "role", { justification: "Rotate the break-glass account" });
    const azure = await requestAsAdele(emu, "azure", {
      justification: "Restore the production vault",
      ticketNumber: "INC0042",
    });
    const { p } = await open();
    await openTab(p, 3);
    const g = item(p, group.id);
    await g.waitFor();
    const text = await g.innerText();
    expect(text).toContain(`${APPROVAL_LABELS.group} group`);
    expect(text).toContain("asked by Adele Vance (adele@contoso.example)");
    expect(text).toContain("for 2 h · starts as soon as approved");
    expect(text).toContain("“Quarter close”");
    expect(text).toMatch(/times out in 2[34] h/);
    expect(text).not.toContain("stage");
    expect(await item(p, role.id).innerText()).toMatch(
      new RegExp(`${APPROVAL_LABELS.role} Entra ID role[\\s\\S]*“Rotate the break-glass account”`),
    );
    const a = await item(p, azure.id).innerText();
    expect(a).toContain(`${APPROVAL_LABELS.azure} Azure role`);
    expect(a).toContain("Ticket INC0042 (Emulator)");
    // Each decision is labelled for assistive technology: who asks, for what.
    await p.getByRole("group", { name: `Decide: ${APPROVAL_LABELS.azure} for Adele Vance` }).waitFor();
  });

  it("approves a request: it leaves with a confirmation, and is provisioned", async () => {
    const r = await requestAsAdele(emu, "group");
    const { p } = await open();
    await openTab(p, 1);
    const i = item(p, r.id);
    await justification(i).fill("Confirmed with Adele on the phone");
    // Two clicks in one frame: one decision only.
    await i.getByRole("button", { name: "Approve" }).evaluate((b: HTMLButtonElement) => {
      b.click();
      b.click();
    });
    const done = `Approved ${APPROVAL_LABELS.group} for Adele Vance.`;
    await expect.poll(() => i.innerText(), { timeout: 20_000 }).toContain(done);
    expect(await p.getByTestId("approval-announcement").innerText()).toBe(done);
    await expect
      .poll(async () => (await emu.control.pimRequests()).find((x) => x.id === r.id)?.status)
      .toBe("Provisioned");
    expect(await decisions()).toHaveLength(1);
    // The confirmation goes after a few seconds; the tab's count already has.
    await expect.poll(() => approvalsTab(p).innerText()).toBe("Approvals");
    await expect.poll(() => i.count(), { timeout: 15_000 }).toBe(0);
    expect(await p.getByText("Nothing waits for your approval.").count()).toBe(1);
  });

  it("denies a request", async () => {
    const r = await requestAsAdele(emu, "role");
    const { p } = await open();
    await openTab(p, 1);
    const i = item(p, r.id);
    await justification(i).fill("No change ticket");
    await i.getByRole("button", { name: "Deny" }).click();
    await expect
      .poll(() => i.innerText(), { timeout: 20_000 })
      .toContain(`Denied ${APPROVAL_LABELS.role} for Adele Vance.`);
    await expect.poll(async () => (await emu.control.roleRequests()).find((x) => x.id === r.id)?.status).toBe("Denied");
  });

  it("requires a justification where the policy does, and offers the last one used", async () => {
    const first = await requestAsAdele(emu, "group");
    const second = await requestAsAdele(emu, "role");
    const { p, pv } = await open();
    await openTab(p, 2);
    const i = item(p, first.id);
    expect(await i.getByText("Your justification (required)").count()).toBe(1);
    expect(await justification(i).getAttribute("aria-required")).toBe("true");
    expect(await justification(i).inputValue()).toBe("");
    expect(await i.getByRole("button", { name: "Approve" }).isDisabled()).toBe(true);
    expect(await i.getByRole("button", { name: "Deny" }).isDisabled()).toBe(true);
    expect(await i.innerText()).toContain("The policy asks you for a reason to approve or deny.");
    // Blank is blank, spaces included.
    await justification(i).fill("   ");
    expect(await i.getByRole("button", { name: "Approve" }).isDisabled()).toBe(true);
    await justification(i).fill("Quarter close checked");
    expect(await i.getByRole("button", { name: "Approve" }).isDisabled()).toBe(false);
    await i.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => i.innerText(), { timeout: 20_000 }).toContain("Approved");
    // The next request offers the reason just given, and so does the popup opened again.
    const j = item(p, second.id);
    expect(await justification(j).inputValue()).toBe("Quarter close checked");
    expect(await j.getByRole("button", { name: "Approve" }).isDisabled()).toBe(false);
    expect((await pv.controller.state()).approvals.lastJustification).toBe("Quarter close checked");
    await p.reload();
    await openTab(p, 1);
    expect(await justification(item(p, second.id)).inputValue()).toBe("Quarter close checked");
    expect(await decisions()).toHaveLength(1);
  });

  it("shows a request decided elsewhere first in plain words, sends nothing, and reads the list again", async () => {
    const r = await requestAsAdele(emu, "azure");
    const other = await requestAsAdele(emu, "group");
    const { p } = await open();
    await openTab(p, 2);
    const i = item(p, r.id);
    await justification(i).fill("Vault restore approved");
    // Another approver (here: the emulator, as the portal would) decides first.
    await decideElsewhere(emu, "azure", r.id);
    await emu.control.clearRequests();
    await i.getByRole("button", { name: "Approve" }).click();
    const alert = i.getByRole("alert");
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.innerText()).toMatch(/already|no longer/i);
    expect(await alert.innerText()).not.toMatch(/\b(409|Conflict|error code)\b/);
    expect(await decisions()).toHaveLength(0);
    // The list is read again: the count drops, the stale item stays where it was until dismissed.
    await expect.poll(() => approvalsTab(p).innerText(), { timeout: 20_000 }).toBe("Approvals 1");
    expect(await i.getByRole("button", { name: "Approve" }).count()).toBe(0);
    await p.screenshot({ path: `${SHOTS}/approvals-stale.png` });
    await i.getByRole("button", { name: "Dismiss" }).click();
    expect(await i.count()).toBe(0);
    expect(await item(p, other.id).count()).toBe(1);
  });

  it("shows the stage of a serial approval, and what comes next", async () => {
    // Tenant Admins (owner): Megan, then the Security Reviewers. Alex asks, so Adele could review stage 2.
    const r = await requestDemoApproval(emu, "groupSerial", { justification: "Tenant migration" });
    const { p } = await open();
    await openTab(p, 1);
    const i = item(p, r.id);
    expect(await i.getByTestId("stage").innerText()).toBe("stage 1 of 2");
    expect(await i.innerText()).toContain("asked by Alex Wilber");
    await justification(i).fill("Migration plan reviewed");
    await i.getByRole("button", { name: "Approve" }).click();
    await expect
      .poll(() => i.innerText(), { timeout: 20_000 })
      .toBe("✓ Approved Tenant Admins (owner) for Alex Wilber. It now waits for stage 2 of 2.");
    expect((await emu.control.pimRequests()).find((x) => x.id === r.id)?.status).toBe("PendingApproval");
  });

  it("turns approvals on and off in Settings: the tab comes with the requests, and goes", async () => {
    const r = await requestAsAdele(emu, "group");
    const { p, pv } = await open({ approvals: false });
    await p.getByRole("tab", { name: "Settings" }).click();
    const toggle = p.getByRole("switch", { name: "I approve requests" });
    expect(await toggle.isChecked()).toBe(false);
    expect(await approvalsTab(p).count()).toBe(0);
    // Off: not one approval read.
    expect(await approvalReads()).toEqual([]);
    expect(await toggle.getAttribute("aria-describedby")).toBe("approvals-note");
    expect(await p.locator("#approvals-note").innerText()).toBe(
      "While on, PIM Tray reads the requests that wait for your approval every 5 minutes; while off, it reads nothing.",
    );
    await p.screenshot({ path: `${SHOTS}/approvals-settings.png` });
    await toggle.check();
    await expect.poll(() => approvalsTab(p).innerText(), { timeout: 20_000 }).toBe("Approvals 1");
    expect((await pv.controller.state()).approvals.enabled).toBe(true);
    await approvalsTab(p).click();
    await item(p, r.id).waitFor();
    await p.getByRole("tab", { name: "Settings" }).click();
    await toggle.uncheck();
    await expect.poll(() => approvalsTab(p).count(), { timeout: 20_000 }).toBe(0);
    expect((await pv.controller.state()).approvals).toMatchObject({ enabled: false, items: [] });
    expect(await toggle.isChecked()).toBe(false);
  });

  it("names the plane and its API where approvals cannot be read, and lists the other planes", async () => {
    const group = await requestAsAdele(emu, "group");
    await requestAsAdele(emu, "role");
    // The beta approvals API answering as if it had changed: the directory-role inbox cannot be read.
    await emu.control.addFaults([
      { kind: "status", status: 400, path: "/roleAssignmentScheduleRequests/filterByCurrentUser" },
    ]);
    const { p } = await open();
    await openTab(p, 1);
    const note = p.getByTestId("approval-note");
    await note.waitFor({ timeout: 20_000 });
    expect(await note.count()).toBe(1);
    expect(await note.innerText()).toMatch(/^Entra ID roles: approvals unavailable \(Graph [^)]+\)/);
    await item(p, group.id).waitFor();
  });

  it("reads the inbox from the planes when the tab opens, and not again within the minute", async () => {
    await requestAsAdele(emu, "group");
    const { p } = await open();
    await expect.poll(() => approvalsTab(p).innerText(), { timeout: 20_000 }).toBe("Approvals 1");
    await emu.control.clearRequests();
    await approvalsTab(p).click();
    await p.getByRole("button", { name: "Refresh" }).waitFor({ timeout: 20_000 });
    // One read of each plane's inbox (groups, directory roles, Azure).
    await expect.poll(async () => (await approvalReads()).length).toBeGreaterThanOrEqual(3);
    await emu.control.clearRequests();
    await p.getByRole("tab", { name: /Groups/ }).click();
    await approvalsTab(p).click();
    await p.getByRole("button", { name: "Refresh" }).waitFor();
    expect(await approvalReads()).toEqual([]);
    // Refresh is the approver's own: it reads at once.
    await p.getByRole("button", { name: "Refresh" }).click();
    await expect.poll(async () => (await approvalReads()).length).toBeGreaterThanOrEqual(3);
  });

  it("is keyboard usable: the tab by arrow keys, the justification, then Approve", async () => {
    const r = await requestAsAdele(emu, "group");
    const { p } = await open();
    await expect.poll(() => approvalsTab(p).innerText(), { timeout: 20_000 }).toBe("Approvals 1");
    await p.getByRole("tab", { name: /Active/ }).focus();
    await p.keyboard.press("ArrowRight");
    expect(await approvalsTab(p).getAttribute("aria-selected")).toBe("true");
    const i = item(p, r.id);
    await justification(i).focus();
    await p.keyboard.type("On call");
    await p.keyboard.press("Tab");
    await p.keyboard.press("Enter");
    await expect.poll(() => i.innerText(), { timeout: 20_000 }).toContain("Approved");
  });
});

/**
 * A click on the notification the lifecycle announced about `requestId` (`action` null), or on its Approve or Deny
 * button: the preview harness pushes the same app:focus as the tray app does.
 */
async function clickNotification(pv: RunningPreview, requestId: string, action: "approve" | "deny" | null) {
  await expect
    .poll(() => pv.notifications.some((n) => n.approval?.requestId === requestId), { timeout: 20_000 })
    .toBe(true);
  const n = pv.notifications.find((x) => x.approval?.requestId === requestId);
  if (!n) throw new Error(`no notification about ${requestId}`);
  // The button clicked is one the notification offers.
  if (action) expect(n.actions?.map((x) => x.id)).toContain(action);
  if (!pv.clickNotification(n, action)) throw new Error(`no focus for the notification about ${requestId}`);
}

describe("popup: opened from a notification", () => {
  it("opens on the request with Deny preselected and the justification focused; Enter sends it", async () => {
    const reqs = [
      await requestAsAdele(emu, "group"),
      await requestAsAdele(emu, "role"),
      await requestAsAdele(emu, "azure"),
    ];
    const azure = reqs[2]?.id ?? "";
    const { p, pv } = await open({ tall: false });
    await p.getByRole("tab", { name: /Groups/ }).waitFor();
    expect(await approvalsTab(p).getAttribute("aria-selected")).toBe("false");
    await clickNotification(pv, azure, "deny");
    await expect.poll(() => approvalsTab(p).getAttribute("aria-selected"), { timeout: 20_000 }).toBe("true");
    const i = item(p, azure);
    await expect.poll(() => i.getAttribute("class")).toContain("focused");
    expect(await i.innerText()).toContain(
      "You chose Deny in the notification: give your reason (the policy asks for one), then press Enter or Deny.",
    );
    expect(await i.getByRole("button", { name: "Deny" }).getAttribute("class")).toContain("primary");
    expect(await i.getByRole("button", { name: "Approve" }).getAttribute("class")).not.toContain("primary");
    // The third request is scrolled to, and its justification has the focus.
    await expect.poll(() => justification(i).evaluate((el) => el === document.activeElement)).toBe(true);
    const box = await justification(i).boundingBox();
    expect(box && box.y >= 0 && box.y + box.height <= 560).toBe(true);
    // Blank, Enter sends nothing.
    await p.keyboard.press("Enter");
    expect(await decisions()).toHaveLength(0);
    await p.keyboard.type("Production is frozen this week");
    expect(await i.innerText()).toContain("You chose Deny in the notification: press Enter or Deny to send it.");
    await p.keyboard.press("Enter");
    await expect
      .poll(() => i.innerText(), { timeout: 20_000 })
      .toContain(`Denied ${APPROVAL_LABELS.azure} for Adele Vance.`);
    const sent = await decisions();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toMatchObject({
      properties: { reviewResult: "Deny", justification: "Production is frozen this week" },
    });
  });

  it("a click on the notification itself opens the request with no decision chosen", async () => {
    const r = await requestAsAdele(emu, "group");
    const { p, pv } = await open();
    await clickNotification(pv, r.id, null);
    const i = item(p, r.id);
    await expect.poll(() => i.getAttribute("class"), { timeout: 20_000 }).toContain("focused");
    await expect.poll(() => justification(i).evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await i.innerText()).not.toContain("You chose");
    // Enter is a new line here: nothing is decided without a button.
    await p.keyboard.type("Line one");
    await p.keyboard.press("Enter");
    expect(await justification(i).inputValue()).toBe("Line one\n");
    expect(await decisions()).toHaveLength(0);
  });

  it("says so when the request opened from a notification no longer waits", async () => {
    const r = await requestAsAdele(emu, "role");
    const { p, pv } = await open();
    await expect
      .poll(() => pv.notifications.some((n) => n.approval?.requestId === r.id), { timeout: 20_000 })
      .toBe(true);
    await decideElsewhere(emu, "role", r.id);
    await pv.controller.invoke("approvals:list", { refresh: true });
    await clickNotification(pv, r.id, "approve");
    await p.getByText("The request you opened no longer waits for your decision").waitFor({ timeout: 20_000 });
    expect(await item(p, r.id).count()).toBe(0);
  });
});

describe("popup: the approver's inbox, for the docs", () => {
  it.each([
    ["light", "approvals.png"],
    ["dark", "approvals-dark.png"],
  ])("shows requests across the planes, a serial one among them (%s)", async (theme, file) => {
    await requestAsAdele(emu, "group", { justification: "Quarter close", duration: "PT2H" });
    const role = await requestAsAdele(emu, "role", { justification: "Rotate the break-glass account" });
    await requestDemoApproval(emu, "groupSerial", { justification: "Tenant migration", duration: "PT1H" });
    await requestAsAdele(emu, "azure", { justification: "Restore the production vault", ticketNumber: "INC0042" });
    const { p, pv } = await open({ dark: theme === "dark" });
    // One decided before, through the same channel: its reason is offered for the rest.
    const decided = await pv.controller.invoke("approvals:decide", {
      kind: "role",
      requestId: role.id,
      decision: "Approve",
      justification: "Checked with the requester",
    });
    expect(decided.ok).toBe(true);
    await openTab(p, 3);
    await p.getByRole("button", { name: "Refresh" }).waitFor();
    await expect.poll(() => p.getByTestId("stage").innerText()).toBe("stage 1 of 2");
    expect(
      await p.locator(".approval textarea").evaluateAll((t) => t.map((x) => (x as HTMLTextAreaElement).value)),
    ).toEqual(["Checked with the requester", "Checked with the requester", "Checked with the requester"]);
    if (theme === "dark")
      expect(await p.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(28, 28, 31)");
    // The whole list: one request per plane and the serial one.
    await p.screenshot({ path: `${SHOTS}/${file}`, fullPage: true });
  });
});
