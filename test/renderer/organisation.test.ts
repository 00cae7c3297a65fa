// Issue 13 in the popup, as a person sees it in Chromium: what the organisation's policy sets is read-only and says
// "Set by your organisation" (and whom to ask), its profiles carry a lock and cannot be edited or deleted, a change
// to a locked setting is refused with the policy's words and settings.json is left as it was, a bad policy is a
// notice naming each problem, and Troubleshoot runs the real doctor and exports a real zip with no token in it.
// Policy comes from real files (LinuxPolicyFile, as PIMTRAY_POLICY_FILE reads them), over the real AppController,
// PolicedSettings and engine against the emulator.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_GROUPS } from "../../emulator/seed.js";
import { FILES } from "../../electron/engine/paths.js";
import { LinuxPolicyFile } from "../../electron/engine/policy/linux-policy-file.js";
import { readManagedPolicy } from "../../electron/engine/policy/policy-resolver.js";
import { FileSettingsStore } from "../../electron/engine/profiles/settings-store.js";
import { startPreview, type RunningPreview } from "../../electron/preview/preview-server.js";
import { haveChromium, popupSuite, SHOTS } from "../helpers/chromium.js";
import { readZip } from "../engine/diagnostics/read-zip.js";

const suite = popupSuite({ autoSignIn: "adele" });
let preview: RunningPreview | null = null;
let page: Page | null = null;

afterEach(async () => {
  if (!haveChromium) return;
  await page?.close();
  await preview?.close();
  page = null;
  preview = null;
});

const CONTACT = "it-help@contoso.example";

/** A policy file as an administrator writes it: JSON, writable by its owner only (group-writable when asked). */
function policyFile(values: unknown, o: { mode?: number; raw?: string } = {}): string {
  const path = join(mkdtempSync(join(tmpdir(), "pimtray-policy-")), "policy.json");
  writeFileSync(path, o.raw ?? JSON.stringify(values, null, 2));
  chmodSync(path, o.mode ?? 0o644);
  return path;
}

/** The source PIMTRAY_POLICY_FILE makes: the file must be owned by root or by you, and writable by no one else. */
const fileSource = (path: string) => new LinuxPolicyFile(path, { ownerUid: 0, orCurrentUser: true }, path);

/** A config folder whose settings.json already holds the person's own profile and lead times. */
async function configDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "pimtray-org-"));
  await new FileSettingsStore(join(dir, FILES.settings)).update((s) => {
    s.notifications.leadMinutes = [15];
    s.profiles.push({
      id: "mine",
      name: "Mine",
      targets: [{ groupId: DEMO_GROUPS.helpdesk, accessId: "member" }],
      autoActivate: false,
      keepActive: { enabled: false },
    });
  });
  return dir;
}

async function open(o: Parameters<typeof startPreview>[0]): Promise<{ preview: RunningPreview; page: Page }> {
  preview = await startPreview({ emulator: suite.emu, ...o });
  page = await suite.browser.newPage({ viewport: { width: 420, height: 700 } });
  await page.goto(preview.url);
  return { preview, page };
}

async function signIn(p: Page): Promise<void> {
  await p.getByRole("button", { name: "Sign in" }).click();
  await p.getByTestId("group-Finance Admins-member").waitFor();
}

const errorToast = (p: Page) => p.locator(".toast.error");

