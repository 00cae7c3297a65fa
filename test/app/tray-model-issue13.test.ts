// The tray as data, issue 13's part: the update item (engine/update's updateMenuItem), Troubleshoot… and Export
// diagnostics…, and a problem with the organisation's policy as lines of the menu.
import { describe, expect, it } from "vitest";
import { MENU_LINE_WIDTH, policyProblemLines, trayMenu, type MenuItemModel } from "../../electron/app/tray-model.js";
import { updateMenuItem, type UpdateState } from "../../electron/engine/update/update-state.js";
import { NOW, state } from "./app-state.js";

const labels = (items: MenuItemModel[]) =>
  items.map((i) =>
    i.type === "separator" ? "---" : `${i.label}${"enabled" in i && i.enabled === false ? " [disabled]" : ""}`,
  );

const withUpdate = (u: UpdateState) => trayMenu({ ...state(), update: updateMenuItem(u) }, NOW);

describe("the tray's update item", () => {
  it("offers Restart to update to X.Y.Z once downloaded, after Start at login and before Troubleshoot…", () => {
    const menu = withUpdate({ kind: "ready", version: "1.2.3", restartWhenIdle: false });
    expect(labels(menu).slice(-8)).toEqual([
      "Open PIM Tray…",
      "Start at login",
      "---",
      "Restart to update to 1.2.3",
      "Troubleshoot…",
      "Export diagnostics…",
      "---",
      "Quit",
    ]);
    expect(menu.find((i) => i.type === "action" && i.id === "update")).toMatchObject({
      action: { kind: "update", action: "restart" },
      enabled: true,
    });
  });

  it("says a restart waits for the activation in flight, and a click cancels it", () => {
    const menu = withUpdate({ kind: "ready", version: "1.2.3", restartWhenIdle: true });
    expect(menu.find((i) => i.type === "action" && i.id === "update")).toMatchObject({
      label: "Restarting to update to 1.2.3 once the activation finishes (click to cancel)",
      action: { kind: "update", action: "cancel-restart" },
    });
  });

  it("shows what it is doing as a line when there is nothing to click, and Check for updates when idle", () => {
    expect(labels(withUpdate({ kind: "downloading", version: "1.2.3", percent: 55 }))).toContain(
      "Downloading update 1.2.3… 55%",
    );
    expect(withUpdate({ kind: "checking" }).some((i) => i.type === "action" && i.id === "update")).toBe(false);
    expect(
      withUpdate({ kind: "disabled", by: "policy", message: "off" }).find(
        (i) => i.type === "label" && i.label === "Updates are managed by your organisation",
      ),
    ).toBeDefined();
    expect(withUpdate({ kind: "idle", checkedAt: null, latest: null })).toContainEqual(
      expect.objectContaining({
        id: "update",
        label: "Check for updates",
        action: { kind: "update", action: "check" },
      }),
    );
  });

  it("shows no update item for a build that cannot update itself, nor without an update state", () => {
    const none = labels(trayMenu(state(), NOW));
    expect(labels(withUpdate({ kind: "disabled", by: "build", message: "dev" }))).toEqual(none);
    expect(none.some((l) => /update/i.test(l))).toBe(false);
  });

  it("offers Troubleshoot… and Export diagnostics… signed in or not", () => {
    for (const s of [state(), state({ needsSignIn: true, account: null })]) {
      const actions = trayMenu(s, NOW).flatMap((i) => (i.type === "action" ? [i.action.kind] : []));
      expect(actions).toContain("troubleshoot");
      expect(actions).toContain("export-diagnostics");
    }
  });
});

describe("a problem with the organisation's policy", () => {
  const problem =
    'PIMTRAY_POLICY_FILE (/tmp/policy.json): UpdateMode must be auto, manual or off (it is "sometimes"); the other values still apply.';

  it("is told at the top of the menu, in lines that fit, pointing to Troubleshoot…", () => {
    const s = state({ organisation: { ...state().organisation, problems: [problem] } });
    const lines = policyProblemLines(s);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(MENU_LINE_WIDTH);
    const text = lines.join(" ");
    expect(text).toBe(`⚠ Your organisation's policy has a problem: ${problem.replace(/\.$/, "")}; see Troubleshoot…`);
    const menu = trayMenu(s, NOW);
    expect(menu.slice(0, lines.length + 1)).toEqual([
      ...lines.map((label) => ({ type: "label", label })),
      { type: "separator" },
    ]);
  });

  it("counts several and cuts a long one, keeping where to look", () => {
    const s = state({
      organisation: { ...state().organisation, problems: [`${"A very long problem ".repeat(30)}.`, "Another."] },
    });
    const lines = policyProblemLines(s);
    expect(lines.length).toBeLessThanOrEqual(5);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(MENU_LINE_WIDTH);
    const text = lines.join(" ");
    expect(text.startsWith("⚠ Your organisation's policy has 2 problems: A very long problem")).toBe(true);
    expect(text).toContain("…");
    expect(text.endsWith("(and 1 more); see Troubleshoot…")).toBe(true);
  });

  it("is not shown when the policy is fine, and sits below the custom endpoints warning", () => {
    expect(policyProblemLines(state())).toEqual([]);
    const s = state({
      organisation: { ...state().organisation, problems: ["Unknown key NoSuchKey."] },
      settings: {
        ...state().settings,
        customEndpoints: {
          authorityHost: "https://login.contoso.example",
          graphEndpoint: "https://graph.contoso.example",
        },
      },
    });
    // "see Troubleshoot…" does not fit on the first line, so it has one of its own, in one piece.
    expect(labels(trayMenu(s, NOW)).slice(0, 4)).toEqual([
      "⚠ Custom endpoints: sign-in login.contoso.example, Graph graph.contoso.example",
      "⚠ Your organisation's policy has a problem: Unknown key NoSuchKey;",
      "see Troubleshoot…",
      "---",
    ]);
  });
});
