// The tray as data: icon state, tooltip and menu from the app state (app/tray-model.ts).
import { describe, expect, it } from "vitest";
import {
  startFailureMenu,
  startFailureTooltip,
  TOOLTIP_MAX,
  trayIconState,
  trayMenu,
  trayTooltip,
} from "../../electron/app/tray-model.js";
import { active, G1, G2, iso, NOW, state } from "./app-state.js";

describe("tray model", () => {
  it("picks the icon for each state", () => {
    expect(trayIconState(state({ needsSignIn: true }), NOW)).toBe("signin");
    expect(trayIconState(state(), NOW)).toBe("idle");
    expect(trayIconState(state({ active: [active(G1, "Finance Admins", 3600_000)] }), NOW)).toBe("active");
    expect(trayIconState(state({ active: [active(G1, "Finance Admins", 9 * 60_000)] }), NOW)).toBe("expiring");
    expect(
      trayIconState(
        state({
          pending: [
            {
              requestId: "r",
              groupId: G2,
              groupName: "Tenant Admins",
              accessId: "member",
              status: "PendingApproval",
              createdDateTime: iso(0),
              startDateTime: null,
            },
          ],
        }),
        NOW,
      ),
    ).toBe("pending");
  });

  it("builds the menu from state: account, profiles with their state, active with Deactivate, pending with Cancel", () => {
    const s = state({
      profiles: [
        {
          id: "p1",
          name: "Month end",
          targets: [{ groupId: G1, accessId: "member" }],
          durationMinutes: 60,
          justification: null,
          ticket: null,
          autoActivate: false,
          keepActive: { enabled: false },
          notifyLeadMinutes: null,
          managed: false,
        },
      ],
      active: [
        active(G1, "Finance Admins", 72 * 60_000),
        active("975e3fc7-84b0-5202-bb9a-21acb945364b", "SharePoint Site Admins", 50 * 60_000, 60_000),
      ],
      pending: [
        {
          requestId: "r1",
          groupId: G2,
          groupName: "Tenant Admins",
          accessId: "member",
          status: "PendingApproval",
          createdDateTime: iso(0),
          startDateTime: null,
        },
      ],
      settings: { ...state().settings, startAtLogin: true },
    });
    const labels = trayMenu(s, NOW).map((i) =>
      i.type === "separator"
        ? "---"
        : `${i.label}${"enabled" in i && i.enabled === false ? " [disabled]" : ""}${i.type === "checkbox" ? ` [${i.checked ? "x" : " "}]` : ""}`,
    );
    expect(labels).toEqual([
      "adele@contoso.example",
      "---",
      "Profiles",
      "Activate Month end — active, 1 h 12 min left [disabled]",
      "---",
      "Active",
      "Deactivate Finance Admins (member) — 1 h 12 min left",
      "Deactivate SharePoint Site Admins (member) — 50 min left [disabled]",
      "---",
      "Pending",
      "Cancel Tenant Admins (member) — waiting for approval",
      "---",
      "Open PIM Tray…",
      "Start at login [x]",
      "---",
      "Troubleshoot…",
      "Export diagnostics…",
      "---",
      "Quit",
    ]);
  });

  it("offers Sign in… and still Open and Quit when signed out", () => {
    const labels = trayMenu(state({ needsSignIn: true, account: null }), NOW)
      .filter((i) => i.type !== "separator")
      .map((i) => ("label" in i ? i.label : ""));
    expect(labels).toEqual([
      "Sign in…",
      "Open PIM Tray…",
      "Start at login",
      "Troubleshoot…",
      "Export diagnostics…",
      "Quit",
    ]);
  });

  it("counts expiring from the longest warning lead time", () => {
    expect(trayIconState(state({ active: [active(G1, "Finance Admins", 10 * 60_000)] }), NOW)).toBe("expiring");
    expect(trayIconState(state({ active: [active(G1, "Finance Admins", 11 * 60_000)] }), NOW)).toBe("active");
    expect(
      trayIconState(
        state({
          settings: { ...state().settings, leadMinutes: [15] },
          active: [active(G1, "Finance Admins", 11 * 60_000)],
        }),
        NOW,
      ),
    ).toBe("expiring");
  });

  it("says in the profile's label how far along it is: some active, or waiting for approval", () => {
    const profile = {
      id: "p1",
      name: "Month end",
      targets: [
        { groupId: G1, accessId: "member" as const },
        { groupId: G2, accessId: "member" as const },
      ],
      durationMinutes: 60,
      justification: null,
      ticket: null,
      autoActivate: false,
      keepActive: { enabled: false },
      notifyLeadMinutes: null,
      managed: false,
    };
    const partly = trayMenu(state({ profiles: [profile], active: [active(G1, "Finance Admins", 3600_000)] }), NOW).find(
      (i) => i.type === "action" && i.id === "profile:p1",
    );
    expect(partly).toMatchObject({
      label: "Activate Month end — 1 of 2 active",
      enabled: true,
      action: { kind: "activate-profile", profileId: "p1" },
    });
    const waiting = trayMenu(
      state({
        profiles: [profile],
        pending: [
          {
            requestId: "r1",
            groupId: G2,
            groupName: "Tenant Admins",
            accessId: "member",
            status: "PendingApproval",
            createdDateTime: iso(0),
            startDateTime: null,
          },
        ],
      }),
      NOW,
    ).find((i) => i.type === "action" && i.id === "profile:p1");
    expect(waiting).toMatchObject({ label: "Activate Month end — waiting for approval", enabled: false });
  });
});

