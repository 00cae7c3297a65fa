// The controller's side of every call: refuse a bad payload before any handler runs, naming the
// field; turn errors into plain words; push the new state after a change, and only then.
import { describe, expect, it, vi } from "vitest";
import { AppController, notificationFocus } from "../../electron/app/app-controller.js";
import { PimTrayError } from "../../electron/engine/errors.js";
import { silentLogger as silent } from "../../electron/engine/logger.js";
import { CHANNELS, type Channel } from "../../electron/shared/ipc-contract.js";
import { engineDouble, eligibility, lifecycleDouble, platformDouble } from "./app-doubles.js";
import { G1 } from "./app-state.js";

function controller(o: { eligible?: ReturnType<typeof eligibility>[] } = {}) {
  const e = engineDouble(o.eligible ?? [eligibility(G1, "Finance Admins")]);
  const l = lifecycleDouble();
  const platform = platformDouble();
  const pushes: string[] = [];
  const c = new AppController(e.engine, l.lifecycle, platform, silent);
  c.onPush((channel) => pushes.push(channel));
  const nothingRan = () => {
    for (const f of [...Object.values(e.calls), ...Object.values(l.calls)]) expect(f).not.toHaveBeenCalled();
    expect(platform.log).toEqual([]);
    expect(e.settings.saves).toBe(0);
  };
  return { c, e, l, platform, pushes, nothingRan };
}

/** For each channel: a payload its schema refuses, and the field the refusal must name. */
const BAD: Record<Channel, { payload: unknown; field: string }> = {
  "app:get-state": { payload: { extra: 1 }, field: "extra" },
  "auth:sign-in": { payload: { method: "password" }, field: "'method'" },
  "auth:sign-out": { payload: { all: true }, field: "all" },
  "pim:eligible": { payload: { refresh: "yes" }, field: "'refresh'" },
  "pim:policies": { payload: { keys: [] }, field: "'keys'" },
  "pim:activate": { payload: { groupId: "finance", accessId: "member", durationMinutes: 60 }, field: "'groupId'" },
  "pim:deactivate": { payload: { groupId: G1, accessId: "admin" }, field: "'accessId'" },
  "pim:cancel": { payload: { requestId: "r-1" }, field: "'requestId'" },
  "pim:planes": { payload: { kind: "azure" }, field: "kind" },
  "pim:azure-scopes": { payload: { scope: "/tenants/x" }, field: "'scope'" },
  "auth:turn-on-plane": { payload: { plane: "group" }, field: "'plane'" },
  "profiles:save": {
    payload: {
      name: "Month end",
      targets: [{ groupId: "x", accessId: "member" }],
      autoActivate: false,
      keepActive: { enabled: false },
    },
    field: "'targets.0.groupId'",
  },
  "profiles:delete": { payload: { id: "" }, field: "'id'" },
  "profiles:reorder": { payload: { ids: ["p1", ""] }, field: "'ids.1'" },
  "profiles:activate": { payload: { id: 5 }, field: "'id'" },
  "settings:update": { payload: { tenant: "not a tenant" }, field: "'tenant'" },
  "approvals:list": { payload: { refresh: 1 }, field: "'refresh'" },
  "approvals:decide": {
    payload: { kind: "group", requestId: "r-1", decision: "Approve", justification: "ok" },
    field: "'requestId'",
  },
  "approvals:set-enabled": { payload: { enabled: "yes" }, field: "'enabled'" },
  "shell:open-external": { payload: { url: "not a url" }, field: "'url'" },
  "app:hide": { payload: { now: true }, field: "now" },
  "app:doctor": { payload: { checks: ["proxy"] }, field: "checks" },
  "app:export-diagnostics": { payload: { path: "/tmp/x.zip" }, field: "path" },
};