describe("the organisation's policy in the popup", () => {
  it("shows the locked tenant and token cache read-only with 'Set by your organisation', the managed profile with a lock and no Edit or Delete, and offers the templates", async () => {
    const dir = await configDir();
    const file = policyFile({
      TenantId: suite.emu.tenantId,
      TokenCache: "memory",
      SupportContact: CONTACT,
      JustificationTemplates: ["Incident response (INC in the ticket)", "Planned change"],
      Profiles: [
        {
          name: "Quarter close",
          targets: [{ groupId: DEMO_GROUPS.financeAdmins, accessId: "member" }],
          justification: "Quarter close",
        },
      ],
    });
    const { page: p } = await open({ configDir: dir, policy: [fileSource(file)] });
    await signIn(p);

    await p.getByRole("tab", { name: "Settings" }).click();
    const tenant = p.getByLabel("Tenant (id or domain)");
    expect(await tenant.inputValue()).toBe(suite.emu.tenantId);
    expect(await tenant.getAttribute("readonly")).not.toBeNull();
    const tenantNote = p.locator("#tenant-locked");
    expect((await tenantNote.innerText()).trim()).toBe(`Set by your organisation. To change it, contact ${CONTACT}.`);
    expect(await tenantNote.getByRole("img", { name: "Set by your organisation" }).count()).toBe(1);
    expect(await tenant.getAttribute("aria-describedby")).toBe("tenant-locked");
    for (const name of ["Encrypted on disk", "Memory only"])
      expect(await p.getByLabel(name).isDisabled(), name).toBe(true);
    expect(await p.getByLabel("Memory only").isChecked()).toBe(true);
    expect(await p.locator("#tokens-locked").innerText()).toContain("Set by your organisation");
    // What the organisation left alone stays the person's to change.
    expect(await p.getByLabel("Client id").getAttribute("readonly")).toBeNull();
    expect(await p.getByLabel("Warn before expiry (minutes)").inputValue()).toBe("15");
    expect(await p.getByLabel("Cloud").isDisabled()).toBe(false);
    expect(await p.getByTestId("policy-notice").count()).toBe(0);
    await p.screenshot({ path: `${SHOTS}/settings-policy.png` });

    await p.getByRole("tab", { name: "Profiles" }).click();
    const managed = p.getByTestId("profile-Quarter close");
    await managed.waitFor();
    expect(await managed.getByRole("img", { name: "Set by your organisation" }).count()).toBe(1);
    // Named as the eligible list names its group: the policy gives the id only.
    expect(await managed.innerText()).toContain("Finance Admins");
    expect(await managed.getByRole("button", { name: "Edit" }).count()).toBe(0);
    expect(await managed.getByRole("button", { name: "Delete" }).count()).toBe(0);
    expect(await managed.getByRole("button", { name: "Activate" }).count()).toBe(1);
    // The organisation's profiles come first, in its order: nothing moves above or among them.
    expect(await managed.getByRole("button", { name: "Move Quarter close down" }).count()).toBe(0);
    expect(await p.getByRole("button", { name: "Move Mine up" }).isDisabled()).toBe(true);
    const mine = p.getByTestId("profile-Mine");
    expect(await mine.getByRole("img", { name: "Set by your organisation" }).count()).toBe(0);
    expect(await mine.getByRole("button", { name: "Edit" }).count()).toBe(1);
    expect(await mine.getByRole("button", { name: "Delete" }).count()).toBe(1);
    await p.screenshot({ path: `${SHOTS}/profiles-managed.png` });

    // Where a justification is typed, the organisation's templates are offered; choosing one fills the field.
    await p.getByRole("tab", { name: "Groups" }).click();
    const item = p.getByTestId("group-Finance Admins-member");
    await item.getByRole("button", { name: "Activate…" }).click();
    const templates = item.getByLabel("Justification templates");
    expect(await templates.locator("option").allInnerTexts()).toEqual([
      "Use a template from your organisation…",
      "Incident response (INC in the ticket)",
      "Planned change",
    ]);
    await templates.selectOption("Planned change");
    expect(await item.getByRole("textbox", { name: /^Justification/ }).inputValue()).toBe("Planned change");
  }, 60_000);

  it("refuses a change to a locked setting with the policy's words, in the popup and in main, and settings.json is untouched", async () => {
    const dir = await configDir();
    const file = policyFile({ TenantId: suite.emu.tenantId, TokenCache: "memory", SupportContact: CONTACT });
    const { preview: pv, page: p } = await open({ configDir: dir, policy: [fileSource(file)] });
    await signIn(p);
    await p.getByRole("tab", { name: "Settings" }).click();
    const settingsPath = join(dir, FILES.settings);
    const before = readFileSync(settingsPath, "utf8");

    // Main refuses the token cache the organisation set, before anything is switched, whatever the popup sends.
    const refused = await p.evaluate(() =>
      window.pimtray.updateSettings({ tokenStorage: "encrypted" }).then(
        () => "saved",
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      ),
    );
    expect(refused).toBe(
      `Where tokens are kept: set by your organisation (policy TokenCache, ${file}). To change it, contact ${CONTACT}. It was not changed.`,
    );

    // While the popup is open, the organisation locks the client id too (Group Policy refreshed): the person's edit
    // is refused on Save, with the policy's words in the popup.
    await p.getByLabel("Client id").fill("04b07795-8ddb-461a-bbee-02f9e1bf7b46");
    writeFileSync(
      file,
      JSON.stringify({
        TenantId: suite.emu.tenantId,
        TokenCache: "memory",
        SupportContact: CONTACT,
        ClientId: "5a2c86b1-7f3e-4a8b-9c1d-2e3f4a5b6c7d",
      }),
    );
    pv.settings.replacePolicy(await readManagedPolicy([fileSource(file)]));
    await p.getByRole("button", { name: "Save settings" }).click();
    await errorToast(p).waitFor();
    expect(await errorToast(p).innerText()).toBe(
      `The client id: set by your organisation (policy ClientId, ${file}). To change it, contact ${CONTACT}. It was not changed.`,
    );
    expect(await errorToast(p).getAttribute("role")).toBe("alert");
    await p.screenshot({ path: `${SHOTS}/settings-policy-refused.png` });

    // The file on disk is byte for byte what it was: neither the change nor any of the policy's values went in.
    expect(readFileSync(settingsPath, "utf8")).toBe(before);
    const saved = JSON.parse(before) as { connection: Record<string, unknown>; tokenStorage: string };
    expect(saved.connection.clientId).toBeUndefined();
    expect(saved.connection.tenant).toBe("organizations");
    expect(saved.tokenStorage).toBe("encrypted");
  }, 60_000);

  it("names every problem of a bad policy in a notice at the top of Settings, and applies what is valid", async () => {
    const bad = policyFile({ TenantId: suite.emu.tenantId, TokenCache: "disk", Colour: "blue" });
    const writable = policyFile({ ClientId: "5a2c86b1-7f3e-4a8b-9c1d-2e3f4a5b6c7d" }, { mode: 0o666 });
    const broken = policyFile(null, { raw: '{"TenantId": ' });
    const { page: p } = await open({ policy: [fileSource(bad), fileSource(writable), fileSource(broken)] });
    await signIn(p);
    await p.getByRole("tab", { name: "Settings" }).click();
    const notice = p.getByTestId("policy-notice");
    await notice.waitFor();
    expect(await notice.getAttribute("role")).toBe("alert");
    const text = await notice.innerText();
    expect(text).toContain("Your organisation's policy has 4 problems");
    expect(text).toContain(`TokenCache in ${bad} is ignored: `);
    expect(text).toContain(`Unknown policy "Colour" in ${bad} is ignored`);
    expect(text).toContain(`${writable} is ignored: policy must be owned by root and writable by no one else`);
    expect(text).toContain(`sudo chmod 644 ${writable}`);
    expect(text).toContain(`${broken} is not valid JSON`);
    expect(text).toContain("The rest of the policy applies. Tell your IT department.");
    // The valid part applies: the tenant is locked; the refused file's client id is not.
    expect(await p.getByLabel("Tenant (id or domain)").getAttribute("readonly")).not.toBeNull();
    expect(await p.getByLabel("Client id").getAttribute("readonly")).toBeNull();
    // The notice comes first in Settings.
    const first = await p.locator("section[aria-label='Settings'] > *").first().getAttribute("data-testid");
    expect(first).toBe("policy-notice");
    await p.screenshot({ path: `${SHOTS}/settings-policy-problems.png` });
  }, 60_000);
});