describe("tray tooltip", () => {
  it("counts active and pending and names the one that ends first", () => {
    const s = state({
      active: [active(G1, "Finance Admins", 3600_000), active(G2, "Tenant Admins", 9 * 60_000)],
      pending: [
        {
          requestId: "r1",
          groupId: G2,
          groupName: "Tenant Admins",
          accessId: "owner",
          status: "PendingApproval",
          createdDateTime: iso(0),
          startDateTime: null,
        },
      ],
    });
    expect(trayTooltip(s, NOW)).toBe("PIM Tray: 2 active · 1 pending · Tenant Admins 9 min left");
    expect(trayTooltip(state({ needsSignIn: true }), NOW)).toBe("PIM Tray: sign in needed");
  });

  it("always shows custom endpoints, and cuts at Windows' 127 characters with an ellipsis", () => {
    const custom = state({
      settings: {
        ...state().settings,
        customEndpoints: {
          authorityHost: "https://login.contoso.example",
          graphEndpoint: "https://graph.contoso.example/v1.0",
        },
      },
    });
    expect(trayTooltip(custom, NOW)).toBe(
      "PIM Tray: 0 active\n⚠ Custom endpoints: sign-in login.contoso.example, Graph graph.contoso.example",
    );
    const long = state({ active: [active(G1, "A".repeat(200), 3600_000)] });
    const tip = trayTooltip(long, NOW);
    expect(tip).toHaveLength(TOOLTIP_MAX);
    expect(tip.endsWith("…")).toBe(true);
    expect(trayMenu(custom, NOW)[0]).toEqual({
      type: "label",
      label: "⚠ Custom endpoints: sign-in login.contoso.example, Graph graph.contoso.example",
    });
  });
});

describe("tray after a failed start", () => {
  it("wraps the reason into menu lines and offers the ways out that need no engine", () => {
    const reason =
      "settings.json is damaged: connection.tenant must be your tenant id (the GUID on Entra ID's overview page) or a verified domain";
    const menu = startFailureMenu(reason);
    const lines = menu.flatMap((i) => (i.type === "label" ? [i.label] : []));
    expect(lines[0]).toBe("PIM Tray could not start");
    expect(lines.slice(1).join(" ")).toBe(reason);
    for (const line of lines.slice(1)) expect(line.length).toBeLessThanOrEqual(70);
    expect(menu.flatMap((i) => (i.type === "action" ? [i.action.kind] : []))).toEqual([
      "open-settings",
      "reset-connection",
      "quit",
    ]);
    expect(startFailureTooltip(reason)).toHaveLength(TOOLTIP_MAX);
    expect(startFailureTooltip("no network")).toBe("PIM Tray could not start: no network");
  });
});