describe("AppController.invoke", () => {
  it("refuses a bad payload on every channel with a message naming the field, before any handler runs", async () => {
    const { c, pushes, nothingRan } = controller();
    for (const channel of CHANNELS) {
      const { payload, field } = BAD[channel];
      const r = await c.invoke(channel, payload);
      expect(r.ok, channel).toBe(false);
      if (r.ok) continue;
      expect(r.error.kind, channel).toBe("usage");
      expect(r.error.message, channel).toMatch(/^Invalid request/);
      expect(r.error.message, channel).toContain(field);
    }
    nothingRan();
    expect(pushes).toEqual([]);
  });

  it("refuses a channel the contract does not have", async () => {
    const { c, nothingRan } = controller();
    for (const channel of ["app:quit", "constructor", "__proto__", 42, null]) {
      expect(await c.invoke(channel, {})).toEqual({ ok: false, error: { kind: "usage", message: "Unknown request." } });
    }
    nothingRan();
  });

  it("pushes the new state after a change, and nothing after a read", async () => {
    const { c, pushes } = controller();
    expect(await c.invoke("app:get-state", undefined)).toMatchObject({ ok: true });
    expect(await c.invoke("pim:eligible", {})).toMatchObject({ ok: true });
    expect(await c.invoke("app:hide", undefined)).toEqual({ ok: true, value: null });
    await new Promise((r) => setTimeout(r, 10));
    expect(pushes).toEqual([]);
    expect(await c.invoke("pim:cancel", { requestId: G1 })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(pushes).toEqual(["app:state"]));
  });

  it("answers an engine error in its own words, anything else as an internal error, and pushes no state", async () => {
    const { c, e, pushes } = controller();
    e.calls.cancel.mockRejectedValueOnce(new PimTrayError("not-found", "That request is gone."));
    expect(await c.invoke("pim:cancel", { requestId: G1 })).toEqual({
      ok: false,
      error: { kind: "not-found", message: "That request is gone." },
    });
    e.calls.cancel.mockRejectedValueOnce(new TypeError("x is undefined"));
    const crash = await c.invoke("pim:cancel", { requestId: G1 });
    expect(crash).toEqual({
      ok: false,
      error: {
        kind: "internal",
        message: "Something went wrong inside PIM Tray. Try again; the details are in the log.",
      },
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(pushes).toEqual([]);
  });
});

describe("focus: what the popup opens on", () => {
  const REQ = "0f9d6a52-5b1e-4c43-9d1f-3a4c1a0b7e21";
  const asks = {
    id: `approval-requested:azure:${REQ}`,
    title: "Adele Vance asks for Owner on Contoso Production",
    body: "b",
    urgency: "normal" as const,
    approval: { kind: "azure" as const, requestId: REQ },
  };

  it("pushes app:focus with a card, or with a request to approve and the decision asked for", () => {
    const { c } = controller();
    const pushed: unknown[] = [];
    c.onPush((channel, data) => channel === "app:focus" && pushed.push(data));
    c.focus({ groupId: G1 });
    c.focus({ groupId: null, approval: { kind: "azure", requestId: REQ, decision: "Deny" } });
    expect(pushed).toEqual([
      { groupId: G1 },
      { groupId: null, approval: { kind: "azure", requestId: REQ, decision: "Deny" } },
    ]);
  });

  it("a notification about a request opens on it: a click chooses nothing, Approve… and Deny… choose their decision", () => {
    expect(notificationFocus(asks, null)).toEqual({
      groupId: null,
      approval: { kind: "azure", requestId: REQ, decision: null },
    });
    expect(notificationFocus(asks, "approve")?.approval?.decision).toBe("Approve");
    expect(notificationFocus(asks, "deny")?.approval?.decision).toBe("Deny");
    expect(notificationFocus(asks, "something else")).toBeNull();
  });

  it("any other notification opens on its card when clicked; Renew opens nothing", () => {
    const target = { groupId: G1, accessId: "member" as const, groupName: "Finance Admins" };
    const soon = { id: "s", title: "t", body: "b", urgency: "critical" as const, target };
    expect(notificationFocus(soon, null)).toEqual({ groupId: G1 });
    expect(notificationFocus(soon, "renew")).toBeNull();
    expect(notificationFocus({ id: "e", title: "t", body: "b", urgency: "normal" }, null)).toEqual({ groupId: null });
  });
});
