// The approver's inbox in the tray model: how many wait, in the tooltip, beside the icon (macOS) and
// in the menu, where each entry opens the popup on its request.
import { describe, expect, it } from "vitest";
import {
  approvalsText,
  MENU_APPROVALS_MAX,
  TOOLTIP_MAX,
  trayBadge,
  trayIconState,
  trayMenu,
  trayTooltip,
  type MenuItemModel,
} from "../../electron/app/tray-model.js";
import { active, approval, G1, NOW, state, waiting } from "./app-state.js";

const actions = (items: MenuItemModel[]) => items.filter((i) => i.type === "action");

describe("requests to approve in the tray model", () => {
  it("counts in words: one request, two requests", () => {
    expect(approvalsText(1)).toBe("1 request to approve");
    expect(approvalsText(2)).toBe("2 requests to approve");
  });

  it("says nothing while none waits, or while approvals are off", () => {
    const s = state();
    expect(trayTooltip(s, NOW)).toBe("PIM Tray: 0 active");
    expect(trayBadge(s)).toBe("");
    expect(trayMenu(s, NOW).some((i) => "label" in i && i.label.includes("to approve"))).toBe(false);
  });

  it("puts the count in the tooltip, before the countdown, and beside the icon", () => {
    const one = state({
      active: [active(G1, "Finance Admins", 3600_000)],
      approvals: waiting([approval("group", "Tenant Admins (member)")]),
    });
    expect(trayTooltip(one, NOW)).toBe("PIM Tray: 1 active · 1 request to approve · Finance Admins 1 h left");
    expect(trayBadge(one)).toBe("1");
    const two = state({
      approvals: waiting([approval("group", "Tenant Admins (member)"), approval("azure", "Owner on Production")]),
    });
    expect(trayTooltip(two, NOW)).toBe("PIM Tray: 0 active · 2 requests to approve");
    expect(trayBadge(two)).toBe("2");
    // The icon keeps saying what my own access does; the count sits beside it, not instead of it.
    expect(trayIconState(one, NOW)).toBe("active");
  });

  it("keeps the count inside Windows' 127-character tooltip when names are long", () => {
    const s = state({
      active: [active(G1, "A".repeat(150), 3600_000)],
      approvals: waiting([approval("role", "Privileged Role Administrator")]),
    });
    const t = trayTooltip(s, NOW);
    expect(t.length).toBeLessThanOrEqual(TOOLTIP_MAX);
    expect(t).toContain("1 request to approve");
  });

  it("shows no count while signed out: the inbox cannot be read then", () => {
    const s = state({ needsSignIn: true, approvals: waiting([approval("group", "Tenant Admins (member)")]) });
    expect(trayTooltip(s, NOW)).toBe("PIM Tray: sign in needed");
    expect(trayBadge(s)).toBe("");
    expect(trayMenu(s, NOW).some((i) => "label" in i && i.label.includes("to approve"))).toBe(false);
  });

  it("offers '2 requests to approve…' right under the account, opening the popup on the first, then each request by name", () => {
    const g = approval("group", "Tenant Admins (member)");
    const r = approval("role", "Privileged Role Administrator", "Alex Wilber");
    const menu = trayMenu(state({ approvals: waiting([g, r]) }), NOW);
    expect(menu.slice(0, 5)).toEqual([
      { type: "label", label: "adele@contoso.example" },
      { type: "separator" },
      {
        type: "action",
        id: "approvals",
        label: "2 requests to approve…",
        action: { kind: "open-approval", approval: { kind: "group", requestId: g.requestId } },
      },
      {
        type: "action",
        id: `approval:group:${g.requestId}`,
        label: "Adele Vance: Tenant Admins (member)…",
        action: { kind: "open-approval", approval: { kind: "group", requestId: g.requestId } },
      },
      {
        type: "action",
        id: `approval:role:${r.requestId}`,
        label: "Alex Wilber: Privileged Role Administrator…",
        action: { kind: "open-approval", approval: { kind: "role", requestId: r.requestId } },
      },
    ]);
    // The rest of the menu is as it was.
    expect(actions(menu).map((i) => i.id)).toEqual([
      "approvals",
      `approval:group:${g.requestId}`,
      `approval:role:${r.requestId}`,
      "open",
      "troubleshoot",
      "export-diagnostics",
      "quit",
    ]);
  });

  it("names at most a handful of requests; the rest are counted, and all are in the popup", () => {
    const many = Array.from({ length: MENU_APPROVALS_MAX + 3 }, (_, i) => approval("azure", `Reader on rg-${i}`));
    const menu = trayMenu(state({ approvals: waiting(many) }), NOW);
    expect(menu.find((i) => i.type === "action" && i.id === "approvals")).toMatchObject({
      label: `${MENU_APPROVALS_MAX + 3} requests to approve…`,
    });
    expect(actions(menu).filter((i) => i.id.startsWith("approval:"))).toHaveLength(MENU_APPROVALS_MAX);
    expect(menu).toContainEqual({ type: "label", label: "and 3 more in PIM Tray" });
  });
});