/** A token as MSAL logs would carry one, to plant where the export reads. */
const PLANTED =
  "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20iLCJzdWIiOiJhZGVsZSJ9.c2lnbmF0dXJlLXBsYW50ZWQtYnktdGhlLXRlc3Q";

describe("Troubleshoot", () => {
  it("lists each check with its status from Settings, runs again, and exports a real zip without the planted token", async () => {
    const dir = await configDir();
    writeFileSync(
      join(dir, FILES.log),
      [
        "2026-12-06T10:00:00.000Z info GET https://graph.microsoft.com/v1.0/me 200",
        `2026-12-06T10:00:01.000Z warn retry with Authorization: Bearer ${PLANTED}`,
        `2026-12-06T10:00:02.000Z info token response {"access_token":"${PLANTED}","refresh_token":"0.AQ-planted-refresh"}`,
        "",
      ].join("\n"),
    );
    const out = mkdtempSync(join(tmpdir(), "pimtray-export-test-"));
    let answer: string | null = join(out, "diagnostics.zip");
    const file = policyFile({ SupportContact: CONTACT });
    const { preview: pv, page: p } = await open({
      configDir: dir,
      policy: [fileSource(file)],
      saveDiagnosticsAs: async () => answer,
    });
    await signIn(p);
    await p.getByRole("tab", { name: "Settings" }).click();
    await p.getByRole("button", { name: "Troubleshoot…" }).click();
    const checks = p.getByRole("list", { name: "Checks" });
    await checks.waitFor();
    const graph = p.getByTestId("check-reach.graph");
    expect(await graph.getAttribute("data-status")).toBe("ok");
    expect(await graph.getByRole("img", { name: "OK" }).count()).toBe(1);
    expect(await graph.locator(".check-title").innerText()).toBe("Microsoft Graph");
    expect(await graph.locator(".detail").innerText()).not.toBe("");
    const ids = await checks.locator("li").evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")));
    expect(ids).toEqual(
      expect.arrayContaining(["check-versions", "check-proxy", "check-reach.signin", "check-policy"]),
    );
    expect(await p.getByTestId("check-policy").innerText()).toContain(file);
    // Each check not ok says what to do.
    for (const li of await checks.locator("li").all()) {
      const status = await li.getAttribute("data-status");
      if (status === "warn" || status === "fail") expect(await li.locator(".fix").innerText()).toMatch(/^What to do: /);
    }
    expect(await p.getByTestId("doctor-summary").innerText()).not.toBe("");
    await p.screenshot({ path: `${SHOTS}/troubleshoot.png` });

    // Run again: the checks are made anew, and listed again.
    const runs = pv.platform.doctorRuns;
    await p.getByRole("button", { name: "Run again" }).click();
    await expect.poll(() => pv.platform.doctorRuns).toBe(runs + 1);
    await expect.poll(() => p.getByRole("button", { name: "Run again" }).isEnabled()).toBe(true);
    expect(await p.getByTestId("check-reach.graph").getAttribute("data-status")).toBe("ok");

    await p.getByRole("button", { name: "Export diagnostics…" }).click();
    const where = p.getByTestId("export-path");
    await where.waitFor();
    expect(await where.innerText()).toContain(`Diagnostics saved to ${join(out, "diagnostics.zip")}`);
    const zip = readZip(join(out, "diagnostics.zip"));
    expect([...zip.keys()]).toEqual([
      "README.txt",
      "doctor.txt",
      "doctor.json",
      "settings.json",
      "policy.json",
      `logs/${FILES.log}`,
    ]);
    const everything = [...zip.values()].join("\n");
    expect(everything).not.toContain(PLANTED);
    expect(everything).not.toContain("planted-refresh");
    expect(everything).not.toContain("signature-planted");
    // What the administrator needs is there: the log's ordinary lines, the checks, the settings and the policy.
    expect(zip.get(`logs/${FILES.log}`)).toContain("GET https://graph.microsoft.com/v1.0/me 200");
    expect((JSON.parse(zip.get("doctor.json") ?? "{}") as { checks: unknown[] }).checks.length).toBeGreaterThan(5);
    expect(zip.get("settings.json")).toContain('"name": "Mine"');
    expect(zip.get("policy.json")).toContain(CONTACT);

    // A cancelled save dialog writes nothing and says nothing new.
    answer = null;
    await p.getByRole("button", { name: "Back" }).click();
    await p.getByRole("button", { name: "Troubleshoot…" }).click();
    await checks.waitFor();
    await p.getByRole("button", { name: "Export diagnostics…" }).click();
    await expect.poll(() => p.getByRole("button", { name: "Export diagnostics…" }).isEnabled()).toBe(true);
    expect(await p.getByTestId("export-path").count()).toBe(0);
    expect(await errorToast(p).count()).toBe(0);
    expect(pv.platform.exports).toEqual([join(out, "diagnostics.zip")]);
  }, 90_000);

  it("opens on the tray's Troubleshoot… (app:focus with view troubleshoot) and runs the checks, signed out too", async () => {
    const { preview: pv, page: p } = await open({});
    await p.getByRole("button", { name: "Sign in" }).waitFor();
    pv.controller.focus({ groupId: null, view: "troubleshoot" });
    await p.getByRole("list", { name: "Checks" }).waitFor();
    expect(await p.getByTestId("check-account").count()).toBe(1);
    expect(await p.getByTestId("check-reach.signin").getAttribute("data-status")).toBe("ok");
    await p.getByRole("button", { name: "Back" }).click();
    await p.getByRole("button", { name: "Sign in" }).waitFor();
  }, 60_000);
});
